/**
 * AgentChat messages and events: classes, type guards, and the JSON registry.
 */
export type { BaseMessageOptions, MessageJSON } from "./base.js";
export {
  BaseAgentEvent,
  BaseAgentMessage,
  BaseChatMessage,
  isAgentEvent,
  isChatMessage,
  isTransient,
} from "./base.js";
export type {
  BuiltinChatMessage,
  HandoffMessageOptions,
  MultiModalMessageOptions,
  StopMessageOptions,
  StructuredMessageOptions,
  TextMessageOptions,
  ToolCallSummaryMessageOptions,
} from "./chat.js";
export {
  HandoffMessage,
  MultiModalMessage,
  StopMessage,
  StructuredMessage,
  TextMessage,
  ToolCallSummaryMessage,
} from "./chat.js";
export type {
  BuiltinAgentEvent,
  CodeBlockItem,
  CodeExecutionEventOptions,
  CodeGenerationEventOptions,
  CodeResultItem,
  MemoryQueryEventOptions,
  MemoryQueryItem,
  ModelClientStreamingChunkEventOptions,
  SelectSpeakerEventOptions,
  ThoughtEventOptions,
  ToolCallExecutionEventOptions,
  ToolCallRequestEventOptions,
  UserInputRequestedEventOptions,
} from "./events.js";
export {
  CodeExecutionEvent,
  CodeGenerationEvent,
  MemoryQueryEvent,
  ModelClientStreamingChunkEvent,
  SelectSpeakerEvent,
  ThoughtEvent,
  ToolCallExecutionEvent,
  ToolCallRequestEvent,
  UserInputRequestedEvent,
} from "./events.js";
export type { MessageReader } from "./registry.js";
export { defaultMessageRegistry, MessageRegistry, messageFromJSON } from "./registry.js";
