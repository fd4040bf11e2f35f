/**
 * `OllamaChatCompletionClient`: the autogen-ts model client over Ollama's native `/api/chat`.
 *
 * It speaks HTTP with `fetch` rather than through the `ollama` npm package: that package cancels through
 * a per-client `abort()` instead of a per-call `AbortSignal`, and its errors drop the response headers
 * (so `Retry-After` from a proxy in front of Ollama would be lost). The wire format is small (one JSON
 * request, NDJSON back), so owning it costs little and adds no dependency.
 */
import type {
  ChatCompletionClient,
  CreateOptions,
  CreateResult,
  FinishReason,
  FunctionCall,
  Image,
  LLMMessage,
  ModelInfo,
  RequestUsage,
} from "@autogen-ts/core";
import {
  BaseChatCompletionClient,
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
  redactUrl,
  toModelError,
  withRetries,
} from "../_shared/index.js";
import { OLLAMA_MODELS } from "./models.js";

/** Options of {@link OllamaChatCompletionClient}. */
export interface OllamaClientOptions extends RetryOptions {
  /** The model name, with or without a tag (`llama3.2`, `qwen3:8b`). */
  readonly model: string;
  /** Where Ollama listens; defaults to `OLLAMA_HOST`, else `http://127.0.0.1:11434`. */
  readonly host?: string;
  /** A bearer token, for Ollama behind an authenticating proxy or a hosted Ollama (never logged). */
  readonly apiKey?: string;
  /** Extra HTTP headers sent with every request (never logged). */
  readonly headers?: Readonly<Record<string, string>>;
  /** Overrides (some of) the known-models table's capabilities, or describes an unknown model. */
  readonly modelInfo?: Partial<ModelInfo>;
  /** The context size in tokens, for `remainingTokens()` (Ollama's `num_ctx`); default 8192. */
  readonly contextWindow?: number;
  /** Ollama's `options` (temperature, num_ctx, seed, ...), sent with every request. */
  readonly modelOptions?: Readonly<Record<string, unknown>>;
  /** Ask a thinking model to think (`true`, or a level for models that take one); returned as `thought`. */
  readonly think?: boolean | "low" | "medium" | "high";
  /** How long Ollama keeps the model loaded after a request (`"5m"`, seconds, `-1` for ever). */
  readonly keepAlive?: string | number;
  /** Receives retry and failure records, with secrets already removed. */
  readonly logger?: ModelLogger;
}

interface OllamaToolCall {
  id?: string;
  function: { name: string; arguments: unknown; index?: number };
}

interface OllamaMessage {
  role: "system" | "user" | "assistant" | "tool";
  content: string;
  images?: string[];
  tool_calls?: OllamaToolCall[];
  tool_name?: string;
  thinking?: string;
}

interface OllamaChunk {
  message?: { content?: string; thinking?: string; tool_calls?: OllamaToolCall[] };
  done?: boolean;
  done_reason?: string;
  prompt_eval_count?: number;
  eval_count?: number;
  error?: string;
}

/** The base64 data of an image (Ollama takes no URLs: fetching one is left to the caller). */
function imageData(image: Image): string {
  if (image.data !== undefined) return image.data;
  const dataUrl = /^data:[^;,]+;base64,(.*)$/s.exec(image.url ?? "");
  if (dataUrl) return dataUrl[1] ?? "";
  throw new ModelError(
    "model_capability",
    "Ollama accepts images as base64 data only; download the image and pass its bytes as `data`",
  );
}

/** The arguments object Ollama wants back for a call; text that is not a JSON object goes as `{ raw }`. */
function argumentsObject(args: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(args.length === 0 ? "{}" : args);
    if (typeof value === "object" && value !== null && !Array.isArray(value))
      return value as Record<string, unknown>;
  } catch {
    // fall through
  }
  return { raw: args };
}

/** Converts autogen-ts messages to Ollama's chat messages. */
export function toOllamaMessages(messages: readonly LLMMessage[], info: ModelInfo): OllamaMessage[] {
  const out: OllamaMessage[] = [];
  for (const m of messages) {
    switch (m.type) {
      case "SystemMessage":
        out.push({ role: "system", content: m.content });
        break;
      case "UserMessage": {
        if (typeof m.content === "string") {
          out.push({ role: "user", content: m.content });
          break;
        }
        const texts: string[] = [];
        const images: string[] = [];
        for (const part of m.content) {
          if (typeof part === "string") texts.push(part);
          else {
            if (!info.vision) {
              throw new ModelError("model_capability", `Model family ${info.family} does not accept images`);
            }
            images.push(imageData(part));
          }
        }
        out.push({ role: "user", content: texts.join("\n"), ...(images.length > 0 ? { images } : {}) });
        break;
      }
      case "AssistantMessage":
        if (typeof m.content === "string") {
          out.push({ role: "assistant", content: m.content });
        } else {
          out.push({
            role: "assistant",
            content: "",
            tool_calls: m.content.map((c) => ({
              function: { name: c.name, arguments: argumentsObject(c.arguments) },
            })),
          });
        }
        break;
      case "FunctionExecutionResultMessage":
        for (const r of m.content) out.push({ role: "tool", content: r.content, tool_name: r.name });
        break;
    }
  }
  return out;
}

function finishReason(reason: string | undefined, hasCalls: boolean): FinishReason {
  if (hasCalls) return "function_calls";
  if (reason === "stop") return "stop";
  if (reason === "length") return "length";
  return reason === undefined ? "unknown" : "stop";
}

/**
 * A {@link ChatCompletionClient} for models served by Ollama, over its native `/api/chat`.
 *
 * - Tools go as Ollama `tools`; a tool call's arguments (an object on the wire) come back as JSON text,
 *   and arguments the server could not parse as an object are passed through as the raw text.
 * - `jsonOutput: true` sends `format: "json"`; a zod schema sends its JSON Schema as `format`, and the
 *   reply is validated and returned as `parsed`.
 * - `think` asks thinking models for their reasoning, returned as `thought`.
 * - Usage comes from `prompt_eval_count` and `eval_count`. Local models have no price, so no cost.
 *
 * @example
 * ```ts
 * const client = new OllamaChatCompletionClient({ model: "llama3.2" });
 * for await (const chunk of client.createStream([{ type: "UserMessage", content: "Hi", source: "user" }])) {
 *   if (typeof chunk === "string") process.stdout.write(chunk);
 * }
 * ```
 */
export class OllamaChatCompletionClient extends BaseChatCompletionClient {
  /** What the model can do. */
  readonly modelInfo: ModelInfo;
  /** The model name requests are sent for. */
  readonly model: string;
  readonly #url: string;
  readonly #headers: Record<string, string>;
  readonly #secrets: string[];
  readonly #retry: RetryOptions;
  protected readonly contextWindow: number;
  readonly #options: OllamaClientOptions;
  readonly #log: ReturnType<typeof redactingLogger>;

  constructor(options: OllamaClientOptions) {
    super();
    this.model = options.model;
    this.#options = options;
    this.modelInfo = resolveModelInfo(options.model, OLLAMA_MODELS, options.modelInfo, {
      clientName: "OllamaChatCompletionClient",
    });
    let host = options.host ?? process.env.OLLAMA_HOST ?? "http://127.0.0.1:11434";
    if (!/^https?:\/\//.test(host)) host = `http://${host}`;
    this.#url = `${host.replace(/\/+$/, "")}/api/chat`;
    this.#headers = {
      "content-type": "application/json",
      ...(options.headers ?? {}),
      ...(options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {}),
    };
    this.#secrets = [options.apiKey, ...Object.values(options.headers ?? {})].filter(
      (s): s is string => typeof s === "string" && s.length > 0,
    );
    this.#retry = {
      ...(options.maxRetries !== undefined ? { maxRetries: options.maxRetries } : {}),
      ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
      ...(options.initialDelayMs !== undefined ? { initialDelayMs: options.initialDelayMs } : {}),
      ...(options.maxDelayMs !== undefined ? { maxDelayMs: options.maxDelayMs } : {}),
    };
    this.contextWindow = options.contextWindow ?? 8192;
    this.#log = redactingLogger(options.logger, () => this.#secrets);
  }

  #body(messages: readonly LLMMessage[], options: CreateOptions, stream: boolean): Record<string, unknown> {
    const tools = options.tools ?? [];
    if (tools.length > 0 && !this.modelInfo.functionCalling) {
      throw new ModelError("model_capability", `Model ${this.model} does not support function calling`);
    }
    const body: Record<string, unknown> = {
      model: this.model,
      messages: toOllamaMessages(messages, this.modelInfo),
      stream,
    };
    // Ollama has no tool_choice: "none" is honoured by not offering the tools.
    if (tools.length > 0 && options.toolChoice !== "none") {
      body.tools = tools.map((t) => ({
        type: "function",
        function: { name: t.name, description: t.description ?? "", parameters: t.parameters },
      }));
    }
    const json = options.jsonOutput;
    if (isStructuredOutputSchema(json)) {
      if (!isZodSchema(json))
        throw new ValidationError("jsonOutput must be a zod schema (or `true` for JSON mode)");
      body.format = zodToJsonSchema(json);
    } else if (json === true) {
      body.format = "json";
    }
    const o = this.#options;
    if (o.think !== undefined) body.think = o.think;
    if (o.keepAlive !== undefined) body.keep_alive = o.keepAlive;
    if (o.modelOptions) body.options = { ...o.modelOptions };
    Object.assign(body, options.extraCreateArgs ?? {});
    return body;
  }

  #context(signal: AbortSignal | undefined) {
    return {
      provider: "Ollama",
      signal,
      secrets: this.#secrets,
      onRetry: (r: { attempt: number; delayMs: number; status: number | undefined; reason: string }) =>
        this.#log("warn", `retrying after ${r.delayMs} ms: ${r.reason}`, {
          provider: "ollama",
          model: this.model,
          url: redactUrl(this.#url),
          attempt: r.attempt,
          status: r.status,
        }),
    };
  }

  async #post(body: Record<string, unknown>, signal: AbortSignal | undefined) {
    const text = JSON.stringify(body);
    return withRetries(
      async (s) =>
        HttpStatusError.check(
          await fetch(this.#url, { method: "POST", headers: this.#headers, body: text, signal: s }),
        ),
      this.#retry,
      this.#context(signal),
    );
  }

  #result(
    content: string,
    thinking: string,
    calls: FunctionCall[],
    last: OllamaChunk,
    options: CreateOptions,
  ): CreateResult {
    const usage: RequestUsage = {
      promptTokens: last.prompt_eval_count ?? 0,
      completionTokens: last.eval_count ?? 0,
    };
    this.usage.record(usage);
    const thought = thinking.length > 0 ? { thought: thinking } : {};
    if (calls.length > 0)
      return { finishReason: "function_calls", content: calls, usage, cached: false, ...thought };
    const parsed = isStructuredOutputSchema(options.jsonOutput)
      ? { parsed: parseStructuredOutput(content, options.jsonOutput) }
      : {};
    return {
      finishReason: finishReason(last.done_reason, false),
      content,
      usage,
      cached: false,
      ...thought,
      ...parsed,
    };
  }

  #calls(raw: readonly OllamaToolCall[] | undefined, into: FunctionCall[]): void {
    for (const call of raw ?? []) {
      const args = call.function.arguments;
      into.push({
        // Older Ollama versions send no call ids; results are matched by tool name there anyway.
        id: call.id ?? `call_${crypto.randomUUID()}`,
        name: call.function.name,
        arguments: typeof args === "string" ? args : JSON.stringify(args ?? {}),
      });
    }
  }

  #failure(chunk: OllamaChunk): ModelError {
    return new ModelError("provider_error", `Ollama error: ${chunk.error ?? "unknown"}`);
  }

  /** One completion. */
  async create(messages: readonly LLMMessage[], options: CreateOptions = {}): Promise<CreateResult> {
    throwIfAborted(options.signal);
    const body = this.#body(messages, options, false);
    const { value: response, signal, release } = await this.#post(body, options.signal);
    let chunk: OllamaChunk;
    try {
      chunk = (await response.json()) as OllamaChunk;
    } catch (e) {
      throw toModelError(e, {
        provider: "Ollama",
        secrets: this.#secrets,
        signal: options.signal,
        timedOut: signal.aborted,
      });
    } finally {
      release();
    }
    if (chunk.error) throw this.#failure(chunk);
    const calls: FunctionCall[] = [];
    this.#calls(chunk.message?.tool_calls, calls);
    return this.#result(chunk.message?.content ?? "", chunk.message?.thinking ?? "", calls, chunk, options);
  }

  /** A streamed completion: text chunks from the NDJSON stream, then one {@link CreateResult}. */
  async *createStream(
    messages: readonly LLMMessage[],
    options: CreateOptions = {},
  ): AsyncGenerator<string | CreateResult, void, undefined> {
    throwIfAborted(options.signal);
    const body = this.#body(messages, options, true);
    const { value: response, signal, release } = await this.#post(body, options.signal);
    const reader = response.body?.pipeThrough(new TextDecoderStream()).getReader();
    if (!reader) {
      release();
      throw new ModelError("provider_error", "Ollama sent an empty response");
    }
    let content = "";
    let thinking = "";
    const calls: FunctionCall[] = [];
    let last: OllamaChunk | undefined;
    let buffer = "";
    try {
      for (;;) {
        let read: ReadableStreamReadResult<string>;
        try {
          read = await reader.read();
        } catch (e) {
          throw toModelError(e, {
            provider: "Ollama",
            secrets: this.#secrets,
            signal: options.signal,
            timedOut: signal.aborted && !options.signal?.aborted,
          });
        }
        if (read.done) break;
        buffer += read.value;
        let newline = buffer.indexOf("\n");
        while (newline >= 0) {
          const line = buffer.slice(0, newline).trim();
          buffer = buffer.slice(newline + 1);
          newline = buffer.indexOf("\n");
          if (line.length === 0) continue;
          let chunk: OllamaChunk;
          try {
            chunk = JSON.parse(line) as OllamaChunk;
          } catch (cause) {
            throw new ModelError("model_output", "Ollama sent a line that is not JSON", { cause });
          }
          if (chunk.error) throw this.#failure(chunk);
          const delta = chunk.message?.content ?? "";
          if (chunk.message?.thinking) thinking += chunk.message.thinking;
          this.#calls(chunk.message?.tool_calls, calls);
          if (delta.length > 0) {
            content += delta;
            yield delta;
          }
          if (chunk.done) last = chunk;
        }
      }
      throwIfAborted(options.signal);
      if (!last) throw new ModelError("provider_error", "Ollama's stream ended before its final message");
      yield this.#result(content, thinking, calls, last, options);
    } finally {
      release();
      // Closes the connection when the consumer stopped early (a no-op after a full read).
      await reader.cancel().catch(() => {});
    }
  }

  /** A description safe to log: the model and host, never a key. */
  toJSON(): Record<string, unknown> {
    return { provider: "ollama", model: this.model, url: redactUrl(this.#url) };
  }
}
