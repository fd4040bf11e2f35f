/**
 * `@autogen-ts/ext/models/cache`: a response cache around any model client, with a store interface and
 * an in-memory store. Portable (Web Crypto for hashing).
 *
 * @packageDocumentation
 */
export type { ChatCompletionCacheOptions } from "./cache-client.js";
export { ChatCompletionCache, canonicalJson } from "./cache-client.js";
export type { CacheStore, InMemoryCacheStoreOptions } from "./store.js";
export { InMemoryCacheStore } from "./store.js";
