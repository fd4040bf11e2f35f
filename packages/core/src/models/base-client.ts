/**
 * `BaseChatCompletionClient`: what every model client shares — the usage books, the prompt-token estimate
 * and the remaining-token arithmetic — so that a provider client is only its wire mapping.
 */
import type { ToolSchema } from "../tools/types.js";
import { estimateTokens } from "./tokens.js";
import type {
  ChatCompletionClient,
  CreateOptions,
  CreateResult,
  LLMMessage,
  ModelInfo,
  RequestUsage,
} from "./types.js";
import { UsageTracker } from "./usage.js";

/**
 * The base of the model clients. A subclass implements `create` and `createStream`, records each finished
 * call with `this.usage.record(result.usage)`, and says how large its model's context window is.
 */
export abstract class BaseChatCompletionClient implements ChatCompletionClient {
  /** What the model can do. */
  abstract readonly modelInfo: ModelInfo;
  /** The model's context window, in tokens (for {@link remainingTokens}). */
  protected abstract readonly contextWindow: number;
  /** The usage of every call; subclasses record each finished call here. */
  protected readonly usage = new UsageTracker();

  /** One completion. */
  abstract create(messages: readonly LLMMessage[], options?: CreateOptions): Promise<CreateResult>;

  /** A streamed completion: text chunks, then one final {@link CreateResult}. */
  abstract createStream(
    messages: readonly LLMMessage[],
    options?: CreateOptions,
  ): AsyncIterable<string | CreateResult>;

  /** Usage of the last call. */
  actualUsage(): RequestUsage {
    return this.usage.last();
  }

  /** Usage of every call since the client was made (with cost where the client knows the price). */
  totalUsage(): RequestUsage {
    return this.usage.total();
  }

  /** An estimate of the prompt tokens of these messages and tools (about four characters a token). */
  countTokens(messages: readonly LLMMessage[], options: { tools?: readonly ToolSchema[] } = {}): number {
    return estimateTokens(messages, options);
  }

  /** The context window less {@link countTokens}. */
  remainingTokens(messages: readonly LLMMessage[], options: { tools?: readonly ToolSchema[] } = {}): number {
    return this.contextWindow - this.countTokens(messages, options);
  }

  /** Releases connections; nothing to release by default. */
  async close(): Promise<void> {}
}
