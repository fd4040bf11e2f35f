/** The model context that shows the model the last few messages. */
import { ValidationError } from "../errors.js";
import type { LLMMessage } from "../models/types.js";
import { BaseChatCompletionContext, type ChatCompletionContextOptions } from "./base.js";
import { dropLeadingResults, unitStarts } from "./units.js";

/** Options of {@link BufferedChatCompletionContext}. */
export interface BufferedChatCompletionContextOptions extends ChatCompletionContextOptions {
  /** The most messages the model sees (a positive integer). */
  bufferSize: number;
}

/**
 * A model context that shows the model the last `bufferSize` messages.
 *
 * A function call and its results stay together: when the window's edge would fall between them the pair
 * is left out, except that the newest pair is always shown (so a window may then exceed `bufferSize`
 * by one rather than hide the latest turn).
 *
 * @example
 * ```ts
 * const context = new BufferedChatCompletionContext({ bufferSize: 10 });
 * ```
 */
export class BufferedChatCompletionContext extends BaseChatCompletionContext {
  /** The most messages the model sees. */
  readonly bufferSize: number;

  constructor(options: BufferedChatCompletionContextOptions) {
    super(options);
    if (!Number.isInteger(options.bufferSize) || options.bufferSize <= 0) {
      throw new ValidationError(`bufferSize must be a positive integer, got ${String(options.bufferSize)}`);
    }
    this.bufferSize = options.bufferSize;
  }

  /** The last `bufferSize` messages, without splitting a call from its results. */
  async getMessages(): Promise<LLMMessage[]> {
    const messages = this.messages;
    if (messages.length <= this.bufferSize) return dropLeadingResults(messages.slice());
    const starts = unitStarts(messages);
    // Walk back unit by unit while the window still fits; the newest unit is always kept.
    let u = starts.length - 1;
    while (u > 0 && messages.length - starts[u - 1]! <= this.bufferSize) u--;
    return dropLeadingResults(messages.slice(starts[u]!));
  }
}
