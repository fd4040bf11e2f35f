import type { FunctionCall } from "@autogen-ts/core";
import { CancelledError, ModelError } from "@autogen-ts/core";
import { AnthropicChatCompletionClient } from "@autogen-ts/ext/models/anthropic";
import { describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { collect, useModelServer, user } from "../../support/model-harness.js";

const KEY = "sk-ant-test-0123456789-SECRET";
const h = useModelServer();

function client(extra: Partial<ConstructorParameters<typeof AnthropicChatCompletionClient>[0]> = {}) {
  return new AnthropicChatCompletionClient({
    model: "claude-sonnet-4-6",
    apiKey: KEY,
    baseURL: h.server.url,
    initialDelayMs: 1,
    ...extra,
  });
}

const body = (i: number) => h.body(i);

function message(content: unknown[], stopReason: string, usage: Record<string, unknown> = {}) {
  return {
    kind: "json" as const,
    body: {
      id: "msg_1",
      type: "message",
      role: "assistant",
      model: "claude-sonnet-4-6",
      content,
      stop_reason: stopReason,
      stop_sequence: null,
      usage: { input_tokens: 10, output_tokens: 5, ...usage },
    },
  };
}

/** The SSE events of a streamed message whose blocks are given as start block plus deltas. */
function stream(
  blocks: { start: Record<string, unknown>; deltas: Record<string, unknown>[] }[],
  stopReason: string,
  opts: { stall?: boolean; usage?: Record<string, unknown>; outputTokens?: number } = {},
) {
  const events: { event: string; data: unknown }[] = [
    {
      event: "message_start",
      data: {
        type: "message_start",
        message: {
          id: "msg_s",
          type: "message",
          role: "assistant",
          model: "claude-sonnet-4-6",
          content: [],
          stop_reason: null,
          stop_sequence: null,
          usage: { input_tokens: 20, output_tokens: 1, ...opts.usage },
        },
      },
    },
  ];
  blocks.forEach((b, index) => {
    events.push({
      event: "content_block_start",
      data: { type: "content_block_start", index, content_block: b.start },
    });
    for (const delta of b.deltas) {
      events.push({ event: "content_block_delta", data: { type: "content_block_delta", index, delta } });
    }
    events.push({ event: "content_block_stop", data: { type: "content_block_stop", index } });
  });
  events.push({
    event: "message_delta",
    data: {
      type: "message_delta",
      delta: { stop_reason: stopReason, stop_sequence: null },
      usage: { output_tokens: opts.outputTokens ?? 12 },
    },
  });
  events.push({ event: "message_stop", data: { type: "message_stop" } });
  // A stalled stream sends its first block's start and deltas, then holds the connection open.
  const stallAfter = opts.stall ? 2 + (blocks[0]?.deltas.length ?? 0) : undefined;
  return { kind: "sse" as const, events, ...(stallAfter !== undefined ? { stallAfter } : {}) };
}

const text = (s: string) => ({ type: "text_delta", text: s });
const json = (s: string) => ({ type: "input_json_delta", partial_json: s });

describe("AnthropicChatCompletionClient", () => {
  it("completes, lifting and merging system messages, and prices usage with cache tokens", async () => {
    h.server.enqueue(
      message([{ type: "text", text: "Hello!" }], "end_turn", {
        input_tokens: 100,
        output_tokens: 50,
        cache_read_input_tokens: 1000,
        cache_creation_input_tokens: 200,
      }),
    );
    const c = client();
    const result = await c.create([
      { type: "SystemMessage", content: "Be brief." },
      user("Hi"),
      { type: "SystemMessage", content: "Answer in English." },
      user("there"),
    ]);
    expect(result.content).toBe("Hello!");
    expect(result.finishReason).toBe("stop");
    expect(result.usage.promptTokens).toBe(1300);
    expect(result.usage.completionTokens).toBe(50);
    expect(result.usage.cachedPromptTokens).toBe(1000);
    expect(result.usage.cacheCreationTokens).toBe(200);
    // sonnet 4.6: $3 in, $15 out, $0.30 cache read, $3.75 cache write per million tokens
    expect(result.usage.costUsd).toBeCloseTo((100 * 3 + 50 * 15 + 1000 * 0.3 + 200 * 3.75) / 1e6, 12);
    const req = h.server.requests[0]!;
    expect(req.path).toBe("/v1/messages");
    expect(req.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(body(0).system).toBe("Be brief.\n\nAnswer in English.");
    expect(body(0).messages).toEqual([
      {
        role: "user",
        content: [
          { type: "text", text: "Hi" },
          { type: "text", text: "there" },
        ],
      },
    ]);
    expect(body(0).max_tokens).toBe(8192);
    expect(c.actualUsage()).toEqual(result.usage);
  });

  it("streams text chunks and ends with one result carrying the streamed usage", async () => {
    h.server.enqueue(
      stream(
        [{ start: { type: "text", text: "" }, deltas: [text("Hel"), text("lo "), text("world")] }],
        "end_turn",
        {
          usage: { cache_read_input_tokens: 5 },
          outputTokens: 7,
        },
      ),
    );
    const c = client();
    const { chunks, result } = await collect(c.createStream([user("Hi")]));
    expect(chunks).toEqual(["Hel", "lo ", "world"]);
    expect(result.content).toBe("Hello world");
    expect(result.finishReason).toBe("stop");
    expect(result.usage).toMatchObject({ promptTokens: 25, completionTokens: 7, cachedPromptTokens: 5 });
    expect(body(0).stream).toBe(true);
    expect(c.totalUsage().completionTokens).toBe(7);
  });

  it("returns one tool call, and sends tools, tool choice and (error) results in Anthropic's shapes", async () => {
    h.server.enqueue(
      message(
        [
          { type: "text", text: "Let me check." },
          { type: "tool_use", id: "toolu_1", name: "weather", input: { city: "Paris" } },
        ],
        "tool_use",
      ),
      message([{ type: "text", text: "It is sunny." }], "end_turn"),
    );
    const c = client();
    const tools = [
      {
        name: "weather",
        description: "Weather in a city",
        parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
        strict: true,
      },
    ];
    const first = await c.create([user("Weather in Paris?")], { tools, toolChoice: "required" });
    expect(first.finishReason).toBe("function_calls");
    expect(first.content).toEqual([{ id: "toolu_1", name: "weather", arguments: '{"city":"Paris"}' }]);
    expect(first.thought).toBe("Let me check.");
    expect(body(0).tools).toEqual([
      {
        name: "weather",
        description: "Weather in a city",
        input_schema: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
        strict: true,
      },
    ]);
    expect(body(0).tool_choice).toEqual({ type: "any" });

    const second = await c.create(
      [
        user("Weather in Paris?"),
        { type: "AssistantMessage", content: first.content as FunctionCall[], source: "a" },
        {
          type: "FunctionExecutionResultMessage",
          content: [{ callId: "toolu_1", name: "weather", content: "service down", isError: true }],
        },
      ],
      { tools },
    );
    expect(second.content).toBe("It is sunny.");
    expect(body(1).messages).toEqual([
      { role: "user", content: [{ type: "text", text: "Weather in Paris?" }] },
      {
        role: "assistant",
        content: [{ type: "tool_use", id: "toolu_1", name: "weather", input: { city: "Paris" } }],
      },
      {
        role: "user",
        content: [{ type: "tool_result", tool_use_id: "toolu_1", content: "service down", is_error: true }],
      },
    ]);
  });

  it("streams parallel tool calls whose JSON arrives split across deltas", async () => {
    h.server.enqueue(
      stream(
        [
          {
            start: { type: "tool_use", id: "t1", name: "add", input: {} },
            deltas: [json('{"a": 1'), json(', "b": 2}')],
          },
          {
            start: { type: "tool_use", id: "t2", name: "add", input: {} },
            deltas: [json('{"a": 3,'), json(' "b": 4}')],
          },
          { start: { type: "tool_use", id: "t3", name: "now", input: {} }, deltas: [] },
        ],
        "tool_use",
      ),
    );
    const { chunks, result } = await collect(
      client().createStream([user("sums")], {
        tools: [
          { name: "add", parameters: { type: "object" } },
          { name: "now", parameters: { type: "object" } },
        ],
      }),
    );
    expect(chunks).toEqual([]);
    expect(result.finishReason).toBe("function_calls");
    expect(result.content).toEqual([
      { id: "t1", name: "add", arguments: '{"a": 1, "b": 2}' },
      { id: "t2", name: "add", arguments: '{"a": 3, "b": 4}' },
      { id: "t3", name: "now", arguments: "{}" },
    ]);
  });

  it("passes malformed tool-call arguments through raw, and the conversation can go on", async () => {
    h.server.enqueue(
      stream(
        [
          {
            start: { type: "tool_use", id: "t1", name: "weather", input: {} },
            deltas: [json('{"city": "Par')],
          },
        ],
        "tool_use",
      ),
      message([{ type: "text", text: "Sorry, let me retry." }], "end_turn"),
    );
    const c = client();
    const tools = [{ name: "weather", parameters: { type: "object" } }];
    const { result } = await collect(c.createStream([user("Weather?")], { tools }));
    const calls = result.content as FunctionCall[];
    expect(calls[0]!.arguments).toBe('{"city": "Par');
    const next = await c.create(
      [
        user("Weather?"),
        { type: "AssistantMessage", content: calls, source: "a" },
        {
          type: "FunctionExecutionResultMessage",
          content: [
            { callId: "t1", name: "weather", content: "Arguments are not valid JSON", isError: true },
          ],
        },
      ],
      { tools },
    );
    expect(next.content).toBe("Sorry, let me retry.");
    const sent = body(1).messages as { content: { input?: unknown }[] }[];
    expect(sent[1]!.content[0]!.input).toEqual({ raw: '{"city": "Par' });
  });

  it("returns structured output through output_config, parsed by the zod schema", async () => {
    const schema = z.object({ city: z.string(), temperature: z.number() });
    h.server.enqueue(
      stream(
        [
          {
            start: { type: "text", text: "" },
            deltas: [text('{"city":"Paris",'), text('"temperature":21}')],
          },
        ],
        "end_turn",
      ),
      message([{ type: "text", text: '{"city":"Paris"}' }], "end_turn"),
    );
    const c = client();
    const { chunks, result } = await collect(c.createStream([user("Weather?")], { jsonOutput: schema }));
    expect(chunks.join("")).toBe('{"city":"Paris","temperature":21}');
    expect(result.parsed).toEqual({ city: "Paris", temperature: 21 });
    const format = (body(0).output_config as { format: { type: string; schema: unknown } }).format;
    expect(format.type).toBe("json_schema");
    expect(format.schema).toMatchObject({
      type: "object",
      required: ["city", "temperature"],
      additionalProperties: false,
    });

    const bad = await c.create([user("Weather?")], { jsonOutput: schema }).catch((e: unknown) => e);
    expect(ModelError.isInstance(bad) && bad.code).toBe("model_output");
  });

  it("refuses structured output, images and tools the model cannot take, before sending anything", async () => {
    const old = client({ model: "claude-3-5-haiku-20241022" });
    await expect(old.create([user("x")], { jsonOutput: z.object({ a: z.string() }) })).rejects.toMatchObject({
      code: "model_capability",
    });
    const blind = client({ modelInfo: { vision: false } });
    const image = { type: "image" as const, data: "iVBORw0KGgo=", mediaType: "image/png" };
    await expect(
      blind.create([{ type: "UserMessage", content: ["What is this?", image], source: "user" }]),
    ).rejects.toMatchObject({ code: "model_capability" });
    const toolless = client({ modelInfo: { functionCalling: false } });
    await expect(
      toolless.create([user("x")], { tools: [{ name: "t", parameters: { type: "object" } }] }),
    ).rejects.toMatchObject({ code: "model_capability" });
    expect(h.server.requests).toHaveLength(0);
  });

  it("sends images as base64 and URL sources", async () => {
    h.server.enqueue(message([{ type: "text", text: "A cat." }], "end_turn"));
    await client().create([
      {
        type: "UserMessage",
        content: [
          "What is this?",
          { type: "image", url: "data:image/jpeg;base64,/9j/4AAQ" },
          { type: "image", url: "https://example.com/cat.png" },
        ],
        source: "user",
      },
    ]);
    const content = (body(0).messages as { content: unknown[] }[])[0]!.content;
    expect(content).toEqual([
      { type: "text", text: "What is this?" },
      { type: "image", source: { type: "base64", media_type: "image/jpeg", data: "/9j/4AAQ" } },
      { type: "image", source: { type: "url", url: "https://example.com/cat.png" } },
    ]);
  });

  it("returns extended thinking as thought, and sends the signed block back after the tool call", async () => {
    h.server.enqueue(
      stream(
        [
          {
            start: { type: "thinking", thinking: "", signature: "" },
            deltas: [
              { type: "thinking_delta", thinking: "The user wants " },
              { type: "thinking_delta", thinking: "the weather." },
              { type: "signature_delta", signature: "sig-abc" },
            ],
          },
          {
            start: { type: "tool_use", id: "t9", name: "weather", input: {} },
            deltas: [json('{"city":"Oslo"}')],
          },
        ],
        "tool_use",
        { outputTokens: 30 },
      ),
      message([{ type: "text", text: "Cold." }], "end_turn"),
    );
    const c = client({ thinkingBudgetTokens: 2048, maxTokens: 4096 });
    const tools = [{ name: "weather", parameters: { type: "object" } }];
    const { result } = await collect(c.createStream([user("Weather in Oslo?")], { tools }));
    expect(result.thought).toBe("The user wants the weather.");
    expect(body(0).thinking).toEqual({ type: "enabled", budget_tokens: 2048 });
    await c.create(
      [
        user("Weather in Oslo?"),
        {
          type: "AssistantMessage",
          content: result.content as FunctionCall[],
          thought: result.thought,
          source: "a",
        },
        {
          type: "FunctionExecutionResultMessage",
          content: [{ callId: "t9", name: "weather", content: "-5C", isError: false }],
        },
      ],
      { tools },
    );
    const assistant = (body(1).messages as { content: unknown[] }[])[1]!;
    expect(assistant.content).toEqual([
      { type: "thinking", thinking: "The user wants the weather.", signature: "sig-abc" },
      { type: "tool_use", id: "t9", name: "weather", input: { city: "Oslo" } },
    ]);
  });

  it("retries a 429 after the Retry-After wait, then succeeds", async () => {
    h.server.enqueue(
      {
        kind: "json",
        status: 429,
        headers: { "retry-after": "0" },
        body: { type: "error", error: { type: "rate_limit_error", message: "slow down" } },
      },
      message([{ type: "text", text: "ok" }], "end_turn"),
    );
    const result = await client().create([user("Hi")]);
    expect(result.content).toBe("ok");
    expect(h.server.requests).toHaveLength(2);
  });

  it("gives a typed ModelError once 500s exhaust the retries", async () => {
    const fail = {
      kind: "json" as const,
      status: 500,
      body: { type: "error", error: { type: "api_error", message: "boom" } },
    };
    h.server.enqueue(fail, fail, fail);
    const error = await client({ maxRetries: 2 })
      .create([user("Hi")])
      .catch((e: unknown) => e);
    expect(ModelError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ code: "provider_error", status: 500 });
    expect(h.server.requests).toHaveLength(3);
  });

  it("cancels mid-stream with a CancelledError", async () => {
    h.server.enqueue(
      stream([{ start: { type: "text", text: "" }, deltas: [text("partial")] }], "end_turn", { stall: true }),
    );
    const controller = new AbortController();
    const chunks: string[] = [];
    const run = (async () => {
      for await (const x of client().createStream([user("Hi")], { signal: controller.signal })) {
        if (typeof x === "string") chunks.push(x);
      }
    })();
    await vi.waitFor(() => expect(chunks).toEqual(["partial"]));
    controller.abort();
    const error = await run.catch((e: unknown) => e);
    expect(CancelledError.isInstance(error)).toBe(true);
    await h.server.disconnected(0); // the connection was closed, not left open
  });

  it("never shows the API key in errors or logs, even when the server echoes it", async () => {
    const logs: string[] = [];
    const spies = (["log", "warn", "error", "info", "debug"] as const).map((m) =>
      vi.spyOn(console, m).mockImplementation((...args: unknown[]) => {
        logs.push(args.map(String).join(" "));
      }),
    );
    try {
      h.server.enqueue({
        kind: "json",
        status: 401,
        body: { type: "error", error: { type: "authentication_error", message: `invalid x-api-key ${KEY}` } },
      });
      const error = (await client({ model: "my-finetuned-model" })
        .create([user("Hi")])
        .catch((e: unknown) => e)) as Error;
      expect(ModelError.isInstance(error)).toBe(true);
      expect((error as ModelError).status).toBe(401);
      const seen = [
        error.message,
        error.stack ?? "",
        String(error.cause ?? ""),
        JSON.stringify(error),
        ...logs,
      ].join("\n");
      expect(seen).not.toContain(KEY);
      expect(error.message).toContain("[redacted]");
      // the unknown model got its one-time warning
      expect(logs.some((l) => l.includes("my-finetuned-model"))).toBe(true);
      expect(JSON.stringify(client())).not.toContain(KEY);
    } finally {
      for (const s of spies) s.mockRestore();
    }
  });
});
