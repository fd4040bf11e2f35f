/**
 * Termination conditions: when a run of an agent or a team stops.
 *
 * @module
 */
export type { TerminationInput } from "./base.js";
export {
  AndTerminationCondition,
  OrTerminationCondition,
  TerminatedError,
  TerminationCondition,
} from "./base.js";
export { ExternalTermination } from "./external.js";
export type { FunctionalTerminationOptions, TerminationPredicate } from "./functional.js";
export { FunctionalTermination } from "./functional.js";
export type { MaxMessageTerminationOptions, TextMentionTerminationOptions } from "./messages.js";
export {
  FunctionCallTermination,
  HandoffTermination,
  MaxMessageTermination,
  SourceMatchTermination,
  StopMessageTermination,
  TextMentionTermination,
  TextMessageTermination,
} from "./messages.js";
export type { TimeoutTerminationOptions } from "./timeout.js";
export { TimeoutTermination } from "./timeout.js";
export type { TokenUsageTerminationOptions } from "./usage.js";
export { TokenUsageTermination } from "./usage.js";
