/**
 * Model contexts: which part of a conversation a model sees. Mirrors AutoGen's `autogen_core.model_context`.
 *
 * @module
 */
export type { ChatCompletionContextOptions } from "./base.js";
export { BaseChatCompletionContext } from "./base.js";
export type { BufferedChatCompletionContextOptions } from "./buffered.js";
export { BufferedChatCompletionContext } from "./buffered.js";
export type { HeadAndTailChatCompletionContextOptions } from "./head-and-tail.js";
export { HeadAndTailChatCompletionContext } from "./head-and-tail.js";
export type { TokenCounter, TokenLimitedChatCompletionContextOptions } from "./token-limited.js";
export { TokenLimitedChatCompletionContext } from "./token-limited.js";
export type { ChatCompletionContext, ChatCompletionContextState } from "./types.js";
export { CHAT_COMPLETION_CONTEXT_STATE_VERSION } from "./types.js";
export type { UnboundedChatCompletionContextOptions } from "./unbounded.js";
export { UnboundedChatCompletionContext } from "./unbounded.js";
