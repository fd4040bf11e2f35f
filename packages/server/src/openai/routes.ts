/**
 * OpenAI compatibility: `POST /v1/chat/completions` and `POST /v1/responses`, where the model name is a
 * team's name, so any OpenAI client or chat UI can talk to a team. A completion is one run on a new
 * thread (the client sends the whole conversation); a response is one run whose thread
 * `previous_response_id` continues. Both are ordinary runs: owned, recorded, listed under `/runs`.
 */
import type { RunEventRecord } from "@autogen-ts/core";
import type { GuardedEnv } from "@autogen-ts/ext/http";
import type { OpenAPIHono } from "@hono/zod-openapi";
import { createRoute, z } from "@hono/zod-openapi";
import type { Principal } from "../auth.js";
import { ServerError } from "../errors.js";
import type { RunManager, RunTask } from "../runs/manager.js";
import { ErrorBody } from "../schemas.js";
import { AnswerReader } from "./text.js";

const ContentPart = z.looseObject({ type: z.string(), text: z.string().optional() });
const Content = z.union([z.string(), z.array(ContentPart), z.null()]);

/** `POST /v1/chat/completions` (fields other than these are accepted and ignored). */
export const ChatCompletionRequest = z
  .looseObject({
    model: z.string().min(1),
    messages: z.array(z.looseObject({ role: z.string(), content: Content.optional() })).min(1),
    stream: z.boolean().optional(),
  })
  .openapi("ChatCompletionRequest");

/** `POST /v1/responses` (fields other than these are accepted and ignored). */
export const ResponseRequest = z
  .looseObject({
    model: z.string().min(1),
    input: z.union([
      z.string(),
      z.array(z.looseObject({ role: z.string().optional(), content: Content.optional() })),
    ]),
    instructions: z.string().nullable().optional(),
    previous_response_id: z.string().nullable().optional(),
    stream: z.boolean().nullable().optional(),
  })
  .openapi("ResponseRequest");

const anyJson = z.record(z.string(), z.unknown());
const openaiError = { description: "An error", content: { "application/json": { schema: ErrorBody } } };

const chatRoute = createRoute({
  method: "post",
  path: "/v1/chat/completions",
  operationId: "createChatCompletion",
  tags: ["openai"],
  security: [{ bearer: [] }],
  request: { body: { required: true, content: { "application/json": { schema: ChatCompletionRequest } } } },
  responses: {
    200: {
      description: "A chat.completion, or chat.completion.chunk events when `stream`",
      content: { "application/json": { schema: anyJson }, "text/event-stream": { schema: anyJson } },
    },
    400: openaiError,
    404: openaiError,
  },
});

const responsesRoute = createRoute({
  method: "post",
  path: "/v1/responses",
  operationId: "createResponse",
  tags: ["openai"],
  security: [{ bearer: [] }],
  request: { body: { required: true, content: { "application/json": { schema: ResponseRequest } } } },
  responses: {
    200: {
      description: "A response, or its stream events when `stream`",
      content: { "application/json": { schema: anyJson }, "text/event-stream": { schema: anyJson } },
    },
    400: openaiError,
    404: openaiError,
  },
});

/** What the OpenAI routes need of the app. */
export interface OpenAIMountOptions {
  readonly manager: RunManager;
  readonly who: (c: { get(key: "principal"): Principal | undefined }) => Principal;
}

const encoder = new TextEncoder();

/** Adds the two OpenAI endpoints to the API app. */
export function mountOpenAI(api: OpenAPIHono<GuardedEnv<Principal>>, options: OpenAIMountOptions): void {
  const { manager } = options;

  api.openapi(chatRoute, async (c) => {
    const principal = options.who(c);
    const body = c.req.valid("json");
    const task: RunTask = body.messages.map((m) => ({
      source: m.role === "assistant" ? "assistant" : m.role,
      content: contentText(m.content),
    }));
    const thread = await manager.createThread(principal, { via: "chat.completions" });
    const run = await manager.startRun(principal, thread.id, { team: body.model, task });
    const id = `chatcmpl-${run.id}`;
    const created = Math.floor(Date.now() / 1000);
    const reader = new AnswerReader(task.length);
    const events = (await manager.feed(run)).events(0, c.req.raw.signal);
    if (!body.stream) {
      const text = await collect(events, reader);
      return c.json(
        {
          id,
          object: "chat.completion",
          created,
          model: body.model,
          choices: [
            {
              index: 0,
              message: { role: "assistant", content: text, refusal: null },
              finish_reason: "stop",
              logprobs: null,
            },
          ],
          usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 },
        },
        200,
      );
    }
    const chunk = (delta: Record<string, unknown>, finish: string | null) =>
      `data: ${JSON.stringify({ id, object: "chat.completion.chunk", created, model: body.model, choices: [{ index: 0, delta, finish_reason: finish, logprobs: null }] })}\n\n`;
    return sse(async function* () {
      yield chunk({ role: "assistant", content: "" }, null);
      for await (const piece of pieces(events, reader)) yield chunk({ content: piece }, null);
      yield chunk({}, "stop");
      yield "data: [DONE]\n\n";
    }) as never;
  });

  api.openapi(responsesRoute, async (c) => {
    const principal = options.who(c);
    const body = c.req.valid("json");
    let threadId: string;
    if (body.previous_response_id) {
      const previous = await manager.run(principal, runIdOf(body.previous_response_id));
      threadId = previous.threadId;
    } else {
      threadId = (await manager.createThread(principal, { via: "responses" })).id;
    }
    const task: RunTask =
      typeof body.input === "string"
        ? [{ source: "user", content: body.input }]
        : body.input.map((item) => ({ source: item.role ?? "user", content: contentText(item.content) }));
    const withInstructions: RunTask = body.instructions
      ? [{ source: "system", content: body.instructions }, ...task]
      : task;
    const run = await manager.startRun(principal, threadId, { team: body.model, task: withInstructions });
    const id = `resp_${run.id}`;
    const messageId = `msg_${run.id}`;
    const createdAt = Math.floor(Date.now() / 1000);
    const reader = new AnswerReader(withInstructions.length);
    const events = (await manager.feed(run)).events(0, c.req.raw.signal);
    const response = (status: string, text: string | undefined) => ({
      id,
      object: "response",
      created_at: createdAt,
      model: body.model,
      status,
      output:
        text === undefined
          ? []
          : [
              {
                type: "message",
                id: messageId,
                role: "assistant",
                status: "completed",
                content: [{ type: "output_text", text, annotations: [] }],
              },
            ],
      output_text: text ?? "",
      previous_response_id: body.previous_response_id ?? null,
      instructions: body.instructions ?? null,
      error: null,
      incomplete_details: null,
      metadata: { thread_id: threadId, run_id: run.id },
      parallel_tool_calls: false,
      tool_choice: "auto",
      tools: [],
      usage: {
        input_tokens: 0,
        output_tokens: 0,
        total_tokens: 0,
        input_tokens_details: { cached_tokens: 0 },
        output_tokens_details: { reasoning_tokens: 0 },
      },
    });
    if (!body.stream) return c.json(response("completed", await collect(events, reader)), 200);
    let seq = 0;
    const event = (type: string, data: Record<string, unknown>) =>
      `event: ${type}\ndata: ${JSON.stringify({ type, sequence_number: seq++, ...data })}\n\n`;
    return sse(async function* () {
      yield event("response.created", { response: response("in_progress", undefined) });
      yield event("response.in_progress", { response: response("in_progress", undefined) });
      const item = { type: "message", id: messageId, role: "assistant", status: "in_progress", content: [] };
      yield event("response.output_item.added", { output_index: 0, item });
      const part = { type: "output_text", text: "", annotations: [] };
      yield event("response.content_part.added", {
        item_id: messageId,
        output_index: 0,
        content_index: 0,
        part,
      });
      let text = "";
      for await (const piece of pieces(events, reader)) {
        text += piece;
        yield event("response.output_text.delta", {
          item_id: messageId,
          output_index: 0,
          content_index: 0,
          delta: piece,
          logprobs: [],
        });
      }
      yield event("response.output_text.done", {
        item_id: messageId,
        output_index: 0,
        content_index: 0,
        text,
        logprobs: [],
      });
      const done = { type: "output_text", text, annotations: [] };
      yield event("response.content_part.done", {
        item_id: messageId,
        output_index: 0,
        content_index: 0,
        part: done,
      });
      yield event("response.output_item.done", {
        output_index: 0,
        item: { ...item, status: "completed", content: [done] },
      });
      yield event("response.completed", { response: response("completed", text) });
    }) as never;
  });
}

/** The run id inside a response id (`resp_<runId>`); a foreign id is 404 like any unknown one. */
function runIdOf(responseId: string): string {
  if (!responseId.startsWith("resp_"))
    throw new ServerError(404, "not_found", `No response ${JSON.stringify(responseId)}`);
  return responseId.slice(5);
}

/** The text of an OpenAI message content (text parts joined; other parts are not read). */
function contentText(content: z.infer<typeof Content> | undefined): string {
  if (content === undefined || content === null) return "";
  if (typeof content === "string") return content;
  return content
    .map((part) => part.text ?? "")
    .filter((t) => t !== "")
    .join("\n");
}

/** The answer's text pieces until the run stops. */
async function* pieces(events: AsyncIterable<RunEventRecord>, reader: AnswerReader): AsyncGenerator<string> {
  for await (const event of events) {
    for (const piece of reader.read(event)) {
      if (piece.kind === "stop") return;
      yield piece.text;
    }
  }
}

async function collect(events: AsyncIterable<RunEventRecord>, reader: AnswerReader): Promise<string> {
  let text = "";
  for await (const piece of pieces(events, reader)) text += piece;
  return text;
}

/** A text/event-stream response from generated SSE text (pulled: the next piece when the client takes it). */
function sse(source: () => AsyncGenerator<string>): Response {
  const iterator = source();
  const body = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const next = await iterator.next();
        if (next.done) controller.close();
        else controller.enqueue(encoder.encode(next.value));
      },
      async cancel() {
        await iterator.return(undefined);
      },
    },
    { highWaterMark: 1 },
  );
  return new Response(body, {
    headers: { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache" },
  });
}
