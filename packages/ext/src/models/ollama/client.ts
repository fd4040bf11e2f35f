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
} from "@autogen-ts/core";
import {
  BaseChatCompletionClient,
  isStructuredOutputSchema,
  isZodSchema,
  ModelError,
  ValidationError,
  zodToJsonSchema,
} from "@autogen-ts/core";
import {
  argumentsObject,
  convertMessages,
  type HttpModelClientOptions,
  HttpStatusError,
  type LegacyModelClientOptions,
  MODEL_ENV,
  ModelClientKit,
  parseDataUrl,
  userParts,
} from "../_shared/index.js";
import { OLLAMA_MODELS } from "./models.js";

/** Options of {@link OllamaChatCompletionClient}. */
export interface OllamaChatCompletionClientOptions
  extends HttpModelClientOptions,
    Pick<LegacyModelClientOptions, "host"> {
  /** The model name, with or without a tag (`llama3.2`, `qwen3:8b`). */
  readonly model: string;
  /** Where Ollama listens; defaults to `OLLAMA_HOST`, else `http://127.0.0.1:11434`. */
  readonly baseURL?: string;
  /** A bearer token, for Ollama behind an authenticating proxy or a hosted Ollama (never logged). */
  readonly apiKey?: string;
  /** The context size in tokens, for `remainingTokens()` (Ollama's `num_ctx`); default 8192. */
  readonly contextWindow?: number;
  /** Ollama's `options` (temperature, num_ctx, seed, ...), sent with every request. */
  readonly modelOptions?: Readonly<Record<string, unknown>>;
  /** Ask a thinking model to think (`true`, or a level for models that take one); returned as `thought`. */
  readonly think?: boolean | "low" | "medium" | "high";
  /** How long Ollama keeps the model loaded after a request (`"5m"`, seconds, `-1` for ever). */
  readonly keepAlive?: string | number;
}

/** @deprecated Use {@link OllamaChatCompletionClientOptions}. */
export type OllamaClientOptions = OllamaChatCompletionClientOptions;

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
  const dataUrl = parseDataUrl(image.url);
  if (dataUrl) return dataUrl.data;
  throw new ModelError(
    "model_capability",
    "Ollama accepts images as base64 data only; download the image and pass its bytes as `data`",
  );
}

/** Converts autogen-ts messages to Ollama's chat messages. */
export function toOllamaMessages(messages: readonly LLMMessage[], info: ModelInfo): OllamaMessage[] {
  return convertMessages<OllamaMessage>(messages, {
    system: (content) => ({ role: "system", content }),
    user: (m) => {
      if (typeof m.content === "string") return { role: "user", content: m.content };
      // Ollama takes a message's text and its images apart.
      const texts: string[] = [];
      const images = userParts(m, info, (text) => void texts.push(text), imageData);
      return { role: "user", content: texts.join("\n"), ...(images.length > 0 ? { images } : {}) };
    },
    assistantText: (content) => ({ role: "assistant", content }),
    toolCalls: (calls) => ({
      role: "assistant",
      content: "",
      tool_calls: calls.map((c) => ({ function: { name: c.name, arguments: argumentsObject(c.arguments) } })),
    }),
    toolResults: (results) => results.map((r) => ({ role: "tool", content: r.content, tool_name: r.name })),
  });
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
  readonly #kit: ModelClientKit;
  readonly #url: string;
  readonly #headers: Record<string, string>;
  protected readonly contextWindow: number;
  readonly #options: OllamaChatCompletionClientOptions;

  constructor(options: OllamaChatCompletionClientOptions) {
    super();
    const kit = new ModelClientKit(options, {
      provider: "Ollama",
      clientName: "OllamaChatCompletionClient",
      model: options.model,
      catalog: { models: OLLAMA_MODELS, defaultContextWindow: 8192 },
      env: MODEL_ENV.ollama,
      endpoint: () => this.#url,
    });
    this.#kit = kit;
    this.model = kit.model;
    this.modelInfo = kit.modelInfo;
    this.contextWindow = kit.contextWindow;
    this.#options = options;
    let host = kit.baseURL ?? "http://127.0.0.1:11434";
    // OLLAMA_HOST is often written without a scheme (`0.0.0.0:11434`).
    if (!/^https?:\/\//.test(host)) host = `http://${host}`;
    this.#url = `${host.replace(/\/+$/, "")}/api/chat`;
    this.#headers = {
      "content-type": "application/json",
      ...kit.options.headers,
      ...(kit.options.apiKey ? { authorization: `Bearer ${kit.options.apiKey}` } : {}),
    };
  }

  #body(messages: readonly LLMMessage[], options: CreateOptions, stream: boolean): Record<string, unknown> {
    this.#kit.check(messages, options);
    const tools = options.tools ?? [];
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
    Object.assign(body, this.#kit.extraArgs(options));
    return body;
  }

  async #post(body: Record<string, unknown>, signal: AbortSignal | undefined) {
    const text = JSON.stringify(body);
    return this.#kit.request(
      async (s) =>
        HttpStatusError.check(
          await fetch(this.#url, { method: "POST", headers: this.#headers, body: text, signal: s }),
        ),
      signal,
    );
  }

  #result(
    content: string,
    thinking: string,
    calls: FunctionCall[],
    last: OllamaChunk,
    options: CreateOptions,
  ): CreateResult {
    return this.#kit.result(
      this.usage,
      {
        text: content,
        calls,
        thought: thinking,
        finishReason: finishReason(last.done_reason, false),
        usage: { promptTokens: last.prompt_eval_count ?? 0, completionTokens: last.eval_count ?? 0 },
      },
      options,
    );
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
    const body = this.#body(messages, options, false);
    const { value: response, signal, release } = await this.#post(body, options.signal);
    let text: string;
    try {
      text = await response.text();
    } catch (e) {
      throw this.#kit.streamError(e, options.signal, signal);
    } finally {
      release();
    }
    let chunk: OllamaChunk;
    try {
      chunk = JSON.parse(text) as OllamaChunk;
    } catch {
      throw this.#kit.unexpected("an Ollama chat reply", text);
    }
    if (typeof chunk !== "object" || chunk === null || !("message" in chunk || "error" in chunk)) {
      throw this.#kit.unexpected("an Ollama chat reply", chunk);
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
          throw this.#kit.streamError(e, options.signal, signal);
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
      this.#kit.endStream(last !== undefined, options.signal, signal, { receivedChars: content.length });
      yield this.#result(content, thinking, calls, last as OllamaChunk, options);
    } finally {
      release();
      // Closes the connection when the consumer stopped early (a no-op after a full read).
      await reader.cancel().catch(() => {});
    }
  }

  /** A description safe to log: the model and host, never a key. */
  toJSON(): Record<string, unknown> {
    const { baseURL: url, ...rest } = this.#kit.describe("ollama");
    return { ...rest, url };
  }
}
