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
export { drainResponse, isResponse, isTaskResult } from "./types.js";
