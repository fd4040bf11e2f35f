/** The model context that shows the model everything. */
import type { LLMMessage } from "../models/types.js";
import { BaseChatCompletionContext, type ChatCompletionContextOptions } from "./base.js";

/** Options of {@link UnboundedChatCompletionContext}. */
export type UnboundedChatCompletionContextOptions = ChatCompletionContextOptions;

/**
 * A model context that shows the model every message it holds.
 *
 * @example
 * ```ts
 * const context = new UnboundedChatCompletionContext();
 * await context.addMessage({ type: "UserMessage", content: "Hi", source: "user" });
 * ```
 */
export class UnboundedChatCompletionContext extends BaseChatCompletionContext {
  constructor(options: UnboundedChatCompletionContextOptions = {}) {
    super(options);
  }

  /** Every message held, oldest first. */
  async getMessages(): Promise<LLMMessage[]> {
    return this.messages.slice();
  }
}
