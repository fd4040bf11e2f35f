/**
 * `AiSdkChatCompletionClient`: any Vercel AI SDK language model (the `LanguageModelV3` specification of
 * `@ai-sdk/provider`) as an autogen-ts {@link ChatCompletionClient}, called through the model's own
 * `doGenerate` and `doStream`, so that every provider the AI SDK has works with autogen-ts agents.
 */
import type {
  LanguageModelV3,
  LanguageModelV3CallOptions,
  LanguageModelV3FinishReason,
  LanguageModelV3FunctionTool,
  LanguageModelV3Message,
  LanguageModelV3Prompt,
  LanguageModelV3StreamPart,
  LanguageModelV3Usage,
  SharedV3ProviderOptions,
} from "@ai-sdk/provider";
import type {
  ChatCompletionClient,
  CreateOptions,
  CreateResult,
  FinishReason,
  FunctionCall,
  LLMMessage,
  ModelInfo,
  ModelPrice,
  RequestUsage,
} from "@autogen-ts/core";
import {
  BaseChatCompletionClient,
  costOf,
  isStructuredOutputSchema,
  isZodSchema,
  ModelError,
  parseStructuredOutput,
  resolveModelInfo,
  throwIfAborted,
  ValidationError,
  zodToJsonSchema,
} from "@autogen-ts/core";
import {
  HttpStatusError,
  type ModelLogger,
  type RetryOptions,
  redactingLogger,
  toModelError,
  withRetries,
} from "../_shared/index.js";

/** Options of {@link AiSdkChatCompletionClient}. */
export interface AiSdkClientOptions extends RetryOptions {
  /** The AI SDK model, such as `openai("gpt-4o")` or `anthropic("claude-sonnet-4-5")`. */
  readonly model: LanguageModelV3;
  /**
   * What the model can do. The AI SDK does not say, so without this the defaults for an unknown model
   * apply (tools and JSON yes, vision no) with a one-time warning.
   */
  readonly modelInfo?: Partial<ModelInfo>;
  /** The model's context size in tokens, for `remainingTokens()`; default 128,000. */
  readonly contextWindow?: number;
  /** The model's price in USD per million tokens, to fill in `costUsd`. */
  readonly price?: ModelPrice;
  /** `maxOutputTokens` of every call. */
  readonly maxOutputTokens?: number;
  /** Provider-specific options passed to every call (the AI SDK's `providerOptions`). */
  readonly providerOptions?: SharedV3ProviderOptions;
  /** Secret values (the provider's API key) to mask in errors and logs, besides the usual patterns. */
  readonly secrets?: readonly string[];
  /** Receives retry and failure records, with secrets already removed. */
  readonly logger?: ModelLogger;
}

/** Options of one call that `extraCreateArgs` may set, passed to the model as they are. */
const CALL_OPTION_KEYS = new Set([
  "maxOutputTokens",
  "temperature",
  "stopSequences",
  "topP",
  "topK",
  "presencePenalty",
  "frequencyPenalty",
  "seed",
  "headers",
  "providerOptions",
]);

function parseArguments(args: string): unknown {
  try {
    return JSON.parse(args.length === 0 ? "{}" : args);
  } catch {
    // Malformed arguments the model wrote go back as the text they were.
    return args;
  }
}

/** Converts autogen-ts messages to the AI SDK's prompt. */
export function toAiSdkPrompt(messages: readonly LLMMessage[], info: ModelInfo): LanguageModelV3Prompt {
  const names = new Map<string, string>();
  const out: LanguageModelV3Message[] = [];
  for (const m of messages) {
    switch (m.type) {
      case "SystemMessage":
        out.push({ role: "system", content: m.content });
        break;
      case "UserMessage": {
        const parts = typeof m.content === "string" ? [m.content] : m.content;
        out.push({
          role: "user",
          content: parts.map((p) => {
            if (typeof p === "string") return { type: "text" as const, text: p };
            if (!info.vision) {
              throw new ModelError("model_capability", `Model family ${info.family} does not accept images`);
            }
            if (p.data !== undefined)
              return { type: "file" as const, mediaType: p.mediaType ?? "image/png", data: p.data };
            const url = p.url ?? "";
            const dataUrl = /^data:([^;,]+);base64,(.*)$/s.exec(url);
            if (dataUrl)
              return { type: "file" as const, mediaType: dataUrl[1] ?? "image/png", data: dataUrl[2] ?? "" };
            return { type: "file" as const, mediaType: "image/*", data: new URL(url) };
          }),
        });
        break;
      }
      case "AssistantMessage":
        if (typeof m.content === "string") {
          out.push({ role: "assistant", content: [{ type: "text", text: m.content }] });
        } else {
          for (const c of m.content) names.set(c.id, c.name);
          out.push({
            role: "assistant",
            content: m.content.map((c) => ({
              type: "tool-call" as const,
              toolCallId: c.id,
              toolName: c.name,
              input: parseArguments(c.arguments),
            })),
          });
        }
        break;
      case "FunctionExecutionResultMessage":
        out.push({
          role: "tool",
          content: m.content.map((r) => ({
            type: "tool-result" as const,
            toolCallId: r.callId,
            toolName: r.name || names.get(r.callId) || "",
            output: { type: r.isError ? ("error-text" as const) : ("text" as const), value: r.content },
          })),
        });
        break;
    }
  }
  return out;
}

function toFinishReason(
  reason: LanguageModelV3FinishReason | string | undefined,
  hasCalls: boolean,
): FinishReason {
  if (hasCalls) return "function_calls";
  // Before spec v3 the reason was a bare string; accept both.
  const unified = typeof reason === "string" ? reason : reason?.unified;
  switch (unified) {
    case "stop":
      return "stop";
    case "length":
      return "length";
    case "content-filter":
      return "content_filter";
    case "tool-calls":
      return "function_calls";
    default:
      return "unknown";
  }
}

/** An AI SDK `APICallError` (status in `statusCode`, headers in `responseHeaders`) as the shared plumbing reads it. */
function normalizeError(e: unknown): unknown {
  const r = e as {
    statusCode?: unknown;
    responseHeaders?: unknown;
    responseBody?: unknown;
    message?: unknown;
  } | null;
  if (typeof r?.statusCode !== "number") return e;
  let body: unknown = { error: { message: typeof r.message === "string" ? r.message : "" } };
  if (typeof r.responseBody === "string") {
    try {
      body = JSON.parse(r.responseBody);
    } catch {
      body = { error: { message: r.responseBody } };
    }
  }
  const headers = new Headers();
  if (typeof r.responseHeaders === "object" && r.responseHeaders !== null) {
    for (const [k, v] of Object.entries(r.responseHeaders)) if (typeof v === "string") headers.set(k, v);
  }
  return new HttpStatusError(r.statusCode, headers, body);
}

/**
 * A {@link ChatCompletionClient} over any AI SDK `LanguageModelV3`.
 *
 * - Tool calls come back with the model's raw argument text; results go back as `tool-result` parts
 *   (`error-text` for failures).
 * - `jsonOutput: true` asks for JSON (`responseFormat: { type: "json" }`); a zod schema sends its JSON
 *   Schema and the reply is validated and returned as `parsed`.
 * - Reasoning parts come back as `thought`; usage counts cache reads and writes and reasoning tokens.
 * - Retries (429, 5xx, with `Retry-After`) and time limits follow the same policy as the other clients;
 *   cancellation goes to the model as its `abortSignal`.
 *
 * @example
 * ```ts
 * import { createOpenAI } from "@ai-sdk/openai";
 * const client = new AiSdkChatCompletionClient({
 *   model: createOpenAI()("gpt-4o"),
 *   modelInfo: { vision: true, functionCalling: true, jsonOutput: true, structuredOutput: true, family: "gpt-4o" },
 * });
 * ```
 */
export class AiSdkChatCompletionClient extends BaseChatCompletionClient {
  /** What the model can do. */
  readonly modelInfo: ModelInfo;
  /** The AI SDK model calls go to. */
  readonly model: LanguageModelV3;
  readonly #options: AiSdkClientOptions;
  readonly #retry: RetryOptions;
  protected readonly contextWindow: number;
  readonly #secrets: string[];
  readonly #log: ReturnType<typeof redactingLogger>;
  readonly #provider: string;

  constructor(options: AiSdkClientOptions) {
    super();
    this.contextWindow = options.contextWindow ?? 128_000;
    const model = options.model as { specificationVersion?: unknown };
    if (typeof options.model?.doGenerate !== "function" || model.specificationVersion !== "v3") {
      throw new ValidationError(
        "AiSdkChatCompletionClient needs an AI SDK LanguageModelV3 (a provider model such as openai('gpt-4o'))",
      );
    }
    this.model = options.model;
    this.#options = options;
    this.#provider = `AI SDK (${options.model.provider})`;
    this.modelInfo = resolveModelInfo(options.model.modelId, {}, options.modelInfo, {
      clientName: "AiSdkChatCompletionClient",
    });
    this.#retry = {
      ...(options.maxRetries !== undefined ? { maxRetries: options.maxRetries } : {}),
      ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
      ...(options.initialDelayMs !== undefined ? { initialDelayMs: options.initialDelayMs } : {}),
      ...(options.maxDelayMs !== undefined ? { maxDelayMs: options.maxDelayMs } : {}),
    };
    this.#secrets = [...(options.secrets ?? [])];
    this.#log = redactingLogger(options.logger, () => this.#secrets);
  }

  #call(
    messages: readonly LLMMessage[],
    options: CreateOptions,
  ): Omit<LanguageModelV3CallOptions, "abortSignal"> {
    const tools = options.tools ?? [];
    if (tools.length > 0 && !this.modelInfo.functionCalling) {
      throw new ModelError(
        "model_capability",
        `Model ${this.model.modelId} does not support function calling`,
      );
    }
    const call: {
      -readonly [K in keyof LanguageModelV3CallOptions]: LanguageModelV3CallOptions[K];
    } = { prompt: toAiSdkPrompt(messages, this.modelInfo) };
    if (tools.length > 0) {
      call.tools = tools.map((t) => ({
        type: "function" as const,
        name: t.name,
        ...(t.description ? { description: t.description } : {}),
        inputSchema: t.parameters as LanguageModelV3FunctionTool["inputSchema"],
        ...(t.strict ? { strict: true } : {}),
      }));
      const choice = options.toolChoice;
      if (choice === "auto" || choice === "none" || choice === "required") call.toolChoice = { type: choice };
      else if (choice) call.toolChoice = { type: "tool", toolName: choice.name };
    }
    const json = options.jsonOutput;
    if (isStructuredOutputSchema(json)) {
      if (!this.modelInfo.structuredOutput) {
        throw new ModelError(
          "model_capability",
          `Model ${this.model.modelId} does not support structured output`,
        );
      }
      if (!isZodSchema(json))
        throw new ValidationError("jsonOutput must be a zod schema (or `true` for JSON mode)");
      call.responseFormat = {
        type: "json",
        schema: zodToJsonSchema(json) as LanguageModelV3FunctionTool["inputSchema"],
        name: "output",
      };
    } else if (json === true) {
      if (!this.modelInfo.jsonOutput) {
        throw new ModelError("model_capability", `Model ${this.model.modelId} does not support JSON output`);
      }
      call.responseFormat = { type: "json" };
    }
    if (this.#options.maxOutputTokens !== undefined) call.maxOutputTokens = this.#options.maxOutputTokens;
    if (this.#options.providerOptions) call.providerOptions = this.#options.providerOptions;
    for (const [key, value] of Object.entries(options.extraCreateArgs ?? {})) {
      if (!CALL_OPTION_KEYS.has(key)) {
        throw new ValidationError(
          `extraCreateArgs.${key} is not an AI SDK call option; provider-specific settings go in providerOptions`,
        );
      }
      (call as Record<string, unknown>)[key] = value;
    }
    return call;
  }

  #context(signal: AbortSignal | undefined) {
    return {
      provider: this.#provider,
      signal,
      secrets: this.#secrets,
      onRetry: (r: { attempt: number; delayMs: number; status: number | undefined; reason: string }) =>
        this.#log("warn", `retrying after ${r.delayMs} ms: ${r.reason}`, {
          provider: this.model.provider,
          model: this.model.modelId,
          attempt: r.attempt,
          status: r.status,
        }),
    };
  }

  #usageOf(u: LanguageModelV3Usage | undefined): RequestUsage {
    const cached = u?.inputTokens.cacheRead;
    const written = u?.inputTokens.cacheWrite;
    const reasoning = u?.outputTokens.reasoning;
    const usage: RequestUsage = {
      promptTokens: u?.inputTokens.total ?? 0,
      completionTokens: u?.outputTokens.total ?? 0,
      ...(cached ? { cachedPromptTokens: cached } : {}),
      ...(written ? { cacheCreationTokens: written } : {}),
      ...(reasoning ? { reasoningTokens: reasoning } : {}),
    };
    return this.#options.price ? { ...usage, costUsd: costOf(usage, this.#options.price) } : usage;
  }

  #result(
    text: string,
    thought: string,
    calls: FunctionCall[],
    finish: LanguageModelV3FinishReason | undefined,
    u: LanguageModelV3Usage | undefined,
    options: CreateOptions,
  ): CreateResult {
    const usage = this.#usageOf(u);
    this.usage.record(usage);
    const extra = thought.length > 0 ? { thought } : {};
    if (calls.length > 0)
      return { finishReason: "function_calls", content: calls, usage, cached: false, ...extra };
    const parsed = isStructuredOutputSchema(options.jsonOutput)
      ? { parsed: parseStructuredOutput(text, options.jsonOutput) }
      : {};
    return {
      finishReason: toFinishReason(finish, false),
      content: text,
      usage,
      cached: false,
      ...extra,
      ...parsed,
    };
  }

  /** One completion, through the model's `doGenerate`. */
  async create(messages: readonly LLMMessage[], options: CreateOptions = {}): Promise<CreateResult> {
    throwIfAborted(options.signal);
    const call = this.#call(messages, options);
    const { value, release } = await withRetries(
      async (signal) => {
        try {
          return await this.model.doGenerate({ ...call, abortSignal: signal });
        } catch (e) {
          throw normalizeError(e);
        }
      },
      this.#retry,
      this.#context(options.signal),
    );
    release();
    const texts: string[] = [];
    const thoughts: string[] = [];
    const calls: FunctionCall[] = [];
    for (const part of value.content) {
      if (part.type === "text") texts.push(part.text);
      else if (part.type === "reasoning") thoughts.push(part.text);
      else if (part.type === "tool-call" && !part.providerExecuted) {
        calls.push({ id: part.toolCallId, name: part.toolName, arguments: part.input });
      }
    }
    return this.#result(texts.join(""), thoughts.join("\n"), calls, value.finishReason, value.usage, options);
  }

  /** A streamed completion, through the model's `doStream`: text deltas, then one {@link CreateResult}. */
  async *createStream(
    messages: readonly LLMMessage[],
    options: CreateOptions = {},
  ): AsyncGenerator<string | CreateResult, void, undefined> {
    throwIfAborted(options.signal);
    const call = this.#call(messages, options);
    const { value, signal, release } = await withRetries(
      async (s) => {
        try {
          return await this.model.doStream({ ...call, abortSignal: s });
        } catch (e) {
          throw normalizeError(e);
        }
      },
      this.#retry,
      this.#context(options.signal),
    );
    const reader = value.stream.getReader();
    const mapError = (e: unknown) =>
      toModelError(normalizeError(e), {
        provider: this.#provider,
        secrets: this.#secrets,
        signal: options.signal,
        timedOut: signal.aborted && !options.signal?.aborted,
      });
    let text = "";
    let thought = "";
    const calls: FunctionCall[] = [];
    // Tool inputs streamed as deltas, for providers that end without a complete `tool-call` part.
    const pending = new Map<string, { name: string; input: string }>();
    let finish: LanguageModelV3FinishReason | undefined;
    let usage: LanguageModelV3Usage | undefined;
    try {
      for (;;) {
        let read: ReadableStreamReadResult<LanguageModelV3StreamPart>;
        try {
          read = await reader.read();
        } catch (e) {
          throw mapError(e);
        }
        if (read.done) break;
        const part = read.value;
        switch (part.type) {
          case "text-delta":
            if (part.delta.length > 0) {
              text += part.delta;
              yield part.delta;
            }
            break;
          case "reasoning-delta":
            thought += part.delta;
            break;
          case "tool-input-start":
            if (!part.providerExecuted) pending.set(part.id, { name: part.toolName, input: "" });
            break;
          case "tool-input-delta": {
            const p = pending.get(part.id);
            if (p) p.input += part.delta;
            break;
          }
          case "tool-call":
            if (!part.providerExecuted) {
              pending.delete(part.toolCallId);
              calls.push({ id: part.toolCallId, name: part.toolName, arguments: part.input });
            }
            break;
          case "finish":
            finish = part.finishReason;
            usage = part.usage;
            break;
          case "error":
            throw mapError(part.error);
        }
      }
      throwIfAborted(options.signal);
      for (const [id, p] of pending) calls.push({ id, name: p.name, arguments: p.input });
      yield this.#result(text, thought, calls, finish, usage, options);
    } finally {
      release();
      // Stops the provider's stream (and its HTTP connection) when the consumer stopped early.
      await reader.cancel().catch(() => {});
    }
  }

  /** A description safe to log: provider and model id. */
  toJSON(): Record<string, unknown> {
    return { provider: this.model.provider, model: this.model.modelId };
  }
}
