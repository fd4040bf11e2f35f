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
 * Messages that have fallen out of the window can never be shown again, so the context drops them (every
 * `bufferSize` messages or so): its memory and its saved state stay bounded by the window however long
 * the conversation runs, and each call costs the same at turn 100,000 as at turn 10.
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

  /** Appends a message; past twice the window, drops what lies before the window's start. */
  override async addMessage(message: LLMMessage): Promise<void> {
    this.messages.push(message);
    // The window's start only moves forward as messages are added, so nothing dropped here could be
    // shown later. Trimming at twice the size keeps the cost amortised (one splice per bufferSize adds).
    if (this.messages.length > 2 * this.bufferSize) this.messages.splice(0, this.#windowStart());
  }

  /** The last `bufferSize` messages, without splitting a call from its results. */
  async getMessages(): Promise<LLMMessage[]> {
    const messages = this.messages;
    if (messages.length <= this.bufferSize) return dropLeadingResults(messages.slice());
    return dropLeadingResults(messages.slice(this.#windowStart()));
  }

  /** Where the window starts: walk back unit by unit while it still fits; the newest unit is always kept. */
  #windowStart(): number {
    const messages = this.messages;
    if (messages.length <= this.bufferSize) return 0;
    // The held messages are at most about twice the window (see addMessage), so this scan is as cheap at
    // turn 100,000 as at turn 10.
    const starts = unitStarts(messages);
    let u = starts.length - 1;
    while (u > 0 && messages.length - starts[u - 1]! <= this.bufferSize) u--;
    return starts[u] ?? 0;
  }
}
