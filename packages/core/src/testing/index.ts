/**
 * `@autogen-ts/core/testing`: doubles for tests, examples and benchmarks. Portable (no Node.js
 * built-ins).
 *
 * @packageDocumentation
 */

export type { ConformanceRunner, RunStoreConformanceOptions } from "../stores/conformance.js";
export { describeRunStoreConformance } from "../stores/conformance.js";
export type {
  ReplayChatCompletionClientOptions,
  ReplayRequest,
  ReplayResponse,
  ReplayResult,
} from "./replay.js";
export { ReplayChatCompletionClient } from "./replay.js";
