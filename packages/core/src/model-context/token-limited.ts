/** The model context that shows the model as many recent messages as fit in a token budget. */
import { ValidationError } from "../errors.js";
import type { ChatCompletionClient, LLMMessage } from "../models/types.js";
import type { ToolSchema } from "../tools/types.js";
import { BaseChatCompletionContext, type ChatCompletionContextOptions } from "./base.js";
import { dropLeadingResults, unitStarts } from "./units.js";

/** Counts the prompt tokens of a list of messages. */
export type TokenCounter = (messages: readonly LLMMessage[]) => number;

/** Options of {@link TokenLimitedChatCompletionContext}. Give `modelClient`, `tokenCounter`, or both. */
export interface TokenLimitedChatCompletionContextOptions extends ChatCompletionContextOptions {
  /** The client whose `countTokens` (and, without `tokenLimit`, `remainingTokens`) is used. */
  modelClient?: ChatCompletionClient;
  /** Counts tokens instead of the client's `countTokens`. */
  tokenCounter?: TokenCounter;
  /** The most prompt tokens the window may take. Without it, the client's remaining context size rules. */
  tokenLimit?: number;
  /** Tool schemas sent with each call, counted by the client as part of the prompt. */
  tools?: readonly ToolSchema[];
}

/**
 * A model context that drops the oldest messages until the rest fit in `tokenLimit` tokens.
 *
 * Messages are counted with `tokenCounter` or the model client's `countTokens`. A function call and its
 * results are dropped together. The newest message (or call with its results) is always kept, even when
 * it alone is over the limit, so the model never gets an empty prompt.
 *
 * @example
 * ```ts
 * const context = new TokenLimitedChatCompletionContext({ modelClient, tokenLimit: 8000 });
 * ```
 */
export class TokenLimitedChatCompletionContext extends BaseChatCompletionContext {
  /** The most prompt tokens the window may take, when a fixed limit was given. */
  readonly tokenLimit: number | undefined;
  /** The client that counts tokens (or gives the context size), when one was given. */
  readonly modelClient: ChatCompletionClient | undefined;
  /** The tool schemas counted with the messages, when given. */
  readonly tools: readonly ToolSchema[] | undefined;
  private readonly fits: (messages: readonly LLMMessage[]) => boolean;

  constructor(options: TokenLimitedChatCompletionContextOptions) {
    super(options);
    const { modelClient, tokenCounter, tokenLimit, tools } = options;
    if (tokenLimit !== undefined && (!Number.isInteger(tokenLimit) || tokenLimit <= 0)) {
      throw new ValidationError(`tokenLimit must be a positive integer, got ${String(tokenLimit)}`);
    }
    const toolOptions = tools ? { tools } : undefined;
    const count: TokenCounter | undefined =
      tokenCounter ??
      (modelClient ? (messages) => modelClient.countTokens(messages, toolOptions) : undefined);
    if (count === undefined) {
      throw new ValidationError("TokenLimitedChatCompletionContext needs a modelClient or a tokenCounter");
    }
    if (tokenLimit !== undefined) {
      this.fits = (messages) => count(messages) <= tokenLimit;
    } else if (modelClient !== undefined) {
      this.fits = (messages) => modelClient.remainingTokens(messages, toolOptions) >= 0;
    } else {
      throw new ValidationError(
        "TokenLimitedChatCompletionContext needs a tokenLimit when given no modelClient",
      );
    }
    this.tokenLimit = tokenLimit;
    this.modelClient = modelClient;
    this.tools = tools;
  }

  /** The newest messages that fit in the token budget, oldest first. */
  async getMessages(): Promise<LLMMessage[]> {
    const messages = this.messages;
    if (messages.length === 0 || this.fits(messages)) return dropLeadingResults(messages.slice());
    const starts = unitStarts(messages);
    // Fewer messages never take more tokens, so binary-search the oldest unit the window can start at:
    // starting at unit `hi` always fits (or is the newest unit, kept regardless); at unit `lo` it does not.
    let lo = 0;
    let hi = starts.length - 1;
    while (hi - lo > 1) {
      const mid = (lo + hi) >>> 1;
      if (this.fits(messages.slice(starts[mid]!))) hi = mid;
      else lo = mid;
    }
    return dropLeadingResults(messages.slice(starts[hi]!));
  }
}
