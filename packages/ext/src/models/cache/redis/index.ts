/**
 * `@autogen-ts/ext/models/cache/redis`: the chat-completion cache in Redis (needs the optional peer
 * `redis` ^6).
 *
 * @packageDocumentation
 */
export type { RedisCacheClient, RedisCacheStoreOptions } from "./redis-cache-store.js";
export { RedisCacheStore } from "./redis-cache-store.js";
