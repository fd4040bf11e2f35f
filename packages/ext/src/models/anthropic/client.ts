/**
 * `AnthropicChatCompletionClient`: the autogen-ts model client over Anthropic's Messages API, through the
 * official `@anthropic-ai/sdk`.
 */
import Anthropic from "@anthropic-ai/sdk";
import type {
  ChatCompletionClient,
  CreateOptions,
  CreateResult,
  LLMMessage,
  ModelInfo,
  ModelPrice,
  PriceTable,
  RequestUsage,
  StructuredOutputSchema,
} from "@autogen-ts/core";
import {
  BaseChatCompletionClient,
  dropNullOptionals,
  isStructuredOutputSchema,
  isZodSchema,
  lookupModel,
  ModelError,
  parseStructuredOutput,
  resolveModelInfo,
  throwIfAborted,
  toStrictJsonSchema,
  ValidationError,
  withCost,
  zodToJsonSchema,
} from "@autogen-ts/core";
import {
  type ModelLogger,
  type RetryOptions,
  redactingLogger,
  redactUrl,
  toModelError,
  withRetries,
} from "../_shared/index.js";
import { toAnthropicPrompt, toAnthropicToolChoice, toAnthropicTools } from "./messages.js";
import { ANTHROPIC_LIMITS, ANTHROPIC_MODELS, ANTHROPIC_PRICES } from "./models.js";
import { type AnthropicUsageCounts, type AssembledReply, ReplyAssembler } from "./response.js";

/** Parses a structured reply, first dropping the `null`s that strict mode put in for absent optionals. */
function parseStructured(text: string, schema: StructuredOutputSchema): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return parseStructuredOutput(text, schema); // reports the JSON error
  }
  const original = isZodSchema(schema) ? zodToJsonSchema(schema) : {};
  return parseStructuredOutput(JSON.stringify(dropNullOptionals(value, original)), schema);
}

/** Options of {@link AnthropicChatCompletionClient}. */
export interface AnthropicClientOptions extends RetryOptions {
  /** The model name, such as `claude-sonnet-4-5`. */
  readonly model: string;
  /** The API key; defaults to the `ANTHROPIC_API_KEY` environment variable. */
  readonly apiKey?: string;
  /** Another endpoint speaking the Messages API (a proxy, a gateway, a test server). */
  readonly baseURL?: string;
  /** `max_tokens` of each request (Anthropic requires one); defaults to the model's limit, at most 8192. */
  readonly maxTokens?: number;
  /** Overrides (some of) the known-models table's capabilities, or describes an unknown model. */
  readonly modelInfo?: Partial<ModelInfo>;
  /** The model's context window in tokens, for `remainingTokens()`; defaults to the table's, or 200,000. */
  readonly contextWindow?: number;
  /**
   * The model's price in USD per million tokens, or a table of prices by model name, consulted before
   * the built-in table (and pricing models it does not know).
   */
  readonly price?: ModelPrice | PriceTable;
  /**
   * Extended thinking: a token budget for the model's reasoning, returned as `thought`. Needs a model
   * that supports it, and `maxTokens` above the budget.
   */
  readonly thinkingBudgetTokens?: number;
  /** Extra HTTP headers sent with every request (never logged). */
  readonly defaultHeaders?: Readonly<Record<string, string>>;
  /** Receives retry and failure records, with secrets already removed. */
  readonly logger?: ModelLogger;
}

const JSON_INSTRUCTION =
  "Reply with one JSON value only: no prose before or after it and no Markdown code fences.";

/**
 * A {@link ChatCompletionClient} for Claude models.
 *
 * - System messages are lifted into the request's `system` field (several are joined by blank lines).
 * - Tool calls come back as `FunctionCall`s whose `arguments` are the model's raw JSON text; results go
 *   back as `tool_result` blocks (`is_error` for failures).
 * - Extended thinking (`thinkingBudgetTokens`) comes back as `thought`; text the model writes beside its
 *   tool calls is kept as `thought` too.
 * - Structured output (`jsonOutput` given a zod schema) uses Anthropic's native `output_config.format`
 *   with the schema's JSON Schema, so it works together with tools and thinking; the reply is validated
 *   and returned as `parsed`. `jsonOutput: true` (Anthropic has no schema-less JSON mode) adds an
 *   instruction to the system prompt.
 * - Usage counts cache reads and writes inside `promptTokens` and prices them where the price is known.
 *
 * @example
 * ```ts
 * const client = new AnthropicChatCompletionClient({ model: "claude-sonnet-4-5" });
 * const result = await client.create([{ type: "UserMessage", content: "Hi", source: "user" }]);
 * ```
 */
export class AnthropicChatCompletionClient extends BaseChatCompletionClient {
  /** What the model can do. */
  readonly modelInfo: ModelInfo;
  /** The model name requests are sent for. */
  readonly model: string;
  readonly #client: Anthropic;
  readonly #maxTokens: number;
  protected readonly contextWindow: number;
  readonly #price: ModelPrice | PriceTable | undefined;
  readonly #retry: RetryOptions;
  readonly #log: ReturnType<typeof redactingLogger>;
  readonly #thinkingBudget: number | undefined;
  /** Signed thinking blocks of recent tool-calling replies, by first call id (bounded). */
  readonly #thinking = new Map<string, Anthropic.ContentBlockParam[]>();
  readonly #secrets: string[];

  constructor(options: AnthropicClientOptions) {
    super();
    const limits = lookupModel(options.model, ANTHROPIC_LIMITS);
    this.model = options.model;
    this.modelInfo = resolveModelInfo(options.model, ANTHROPIC_MODELS, options.modelInfo, {
      clientName: "AnthropicChatCompletionClient",
    });
    const apiKey = options.apiKey ?? process.env.ANTHROPIC_API_KEY;
    this.#secrets = [apiKey, ...Object.values(options.defaultHeaders ?? {})].filter(
      (s): s is string => typeof s === "string" && s.length > 0,
    );
    this.#log = redactingLogger(options.logger, () => this.#secrets);
    this.#maxTokens = options.maxTokens ?? Math.min(limits?.maxOutputTokens ?? 4096, 8192);
    this.contextWindow = options.contextWindow ?? limits?.contextWindow ?? 200_000;
    this.#price = options.price;
    this.#retry = {
      ...(options.maxRetries !== undefined ? { maxRetries: options.maxRetries } : {}),
      ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
      ...(options.initialDelayMs !== undefined ? { initialDelayMs: options.initialDelayMs } : {}),
      ...(options.maxDelayMs !== undefined ? { maxDelayMs: options.maxDelayMs } : {}),
    };
    this.#thinkingBudget = options.thinkingBudgetTokens;
    this.#client = new Anthropic({
      // The SDK insists on a key; an empty one lets a keyless gateway work and fails clearly elsewhere.
      apiKey: apiKey ?? "",
      ...(options.baseURL ? { baseURL: options.baseURL } : {}),
      // Retries and time limits are the shared policy's (one for every client), so the SDK's are off.
      maxRetries: 0,
      timeout: 2_147_483_647,
      ...(options.defaultHeaders ? { defaultHeaders: { ...options.defaultHeaders } } : {}),
      logLevel: "off",
    });
  }

  #params(
    messages: readonly LLMMessage[],
    options: CreateOptions,
  ): Anthropic.MessageCreateParamsNonStreaming {
    const tools = options.tools ?? [];
    if (tools.length > 0 && !this.modelInfo.functionCalling) {
      throw new ModelError("model_capability", `Model ${this.model} does not support function calling`);
    }
    const prompt = toAnthropicPrompt(messages, this.modelInfo, this.#thinking);
    let system = prompt.system;
    const params: Record<string, unknown> = {
      model: this.model,
      max_tokens: this.#maxTokens,
      messages: prompt.messages,
    };
    const json = options.jsonOutput;
    if (isStructuredOutputSchema(json)) {
      if (!this.modelInfo.structuredOutput) {
        throw new ModelError("model_capability", `Model ${this.model} does not support structured output`);
      }
      if (!isZodSchema(json)) {
        throw new ValidationError("jsonOutput must be a zod schema (or `true` for plain JSON)");
      }
      // Anthropic wants closed objects; strict form makes optionals nullable, undone when parsing.
      params.output_config = {
        format: { type: "json_schema", schema: toStrictJsonSchema(zodToJsonSchema(json)) },
      };
    } else if (json === true) {
      if (!this.modelInfo.jsonOutput) {
        throw new ModelError("model_capability", `Model ${this.model} does not support JSON output`);
      }
      system = system ? `${system}\n\n${JSON_INSTRUCTION}` : JSON_INSTRUCTION;
    }
    if (system !== undefined) params.system = system;
    if (tools.length > 0) {
      params.tools = toAnthropicTools(tools);
      if (options.toolChoice) params.tool_choice = toAnthropicToolChoice(options.toolChoice);
    }
    if (this.#thinkingBudget !== undefined) {
      params.thinking = { type: "enabled", budget_tokens: this.#thinkingBudget };
    }
    Object.assign(params, options.extraCreateArgs ?? {});
    return params as unknown as Anthropic.MessageCreateParamsNonStreaming;
  }

  #usageOf(u: AnthropicUsageCounts): RequestUsage {
    // Anthropic's input_tokens leaves out cache reads and writes; autogen-ts counts them in promptTokens.
    const usage: RequestUsage = {
      promptTokens: u.input + u.cacheRead + u.cacheCreation,
      completionTokens: u.output,
      ...(u.cacheRead > 0 ? { cachedPromptTokens: u.cacheRead } : {}),
      ...(u.cacheCreation > 0 ? { cacheCreationTokens: u.cacheCreation } : {}),
      ...(u.thinking !== undefined ? { reasoningTokens: u.thinking } : {}),
    };
    return withCost(usage, this.model, ANTHROPIC_PRICES, this.#price);
  }

  #result(reply: AssembledReply, options: CreateOptions): CreateResult {
    const usage = this.#usageOf(reply.usage);
    this.usage.record(usage);
    if (reply.calls.length > 0) {
      const first = reply.calls[0];
      if (first && reply.thinkingBlocks.length > 0) {
        this.#thinking.set(first.id, reply.thinkingBlocks);
        // Keep the memory small: only the latest replies can still be continued.
        if (this.#thinking.size > 64) {
          const oldest = this.#thinking.keys().next().value;
          if (oldest !== undefined) this.#thinking.delete(oldest);
        }
      }
      return {
        finishReason: "function_calls",
        content: reply.calls,
        usage,
        cached: false,
        ...(reply.thought !== undefined ? { thought: reply.thought } : {}),
      };
    }
    const parsed = isStructuredOutputSchema(options.jsonOutput)
      ? { parsed: parseStructured(reply.text, options.jsonOutput) }
      : {};
    return {
      finishReason: reply.finishReason,
      content: reply.text,
      usage,
      cached: false,
      ...(reply.thought !== undefined ? { thought: reply.thought } : {}),
      ...parsed,
    };
  }

  #context(signal: AbortSignal | undefined) {
    return {
      provider: "Anthropic",
      signal,
      secrets: this.#secrets,
      onRetry: (r: { attempt: number; delayMs: number; status: number | undefined; reason: string }) =>
        this.#log("warn", `retrying after ${r.delayMs} ms: ${r.reason}`, {
          provider: "anthropic",
          model: this.model,
          attempt: r.attempt,
          status: r.status,
        }),
    };
  }

  /** One completion. */
  async create(messages: readonly LLMMessage[], options: CreateOptions = {}): Promise<CreateResult> {
    throwIfAborted(options.signal);
    const params = this.#params(messages, options);
    const { value: message, release } = await withRetries(
      (signal) => this.#client.messages.create(params, { signal }),
      this.#retry,
      this.#context(options.signal),
    );
    release();
    const assembler = new ReplyAssembler();
    assembler.addMessage(message);
    return this.#result(assembler.finish(), options);
  }

  /** A streamed completion: text chunks as they arrive, then one {@link CreateResult}. */
  async *createStream(
    messages: readonly LLMMessage[],
    options: CreateOptions = {},
  ): AsyncGenerator<string | CreateResult, void, undefined> {
    throwIfAborted(options.signal);
    const params = { ...this.#params(messages, options), stream: true as const };
    // Retries cover opening the stream; once events flow, a failure ends the call.
    const {
      value: stream,
      signal,
      release,
    } = await withRetries(
      (s) => this.#client.messages.create(params, { signal: s }),
      this.#retry,
      this.#context(options.signal),
    );
    try {
      const assembler = new ReplyAssembler();
      try {
        for await (const event of stream) {
          const text = assembler.addEvent(event);
          if (text) yield text;
        }
      } catch (e) {
        throw toModelError(e, {
          provider: "Anthropic",
          secrets: this.#secrets,
          signal: options.signal,
          timedOut: signal.aborted && !options.signal?.aborted,
          timeoutMs: this.#retry.timeoutMs ?? 600_000,
        });
      }
      throwIfAborted(options.signal);
      yield this.#result(assembler.finish(), options);
    } finally {
      release();
      // Closes the connection when the consumer stopped early.
      stream.controller.abort();
    }
  }

  /** A description safe to log: the model and endpoint, never the key. */
  toJSON(): Record<string, unknown> {
    return { provider: "anthropic", model: this.model, baseURL: redactUrl(this.#client.baseURL) };
  }
}
