/** The model context that shows the model the first and the last few messages. */
import { ValidationError } from "../errors.js";
import type { LLMMessage, UserMessage } from "../models/types.js";
import { BaseChatCompletionContext, type ChatCompletionContextOptions } from "./base.js";
import { dropLeadingResults, unitStarts } from "./units.js";

/** Options of {@link HeadAndTailChatCompletionContext}. */
export interface HeadAndTailChatCompletionContextOptions extends ChatCompletionContextOptions {
  /** How many of the first messages the model sees (zero or more): AutoGen's `head_size`. */
  headSize?: number;
  /** How many of the last messages the model sees (one or more): AutoGen's `tail_size`. */
  tailSize?: number;
  /** @deprecated The same as {@link headSize}. */
  head?: number;
  /** @deprecated The same as {@link tailSize}. */
  tail?: number;
}

/**
 * A model context that shows the model the first `headSize` and the last `tailSize` messages, with a user
 * message between them saying how many were skipped (`"Skipped N messages."`, source `"System"`, as in
 * AutoGen).
 *
 * A function call and its results stay together: the head ends before a call whose results it cannot
 * hold, and the tail starts after results whose call it cannot hold (the newest call and its results are
 * always shown).
 *
 * @example
 * ```ts
 * const context = new HeadAndTailChatCompletionContext({ headSize: 2, tailSize: 20 });
 * ```
 */
export class HeadAndTailChatCompletionContext extends BaseChatCompletionContext {
  /** How many of the first messages the model sees. */
  readonly head: number;
  /** How many of the last messages the model sees. */
  readonly tail: number;

  constructor(options: HeadAndTailChatCompletionContextOptions) {
    super(options);
    const head = options.headSize ?? options.head;
    const tail = options.tailSize ?? options.tail;
    if (!Number.isInteger(head) || (head as number) < 0) {
      throw new ValidationError(`headSize must be a non-negative integer, got ${String(head)}`);
    }
    if (!Number.isInteger(tail) || (tail as number) <= 0) {
      throw new ValidationError(`tailSize must be a positive integer, got ${String(tail)}`);
    }
    this.head = head as number;
    this.tail = tail as number;
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
      content: `Skipped ${skipped} messages.`,
      source: "System",
    };
    return [...head, note, ...tail];
  }
}
