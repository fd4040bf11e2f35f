/**
 * Chat agents.
 */
export type {
  AssistantAgentOptions,
  AssistantAgentState,
  ToolCallSummaryFormatter,
} from "./assistant-agent.js";
export { AssistantAgent } from "./assistant-agent.js";
export type { BaseChatAgentOptions } from "./base-chat-agent.js";
export { BaseChatAgent, taskMessages, validateAgentName } from "./base-chat-agent.js";
export type { Handoff, HandoffOptions, HandoffSpec } from "./handoff.js";
export { toHandoff } from "./handoff.js";
export type {
  MessageFilterAgentOptions,
  MessageFilterAgentState,
  MessageFilterConfig,
  PerSourceFilter,
} from "./message-filter-agent.js";
export { filterMessages, MessageFilterAgent } from "./message-filter-agent.js";
export type { AgentToolOptions, TaskRunnerToolOptions } from "./task-runner-tool.js";
export { AgentTool, TaskRunnerTool, taskResultText } from "./task-runner-tool.js";
