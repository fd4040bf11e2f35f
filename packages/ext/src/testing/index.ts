/**
 * `@autogen-ts/ext/testing`: the conformance suites of the stores behind the chat-completion cache and the
 * vector memory, for a third-party store to run. They need only `describe` and `it` from the test runner.
 *
 * @packageDocumentation
 */

export type { VectorStoreConformanceOptions } from "../memory/conformance.js";
export { describeVectorStoreConformance } from "../memory/conformance.js";
export type { CacheStoreConformanceOptions } from "../models/cache/conformance.js";
export { describeCacheStoreConformance } from "../models/cache/conformance.js";
