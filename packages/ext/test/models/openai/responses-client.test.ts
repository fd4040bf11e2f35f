import { CancelledError, type LLMMessage, ModelError } from "@autogen-ts/core";
import { OpenAIResponsesClient } from "@autogen-ts/ext/models/openai";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { collect, hello, useModelServer } from "../../support/model-harness.js";
import { errorReply } from "../../support/model-server.js";
import { responsesReply, responsesStreamReply } from "../../support/openai-wire.js";

const KEY = "sk-test-responses-0123456789abcdefSECRET";

const h = useModelServer();

function client(extra: Partial<ConstructorParameters<typeof OpenAIResponsesClient>[0]> = {}) {
  return new OpenAIResponsesClient({
    model: "gpt-4.1",
    apiKey: KEY,
    baseURL: `${h.server.url}/v1`,
    initialDelayMs: 1,
    logger: h.logger,
    ...extra,
  });
}

const body = (i = 0) => h.body(i);

describe("OpenAIResponsesClient", () => {
  it("sends input items and returns text with usage and cost", async () => {
    h.server.enqueue(responsesReply({ text: "Hello!", usage: { prompt: 100, completion: 10, cached: 50 } }));
    const model = client();
    const result = await model.create([
      ...hello,
      { type: "AssistantMessage", content: [{ id: "call_1", name: "f", arguments: "{}" }], source: "a" },
      {
        type: "FunctionExecutionResultMessage",
        content: [{ callId: "call_1", name: "f", content: "42", isError: false }],
      },
    ]);
    expect(result).toMatchObject({ content: "Hello!", finishReason: "stop", cached: false });
    expect(result.usage).toMatchObject({ promptTokens: 100, completionTokens: 10, cachedPromptTokens: 50 });
    expect(result.usage.costUsd).toBeCloseTo((50 * 2 + 50 * 0.5 + 10 * 8) / 1e6, 12);
    expect(h.server.requests[0]?.path).toBe("/v1/responses");
    expect(body().input).toEqual([
      { role: "system", content: "Be brief." },
      { role: "user", content: "Hi" },
      { type: "function_call", call_id: "call_1", name: "f", arguments: "{}" },
      { type: "function_call_output", call_id: "call_1", output: "42" },
    ]);
  });

  it("returns one and parallel function calls and reasoning as thought", async () => {
    h.server.enqueue(
      responsesReply({
        reasoning: "Need both cities.",
        toolCalls: [
          { id: "call_a", name: "weather", arguments: '{"city":"Oslo"}' },
          { id: "call_b", name: "weather", arguments: '{"city":"Rome"}' },
        ],
        usage: { prompt: 10, completion: 20, reasoning: 12 },
      }),
    );
    const tools = [{ name: "weather", description: "w", parameters: { type: "object" } }];
    const result = await client({ model: "o4-mini", reasoning: { effort: "low", summary: "auto" } }).create(
      hello,
      {
        tools,
        toolChoice: "required",
      },
    );
    expect(result.finishReason).toBe("function_calls");
    expect(result.content).toEqual([
      { id: "call_a", name: "weather", arguments: '{"city":"Oslo"}' },
      { id: "call_b", name: "weather", arguments: '{"city":"Rome"}' },
    ]);
    expect(result.thought).toBe("Need both cities.");
    expect(result.usage.reasoningTokens).toBe(12);
    expect(body()).toMatchObject({
      tools: [
        {
          type: "function",
          name: "weather",
          description: "w",
          parameters: { type: "object" },
          strict: false,
        },
      ],
      tool_choice: "required",
      reasoning: { effort: "low", summary: "auto" },
    });
  });

  it("asks for structured output and parses it; a mismatch is a model_output error", async () => {
    const schema = z.object({ answer: z.number() });
    h.server.enqueue(
      responsesReply({ text: '{"answer":42}' }),
      responsesReply({ text: '{"answer":"many"}' }),
    );
    const model = client();
    expect((await model.create(hello, { jsonOutput: schema })).parsed).toEqual({ answer: 42 });
    expect((body().text as { format: { type: string; strict: boolean } }).format).toMatchObject({
      type: "json_schema",
      strict: true,
    });
    await expect(model.create(hello, { jsonOutput: schema })).rejects.toMatchObject({ code: "model_output" });
  });

  it("streams text deltas and finishes from response.completed", async () => {
    h.server.enqueue(
      responsesStreamReply({
        text: "Streaming works fine.",
        reasoning: "think",
        usage: { prompt: 5, completion: 4 },
      }),
    );
    const { chunks, result } = await collect(client().createStream(hello));
    expect(chunks.join("")).toBe("Streaming works fine.");
    expect(chunks.length).toBeGreaterThan(2);
    expect(result).toMatchObject({
      content: "Streaming works fine.",
      thought: "think",
      finishReason: "stop",
    });
    expect(result.usage).toMatchObject({ promptTokens: 5, completionTokens: 4 });
    expect(body().stream).toBe(true);
  });

  it("streams function calls whose argument deltas are split, with malformed arguments passed through", async () => {
    h.server.enqueue(
      responsesStreamReply(
        {
          toolCalls: [
            { id: "c1", name: "f", arguments: '{"x": 1}' },
            { id: "c2", name: "g", arguments: '{"y": ' },
          ],
        },
        { argumentsChunk: 2 },
      ),
    );
    const { result } = await collect(client().createStream(hello));
    expect(result.content).toEqual([
      { id: "c1", name: "f", arguments: '{"x": 1}' },
      { id: "c2", name: "g", arguments: '{"y": ' },
    ]);
  });

  it("retries a 429 then succeeds, and fails typed after 500s", async () => {
    h.server.enqueue(errorReply(429, "limit", { "retry-after": "0" }), responsesReply({ text: "ok" }));
    expect((await client().create(hello)).content).toBe("ok");
    h.server.enqueue(errorReply(500, "x"), errorReply(500, "x"));
    await expect(client({ maxRetries: 1 }).create(hello)).rejects.toMatchObject({
      code: "provider_error",
      status: 500,
    });
  });

  it("cancels mid-stream with CancelledError, and a truncated stream is a typed error", async () => {
    h.server.enqueue(responsesStreamReply({ text: "a long answer that stalls" }, { stallAfter: 4 }));
    const controller = new AbortController();
    const run = async () => {
      for await (const item of client().createStream(hello, { signal: controller.signal })) {
        if (typeof item === "string") controller.abort();
      }
    };
    expect(CancelledError.isInstance(await run().catch((e: unknown) => e))).toBe(true);
    await h.server.disconnected(0);

    h.server.enqueue(responsesStreamReply({ text: "cut short here" }, { truncateAfter: 4 }));
    const err = await collect(client().createStream(hello)).catch((e: unknown) => e);
    expect(ModelError.isInstance(err) && err.code).toBe("provider_error");
  });

  it("refuses images to a text-only model and keeps the key out of errors and logs", async () => {
    const image: LLMMessage[] = [
      { type: "UserMessage", content: [{ type: "image", url: "https://x/y.png" }], source: "u" },
    ];
    await expect(client({ model: "o3-mini" }).create(image)).rejects.toMatchObject({
      code: "model_capability",
    });
    h.server.enqueue(
      errorReply(500, `bad key ${KEY}`),
      errorReply(401, `Incorrect API key provided: ${KEY}`),
    );
    const err = await client({ maxRetries: 1 })
      .create(hello)
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "provider_error", status: 401 });
    for (const text of [(err as Error).message, String((err as Error).cause), JSON.stringify(h.logs)]) {
      expect(text).not.toContain(KEY);
    }
  });
});
