/**
 * The model-context interface: what an agent keeps of a conversation and which part of it a model sees.
 * Mirrors AutoGen's `autogen_core.model_context.ChatCompletionContext`, in camelCase.
 */
import type { LLMMessage } from "../models/types.js";

/** The saved form of a model context: plain, versioned JSON. */
export interface ChatCompletionContextState {
  readonly type: "ChatCompletionContextState";
  /** The layout version of this document; see {@link CHAT_COMPLETION_CONTEXT_STATE_VERSION}. */
  readonly version: number;
  /** Every message the context holds (not only the window a model sees). */
  readonly messages: readonly LLMMessage[];
}

/** The layout version that this release writes and reads. */
export const CHAT_COMPLETION_CONTEXT_STATE_VERSION = 1;

/**
 * A model context: stores the messages of a conversation and decides which of them the model sees.
 *
 * Every implementation keeps an assistant message that asks for function calls together with the message
 * carrying their results: a window never starts with results whose call it cut off, nor ends with a call
 * whose results it cut off when those results are held.
 */
export interface ChatCompletionContext {
  /** Appends a message to the conversation. */
  addMessage(message: LLMMessage): Promise<void>;
  /** The messages a model should see now (a fresh array the caller may change). */
  getMessages(): Promise<LLMMessage[]>;
  /** Forgets every message, including the initial ones. */
  clear(): Promise<void>;
  /** A JSON-safe copy of the whole conversation. */
  saveState(): Promise<ChatCompletionContextState>;
  /**
   * Replaces the conversation with a saved one.
   *
   * @throws {@link ValidationError} with code `invalid_state` when the document is corrupt or of another
   *   layout version; the context is left unchanged then.
   */
  loadState(state: unknown): Promise<void>;
}
