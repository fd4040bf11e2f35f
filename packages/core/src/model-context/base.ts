/**
 * The shared storage of the built-in model contexts: the full message list, its state, and the initial
 * messages. Subclasses decide only which window {@link BaseChatCompletionContext.getMessages} returns.
 */
import type { LLMMessage } from "../models/types.js";
import { readLLMMessages, readStateDocument } from "./state.js";
import {
  CHAT_COMPLETION_CONTEXT_STATE_VERSION,
  type ChatCompletionContext,
  type ChatCompletionContextState,
} from "./types.js";

const NO_MESSAGES: readonly LLMMessage[] = Object.freeze([]);

/** Options shared by every built-in model context. */
export interface ChatCompletionContextOptions {
  /** Messages the conversation starts with (a few-shot example, an earlier transcript). */
  initialMessages?: readonly LLMMessage[];
}

/**
 * Base class of the built-in model contexts: holds every message added and saves and loads them as a
 * versioned {@link ChatCompletionContextState}. Extend it and implement `getMessages` to choose a window.
 */
export abstract class BaseChatCompletionContext implements ChatCompletionContext {
  /** The messages the context was created with (kept for configs; `clear` does not bring them back). */
  readonly initialMessages: readonly LLMMessage[];
  /** Every message held, oldest first. Subclasses read it; only the methods below change it. */
  protected messages: LLMMessage[];

  constructor(options: ChatCompletionContextOptions = {}) {
    this.initialMessages = options.initialMessages ? [...options.initialMessages] : NO_MESSAGES;
    // slice, not spread: a spread of an empty list still reserves room for 16 elements (~130 bytes per
    // context, which adds up over thousands of idle agents).
    this.messages = this.initialMessages.slice();
  }

  /** Appends a message to the conversation. */
  async addMessage(message: LLMMessage): Promise<void> {
    this.messages.push(message);
  }

  /** The messages a model should see now. */
  abstract getMessages(): Promise<LLMMessage[]>;

  /** Forgets every message, including the initial ones. */
  async clear(): Promise<void> {
    this.messages = [];
  }

  /** A JSON-safe copy of every message held. */
  async saveState(): Promise<ChatCompletionContextState> {
    return {
      type: "ChatCompletionContextState",
      version: CHAT_COMPLETION_CONTEXT_STATE_VERSION,
      messages: structuredClone(this.messages),
    };
  }

  /**
   * Replaces the conversation with a saved one.
   *
   * @throws {@link ValidationError} (`invalid_state`) when the document is corrupt or of another version;
   *   the context keeps its messages then.
   */
  async loadState(state: unknown): Promise<void> {
    const what = "ChatCompletionContextState";
    const document = readStateDocument(state, what, CHAT_COMPLETION_CONTEXT_STATE_VERSION);
    this.messages = readLLMMessages(document.messages, "messages", what);
  }
}
