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
  RequestUsage,
  StructuredOutputSchema,
} from "@autogen-ts/core";
import {
  BaseChatCompletionClient,
  dropNullOptionals,
  isStructuredOutputSchema,
  isZodSchema,
  lookupModel,
  parseStructuredOutput,
  toStrictJsonSchema,
  ValidationError,
  zodToJsonSchema,
} from "@autogen-ts/core";
import {
  type HttpModelClientOptions,
  type LegacyModelClientOptions,
  MODEL_ENV,
  type ModelCatalog,
  ModelClientKit,
} from "../_shared/index.js";
import { toAnthropicPrompt, toAnthropicToolChoice, toAnthropicTools } from "./messages.js";
import { ANTHROPIC_LIMITS, ANTHROPIC_MODELS, ANTHROPIC_PRICES } from "./models.js";
import { type AnthropicUsageCounts, type AssembledReply, ReplyAssembler } from "./response.js";

/** The built-in knowledge of Claude models. */
const ANTHROPIC_CATALOG: ModelCatalog = {
  models: ANTHROPIC_MODELS,
  prices: ANTHROPIC_PRICES,
  contextWindows: Object.fromEntries(
    Object.entries(ANTHROPIC_LIMITS).map(([name, limits]) => [name, limits.contextWindow]),
  ),
  defaultContextWindow: 200_000,
};

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
export interface AnthropicChatCompletionClientOptions
  extends HttpModelClientOptions,
    Pick<LegacyModelClientOptions, "defaultHeaders"> {
  /** The model name, such as `claude-sonnet-4-5`. */
  readonly model: string;
  /** The API key; defaults to the `ANTHROPIC_API_KEY` environment variable. */
  readonly apiKey?: string;
  /** Another endpoint speaking the Messages API (a proxy, a gateway, a test server). */
  readonly baseURL?: string;
  /** `max_tokens` of each request (Anthropic requires one); defaults to the model's limit, at most 8192. */
  readonly maxTokens?: number;
  /**
   * Extended thinking: a token budget for the model's reasoning, returned as `thought`. Needs a model
   * that supports it, and `maxTokens` above the budget.
   */
  readonly thinkingBudgetTokens?: number;
}

/** @deprecated Use {@link AnthropicChatCompletionClientOptions}. */
export type AnthropicClientOptions = AnthropicChatCompletionClientOptions;

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
  readonly #kit: ModelClientKit;
  readonly #client: Anthropic;
  readonly #maxTokens: number;
  protected readonly contextWindow: number;
  readonly #thinkingBudget: number | undefined;
  /** Signed thinking blocks of recent tool-calling replies, by first call id (bounded). */
  readonly #thinking = new Map<string, Anthropic.ContentBlockParam[]>();

  constructor(options: AnthropicChatCompletionClientOptions) {
    super();
    const kit = new ModelClientKit(options, {
      provider: "Anthropic",
      clientName: "AnthropicChatCompletionClient",
      model: options.model,
      catalog: ANTHROPIC_CATALOG,
      env: MODEL_ENV.anthropic,
      endpoint: () => this.#client?.baseURL,
    });
    this.#kit = kit;
    this.model = kit.model;
    this.modelInfo = kit.modelInfo;
    this.contextWindow = kit.contextWindow;
    const limits = lookupModel(options.model, ANTHROPIC_LIMITS);
    this.#maxTokens = options.maxTokens ?? Math.min(limits?.maxOutputTokens ?? 4096, 8192);
    this.#thinkingBudget = options.thinkingBudgetTokens;
    const headers = kit.options.headers;
    this.#client = new Anthropic({
      // The SDK insists on a key; an empty one lets a keyless gateway work and fails clearly elsewhere.
      apiKey: kit.apiKey ?? "",
      ...(kit.baseURL ? { baseURL: kit.baseURL } : {}),
      // Retries and time limits are the shared policy's (one for every client), so the SDK's are off.
      maxRetries: 0,
      timeout: 2_147_483_647,
      ...(headers ? { defaultHeaders: { ...headers } } : {}),
      logLevel: "off",
    });
  }

  #params(
    messages: readonly LLMMessage[],
    options: CreateOptions,
  ): Anthropic.MessageCreateParamsNonStreaming {
    this.#kit.check(messages, options);
    const tools = options.tools ?? [];
    const prompt = toAnthropicPrompt(messages, this.modelInfo, this.#thinking);
    let system = prompt.system;
    const params: Record<string, unknown> = {
      model: this.model,
      max_tokens: this.#maxTokens,
      messages: prompt.messages,
    };
    const json = options.jsonOutput;
    if (isStructuredOutputSchema(json)) {
      if (!isZodSchema(json)) {
        throw new ValidationError("jsonOutput must be a zod schema (or `true` for plain JSON)");
      }
      // Anthropic wants closed objects; strict form makes optionals nullable, undone when parsing.
      params.output_config = {
        format: { type: "json_schema", schema: toStrictJsonSchema(zodToJsonSchema(json)) },
      };
    } else if (json === true) {
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
    Object.assign(params, this.#kit.extraArgs(options));
    return params as unknown as Anthropic.MessageCreateParamsNonStreaming;
  }

  #usageOf(u: AnthropicUsageCounts): RequestUsage {
    // Anthropic's input_tokens leaves out cache reads and writes; autogen-ts counts them in promptTokens.
    return {
      promptTokens: u.input + u.cacheRead + u.cacheCreation,
      completionTokens: u.output,
      ...(u.cacheRead > 0 ? { cachedPromptTokens: u.cacheRead } : {}),
      ...(u.cacheCreation > 0 ? { cacheCreationTokens: u.cacheCreation } : {}),
      ...(u.thinking !== undefined ? { reasoningTokens: u.thinking } : {}),
    };
  }

  #result(reply: AssembledReply, options: CreateOptions): CreateResult {
    const first = reply.calls[0];
    if (first && reply.thinkingBlocks.length > 0) {
      this.#thinking.set(first.id, reply.thinkingBlocks);
      // Keep the memory small: only the latest replies can still be continued.
      if (this.#thinking.size > 64) {
        const oldest = this.#thinking.keys().next().value;
        if (oldest !== undefined) this.#thinking.delete(oldest);
      }
    }
    return this.#kit.result(
      this.usage,
      {
        text: reply.text,
        calls: reply.calls,
        thought: reply.thought,
        finishReason: reply.finishReason,
        usage: this.#usageOf(reply.usage),
        parse: parseStructured,
      },
      options,
    );
  }

  /** One completion. */
  async create(messages: readonly LLMMessage[], options: CreateOptions = {}): Promise<CreateResult> {
    const params = this.#params(messages, options);
    const { value: message, release } = await this.#kit.request(
      (signal) => this.#client.messages.create(params, { signal }),
      options.signal,
    );
    release();
    // A 200 that is not a Messages API object (a proxy's page, say) is a provider failure, not a reply.
    const content = (message as { content?: unknown } | null)?.content;
    if (typeof message !== "object" || !Array.isArray(content)) {
      throw this.#kit.unexpected("a Messages API message", message);
    }
    const assembler = new ReplyAssembler();
    assembler.addMessage(message);
    return this.#result(assembler.finish(), options);
  }

  /** A streamed completion: text chunks as they arrive, then one {@link CreateResult}. */
  async *createStream(
    messages: readonly LLMMessage[],
    options: CreateOptions = {},
  ): AsyncGenerator<string | CreateResult, void, undefined> {
    const params = { ...this.#params(messages, options), stream: true as const };
    // Retries cover opening the stream; once events flow, a failure ends the call.
    const {
      value: stream,
      signal,
      release,
    } = await this.#kit.request((s) => this.#client.messages.create(params, { signal: s }), options.signal);
    try {
      const assembler = new ReplyAssembler();
      try {
        for await (const event of stream) {
          const text = assembler.addEvent(event);
          if (text) yield text;
        }
      } catch (e) {
        throw this.#kit.streamError(e, options.signal, signal);
      }
      // Without `message_stop` the reply is not whole: a time limit, a cut, or a 200 that was no stream.
      this.#kit.endStream(assembler.complete, options.signal, signal);
      yield this.#result(assembler.finish(), options);
    } finally {
      release();
      // Closes the connection when the consumer stopped early.
      stream.controller.abort();
    }
  }

  /** A description safe to log: the model and endpoint, never the key. */
  toJSON(): Record<string, unknown> {
    return this.#kit.describe("anthropic");
  }
}
