/** The model context that shows the model the first and the last few messages. */
import { ValidationError } from "../errors.js";
import type { LLMMessage, UserMessage } from "../models/types.js";
import { BaseChatCompletionContext, type ChatCompletionContextOptions } from "./base.js";
import { dropLeadingResults, unitStarts } from "./units.js";

/** Options of {@link HeadAndTailChatCompletionContext}. */
export interface HeadAndTailChatCompletionContextOptions extends ChatCompletionContextOptions {
  /** How many of the first messages the model sees (zero or more). */
  head: number;
  /** How many of the last messages the model sees (one or more). */
  tail: number;
}

/**
 * A model context that shows the model the first `head` and the last `tail` messages, with a user message
 * between them saying how many were skipped (source `"System"`).
 *
 * A function call and its results stay together: the head ends before a call whose results it cannot
 * hold, and the tail starts after results whose call it cannot hold (the newest call and its results are
 * always shown).
 *
 * @example
 * ```ts
 * const context = new HeadAndTailChatCompletionContext({ head: 2, tail: 20 });
 * ```
 */
export class HeadAndTailChatCompletionContext extends BaseChatCompletionContext {
  /** How many of the first messages the model sees. */
  readonly head: number;
  /** How many of the last messages the model sees. */
  readonly tail: number;

  constructor(options: HeadAndTailChatCompletionContextOptions) {
    super(options);
    if (!Number.isInteger(options.head) || options.head < 0) {
      throw new ValidationError(`head must be a non-negative integer, got ${String(options.head)}`);
    }
    if (!Number.isInteger(options.tail) || options.tail <= 0) {
      throw new ValidationError(`tail must be a positive integer, got ${String(options.tail)}`);
    }
    this.head = options.head;
    this.tail = options.tail;
  }

  /** The head, a note of how many messages were skipped, and the tail. */
  async getMessages(): Promise<LLMMessage[]> {
    const messages = this.messages;
    if (messages.length <= this.head + this.tail) return dropLeadingResults(messages.slice());
    const starts = unitStarts(messages);
    const ends = [...starts.slice(1), messages.length];
    // Head: whole units from the front while they fit.
    let headUnits = 0;
    while (headUnits < starts.length && ends[headUnits]! <= this.head) headUnits++;
    const headEnd = headUnits === 0 ? 0 : ends[headUnits - 1]!;
    // Tail: whole units from the back while they fit, never reaching into the head; the newest is kept.
    let tailUnit = starts.length - 1;
    while (tailUnit - 1 >= headUnits && messages.length - starts[tailUnit - 1]! <= this.tail) tailUnit--;
    const tailStart = Math.max(starts[tailUnit]!, headEnd);
    const skipped = tailStart - headEnd;
    const head = dropLeadingResults(messages.slice(0, headEnd));
    const tail = messages.slice(tailStart);
    if (skipped === 0) return [...head, ...tail];
    const note: UserMessage = {
      type: "UserMessage",
      content: `[${skipped} earlier message${skipped === 1 ? " was" : "s were"} left out here to fit the context]`,
      source: "System",
    };
    return [...head, note, ...tail];
  }
}
