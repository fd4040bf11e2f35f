import { createOpenAI } from "@ai-sdk/openai";
import type { FunctionCall } from "@autogen-ts/core";
import { CancelledError, ModelError, ValidationError } from "@autogen-ts/core";
import { AiSdkChatCompletionClient } from "@autogen-ts/ext/models/ai-sdk";
import { describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { collect, useModelServer, user } from "../../support/model-harness.js";
import { chatReply, chatStreamReply } from "../../support/openai-wire.js";

// A real AI SDK provider (@ai-sdk/openai, Chat Completions) pointed at the scripted loopback h.server.
const KEY = "sk-aisdk-test-0123456789abcdef";
const h = useModelServer();

const INFO = {
  vision: true,
  functionCalling: true,
  jsonOutput: true,
  structuredOutput: true,
  family: "gpt-4o",
};

function client(extra: Partial<ConstructorParameters<typeof AiSdkChatCompletionClient>[0]> = {}) {
  const openai = createOpenAI({ baseURL: `${h.server.url}/v1`, apiKey: KEY });
  return new AiSdkChatCompletionClient({
    model: openai.chat("gpt-4o"),
    modelInfo: INFO,
    initialDelayMs: 1,
    secrets: [KEY],
    ...extra,
  });
}

const body = (i: number) => h.body(i);

describe("AiSdkChatCompletionClient over @ai-sdk/openai", () => {
  it("completes through doGenerate, with usage (cached and reasoning tokens) and cost", async () => {
    h.server.enqueue(
      chatReply({ content: "Hello!", usage: { prompt: 100, completion: 20, cached: 40, reasoning: 5 } }),
    );
    const c = client({ price: { input: 2.5, cachedInput: 1.25, output: 10 } });
    const result = await c.create([{ type: "SystemMessage", content: "Be brief." }, user("Hi")], {
      extraCreateArgs: { temperature: 0 },
    });
    expect(result).toMatchObject({ content: "Hello!", finishReason: "stop", cached: false });
    expect(result.usage).toMatchObject({
      promptTokens: 100,
      completionTokens: 20,
      cachedPromptTokens: 40,
      reasoningTokens: 5,
    });
    expect(result.usage.costUsd).toBeCloseTo((60 * 2.5 + 40 * 1.25 + 20 * 10) / 1e6, 12);
    expect(h.server.requests[0]!.path).toBe("/v1/chat/completions");
    expect(body(0)).toMatchObject({
      model: "gpt-4o",
      temperature: 0,
      messages: [
        { role: "system", content: "Be brief." },
        { role: "user", content: "Hi" },
      ],
    });
  });

  it("streams text deltas through doStream and ends with one result", async () => {
    h.server.enqueue(
      chatStreamReply({ content: "Hello there, friend", usage: { prompt: 9, completion: 4 } }),
    );
    const c = client();
    const { chunks, result } = await collect(c.createStream([user("Hi")]));
    expect(chunks.join("")).toBe("Hello there, friend");
    expect(chunks.length).toBeGreaterThan(1);
    expect(result).toMatchObject({ content: "Hello there, friend", finishReason: "stop" });
    expect(result.usage).toMatchObject({ promptTokens: 9, completionTokens: 4 });
    expect(body(0).stream).toBe(true);
    expect(c.totalUsage()).toMatchObject({ promptTokens: 9, completionTokens: 4 });
  });

  it("returns one tool call, and sends tools, tool choice, calls and error results", async () => {
    h.server.enqueue(
      chatReply({ toolCalls: [{ id: "call_1", name: "weather", arguments: '{"city":"Paris"}' }] }),
      chatReply({ content: "Sorry, no weather today." }),
    );
    const c = client();
    const tools = [
      {
        name: "weather",
        description: "Weather in a city",
        parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
      },
    ];
    const first = await c.create([user("Weather?")], { tools, toolChoice: { name: "weather" } });
    expect(first.finishReason).toBe("function_calls");
    expect(first.content).toEqual([{ id: "call_1", name: "weather", arguments: '{"city":"Paris"}' }]);
    expect(body(0).tools).toEqual([
      {
        type: "function",
        function: { name: "weather", description: "Weather in a city", parameters: tools[0]!.parameters },
      },
    ]);
    expect(body(0).tool_choice).toEqual({ type: "function", function: { name: "weather" } });
    const second = await c.create(
      [
        user("Weather?"),
        { type: "AssistantMessage", content: first.content as FunctionCall[], source: "a" },
        {
          type: "FunctionExecutionResultMessage",
          content: [{ callId: "call_1", name: "weather", content: "service down", isError: true }],
        },
      ],
      { tools },
    );
    expect(second.content).toBe("Sorry, no weather today.");
    const sent = body(1).messages as Record<string, unknown>[];
    expect(sent[1]).toMatchObject({
      role: "assistant",
      tool_calls: [
        { id: "call_1", type: "function", function: { name: "weather", arguments: '{"city":"Paris"}' } },
      ],
    });
    expect(sent[2]).toEqual({ role: "tool", tool_call_id: "call_1", content: "service down" });
  });

  it("streams parallel tool calls whose arguments arrive split across chunks", async () => {
    h.server.enqueue(
      chatStreamReply(
        {
          toolCalls: [
            { id: "c1", name: "add", arguments: '{"a": 1, "b": 2}' },
            { id: "c2", name: "add", arguments: '{"a": 30, "b": 40}' },
          ],
        },
        { argumentsChunk: 3 },
      ),
    );
    const { chunks, result } = await collect(
      client().createStream([user("sums")], { tools: [{ name: "add", parameters: { type: "object" } }] }),
    );
    expect(chunks).toEqual([]);
    expect(result.finishReason).toBe("function_calls");
    expect(result.content).toEqual([
      { id: "c1", name: "add", arguments: '{"a": 1, "b": 2}' },
      { id: "c2", name: "add", arguments: '{"a": 30, "b": 40}' },
    ]);
  });

  it("passes malformed tool-call arguments through raw, and the conversation goes on", async () => {
    h.server.enqueue(
      chatStreamReply({ toolCalls: [{ id: "c1", name: "weather", arguments: '{"city": "Par' }] }),
      chatReply({ content: "Let me fix that." }),
    );
    const c = client();
    const tools = [{ name: "weather", parameters: { type: "object" } }];
    const { result } = await collect(c.createStream([user("Weather?")], { tools }));
    const calls = result.content as FunctionCall[];
    expect(calls).toEqual([{ id: "c1", name: "weather", arguments: '{"city": "Par' }]);
    const next = await c.create(
      [
        user("Weather?"),
        { type: "AssistantMessage", content: calls, source: "a" },
        {
          type: "FunctionExecutionResultMessage",
          content: [
            { callId: "c1", name: "weather", content: "Arguments are not valid JSON", isError: true },
          ],
        },
      ],
      { tools },
    );
    expect(next.content).toBe("Let me fix that.");
  });

  it("sends a zod schema as response_format json_schema and returns the parsed reply", async () => {
    const schema = z.object({ city: z.string(), temperature: z.number() });
    h.server.enqueue(
      chatStreamReply({ content: '{"city":"Paris","temperature":21}' }),
      chatReply({ content: '{"city":"Paris"}' }),
      chatReply({ content: '{"ok":true}' }),
    );
    const c = client();
    const { result } = await collect(c.createStream([user("Weather?")], { jsonOutput: schema }));
    expect(result.parsed).toEqual({ city: "Paris", temperature: 21 });
    expect(body(0).response_format).toMatchObject({
      type: "json_schema",
      json_schema: { name: "output", schema: { type: "object", required: ["city", "temperature"] } },
    });
    await expect(c.create([user("Weather?")], { jsonOutput: schema })).rejects.toMatchObject({
      code: "model_output",
    });
    await c.create([user("JSON")], { jsonOutput: true });
    expect(body(2).response_format).toEqual({ type: "json_object" });
  });

  it("refuses what the model cannot do, and call options the AI SDK does not have", async () => {
    const image = { type: "image" as const, data: "iVBORw0KGgo=", mediaType: "image/png" };
    await expect(
      client({ modelInfo: { ...INFO, vision: false } }).create([
        { type: "UserMessage", content: [image], source: "u" },
      ]),
    ).rejects.toMatchObject({ code: "model_capability" });
    await expect(
      client({ modelInfo: { ...INFO, functionCalling: false } }).create([user("x")], {
        tools: [{ name: "t", parameters: { type: "object" } }],
      }),
    ).rejects.toMatchObject({ code: "model_capability" });
    const bad = await client()
      .create([user("x")], { extraCreateArgs: { logit_bias: {} } })
      .catch((e: unknown) => e);
    expect(ValidationError.isInstance(bad)).toBe(true);
    expect(() => new AiSdkChatCompletionClient({ model: {} as never })).toThrow(/LanguageModelV3/);
    expect(h.server.requests).toHaveLength(0);
  });

  it("sends images as file parts", async () => {
    h.server.enqueue(chatReply({ content: "A cat." }));
    await client().create([
      {
        type: "UserMessage",
        content: ["What is this?", { type: "image", data: "iVBORw0KGgo=", mediaType: "image/png" }],
        source: "u",
      },
    ]);
    const content = (body(0).messages as { content: unknown }[])[0]!.content;
    expect(content).toEqual([
      { type: "text", text: "What is this?" },
      { type: "image_url", image_url: { url: "data:image/png;base64,iVBORw0KGgo=" } },
    ]);
  });

  it("retries a 429 after its Retry-After wait, then succeeds", async () => {
    const records: string[] = [];
    h.server.enqueue(
      {
        kind: "json",
        status: 429,
        headers: { "retry-after": "0" },
        body: { error: { message: "Rate limit reached", type: "rate_limit", code: null } },
      },
      chatReply({ content: "ok" }),
    );
    const result = await client({ logger: (r) => records.push(r.message) }).create([user("Hi")]);
    expect(result.content).toBe("ok");
    expect(h.server.requests).toHaveLength(2);
    expect(records).toHaveLength(1);
    expect(records[0]).toContain("429");
  });

  it("gives a typed ModelError once 500s exhaust the retries", async () => {
    const fail = {
      kind: "json" as const,
      status: 500,
      body: { error: { message: "upstream exploded", type: "server_error", code: null } },
    };
    h.server.enqueue(fail, fail, fail);
    const error = await client({ maxRetries: 2 })
      .create([user("Hi")])
      .catch((e: unknown) => e);
    expect(ModelError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ code: "provider_error", status: 500 });
    expect((error as Error).message).toContain("upstream exploded");
    expect(h.server.requests).toHaveLength(3);
  });

  it("cancels mid-stream with a CancelledError and closes the connection", async () => {
    h.server.enqueue(chatStreamReply({ content: "partial answer that never ends" }, { stallAfter: 3 }));
    const controller = new AbortController();
    const chunks: string[] = [];
    const run = (async () => {
      for await (const x of client().createStream([user("Hi")], { signal: controller.signal })) {
        if (typeof x === "string") chunks.push(x);
      }
    })();
    await vi.waitFor(() => expect(chunks.length).toBeGreaterThan(0));
    controller.abort();
    const error = await run.catch((e: unknown) => e);
    expect(CancelledError.isInstance(error)).toBe(true);
    await h.server.disconnected(0);
  });

  it("never shows the API key in errors or logs, even when the server echoes it", async () => {
    const records: string[] = [];
    h.server.enqueue(
      {
        kind: "json",
        status: 503,
        body: { error: { message: `key ${KEY} overloaded`, type: "x", code: null } },
      },
      {
        kind: "json",
        status: 401,
        body: { error: { message: `Incorrect API key: ${KEY}`, type: "x", code: null } },
      },
    );
    const c = client({ logger: (r) => records.push(`${r.message} ${JSON.stringify(r.fields)}`) });
    const error = (await c.create([user("Hi")]).catch((e: unknown) => e)) as Error;
    expect(h.server.requests[0]!.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(error).toMatchObject({ code: "provider_error", status: 401 });
    expect(records.length).toBe(1);
    for (const text of [
      error.message,
      error.stack ?? "",
      String(error.cause ?? ""),
      JSON.stringify(error),
      ...records,
    ]) {
      expect(text).not.toContain(KEY);
    }
    expect(JSON.stringify(c)).not.toContain(KEY);
  });
});
