/**
 * `AiSdkChatCompletionClient`: any Vercel AI SDK language model (the `LanguageModelV3` specification of
 * `@ai-sdk/provider`) as an autogen-ts {@link ChatCompletionClient}, called through the model's own
 * `doGenerate` and `doStream`, so that every provider the AI SDK has works with autogen-ts agents.
 */
import type {
  LanguageModelV3,
  LanguageModelV3CallOptions,
  LanguageModelV3FilePart,
  LanguageModelV3FinishReason,
  LanguageModelV3FunctionTool,
  LanguageModelV3Message,
  LanguageModelV3Prompt,
  LanguageModelV3StreamPart,
  LanguageModelV3TextPart,
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
  RequestUsage,
} from "@autogen-ts/core";
import {
  BaseChatCompletionClient,
  isStructuredOutputSchema,
  isZodSchema,
  ValidationError,
  zodToJsonSchema,
} from "@autogen-ts/core";
import {
  convertMessages,
  HttpStatusError,
  ModelClientKit,
  type ModelClientOptions,
  parseDataUrl,
  userParts,
} from "../_shared/index.js";

/** Options of {@link AiSdkChatCompletionClient}. */
export interface AiSdkChatCompletionClientOptions extends ModelClientOptions {
  /** The AI SDK model, such as `openai("gpt-4o")` or `anthropic("claude-sonnet-4-5")`. */
  readonly model: LanguageModelV3;
  /**
   * What the model can do. The AI SDK does not say, so without this the defaults for an unknown model
   * apply (tools and JSON yes, vision no) with a one-time warning.
   */
  readonly modelInfo?: Partial<ModelInfo>;
  /** The model's context size in tokens, for `remainingTokens()`; default 128,000. */
  readonly contextWindow?: number;
  /** `maxOutputTokens` of every call. */
  readonly maxOutputTokens?: number;
  /** Provider-specific options passed to every call (the AI SDK's `providerOptions`). */
  readonly providerOptions?: SharedV3ProviderOptions;
  /** Secret values (the provider's API key) to mask in errors and logs, besides the usual patterns. */
  readonly secrets?: readonly string[];
}

/** @deprecated Use {@link AiSdkChatCompletionClientOptions}. */
export type AiSdkClientOptions = AiSdkChatCompletionClientOptions;

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
  // A tool result may come without its tool's name; the AI SDK wants it, so it is taken from the call.
  const names = new Map<string, string>();
  return convertMessages<LanguageModelV3Message>(messages, {
    system: (content) => ({ role: "system", content }),
    user: (m) => ({
      role: "user",
      content: userParts<LanguageModelV3TextPart | LanguageModelV3FilePart>(
        m,
        info,
        (text) => ({ type: "text" as const, text }),
        (p) => {
          if (p.data !== undefined)
            return { type: "file" as const, mediaType: p.mediaType ?? "image/png", data: p.data };
          const dataUrl = parseDataUrl(p.url);
          if (dataUrl) return { type: "file" as const, ...dataUrl };
          return { type: "file" as const, mediaType: "image/*", data: new URL(p.url ?? "") };
        },
      ),
    }),
    assistantText: (text) => ({ role: "assistant", content: [{ type: "text", text }] }),
    toolCalls: (calls) => {
      for (const c of calls) names.set(c.id, c.name);
      return {
        role: "assistant",
        content: calls.map((c) => ({
          type: "tool-call" as const,
          toolCallId: c.id,
          toolName: c.name,
          input: parseArguments(c.arguments),
        })),
      };
    },
    toolResults: (results) => ({
      role: "tool",
      content: results.map((r) => ({
        type: "tool-result" as const,
        toolCallId: r.callId,
        toolName: r.name || names.get(r.callId) || "",
        output: { type: r.isError ? ("error-text" as const) : ("text" as const), value: r.content },
      })),
    }),
  });
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

/** The content type among a provider response's headers (a plain record, names in any case). */
function contentTypeOf(
  headers: Readonly<Record<string, string | undefined>> | undefined,
): string | undefined {
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (name.toLowerCase() === "content-type") return value;
  }
  return undefined;
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
  readonly #options: AiSdkChatCompletionClientOptions;
  readonly #kit: ModelClientKit;
  protected readonly contextWindow: number;

  constructor(options: AiSdkChatCompletionClientOptions) {
    super();
    const model = options.model as { specificationVersion?: unknown } | undefined;
    if (typeof options.model?.doGenerate !== "function" || model?.specificationVersion !== "v3") {
      throw new ValidationError(
        "AiSdkChatCompletionClient needs an AI SDK LanguageModelV3 (a provider model such as openai('gpt-4o'))",
        { code: "invalid_config" },
      );
    }
    this.model = options.model;
    this.#options = options;
    // The AI SDK model holds its own key and endpoint; the kit gets neither, only secrets to mask.
    const { model: _model, secrets, ...common } = options;
    this.#kit = new ModelClientKit(common, {
      provider: `AI SDK (${options.model.provider})`,
      clientName: "AiSdkChatCompletionClient",
      model: options.model.modelId,
      catalog: { models: {}, defaultContextWindow: 128_000 },
      secrets: secrets ?? [],
    });
    this.modelInfo = this.#kit.modelInfo;
    this.contextWindow = this.#kit.contextWindow;
  }

  #call(
    messages: readonly LLMMessage[],
    options: CreateOptions,
  ): Omit<LanguageModelV3CallOptions, "abortSignal"> {
    this.#kit.check(messages, options);
    const tools = options.tools ?? [];
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
      if (!isZodSchema(json))
        throw new ValidationError("jsonOutput must be a zod schema (or `true` for JSON mode)");
      call.responseFormat = {
        type: "json",
        schema: zodToJsonSchema(json) as LanguageModelV3FunctionTool["inputSchema"],
        name: "output",
      };
    } else if (json === true) {
      call.responseFormat = { type: "json" };
    }
    if (this.#options.maxOutputTokens !== undefined) call.maxOutputTokens = this.#options.maxOutputTokens;
    if (this.#options.providerOptions) call.providerOptions = this.#options.providerOptions;
    for (const [key, value] of Object.entries(this.#kit.extraArgs(options))) {
      if (!CALL_OPTION_KEYS.has(key)) {
        throw new ValidationError(
          `extraCreateArgs.${key} is not an AI SDK call option; provider-specific settings go in providerOptions`,
        );
      }
      (call as Record<string, unknown>)[key] = value;
    }
    return call;
  }

  #usageOf(u: LanguageModelV3Usage | undefined): RequestUsage {
    const cached = u?.inputTokens.cacheRead;
    const written = u?.inputTokens.cacheWrite;
    const reasoning = u?.outputTokens.reasoning;
    return {
      promptTokens: u?.inputTokens.total ?? 0,
      completionTokens: u?.outputTokens.total ?? 0,
      ...(cached ? { cachedPromptTokens: cached } : {}),
      ...(written ? { cacheCreationTokens: written } : {}),
      ...(reasoning ? { reasoningTokens: reasoning } : {}),
    };
  }

  #result(
    text: string,
    thought: string,
    calls: FunctionCall[],
    finish: LanguageModelV3FinishReason | undefined,
    u: LanguageModelV3Usage | undefined,
    options: CreateOptions,
  ): CreateResult {
    const parts = {
      text,
      thought,
      calls,
      finishReason: toFinishReason(finish, false),
      usage: this.#usageOf(u),
    };
    return this.#kit.result(this.usage, parts, options);
  }

  /** One completion, through the model's `doGenerate`. */
  async create(messages: readonly LLMMessage[], options: CreateOptions = {}): Promise<CreateResult> {
    const call = this.#call(messages, options);
    const { value, release } = await this.#kit.request(async (signal) => {
      try {
        return await this.model.doGenerate({ ...call, abortSignal: signal });
      } catch (e) {
        throw normalizeError(e);
      }
    }, options.signal);
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
    const call = this.#call(messages, options);
    const { value, signal, release } = await this.#kit.request(async (s) => {
      try {
        return await this.model.doStream({ ...call, abortSignal: s });
      } catch (e) {
        throw normalizeError(e);
      }
    }, options.signal);
    const reader = value.stream.getReader();
    try {
      // A provider reads a JSON or HTML 200 as a stream with no parts and a `finish`: an empty success.
      this.#kit.checkStreamContentType(contentTypeOf(value.response?.headers));
    } catch (error) {
      release();
      await reader.cancel().catch(() => {});
      throw error;
    }
    const mapError = (e: unknown) => this.#kit.streamError(normalizeError(e), options.signal, signal);
    let text = "";
    let thought = "";
    const calls: FunctionCall[] = [];
    // Tool inputs streamed as deltas, for providers that end without a complete `tool-call` part.
    const pending = new Map<string, { name: string; input: string }>();
    let finish: LanguageModelV3FinishReason | undefined;
    let finished = false;
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
            finished = true;
            finish = part.finishReason;
            usage = part.usage;
            break;
          case "error":
            throw mapError(part.error);
        }
      }
      // Every AI SDK provider ends a whole stream with a `finish` part; without one it was cut short.
      this.#kit.endStream(finished, options.signal, signal, { receivedChars: text.length });
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
