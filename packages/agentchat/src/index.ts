/**
 * @autogen-ts/agentchat: agents, teams, termination conditions and the console view.
 *
 * @packageDocumentation
 */

/** The version of this package. */
export const VERSION = "0.1.0";

export type {
  BaseMessageOptions,
  BuiltinAgentEvent,
  BuiltinChatMessage,
  CodeBlockItem,
  CodeExecutionEventOptions,
  CodeGenerationEventOptions,
  CodeResultItem,
  HandoffMessageOptions,
  MemoryQueryEventOptions,
  MemoryQueryItem,
  MessageJSON,
  MessageReader,
  ModelClientStreamingChunkEventOptions,
  MultiModalMessageOptions,
  SelectSpeakerEventOptions,
  StopMessageOptions,
  StructuredMessageOptions,
  TextMessageOptions,
  ThoughtEventOptions,
  ToolCallExecutionEventOptions,
  ToolCallRequestEventOptions,
  ToolCallSummaryMessageOptions,
  UserInputRequestedEventOptions,
} from "./messages/index.js";
export {
  BaseAgentEvent,
  BaseAgentMessage,
  BaseChatMessage,
  CodeExecutionEvent,
  CodeGenerationEvent,
  defaultMessageRegistry,
  HandoffMessage,
  isAgentEvent,
  isChatMessage,
  MemoryQueryEvent,
  MessageRegistry,
  ModelClientStreamingChunkEvent,
  MultiModalMessage,
  messageFromJSON,
  SelectSpeakerEvent,
  StopMessage,
  StructuredMessage,
  TextMessage,
  ThoughtEvent,
  ToolCallExecutionEvent,
  ToolCallRequestEvent,
  ToolCallSummaryMessage,
  UserInputRequestedEvent,
} from "./messages/index.js";
