/**
 * `@autogen-ts/ext/memory/sqlite`: the vector memory's records in a SQLite file (needs the optional peer
 * `better-sqlite3` ^12).
 *
 * @packageDocumentation
 */
export type { SqliteVectorStoreOptions } from "./sqlite-vector-store.js";
export { SqliteVectorStore } from "./sqlite-vector-store.js";
