/**
 * `@autogen-ts/ext/memory/postgres`: the vector memory's records in PostgreSQL with pgvector (needs the
 * optional peer `pg` ^8, and the pgvector extension installed on the server).
 *
 * @packageDocumentation
 */
export type { PostgresVectorStoreOptions } from "./postgres-vector-store.js";
export { PostgresVectorStore } from "./postgres-vector-store.js";
