/**
 * Builders of OpenAI wire-format replies (Chat Completions and Responses API), plain and streamed, for
 * the scripted model server. Field names and event shapes follow OpenAI's API reference.
 */
import type { ScriptedReply, SseEvent } from "./model-server.js";

/** A tool call in a scripted reply. */
export interface WireToolCall {
  readonly id: string;
  readonly name: string;
  /** The raw arguments text (may be malformed on purpose). */
  readonly arguments: string;
}

/** Token counts of a scripted reply. */
export interface WireUsage {
  readonly prompt: number;
  readonly completion: number;
  readonly cached?: number;
  readonly reasoning?: number;
}

/** What a scripted chat completion says. */
export interface ChatReplySpec {
  readonly content?: string | null;
  readonly toolCalls?: readonly WireToolCall[];
  readonly reasoning?: string;
  readonly refusal?: string;
  readonly finishReason?: "stop" | "length" | "tool_calls" | "content_filter";
  readonly usage?: WireUsage;
  readonly model?: string;
}

const DEFAULT_USAGE: WireUsage = { prompt: 12, completion: 7 };

function chatUsage(u: WireUsage) {
  return {
    prompt_tokens: u.prompt,
    completion_tokens: u.completion,
    total_tokens: u.prompt + u.completion,
    prompt_tokens_details: { cached_tokens: u.cached ?? 0, audio_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: u.reasoning ?? 0, audio_tokens: 0 },
  };
}

function finishOf(spec: ChatReplySpec): string {
  return spec.finishReason ?? (spec.toolCalls?.length ? "tool_calls" : "stop");
}

/** The JSON body of a non-streamed chat completion. */
export function chatCompletionBody(spec: ChatReplySpec): unknown {
  return {
    id: "chatcmpl-test",
    object: "chat.completion",
    created: 1_700_000_000,
    model: spec.model ?? "gpt-4o-2024-08-06",
    choices: [
      {
        index: 0,
        message: {
          role: "assistant",
          content: spec.content ?? null,
          refusal: spec.refusal ?? null,
          ...(spec.reasoning !== undefined ? { reasoning_content: spec.reasoning } : {}),
          ...(spec.toolCalls?.length
            ? {
                tool_calls: spec.toolCalls.map((c) => ({
                  id: c.id,
                  type: "function",
                  function: { name: c.name, arguments: c.arguments },
                })),
              }
            : {}),
        },
        logprobs: null,
        finish_reason: finishOf(spec),
      },
    ],
    usage: chatUsage(spec.usage ?? DEFAULT_USAGE),
  };
}

/** A scripted non-streamed chat completion. */
export function chatReply(spec: ChatReplySpec): ScriptedReply {
  return { kind: "json", body: chatCompletionBody(spec) };
}

/** Splits `text` into pieces of at most `size` characters. */
export function pieces(text: string, size: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

/** Options of {@link chatStreamEvents}. */
export interface ChatStreamOptions {
  /** Characters of content per chunk (default 4). */
  readonly contentChunk?: number;
  /** Characters of tool-call arguments per chunk (default 5), so arguments arrive split. */
  readonly argumentsChunk?: number;
  /** Send the usage chunk (as with `stream_options.include_usage`; default true). */
  readonly includeUsage?: boolean;
}

/** The SSE events of a streamed chat completion, ending with the usage chunk and `[DONE]`. */
export function chatStreamEvents(spec: ChatReplySpec, options: ChatStreamOptions = {}): SseEvent[] {
  const base = {
    id: "chatcmpl-test",
    object: "chat.completion.chunk",
    created: 1_700_000_000,
    model: spec.model ?? "gpt-4o-2024-08-06",
  };
  const chunk = (delta: unknown, finish: string | null = null) => ({
    data: { ...base, choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }] },
  });
  const events: SseEvent[] = [chunk({ role: "assistant", content: "", refusal: null })];
  for (const piece of pieces(spec.reasoning ?? "", options.contentChunk ?? 4))
    events.push(chunk({ reasoning_content: piece }));
  for (const piece of pieces(spec.content ?? "", options.contentChunk ?? 4))
    events.push(chunk({ content: piece }));
  (spec.toolCalls ?? []).forEach((call, index) => {
    events.push(
      chunk({
        tool_calls: [{ index, id: call.id, type: "function", function: { name: call.name, arguments: "" } }],
      }),
    );
    for (const piece of pieces(call.arguments, options.argumentsChunk ?? 5)) {
      events.push(chunk({ tool_calls: [{ index, function: { arguments: piece } }] }));
    }
  });
  events.push(chunk({}, finishOf(spec)));
  if (options.includeUsage ?? true) {
    events.push({ data: { ...base, choices: [], usage: chatUsage(spec.usage ?? DEFAULT_USAGE) } });
  }
  events.push({ data: "[DONE]" });
  return events;
}

/** A scripted streamed chat completion. */
export function chatStreamReply(
  spec: ChatReplySpec,
  options: ChatStreamOptions & { truncateAfter?: number; stallAfter?: number; delayMs?: number } = {},
): ScriptedReply {
  return {
    kind: "sse",
    events: chatStreamEvents(spec, options),
    ...(options.truncateAfter !== undefined ? { truncateAfter: options.truncateAfter } : {}),
    ...(options.stallAfter !== undefined ? { stallAfter: options.stallAfter } : {}),
    ...(options.delayMs !== undefined ? { delayMs: options.delayMs } : {}),
  };
}

/** What a scripted Responses API reply says. */
export interface ResponsesReplySpec {
  readonly text?: string;
  readonly toolCalls?: readonly WireToolCall[];
  readonly reasoning?: string;
  readonly usage?: WireUsage;
  readonly status?: "completed" | "incomplete";
  readonly model?: string;
}

function responsesOutput(spec: ResponsesReplySpec): unknown[] {
  const output: unknown[] = [];
  if (spec.reasoning !== undefined) {
    output.push({ type: "reasoning", id: "rs_1", summary: [{ type: "summary_text", text: spec.reasoning }] });
  }
  if (spec.text !== undefined) {
    output.push({
      type: "message",
      id: "msg_1",
      role: "assistant",
      status: "completed",
      content: [{ type: "output_text", text: spec.text, annotations: [] }],
    });
  }
  (spec.toolCalls ?? []).forEach((c, i) => {
    output.push({
      type: "function_call",
      id: `fc_${i}`,
      call_id: c.id,
      name: c.name,
      arguments: c.arguments,
      status: "completed",
    });
  });
  return output;
}

/** The JSON body of a Responses API response. */
export function responsesBody(spec: ResponsesReplySpec): unknown {
  const u = spec.usage ?? DEFAULT_USAGE;
  return {
    id: "resp_test",
    object: "response",
    created_at: 1_700_000_000,
    model: spec.model ?? "gpt-4.1-2025-04-14",
    status: spec.status ?? "completed",
    output: responsesOutput(spec),
    usage: {
      input_tokens: u.prompt,
      input_tokens_details: { cached_tokens: u.cached ?? 0 },
      output_tokens: u.completion,
      output_tokens_details: { reasoning_tokens: u.reasoning ?? 0 },
      total_tokens: u.prompt + u.completion,
    },
  };
}

/** A scripted non-streamed Responses API reply. */
export function responsesReply(spec: ResponsesReplySpec): ScriptedReply {
  return { kind: "json", body: responsesBody(spec) };
}

/** The SSE events of a streamed Responses API reply. */
export function responsesStreamEvents(spec: ResponsesReplySpec, options: ChatStreamOptions = {}): SseEvent[] {
  let seq = 0;
  const ev = (type: string, fields: Record<string, unknown>): SseEvent => ({
    event: type,
    data: { type, sequence_number: seq++, ...fields },
  });
  const body = responsesBody(spec) as { output: Record<string, unknown>[] };
  const events: SseEvent[] = [
    ev("response.created", { response: { ...body, status: "in_progress", output: [] } }),
  ];
  body.output.forEach((item, outputIndex) => {
    if (item.type === "reasoning") {
      events.push(
        ev("response.output_item.added", { output_index: outputIndex, item: { ...item, summary: [] } }),
      );
      for (const delta of pieces(spec.reasoning ?? "", options.contentChunk ?? 4)) {
        events.push(
          ev("response.reasoning_summary_text.delta", {
            item_id: item.id,
            output_index: outputIndex,
            summary_index: 0,
            delta,
          }),
        );
      }
    } else if (item.type === "message") {
      events.push(
        ev("response.output_item.added", {
          output_index: outputIndex,
          item: { ...item, content: [], status: "in_progress" },
        }),
      );
      for (const delta of pieces(spec.text ?? "", options.contentChunk ?? 4)) {
        events.push(
          ev("response.output_text.delta", {
            item_id: item.id,
            output_index: outputIndex,
            content_index: 0,
            delta,
            logprobs: [],
          }),
        );
      }
    } else {
      events.push(
        ev("response.output_item.added", {
          output_index: outputIndex,
          item: { ...item, arguments: "", status: "in_progress" },
        }),
      );
      for (const delta of pieces(String(item.arguments), options.argumentsChunk ?? 5)) {
        events.push(
          ev("response.function_call_arguments.delta", {
            item_id: item.id,
            output_index: outputIndex,
            delta,
          }),
        );
      }
    }
    events.push(ev("response.output_item.done", { output_index: outputIndex, item }));
  });
  events.push(ev("response.completed", { response: body }));
  return events;
}

/** A scripted streamed Responses API reply. */
export function responsesStreamReply(
  spec: ResponsesReplySpec,
  options: ChatStreamOptions & { truncateAfter?: number; stallAfter?: number } = {},
): ScriptedReply {
  return {
    kind: "sse",
    events: responsesStreamEvents(spec, options),
    ...(options.truncateAfter !== undefined ? { truncateAfter: options.truncateAfter } : {}),
    ...(options.stallAfter !== undefined ? { stallAfter: options.stallAfter } : {}),
  };
}
