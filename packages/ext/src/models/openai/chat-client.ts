/**
 * `OpenAIChatCompletionClient` and `AzureOpenAIChatCompletionClient`: the Chat Completions API through
 * the official `openai` SDK, for OpenAI, Azure OpenAI and any OpenAI-compatible endpoint.
 */
import {
  BaseChatCompletionClient,
  type ChatCompletionClient,
  type CreateOptions,
  type CreateResult,
  type FunctionCall,
  type LLMMessage,
  type ModelInfo,
  type RequestUsage,
  toCancelledError,
} from "@autogen-ts/core";
import type OpenAI from "openai";
import { AzureOpenAI } from "openai";
import type {
  ChatCompletion,
  ChatCompletionChunk,
  ChatCompletionCreateParamsNonStreaming,
  ChatCompletionCreateParamsStreaming,
} from "openai/resources/chat/completions";
import type { CompletionUsage } from "openai/resources/completions";
import { estimateUsage, MODEL_ENV, type ModelClientKit, readEnv, redactUrl } from "../_shared/index.js";
import {
  buildSdk,
  checkRefusal,
  createOpenAISdk,
  hasArray,
  type OpenAIBaseOptions,
  openAIKit,
  openAIUsage,
} from "./common.js";
import {
  parseOutput,
  splitThink,
  toChatMessages,
  toChatToolChoice,
  toChatTools,
  toFinishReason,
  toFunctionCalls,
  toResponseFormat,
} from "./convert.js";

/** Options of {@link OpenAIChatCompletionClient}. */
export interface OpenAIChatCompletionClientOptions extends OpenAIBaseOptions {
  /**
   * Ask for the usage chunk at the end of a stream (`stream_options.include_usage`, default true).
   * Turn off for a compatible server that rejects the option; usage is then estimated.
   */
  readonly includeUsageInStream?: boolean;
}

/** Options of {@link AzureOpenAIChatCompletionClient}. */
export interface AzureOpenAIChatCompletionClientOptions
  extends Omit<OpenAIChatCompletionClientOptions, "baseURL"> {
  /** `https://<resource>.openai.azure.com` (default `AZURE_OPENAI_ENDPOINT`). */
  readonly endpoint?: string;
  /** The deployment name (default: the model name). */
  readonly deployment?: string;
  /** The API version (default `OPENAI_API_VERSION`, else the SDK's). */
  readonly apiVersion?: string;
  /** Microsoft Entra ID tokens instead of a key. */
  readonly azureADTokenProvider?: () => Promise<string>;
  /** A full base URL instead of `endpoint` + deployment. */
  readonly baseURL?: string;
}

interface PendingCall {
  id: string;
  name: string;
  arguments: string;
}

type Params = Omit<ChatCompletionCreateParamsNonStreaming, "stream">;

/** Usage from OpenAI's counters, with cached and reasoning tokens where reported. */
export function usageFromChat(u: CompletionUsage | null | undefined): RequestUsage | undefined {
  if (!u) return undefined;
  const { cached_tokens: cached } = u.prompt_tokens_details ?? {};
  const { reasoning_tokens: reasoning } = u.completion_tokens_details ?? {};
  return openAIUsage(u.prompt_tokens, u.completion_tokens, cached, reasoning);
}

/**
 * A {@link ChatCompletionClient} over OpenAI's Chat Completions API.
 *
 * @example
 * ```ts
 * const model = new OpenAIChatCompletionClient({ model: "gpt-4o-mini" }); // key from OPENAI_API_KEY
 * const local = new OpenAIChatCompletionClient({ model: "qwen3", baseURL: "http://localhost:11434/v1" });
 * ```
 */
export class OpenAIChatCompletionClient extends BaseChatCompletionClient {
  /** What the model can do (the built-in table, your override, or defaults for an unknown model). */
  readonly modelInfo: ModelInfo;
  /** The model name. */
  readonly model: string;

  /** The endpoint the client sends to, with any credentials in the URL removed. */
  get baseURL(): string {
    return redactUrl(this.#sdk.baseURL);
  }

  /** A description safe to log: the model and endpoint, never the key. */
  toJSON(): Record<string, unknown> {
    return { provider: "openai", model: this.model, baseURL: this.baseURL };
  }
  readonly #kit: ModelClientKit;
  readonly #sdk: OpenAI;
  protected readonly contextWindow: number;
  readonly #includeUsage: boolean;

  constructor(options: OpenAIChatCompletionClientOptions) {
    super();
    const kit = openAIKit(options, new.target.name, () => this.#sdk);
    this.#kit = kit;
    this.#sdk = buildSdk(kit, () => this.createSdk(options, kit));
    this.model = kit.model;
    this.contextWindow = kit.contextWindow;
    this.modelInfo = kit.modelInfo;
    this.#includeUsage = options.includeUsageInStream ?? true;
  }

  /** Makes the SDK client (Azure overrides this). Runs inside the constructor. */
  protected createSdk(options: OpenAIChatCompletionClientOptions, kit: ModelClientKit): OpenAI {
    return createOpenAISdk(kit, options);
  }

  #params(messages: readonly LLMMessage[], options: CreateOptions): Params {
    this.#kit.check(messages, options);
    const params: Record<string, unknown> = { model: this.model, messages: toChatMessages(messages) };
    if (options.tools?.length) {
      params.tools = toChatTools(options.tools);
      if (options.toolChoice) params.tool_choice = toChatToolChoice(options.toolChoice);
    }
    const format = toResponseFormat(options.jsonOutput);
    if (format) params.response_format = format;
    return { ...params, ...this.#kit.extraArgs(options) } as unknown as Params;
  }

  #finish(
    content: string,
    calls: FunctionCall[],
    finish: string | null | undefined,
    usage: RequestUsage,
    reasoning: string | undefined,
    refusal: string | null | undefined,
    options: CreateOptions,
  ): CreateResult {
    const think = splitThink(content);
    const thought = reasoning || think.thought;
    if (calls.length === 0 && refusal) {
      checkRefusal(refusal, options);
      const parts = { text: refusal, calls, finishReason: "content_filter" as const, usage };
      return this.#kit.result(this.usage, parts, options);
    }
    return this.#kit.result(
      this.usage,
      {
        text: think.content,
        calls,
        thought,
        finishReason: toFinishReason(finish, false),
        usage,
        parse: parseOutput,
      },
      options,
    );
  }

  /** One completion. */
  async create(messages: readonly LLMMessage[], options: CreateOptions = {}): Promise<CreateResult> {
    const params = this.#params(messages, options);
    const { value: completion, release } = await this.#kit.request(
      (signal) => this.#sdk.chat.completions.create({ ...params, stream: false }, { signal, maxRetries: 0 }),
      options.signal,
    );
    release();
    // A 200 that is not JSON (a proxy's HTML page) comes back from the SDK as text.
    if (!hasArray(completion, "choices")) throw this.#kit.unexpected("a chat completion", completion);
    const choice = (completion as ChatCompletion).choices[0];
    if (!choice) throw this.#kit.unexpected("a chat completion with a choice", completion);
    const message = choice.message as ChatCompletion.Choice["message"] & {
      reasoning_content?: string | null;
      reasoning?: string | null;
    };
    const calls = toFunctionCalls(
      (message.tool_calls ?? []).filter((c) => c.type === "function") as {
        id: string;
        function: { name: string; arguments: string };
      }[],
    );
    const usage =
      usageFromChat(completion.usage) ?? this.#estimate(messages, options, message.content ?? "", calls);
    return this.#finish(
      message.content ?? "",
      calls,
      choice.finish_reason,
      usage,
      message.reasoning_content ?? message.reasoning ?? undefined,
      message.refusal,
      options,
    );
  }

  /** A streamed completion: content chunks, then one final result with usage. */
  async *createStream(
    messages: readonly LLMMessage[],
    options: CreateOptions = {},
  ): AsyncGenerator<string | CreateResult> {
    const params = {
      ...this.#params(messages, options),
      stream: true,
      ...(this.#includeUsage ? { stream_options: { include_usage: true } } : {}),
    } as ChatCompletionCreateParamsStreaming;
    const {
      value: stream,
      signal,
      release,
    } = await this.#kit.request(
      (attemptSignal) => this.#sdk.chat.completions.create(params, { signal: attemptSignal, maxRetries: 0 }),
      options.signal,
    );
    let content = "";
    let reasoning = "";
    let refusal = "";
    let finish: string | null | undefined;
    let usage: RequestUsage | undefined;
    const calls = new Map<number, PendingCall>();
    try {
      for await (const chunk of stream as AsyncIterable<ChatCompletionChunk>) {
        if (options.signal?.aborted) throw toCancelledError(options.signal.reason);
        if (chunk.usage) usage = usageFromChat(chunk.usage);
        const choice = chunk.choices[0];
        if (!choice) continue;
        const delta = choice.delta as ChatCompletionChunk.Choice.Delta & {
          reasoning_content?: string | null;
          reasoning?: string | null;
        };
        const thinking = delta.reasoning_content ?? delta.reasoning;
        if (thinking) reasoning += thinking;
        if (delta.refusal) refusal += delta.refusal;
        if (delta.content) {
          content += delta.content;
          yield delta.content;
        }
        for (const tc of delta.tool_calls ?? []) {
          let pending = calls.get(tc.index);
          if (!pending) {
            pending = { id: "", name: "", arguments: "" };
            calls.set(tc.index, pending);
          }
          if (tc.id) pending.id = tc.id;
          if (tc.function?.name) pending.name += tc.function.name;
          if (tc.function?.arguments) pending.arguments += tc.function.arguments;
        }
        if (choice.finish_reason) finish = choice.finish_reason;
      }
    } catch (error) {
      throw this.#kit.streamError(error, options.signal, signal);
    } finally {
      release();
    }
    this.#kit.endStream(Boolean(finish), options.signal, signal, { receivedChars: content.length });
    const functionCalls = [...calls.entries()]
      .sort(([a], [b]) => a - b)
      .map(([i, c]) => ({ id: c.id || `call_${i}`, name: c.name, arguments: c.arguments }));
    yield this.#finish(
      content,
      functionCalls,
      finish,
      usage ?? this.#estimate(messages, options, content, functionCalls),
      reasoning || undefined,
      refusal || undefined,
      options,
    );
  }

  #estimate(
    messages: readonly LLMMessage[],
    options: CreateOptions,
    text: string,
    calls: FunctionCall[],
  ): RequestUsage {
    return estimateUsage((m, o) => this.countTokens(m, o), messages, options, text, calls);
  }
}

/**
 * The Chat Completions client for Azure OpenAI: a deployment on an Azure resource, with a key
 * (`AZURE_OPENAI_API_KEY`) or Microsoft Entra ID tokens.
 */
export class AzureOpenAIChatCompletionClient extends OpenAIChatCompletionClient {
  constructor(options: AzureOpenAIChatCompletionClientOptions) {
    super(options);
  }

  protected override createSdk(base: OpenAIChatCompletionClientOptions, kit: ModelClientKit): OpenAI {
    const options = base as AzureOpenAIChatCompletionClientOptions;
    // With Entra ID tokens the key variable is not read: the SDK refuses a key and a token provider.
    const key = options.apiKey ?? (options.azureADTokenProvider ? undefined : kit.apiKey);
    const headers = kit.options.headers;
    return new AzureOpenAI({
      ...(key !== undefined ? { apiKey: key } : {}),
      ...(options.azureADTokenProvider ? { azureADTokenProvider: options.azureADTokenProvider } : {}),
      ...(options.baseURL
        ? { baseURL: options.baseURL }
        : {
            endpoint: options.endpoint ?? readEnv(MODEL_ENV.azure.endpoint),
            deployment: options.deployment ?? options.model,
          }),
      apiVersion: options.apiVersion ?? readEnv(MODEL_ENV.azure.apiVersion) ?? "2024-10-21",
      maxRetries: 0,
      timeout: kit.retry.timeoutMs,
      ...(headers ? { defaultHeaders: { ...headers } } : {}),
    });
  }
}
