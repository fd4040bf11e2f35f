/**
 * `OpenAIResponsesClient`: the same `ChatCompletionClient` interface over OpenAI's Responses API, where
 * the context is a list of input items (messages, `function_call`, `function_call_output`) and the
 * reply is a list of output items (reasoning, messages, function calls), streamed as typed events.
 */
import {
  assertModelCanHandle,
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
} from "@autogen-ts/core";
import OpenAI from "openai";
import type {
  Response,
  ResponseCreateParamsNonStreaming,
  ResponseCreateParamsStreaming,
  ResponseStreamEvent,
} from "openai/resources/responses/responses";
import { env, type OpenAIBaseOptions, OpenAIClientCore } from "./common.js";
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
  const items: Item[] = [];
  for (const m of messages) {
    switch (m.type) {
      case "SystemMessage":
        items.push({ role: "system", content: m.content });
        break;
      case "UserMessage":
        items.push({
          role: "user",
          content:
            typeof m.content === "string"
              ? m.content
              : m.content.map((p) =>
                  typeof p === "string"
                    ? { type: "input_text", text: p }
                    : { type: "input_image", image_url: imageUrl(p), detail: "auto" },
                ),
        });
        break;
      case "AssistantMessage":
        if (typeof m.content === "string") items.push({ role: "assistant", content: m.content });
        else {
          for (const c of m.content) {
            items.push({ type: "function_call", call_id: c.id, name: c.name, arguments: c.arguments });
          }
        }
        break;
      case "FunctionExecutionResultMessage":
        for (const r of m.content)
          items.push({ type: "function_call_output", call_id: r.callId, output: r.content });
        break;
    }
  }
  return items;
}

function usageOf(u: Response["usage"] | undefined): RequestUsage | undefined {
  if (!u) return undefined;
  const cached = u.input_tokens_details?.cached_tokens;
  const reasoning = u.output_tokens_details?.reasoning_tokens;
  return {
    promptTokens: u.input_tokens,
    completionTokens: u.output_tokens,
    ...(cached ? { cachedPromptTokens: cached } : {}),
    ...(reasoning ? { reasoningTokens: reasoning } : {}),
  };
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
  readonly #core: OpenAIClientCore;
  protected readonly contextWindow: number;
  readonly #reasoning: Readonly<Record<string, unknown>> | undefined;

  constructor(options: OpenAIResponsesClientOptions) {
    super();
    this.#core = new OpenAIClientCore(
      options,
      ({ apiKey, timeout }) => {
        const baseURL = options.baseURL ?? env("OPENAI_BASE_URL");
        return new OpenAI({
          apiKey: apiKey ?? env("OPENAI_API_KEY") ?? (baseURL ? "not-needed" : undefined),
          ...(baseURL ? { baseURL } : {}),
          ...(options.organization ? { organization: options.organization } : {}),
          ...(options.project ? { project: options.project } : {}),
          maxRetries: 0,
          timeout,
          ...(options.defaultHeaders ? { defaultHeaders: { ...options.defaultHeaders } } : {}),
        });
      },
      "OpenAI",
      "OpenAIResponsesClient",
    );
    this.model = this.#core.model;
    this.contextWindow = this.#core.contextSize;
    this.modelInfo = this.#core.modelInfo;
    this.#reasoning = options.reasoning;
  }

  #params(messages: readonly LLMMessage[], options: CreateOptions): Item {
    assertModelCanHandle(this.model, this.modelInfo, messages, options);
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
    return { ...params, ...this.#core.extraArgs(options) };
  }

  #result(response: Response, messages: readonly LLMMessage[], options: CreateOptions): CreateResult {
    if (response.status === "failed") {
      const e = response.error as { message?: string; code?: string } | null | undefined;
      throw new ModelError("provider_error", `OpenAI response failed: ${e?.message ?? "unknown error"}`, {
        details: { code: e?.code },
      });
    }
    const { text, calls, thought, refusal } = readOutput(response);
    const usage = this.#core.priced(
      usageOf(response.usage) ?? {
        promptTokens: this.countTokens(messages, { tools: options.tools ?? [] }),
        completionTokens: Math.ceil((text.length + calls.reduce((n, c) => n + c.arguments.length, 0)) / 4),
      },
    );
    this.usage.record(usage);
    const extra = thought ? { thought } : {};
    if (calls.length > 0)
      return { finishReason: "function_calls", content: calls, usage, cached: false, ...extra };
    if (refusal && !text) {
      if (isStructuredOutputSchema(options.jsonOutput)) {
        throw new ModelError("model_output", `The model refused to answer: ${refusal}`, {
          details: { refusal },
        });
      }
      return { finishReason: "content_filter", content: refusal, usage, cached: false, ...extra };
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
    const parsed = isStructuredOutputSchema(options.jsonOutput)
      ? parseOutput(text, options.jsonOutput)
      : undefined;
    return {
      finishReason,
      content: text,
      usage,
      cached: false,
      ...extra,
      ...(parsed !== undefined ? { parsed } : {}),
    };
  }

  /** One response. */
  async create(messages: readonly LLMMessage[], options: CreateOptions = {}): Promise<CreateResult> {
    const params = { ...this.#params(messages, options), stream: false } as ResponseCreateParamsNonStreaming;
    const { value, release } = await this.#core.request(
      (signal) => this.#core.sdk.responses.create(params, { signal, maxRetries: 0 }),
      options.signal,
    );
    release();
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
    } = await this.#core.request(
      (attemptSignal) => this.#core.sdk.responses.create(params, { signal: attemptSignal, maxRetries: 0 }),
      options.signal,
    );
    let final: Response | undefined;
    let received = 0;
    try {
      for await (const event of stream as AsyncIterable<ResponseStreamEvent>) {
        this.#core.checkCancelled(options.signal);
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
      throw this.#core.streamError(error, options.signal, signal);
    } finally {
      release();
    }
    this.#core.checkCancelled(options.signal);
    if (!final) {
      throw new ModelError(
        "provider_error",
        "The stream ended before the response completed (truncated response)",
        {
          details: { receivedChars: received },
        },
      );
    }
    yield this.#result(final, messages, options);
  }
}
