/**
 * `@autogen-ts/ext/stores/sqlite`: the run store in a SQLite file (needs the optional peer
 * `better-sqlite3` ^12).
 *
 * @packageDocumentation
 */
export type { SqliteRunStoreOptions } from "./sqlite-store.js";
export { SqliteRunStore } from "./sqlite-store.js";
