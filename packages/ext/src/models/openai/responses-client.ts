/**
 * `OpenAIResponsesClient`: the same `ChatCompletionClient` interface over OpenAI's Responses API, where
 * the context is a list of input items (messages, `function_call`, `function_call_output`) and the
 * reply is a list of output items (reasoning, messages, function calls), streamed as typed events.
 */
import {
  BaseChatCompletionClient,
  type ChatCompletionClient,
  type CreateOptions,
  type CreateResult,
  type FinishReason,
  type FunctionCall,
  isStructuredOutputSchema,
  type LLMMessage,
  ModelError,
  type ModelInfo,
  type RequestUsage,
  toCancelledError,
} from "@autogen-ts/core";
import type OpenAI from "openai";
import type {
  Response,
  ResponseCreateParamsNonStreaming,
  ResponseCreateParamsStreaming,
  ResponseStreamEvent,
} from "openai/resources/responses/responses";
import {
  convertMessages,
  estimateUsage,
  type ModelClientKit,
  redactUrl,
  userParts,
} from "../_shared/index.js";
import {
  buildSdk,
  checkRefusal,
  createOpenAISdk,
  hasArray,
  type OpenAIBaseOptions,
  openAIKit,
  openAIUsage,
} from "./common.js";
import { imageUrl, outputJsonSchema, parseOutput } from "./convert.js";

/** Options of {@link OpenAIResponsesClient}. */
export interface OpenAIResponsesClientOptions extends OpenAIBaseOptions {
  /**
   * Reasoning settings for reasoning models, such as `{ effort: "low", summary: "auto" }`; the summary
   * comes back as the result's `thought`.
   */
  readonly reasoning?: Readonly<Record<string, unknown>>;
}

type Item = Record<string, unknown>;

/** autogen-ts messages as Responses API input items. */
export function toResponseInput(messages: readonly LLMMessage[]): Item[] {
  return convertMessages<Item>(messages, {
    system: (content) => ({ role: "system", content }),
    user: (m) => ({
      role: "user",
      content:
        typeof m.content === "string"
          ? m.content
          : userParts<Item>(
              m,
              undefined,
              (text) => ({ type: "input_text", text }),
              (image) => ({ type: "input_image", image_url: imageUrl(image), detail: "auto" }),
            ),
    }),
    assistantText: (content) => ({ role: "assistant", content }),
    toolCalls: (calls) =>
      calls.map((c) => ({ type: "function_call", call_id: c.id, name: c.name, arguments: c.arguments })),
    toolResults: (results) =>
      results.map((r) => ({ type: "function_call_output", call_id: r.callId, output: r.content })),
  });
}

function usageOf(u: Response["usage"] | undefined): RequestUsage | undefined {
  if (!u) return undefined;
  const { cached_tokens: cached } = u.input_tokens_details ?? {};
  const { reasoning_tokens: reasoning } = u.output_tokens_details ?? {};
  return openAIUsage(u.input_tokens, u.output_tokens, cached, reasoning);
}

/** The text, function calls and reasoning summary of a response's output items. */
function readOutput(response: Response): {
  text: string;
  calls: FunctionCall[];
  thought: string;
  refusal: string;
} {
  let text = "";
  let thought = "";
  let refusal = "";
  const calls: FunctionCall[] = [];
  for (const item of response.output ?? []) {
    const it = item as unknown as Item & { type: string };
    if (it.type === "message") {
      for (const part of (it.content as Item[] | undefined) ?? []) {
        if (part.type === "output_text") text += String(part.text ?? "");
        if (part.type === "refusal") refusal += String(part.refusal ?? "");
      }
    } else if (it.type === "function_call") {
      calls.push({
        id: String(it.call_id ?? it.id),
        name: String(it.name),
        arguments: String(it.arguments ?? ""),
      });
    } else if (it.type === "reasoning") {
      const parts = [
        ...((it.summary as Item[] | undefined) ?? []),
        ...((it.content as Item[] | undefined) ?? []),
      ];
      thought += parts.map((s) => String(s.text ?? "")).join("\n");
    }
  }
  return { text, calls, thought, refusal };
}

/**
 * A {@link ChatCompletionClient} over OpenAI's Responses API (stateless: the whole context is sent each
 * call, so it fits agents that keep their own history).
 *
 * @example
 * ```ts
 * const model = new OpenAIResponsesClient({ model: "o4-mini", reasoning: { effort: "low", summary: "auto" } });
 * ```
 */
export class OpenAIResponsesClient extends BaseChatCompletionClient {
  /** What the model can do. */
  readonly modelInfo: ModelInfo;
  /** The model name. */
  readonly model: string;
  readonly #kit: ModelClientKit;
  readonly #sdk: OpenAI;
  protected readonly contextWindow: number;
  readonly #reasoning: Readonly<Record<string, unknown>> | undefined;

  constructor(options: OpenAIResponsesClientOptions) {
    super();
    const kit = openAIKit(options, "OpenAIResponsesClient", () => this.#sdk);
    this.#kit = kit;
    this.#sdk = buildSdk(kit, () => createOpenAISdk(kit, options));
    this.model = kit.model;
    this.contextWindow = kit.contextWindow;
    this.modelInfo = kit.modelInfo;
    this.#reasoning = options.reasoning;
  }

  /** The endpoint the client sends to, with any credentials in the URL removed. */
  get baseURL(): string {
    return redactUrl(this.#sdk.baseURL);
  }

  /** A description safe to log: the model and endpoint, never the key. */
  toJSON(): Record<string, unknown> {
    return { provider: "openai", model: this.model, baseURL: this.baseURL };
  }

  #params(messages: readonly LLMMessage[], options: CreateOptions): Item {
    this.#kit.check(messages, options);
    const params: Item = { model: this.model, input: toResponseInput(messages), store: false };
    if (options.tools?.length) {
      params.tools = options.tools.map((t) => ({
        type: "function",
        name: t.name,
        ...(t.description !== undefined ? { description: t.description } : {}),
        parameters: t.parameters,
        strict: t.strict ?? false,
      }));
      const choice = options.toolChoice;
      if (choice)
        params.tool_choice = typeof choice === "string" ? choice : { type: "function", name: choice.name };
    }
    if (options.jsonOutput === true) params.text = { format: { type: "json_object" } };
    else if (isStructuredOutputSchema(options.jsonOutput)) {
      const { schema, strict } = outputJsonSchema(options.jsonOutput);
      params.text = { format: { type: "json_schema", name: "output", schema, strict } };
    }
    if (this.#reasoning) params.reasoning = { ...this.#reasoning };
    return { ...params, ...this.#kit.extraArgs(options) };
  }

  #result(response: Response, messages: readonly LLMMessage[], options: CreateOptions): CreateResult {
    if (response.status === "failed") {
      const e = response.error as { message?: string; code?: string } | null | undefined;
      throw new ModelError("provider_error", `OpenAI response failed: ${e?.message ?? "unknown error"}`, {
        details: { code: e?.code },
      });
    }
    const { text, calls, thought, refusal } = readOutput(response);
    const usage =
      usageOf(response.usage) ??
      estimateUsage((m, o) => this.countTokens(m, o), messages, options, text, calls);
    if (calls.length === 0 && refusal && !text) {
      checkRefusal(refusal, options);
      const parts = { text: refusal, calls, thought, finishReason: "content_filter" as const, usage };
      return this.#kit.result(this.usage, parts, options);
    }
    const reason = (response.incomplete_details as { reason?: string } | null | undefined)?.reason;
    const finishReason: FinishReason =
      response.status === "incomplete"
        ? reason === "content_filter"
          ? "content_filter"
          : "length"
        : response.status === "completed"
          ? "stop"
          : "unknown";
    return this.#kit.result(
      this.usage,
      { text, calls, thought, finishReason, usage, parse: parseOutput },
      options,
    );
  }

  /** One response. */
  async create(messages: readonly LLMMessage[], options: CreateOptions = {}): Promise<CreateResult> {
    const params = { ...this.#params(messages, options), stream: false } as ResponseCreateParamsNonStreaming;
    const { value, release } = await this.#kit.request(
      (signal) => this.#sdk.responses.create(params, { signal, maxRetries: 0 }),
      options.signal,
    );
    release();
    // A 200 that is not JSON (a proxy's HTML page) comes back from the SDK as text.
    if (!hasArray(value, "output")) throw this.#kit.unexpected("a Responses API response", value);
    return this.#result(value as Response, messages, options);
  }

  /** A streamed response: output text deltas, then the final result built from `response.completed`. */
  async *createStream(
    messages: readonly LLMMessage[],
    options: CreateOptions = {},
  ): AsyncGenerator<string | CreateResult> {
    const params = { ...this.#params(messages, options), stream: true } as ResponseCreateParamsStreaming;
    const {
      value: stream,
      signal,
      release,
    } = await this.#kit.request(
      (attemptSignal) => this.#sdk.responses.create(params, { signal: attemptSignal, maxRetries: 0 }),
      options.signal,
    );
    let final: Response | undefined;
    let received = 0;
    try {
      for await (const event of stream as AsyncIterable<ResponseStreamEvent>) {
        if (options.signal?.aborted) throw toCancelledError(options.signal.reason);
        switch (event.type) {
          case "response.output_text.delta":
            received += event.delta.length;
            yield event.delta;
            break;
          case "response.completed":
          case "response.incomplete":
          case "response.failed":
            final = event.response;
            break;
          case "error":
            throw new ModelError("provider_error", `OpenAI stream error: ${event.message}`, {
              details: { code: event.code },
            });
          default:
            break;
        }
      }
    } catch (error) {
      if (ModelError.isInstance(error)) throw error;
      throw this.#kit.streamError(error, options.signal, signal);
    } finally {
      release();
    }
    this.#kit.endStream(final !== undefined, options.signal, signal, { receivedChars: received });
    yield this.#result(final as Response, messages, options);
  }
}
