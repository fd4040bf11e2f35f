import type { FunctionCall } from "@autogen-ts/core";
import { CancelledError, ModelError } from "@autogen-ts/core";
import { OllamaChatCompletionClient } from "@autogen-ts/ext/models/ollama";
import { describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { collect, useModelServer, user } from "../../support/model-harness.js";

const KEY = "ollama-proxy-token-0123456789";
const h = useModelServer();

function client(extra: Partial<ConstructorParameters<typeof OllamaChatCompletionClient>[0]> = {}) {
  return new OllamaChatCompletionClient({
    model: "llama3.2",
    baseURL: h.server.url,
    initialDelayMs: 1,
    ...extra,
  });
}

const body = (i: number) => h.body(i);

const final = (extra: Record<string, unknown> = {}) => ({
  model: "llama3.2",
  created_at: "2026-01-01T00:00:00Z",
  message: { role: "assistant", content: "" },
  done: true,
  done_reason: "stop",
  prompt_eval_count: 26,
  eval_count: 9,
  ...extra,
});
const piece = (message: Record<string, unknown>) => ({
  model: "llama3.2",
  created_at: "2026-01-01T00:00:00Z",
  message: { role: "assistant", content: "", ...message },
  done: false,
});

describe("OllamaChatCompletionClient", () => {
  it("completes over /api/chat with usage from prompt_eval_count and eval_count", async () => {
    h.server.enqueue({ kind: "json", body: final({ message: { role: "assistant", content: "Hello!" } }) });
    const c = client({ modelOptions: { temperature: 0 }, keepAlive: "1m" });
    const result = await c.create([{ type: "SystemMessage", content: "Be brief." }, user("Hi")]);
    expect(result).toMatchObject({ content: "Hello!", finishReason: "stop", cached: false });
    expect(result.usage).toEqual({ promptTokens: 26, completionTokens: 9 });
    expect(h.server.requests[0]!.path).toBe("/api/chat");
    expect(body(0)).toEqual({
      model: "llama3.2",
      messages: [
        { role: "system", content: "Be brief." },
        { role: "user", content: "Hi" },
      ],
      stream: false,
      options: { temperature: 0 },
      keep_alive: "1m",
    });
    expect(result.usage.costUsd).toBeUndefined();
  });

  it("streams NDJSON text chunks and ends with one result", async () => {
    h.server.enqueue({
      kind: "ndjson",
      lines: [
        piece({ content: "Hel" }),
        piece({ content: "lo" }),
        piece({ content: " there" }),
        final({ eval_count: 3 }),
      ],
    });
    const c = client();
    const { chunks, result } = await collect(c.createStream([user("Hi")]));
    expect(chunks).toEqual(["Hel", "lo", " there"]);
    expect(result).toMatchObject({ content: "Hello there", finishReason: "stop" });
    expect(result.usage).toEqual({ promptTokens: 26, completionTokens: 3 });
    expect(body(0).stream).toBe(true);
    expect(c.totalUsage()).toEqual({ promptTokens: 26, completionTokens: 3 });
  });

  it("returns a tool call and sends tools, calls and tool results in Ollama's shapes", async () => {
    h.server.enqueue(
      {
        kind: "json",
        body: final({
          message: {
            role: "assistant",
            content: "",
            tool_calls: [{ id: "call_a", function: { name: "weather", arguments: { city: "Paris" } } }],
          },
        }),
      },
      { kind: "json", body: final({ message: { role: "assistant", content: "Sunny." } }) },
    );
    const c = client();
    const tools = [
      {
        name: "weather",
        description: "Weather",
        parameters: { type: "object", properties: { city: { type: "string" } } },
      },
    ];
    const first = await c.create([user("Weather?")], { tools });
    expect(first.finishReason).toBe("function_calls");
    expect(first.content).toEqual([{ id: "call_a", name: "weather", arguments: '{"city":"Paris"}' }]);
    expect(body(0).tools).toEqual([
      {
        type: "function",
        function: { name: "weather", description: "Weather", parameters: tools[0]!.parameters },
      },
    ]);
    const second = await c.create(
      [
        user("Weather?"),
        { type: "AssistantMessage", content: first.content as FunctionCall[], source: "a" },
        {
          type: "FunctionExecutionResultMessage",
          content: [{ callId: "call_a", name: "weather", content: "sunny", isError: false }],
        },
      ],
      { tools },
    );
    expect(second.content).toBe("Sunny.");
    expect((body(1).messages as unknown[]).slice(1)).toEqual([
      {
        role: "assistant",
        content: "",
        tool_calls: [{ function: { name: "weather", arguments: { city: "Paris" } } }],
      },
      { role: "tool", content: "sunny", tool_name: "weather" },
    ]);
    // toolChoice "none": the tools are not offered
    h.server.enqueue({ kind: "json", body: final({ message: { role: "assistant", content: "ok" } }) });
    await c.create([user("x")], { tools, toolChoice: "none" });
    expect(body(2).tools).toBeUndefined();
  });

  it("streams parallel tool calls, giving ids to calls that come without one", async () => {
    h.server.enqueue({
      kind: "ndjson",
      lines: [
        piece({
          tool_calls: [
            { function: { index: 0, name: "add", arguments: { a: 1, b: 2 } } },
            { function: { index: 1, name: "add", arguments: { a: 3, b: 4 } } },
          ],
        }),
        final({ done_reason: "stop" }),
      ],
    });
    const { chunks, result } = await collect(
      client().createStream([user("sums")], { tools: [{ name: "add", parameters: { type: "object" } }] }),
    );
    expect(chunks).toEqual([]);
    expect(result.finishReason).toBe("function_calls");
    const calls = result.content as FunctionCall[];
    expect(calls.map((c) => [c.name, c.arguments])).toEqual([
      ["add", '{"a":1,"b":2}'],
      ["add", '{"a":3,"b":4}'],
    ]);
    expect(calls[0]!.id).toMatch(/^call_/);
    expect(calls[0]!.id).not.toBe(calls[1]!.id);
  });

  it("passes malformed tool-call arguments through raw, and the conversation goes on", async () => {
    h.server.enqueue(
      {
        kind: "json",
        body: final({
          message: {
            role: "assistant",
            content: "",
            tool_calls: [{ function: { name: "weather", arguments: '{"city": "Par' } }],
          },
        }),
      },
      { kind: "json", body: final({ message: { role: "assistant", content: "Retrying." } }) },
    );
    const c = client();
    const tools = [{ name: "weather", parameters: { type: "object" } }];
    const first = await c.create([user("Weather?")], { tools });
    const calls = first.content as FunctionCall[];
    expect(calls[0]!.arguments).toBe('{"city": "Par');
    const next = await c.create(
      [
        user("Weather?"),
        { type: "AssistantMessage", content: calls, source: "a" },
        {
          type: "FunctionExecutionResultMessage",
          content: [{ callId: calls[0]!.id, name: "weather", content: "bad JSON", isError: true }],
        },
      ],
      { tools },
    );
    expect(next.content).toBe("Retrying.");
    const sent = body(1).messages as { tool_calls?: { function: { arguments: unknown } }[] }[];
    expect(sent[1]!.tool_calls![0]!.function.arguments).toEqual({ raw: '{"city": "Par' });
  });

  it("sends a zod schema as format and returns the parsed reply; format json for JSON mode", async () => {
    const schema = z.object({ city: z.string(), temperature: z.number() });
    h.server.enqueue(
      {
        kind: "ndjson",
        lines: [piece({ content: '{"city":"Paris",' }), piece({ content: '"temperature":21}' }), final()],
      },
      { kind: "json", body: final({ message: { role: "assistant", content: '{"city":"Paris"}' } }) },
      { kind: "json", body: final({ message: { role: "assistant", content: '{"a":1}' } }) },
    );
    const c = client();
    const { result } = await collect(c.createStream([user("Weather?")], { jsonOutput: schema }));
    expect(result.parsed).toEqual({ city: "Paris", temperature: 21 });
    expect(body(0).format).toMatchObject({
      type: "object",
      properties: { city: { type: "string" }, temperature: { type: "number" } },
      required: ["city", "temperature"],
    });
    await expect(c.create([user("Weather?")], { jsonOutput: schema })).rejects.toMatchObject({
      code: "model_output",
    });
    const plain = await c.create([user("JSON please")], { jsonOutput: true });
    expect(plain.content).toBe('{"a":1}');
    expect(body(2).format).toBe("json");
  });

  it("returns thinking as thought, and sends images as base64", async () => {
    h.server.enqueue({
      kind: "ndjson",
      lines: [
        piece({ thinking: "Looking at " }),
        piece({ thinking: "the cat." }),
        piece({ content: "A cat." }),
        final(),
      ],
    });
    const c = client({ model: "qwen3-vl:8b", think: true });
    const { result } = await collect(
      c.createStream([
        {
          type: "UserMessage",
          content: ["What is this?", { type: "image", url: "data:image/png;base64,iVBORw0KGgo=" }],
          source: "user",
        },
      ]),
    );
    expect(result).toMatchObject({ content: "A cat.", thought: "Looking at the cat." });
    expect(body(0).think).toBe(true);
    expect(body(0).messages).toEqual([{ role: "user", content: "What is this?", images: ["iVBORw0KGgo="] }]);
    await expect(
      c.create([
        { type: "UserMessage", content: [{ type: "image", url: "https://x.test/cat.png" }], source: "u" },
      ]),
    ).rejects.toMatchObject({ code: "model_capability" });
  });

  it("refuses images and tools the model cannot take, before sending anything", async () => {
    const image = { type: "image" as const, data: "iVBORw0KGgo=", mediaType: "image/png" };
    await expect(
      client().create([{ type: "UserMessage", content: ["?", image], source: "user" }]),
    ).rejects.toMatchObject({ code: "model_capability" });
    await expect(
      client({ model: "llava" }).create([user("x")], {
        tools: [{ name: "t", parameters: { type: "object" } }],
      }),
    ).rejects.toMatchObject({ code: "model_capability" });
    expect(h.server.requests).toHaveLength(0);
  });

  it("retries a 429 after its Retry-After wait, then succeeds", async () => {
    const records: string[] = [];
    h.server.enqueue(
      { kind: "json", status: 429, headers: { "retry-after": "0" }, body: { error: "too many requests" } },
      { kind: "json", body: final({ message: { role: "assistant", content: "ok" } }) },
    );
    const result = await client({ logger: (r) => records.push(r.message) }).create([user("Hi")]);
    expect(result.content).toBe("ok");
    expect(h.server.requests).toHaveLength(2);
    expect(records).toHaveLength(1);
  });

  it("gives a typed ModelError once 500s exhaust the retries", async () => {
    const fail = { kind: "json" as const, status: 500, body: { error: "model runner crashed" } };
    h.server.enqueue(fail, fail);
    const error = await client({ maxRetries: 1 })
      .create([user("Hi")])
      .catch((e: unknown) => e);
    expect(ModelError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ code: "provider_error", status: 500 });
    expect((error as Error).message).toContain("model runner crashed");
    expect(h.server.requests).toHaveLength(2);
  });

  it("reports an error line inside the stream as a ModelError", async () => {
    h.server.enqueue({ kind: "ndjson", lines: [piece({ content: "par" }), { error: "out of memory" }] });
    const error = await collect(client().createStream([user("Hi")])).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "provider_error" });
    expect((error as Error).message).toContain("out of memory");
  });

  it("cancels mid-stream with a CancelledError and closes the connection", async () => {
    h.server.enqueue({ kind: "ndjson", lines: [piece({ content: "partial" }), final()], stallAfter: 1 });
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
    await h.server.disconnected(0);
  });

  it("never shows the token in errors or logs, even when the server echoes it", async () => {
    const records: string[] = [];
    h.server.enqueue(
      { kind: "json", status: 503, body: { error: `upstream rejected token ${KEY}` } },
      { kind: "json", status: 401, body: { error: `bad token ${KEY}` } },
    );
    const c = client({
      apiKey: KEY,
      logger: (r) => records.push(`${r.message} ${JSON.stringify(r.fields)}`),
    });
    const error = (await c.create([user("Hi")]).catch((e: unknown) => e)) as Error;
    expect(h.server.requests[0]!.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(error).toMatchObject({ code: "provider_error", status: 401 });
    const seen = [
      error.message,
      error.stack ?? "",
      String(error.cause ?? ""),
      JSON.stringify(error),
      ...records,
    ];
    expect(records.length).toBeGreaterThan(0);
    for (const text of seen) expect(text).not.toContain(KEY);
    expect(JSON.stringify(c)).not.toContain(KEY);
  });

  it("defaults to 127.0.0.1:11434 and gives unknown models working defaults with one warning", () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    try {
      const saved = process.env.OLLAMA_HOST;
      delete process.env.OLLAMA_HOST;
      const c = new OllamaChatCompletionClient({ model: "my-own-model:7b" });
      new OllamaChatCompletionClient({ model: "my-own-model:7b" });
      if (saved !== undefined) process.env.OLLAMA_HOST = saved;
      expect(c.toJSON().url).toBe("http://127.0.0.1:11434/api/chat");
      expect(c.modelInfo).toMatchObject({ functionCalling: true, jsonOutput: true, vision: false });
      expect(warn).toHaveBeenCalledTimes(1);
    } finally {
      warn.mockRestore();
    }
  });
});
