/**
 * `@autogen-ts/ext/models/cache/sqlite`: the chat-completion cache in a SQLite file (needs the optional
 * peer `better-sqlite3` ^12).
 *
 * @packageDocumentation
 */
export type { SqliteCacheStoreOptions } from "./sqlite-cache-store.js";
export { SqliteCacheStore } from "./sqlite-cache-store.js";
