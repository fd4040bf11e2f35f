/**
 * `@autogen-ts/ext/stores/postgres`: the run store in PostgreSQL (needs the optional peer `pg` ^8).
 *
 * @packageDocumentation
 */
export type { PostgresRunStoreOptions } from "./postgres-store.js";
export { PostgresRunStore, redactConnectionString } from "./postgres-store.js";
