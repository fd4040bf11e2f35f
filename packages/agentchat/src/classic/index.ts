/**
 * `@autogen-ts/agentchat/classic`: the classic (AutoGen 0.2 / AG2) conversation API on autogen-ts's model
 * clients, code executors, tools and tracing: `ConversableAgent`, `AssistantAgent`, `UserProxyAgent`,
 * `initiateChat`, `GroupChat` and `GroupChatManager`.
 *
 * @packageDocumentation
 */

export type { AssistantAgentOptions } from "./assistant-agent.js";
export {
  AssistantAgent,
  DEFAULT_ASSISTANT_DESCRIPTION,
  DEFAULT_ASSISTANT_SYSTEM_MESSAGE,
} from "./assistant-agent.js";
export {
  checkTerminationAndHumanReply,
  generateCodeExecutionReply,
  generateFunctionCallReply,
  generateOaiReply,
  generateToolCallsReply,
  registerDefaultCodeExecutor,
} from "./builtin-replies.js";
export type { ChatOptions, ChatQueueItem, MessageFunc, SummaryFunc } from "./chat.js";
export { carryoverText, DEFAULT_SUMMARY_PROMPT, initiateChats, withCarryover } from "./chat.js";
export type { ConversableAgentOptions, GenerateReplyOptions, SendOptions } from "./conversable-agent.js";
export { ConversableAgent, DEFAULT_SYSTEM_MESSAGE, MAX_CONSECUTIVE_AUTO_REPLY } from "./conversable-agent.js";
export type { ClassicFunction, RegisterFunctionOptions, StandardSchemaV1 } from "./functions.js";
export { registerFunction } from "./functions.js";
export type { GroupChatOptions, SpeakerSelectionFunc, SpeakerSelectionMethodName } from "./group-chat.js";
export {
  DEFAULT_INTRODUCTIONS,
  DEFAULT_SELECT_SPEAKER_AUTO_MULTIPLE_TEMPLATE,
  DEFAULT_SELECT_SPEAKER_AUTO_NONE_TEMPLATE,
  DEFAULT_SELECT_SPEAKER_MESSAGE_TEMPLATE,
  DEFAULT_SELECT_SPEAKER_PROMPT_TEMPLATE,
  GroupChat,
} from "./group-chat.js";
export type { GroupChatManagerOptions } from "./group-chat-manager.js";
export { GroupChatManager, runChat } from "./group-chat-manager.js";
export type { ChatAgentConversableOptions, ClassicChatAgentOptions } from "./interop.js";
export { ChatAgentConversable, CLASSIC_CHAT_AGENT_STATE_TYPE, ClassicChatAgent } from "./interop.js";
export type {
  LlmConfig,
  LlmConfigEntry,
  LlmConfigObject,
  ModelClientFactory,
  ModelClientFactoryContext,
} from "./llm-config.js";
export { registerModelClientFactory } from "./llm-config.js";
export type { NestedChatOptions, NestedMessageFunc } from "./nested-chats.js";
export type {
  AgentClass,
  AllMessagesBeforeReplyHook,
  CodeExecutionConfig,
  HookName,
  LastReceivedMessageHook,
  MessageBeforeSendHook,
  RegisterReplyOptions,
  ReplyFunc,
  ReplyFuncOptions,
  ReplyFuncResult,
  ReplyTrigger,
  UpdateAgentStateHook,
} from "./reply-types.js";
export type { ClassicAgentState } from "./state.js";
export { CLASSIC_AGENT_STATE_TYPE, CLASSIC_AGENT_STATE_VERSION } from "./state.js";
export type { SpeakerTransitions } from "./transitions.js";
export type {
  ChatCost,
  ChatResult,
  ClassicMessage,
  ContentPart,
  HumanInputMode,
  MessageInput,
  ModelUsage,
  ToolResponse,
  UsageSummary,
} from "./types.js";
export { contentText } from "./types.js";
export { gatherUsageSummary } from "./usage.js";
export type { UserProxyAgentOptions } from "./user-proxy-agent.js";
export { DEFAULT_USER_PROXY_DESCRIPTIONS, UserProxyAgent } from "./user-proxy-agent.js";
