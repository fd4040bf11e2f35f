/**
 * Shared agent and team contracts.
 */
export type {
  AgentState,
  CallOptions,
  ChatAgent,
  Response,
  RunOptions,
  Task,
  TaskResult,
  TaskRunner,
} from "./types.js";
export { isResponse, isTaskResult } from "./types.js";
