/**
 * A scripted model client for tests, examples and benchmarks: it answers each call with the next of a
 * list of responses, with real usage accounting and streaming, so that agents and teams can be tested
 * without a provider (AutoGen's `ReplayChatCompletionClient`).
 */
import { sleep } from "../async.js";
import { ModelError, throwIfAborted } from "../errors.js";
import { BaseChatCompletionClient } from "../models/base-client.js";
import { isStructuredOutputSchema, parseStructuredOutput } from "../models/structured.js";
import { estimateTextTokens, estimateTokens } from "../models/tokens.js";
import type {
  ChatCompletionClient,
  CreateOptions,
  CreateResult,
  FinishReason,
  FunctionCall,
  LLMMessage,
  ModelInfo,
  RequestUsage,
} from "../models/types.js";

/**
 * A scripted reply written in short form: `content` is required; a missing `finishReason` follows the
 * content (`function_calls` for calls, otherwise `stop`), missing `usage` is estimated from the request
 * and the reply, and `cached` defaults to false.
 */
export interface ReplayResult {
  readonly content: string | readonly FunctionCall[];
  readonly finishReason?: FinishReason;
  readonly usage?: RequestUsage;
  readonly cached?: boolean;
  readonly thought?: string;
  readonly parsed?: unknown;
  readonly logprobs?: CreateResult["logprobs"];
}

/** One scripted reply: text, or a (full or short-form) result, which can hold function calls. */
export type ReplayResponse = string | ReplayResult;

/** Options of {@link ReplayChatCompletionClient}. */
export interface ReplayChatCompletionClientOptions {
  /** The replies, used in order, one per `create` or `createStream` call. */
  readonly responses: readonly ReplayResponse[];
  /** Overrides of the default capabilities (everything supported, family `unknown`). */
  readonly modelInfo?: Partial<ModelInfo>;
  /** The context size used by `remainingTokens` (default 128,000). */
  readonly contextSize?: number;
  /**
   * Milliseconds to wait before answering each call, as a slow model would; the wait ends early with a
   * `CancelledError` when the call's signal aborts. Default 0 (answer at once).
   */
  readonly latencyMs?: number;
}

/** One call the client received, for assertions in tests. */
export interface ReplayRequest {
  readonly messages: readonly LLMMessage[];
  readonly options: CreateOptions;
  readonly stream: boolean;
}

const DEFAULT_INFO: ModelInfo = {
  vision: true,
  functionCalling: true,
  jsonOutput: true,
  structuredOutput: true,
  family: "unknown",
  multipleSystemMessages: true,
};

/** Splits text into word-sized stream chunks, each word with the whitespace that follows it. */
function chunkText(text: string): string[] {
  return text.match(/\s*\S+\s*/g) ?? (text === "" ? [] : [text]);
}

/**
 * A {@link ChatCompletionClient} that replays scripted responses.
 *
 * @example
 * ```ts
 * const model = new ReplayChatCompletionClient({
 *   responses: [
 *     { content: [{ id: "call_1", name: "get_weather", arguments: '{"city":"Paris"}' }] },
 *     "It is sunny in Paris.",
 *   ],
 * });
 * ```
 *
 * A plain array of responses is accepted too: `new ReplayChatCompletionClient(["Hello"])`. When the
 * responses run out, calls fail with a `ModelError` of code `replay_exhausted`.
 */
export class ReplayChatCompletionClient extends BaseChatCompletionClient {
  /** What the scripted "model" claims to support. */
  readonly modelInfo: ModelInfo;
  readonly #responses: readonly ReplayResponse[];
  protected readonly contextWindow: number;
  readonly #latencyMs: number;
  readonly #requests: ReplayRequest[] = [];
  #next = 0;

  constructor(options: ReplayChatCompletionClientOptions | readonly ReplayResponse[]) {
    super();
    const opts: ReplayChatCompletionClientOptions = Array.isArray(options)
      ? { responses: options as readonly ReplayResponse[] }
      : (options as ReplayChatCompletionClientOptions);
    this.#responses = [...opts.responses];
    this.modelInfo = { ...DEFAULT_INFO, ...opts.modelInfo };
    this.contextWindow = opts.contextSize ?? 128_000;
    this.#latencyMs = opts.latencyMs ?? 0;
  }

  /** The calls received so far, oldest first. */
  get requests(): readonly ReplayRequest[] {
    return this.#requests;
  }

  /** How many scripted responses have not been used yet. */
  get remainingResponses(): number {
    return this.#responses.length - this.#next;
  }

  /** Answers with the next scripted response. */
  async create(messages: readonly LLMMessage[], options: CreateOptions = {}): Promise<CreateResult> {
    const result = await this.#take(messages, options, false);
    this.usage.record(result.usage);
    return result;
  }

  /** Streams the next scripted response: text word by word, then the final result. */
  async *createStream(
    messages: readonly LLMMessage[],
    options: CreateOptions = {},
  ): AsyncGenerator<string | CreateResult> {
    const result = await this.#take(messages, options, true);
    if (typeof result.content === "string") {
      for (const chunk of chunkText(result.content)) {
        throwIfAborted(options.signal);
        yield chunk;
      }
    }
    throwIfAborted(options.signal);
    this.usage.record(result.usage);
    yield result;
  }

  /** Starts the script again from the first response and forgets usage and recorded requests. */
  reset(): void {
    this.#next = 0;
    this.usage.reset();
    this.#requests.length = 0;
  }

  async #take(
    messages: readonly LLMMessage[],
    options: CreateOptions,
    stream: boolean,
  ): Promise<CreateResult> {
    throwIfAborted(options.signal);
    this.#requests.push({ messages: [...messages], options, stream });
    if (this.#latencyMs > 0) await sleep(this.#latencyMs, options.signal);
    const response = this.#responses[this.#next];
    if (response === undefined) {
      throw new ModelError(
        "replay_exhausted",
        `ReplayChatCompletionClient has no response left for call ${this.#requests.length} ` +
          `(it was given ${this.#responses.length})`,
        { details: { responses: this.#responses.length } },
      );
    }
    this.#next++;
    const short: ReplayResult = typeof response === "string" ? { content: response } : response;
    const content = short.content;
    const usage = short.usage ?? {
      promptTokens: estimateTokens(messages, { tools: options.tools ?? [] }),
      completionTokens:
        typeof content === "string"
          ? estimateTextTokens(content)
          : content.reduce((n, c) => n + estimateTextTokens(c.name) + estimateTextTokens(c.arguments), 0),
    };
    let parsed = short.parsed;
    if (parsed === undefined && typeof content === "string" && isStructuredOutputSchema(options.jsonOutput)) {
      parsed = parseStructuredOutput(content, options.jsonOutput);
    }
    const result: CreateResult = {
      finishReason: short.finishReason ?? (typeof content === "string" ? "stop" : "function_calls"),
      content,
      usage,
      cached: short.cached ?? false,
      ...(short.thought !== undefined ? { thought: short.thought } : {}),
      ...(short.logprobs !== undefined ? { logprobs: short.logprobs } : {}),
      ...(parsed !== undefined ? { parsed } : {}),
    };
    return result;
  }
}
