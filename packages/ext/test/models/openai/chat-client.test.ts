import {
  CancelledError,
  type FunctionCall,
  FunctionTool,
  type LLMMessage,
  ModelError,
  toolResultText,
} from "@autogen-ts/core";
import { AzureOpenAIChatCompletionClient, OpenAIChatCompletionClient } from "@autogen-ts/ext/models/openai";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { collect, hello, useModelServer } from "../../support/model-harness.js";
import { errorReply } from "../../support/model-server.js";
import { chatReply, chatStreamReply } from "../../support/openai-wire.js";

const KEY = "sk-test-9f8e7d6c5b4a39281706SECRET";

const h = useModelServer();

function client(extra: Partial<ConstructorParameters<typeof OpenAIChatCompletionClient>[0]> = {}) {
  return new OpenAIChatCompletionClient({
    model: "gpt-4o",
    apiKey: KEY,
    baseURL: `${h.server.url}/v1`,
    initialDelayMs: 1,
    logger: h.logger,
    ...extra,
  });
}

type Body = Record<string, unknown> & { messages: Record<string, unknown>[] };
const body = (i = 0) => h.body<Body>(i);

describe("OpenAIChatCompletionClient: completions", () => {
  it("returns a plain completion with usage (cached, reasoning) and cost", async () => {
    h.server.enqueue(
      chatReply({ content: "Hello!", usage: { prompt: 1000, completion: 200, cached: 400, reasoning: 50 } }),
    );
    const model = client();
    const result = await model.create(hello, { extraCreateArgs: { temperature: 0.2 } });
    expect(result).toMatchObject({ content: "Hello!", finishReason: "stop", cached: false });
    expect(result.usage).toMatchObject({
      promptTokens: 1000,
      completionTokens: 200,
      cachedPromptTokens: 400,
      reasoningTokens: 50,
    });
    expect(result.usage.costUsd).toBeCloseTo((600 * 2.5 + 400 * 1.25 + 200 * 10) / 1e6, 12);
    expect(model.totalUsage()).toEqual(result.usage);
    const req = h.server.requests[0]!;
    expect(req.path).toBe("/v1/chat/completions");
    expect(req.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(body()).toMatchObject({
      model: "gpt-4o",
      temperature: 0.2,
      messages: [
        { role: "system", content: "Be brief." },
        { role: "user", content: "Hi", name: "user" },
      ],
    });
  });

  it("sends images, earlier tool calls and tool results in the wire format", async () => {
    h.server.enqueue(chatReply({ content: "done" }));
    await client().create([
      {
        type: "UserMessage",
        content: ["Look", { type: "image", data: "AAAA", mediaType: "image/png" }],
        source: "user",
      },
      { type: "AssistantMessage", content: [{ id: "c1", name: "look", arguments: "{}" }], source: "a" },
      {
        type: "FunctionExecutionResultMessage",
        content: [{ callId: "c1", name: "look", content: "a cat", isError: false }],
      },
    ]);
    expect(body().messages).toEqual([
      {
        role: "user",
        name: "user",
        content: [
          { type: "text", text: "Look" },
          { type: "image_url", image_url: { url: "data:image/png;base64,AAAA" } },
        ],
      },
      {
        role: "assistant",
        content: null,
        tool_calls: [{ id: "c1", type: "function", function: { name: "look", arguments: "{}" } }],
      },
      { role: "tool", tool_call_id: "c1", content: "a cat" },
    ]);
  });

  it("returns one and parallel tool calls, sending tools and tool choice", async () => {
    const tool = new FunctionTool({
      name: "get_weather",
      description: "Weather",
      parameters: z.object({ city: z.string() }),
      run: () => "",
    });
    h.server.enqueue(
      chatReply({ toolCalls: [{ id: "c1", name: "get_weather", arguments: '{"city":"Oslo"}' }] }),
      chatReply({
        toolCalls: [
          { id: "c1", name: "get_weather", arguments: '{"city":"Oslo"}' },
          { id: "c2", name: "get_weather", arguments: '{"city":"Rome"}' },
        ],
      }),
    );
    const model = client();
    const one = await model.create(hello, { tools: [tool.schema], toolChoice: { name: "get_weather" } });
    expect(one.finishReason).toBe("function_calls");
    expect(one.content).toEqual([{ id: "c1", name: "get_weather", arguments: '{"city":"Oslo"}' }]);
    expect(body().tools).toEqual([
      {
        type: "function",
        function: { name: "get_weather", description: "Weather", parameters: tool.schema.parameters },
      },
    ]);
    expect(body().tool_choice).toEqual({ type: "function", function: { name: "get_weather" } });
    const two = await model.create(hello, { tools: [tool.schema] });
    expect(two.content).toHaveLength(2);
  });

  it("parses structured output from a zod schema, and fails with model_output on a mismatch", async () => {
    const schema = z.object({ city: z.string(), tempC: z.number(), note: z.string().optional() });
    h.server.enqueue(
      chatReply({ content: '{"city":"Oslo","tempC":-2,"note":null}' }),
      chatReply({ content: '{"city":"Oslo"}' }),
    );
    const model = client();
    const ok = await model.create(hello, { jsonOutput: schema });
    expect(ok.parsed).toEqual({ city: "Oslo", tempC: -2 });
    const format = body().response_format as {
      type: string;
      json_schema: { strict: boolean; schema: { required: string[] } };
    };
    expect(format.type).toBe("json_schema");
    expect(format.json_schema.strict).toBe(true);
    expect(format.json_schema.schema.required).toEqual(["city", "tempC", "note"]);
    const err = await model.create(hello, { jsonOutput: schema }).catch((e: unknown) => e);
    expect(ModelError.isInstance(err) && err.code).toBe("model_output");
    expect((err as Error).message).toContain("tempC");
  });

  it("asks for JSON mode, and reports a refusal", async () => {
    h.server.enqueue(
      chatReply({ content: '{"a":1}' }),
      chatReply({ content: null, refusal: "I can't help with that." }),
    );
    const model = client();
    expect((await model.create(hello, { jsonOutput: true })).content).toBe('{"a":1}');
    expect(body().response_format).toEqual({ type: "json_object" });
    const refused = await model.create(hello);
    expect(refused).toMatchObject({ finishReason: "content_filter", content: "I can't help with that." });
  });

  it("returns reasoning content and <think> blocks as thought", async () => {
    h.server.enqueue(
      chatReply({ content: "42", reasoning: "Six times seven." }),
      chatReply({ content: "<think>Count.</think>\n\nThree." }),
    );
    const model = client({ model: "deepseek-r1" });
    expect(await model.create(hello)).toMatchObject({ content: "42", thought: "Six times seven." });
    expect(await model.create(hello)).toMatchObject({ content: "Three.", thought: "Count." });
  });

  it("passes malformed tool-call arguments through, and the tool turns them into an error result", async () => {
    h.server.enqueue(chatReply({ toolCalls: [{ id: "c1", name: "add", arguments: '{"a": 1, "b": ' }] }));
    const result = await client().create(hello);
    const call = (result.content as readonly FunctionCall[])[0]!;
    expect(call.arguments).toBe('{"a": 1, "b": ');
    const add = new FunctionTool({
      name: "add",
      description: "Adds",
      parameters: z.object({ a: z.number(), b: z.number() }),
      run: ({ a, b }) => a + b,
    });
    const toolResult = await add.call(call.arguments);
    expect(toolResult.isError).toBe(true);
    expect(toolResultText(toolResult)).toContain("Invalid JSON");
  });
});

describe("OpenAIChatCompletionClient: streaming", () => {
  it("streams content chunks and ends with the result and the usage chunk", async () => {
    h.server.enqueue(
      chatStreamReply({ content: "The quick brown fox.", usage: { prompt: 20, completion: 6 } }),
    );
    const model = client();
    const { chunks, result } = await collect(model.createStream(hello));
    expect(chunks.length).toBeGreaterThan(3);
    expect(chunks.join("")).toBe("The quick brown fox.");
    expect(result).toMatchObject({ content: "The quick brown fox.", finishReason: "stop" });
    expect(result.usage).toMatchObject({ promptTokens: 20, completionTokens: 6 });
    expect(result.usage.costUsd).toBeGreaterThan(0);
    expect(body()).toMatchObject({ stream: true, stream_options: { include_usage: true } });
  });

  it("assembles parallel tool calls from argument deltas split across chunks", async () => {
    h.server.enqueue(
      chatStreamReply(
        {
          toolCalls: [
            { id: "c1", name: "get_weather", arguments: '{"city":"Oslo","unit":"c"}' },
            { id: "c2", name: "get_time", arguments: '{"zone":"Europe/Rome"}' },
          ],
        },
        { argumentsChunk: 3 },
      ),
    );
    const { chunks, result } = await collect(client().createStream(hello));
    expect(chunks).toEqual([]);
    expect(result.finishReason).toBe("function_calls");
    expect(result.content).toEqual([
      { id: "c1", name: "get_weather", arguments: '{"city":"Oslo","unit":"c"}' },
      { id: "c2", name: "get_time", arguments: '{"zone":"Europe/Rome"}' },
    ]);
  });

  it("streams reasoning into thought and parses structured output at the end", async () => {
    h.server.enqueue(chatStreamReply({ content: '{"n":3}', reasoning: "Let me count." }));
    const { result } = await collect(
      client().createStream(hello, { jsonOutput: z.object({ n: z.number() }) }),
    );
    expect(result).toMatchObject({ thought: "Let me count.", parsed: { n: 3 } });
  });

  it("estimates usage when the server sends no usage chunk", async () => {
    h.server.enqueue(chatStreamReply({ content: "abcdefgh" }, { includeUsage: false }));
    const model = client({ includeUsageInStream: false });
    const { result } = await collect(model.createStream(hello));
    expect(result.usage.completionTokens).toBe(2);
    expect(result.usage.promptTokens).toBe(model.countTokens(hello));
    expect(body().stream_options).toBeUndefined();
  });

  it("cancels mid-stream: rejects with CancelledError and drops the connection", async () => {
    h.server.enqueue(chatStreamReply({ content: "one two three four five six" }, { stallAfter: 3 }));
    const controller = new AbortController();
    const seen: string[] = [];
    const run = async () => {
      for await (const item of client().createStream(hello, { signal: controller.signal })) {
        if (typeof item === "string") seen.push(item);
        if (seen.length === 2) controller.abort();
      }
    };
    const err = await run().catch((e: unknown) => e);
    expect(CancelledError.isInstance(err)).toBe(true);
    expect(seen).toHaveLength(2);
    await h.server.disconnected(0);
  });

  it("fails with a typed error on a truncated stream", async () => {
    h.server.enqueue(chatStreamReply({ content: "this will be cut off" }, { truncateAfter: 3 }));
    const err = await collect(client().createStream(hello)).catch((e: unknown) => e);
    expect(ModelError.isInstance(err)).toBe(true);
    expect((err as ModelError).code).toBe("provider_error");
  });

  it("retries a 429 before the stream starts", async () => {
    h.server.enqueue(
      errorReply(429, "slow down", { "retry-after": "0" }),
      chatStreamReply({ content: "ok" }),
    );
    const { result } = await collect(client().createStream(hello));
    expect(result.content).toBe("ok");
    expect(h.server.requests).toHaveLength(2);
  });
});

describe("OpenAIChatCompletionClient: failures", () => {
  it("retries 429 honouring Retry-After, then succeeds", async () => {
    h.server.enqueue(
      errorReply(429, "Rate limit reached", { "retry-after": "0.01" }),
      chatReply({ content: "finally" }),
    );
    const result = await client().create(hello);
    expect(result.content).toBe("finally");
    expect(h.server.requests).toHaveLength(2);
    expect(h.logs.some((l) => l.level === "warn" && l.fields.status === 429 && l.fields.delayMs === 10)).toBe(
      true,
    );
  });

  it("throws a typed provider_error with the status once 500s exhaust the retries", async () => {
    h.server.enqueue(errorReply(500, "oops"), errorReply(500, "oops"), errorReply(500, "oops"));
    const err = await client({ maxRetries: 2 })
      .create(hello)
      .catch((e: unknown) => e);
    expect(ModelError.isInstance(err)).toBe(true);
    expect(err).toMatchObject({ code: "provider_error", status: 500 });
    expect(h.server.requests).toHaveLength(3);
  });

  it("times out a slow first byte with code timeout", async () => {
    h.server.enqueue({ kind: "json", body: {}, delayMs: 2_000 });
    const err = await client({ timeoutMs: 100, maxRetries: 0 })
      .create(hello)
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "timeout" });
    expect(ModelError.isInstance(err)).toBe(true);
  });

  it("cancels a pending call with CancelledError", async () => {
    h.server.enqueue({ kind: "hang" });
    const controller = new AbortController();
    const pending = client().create(hello, { signal: controller.signal });
    while (h.server.requests.length === 0) await new Promise((r) => setTimeout(r, 5));
    controller.abort();
    expect(CancelledError.isInstance(await pending.catch((e: unknown) => e))).toBe(true);
  });

  it("refuses images to a text-only model and tools to a model without function calling", async () => {
    const image: LLMMessage[] = [
      { type: "UserMessage", content: [{ type: "image", url: "https://x/y.png" }], source: "user" },
    ];
    await expect(client({ model: "gpt-3.5-turbo" }).create(image)).rejects.toMatchObject({
      code: "model_capability",
    });
    const tools = [{ name: "t", parameters: { type: "object" } }];
    await expect(client({ model: "o1-mini" }).create(hello, { tools })).rejects.toMatchObject({
      code: "model_capability",
      message: expect.stringContaining("functionCalling"),
    });
    expect(h.server.requests).toHaveLength(0);
  });

  it("serves an unknown model with default capabilities and context size", async () => {
    h.server.enqueue(chatReply({ content: "hi" }));
    const model = client({ model: "my-finetune-7b", modelInfo: { family: "llama" } });
    expect(model.modelInfo).toMatchObject({ functionCalling: true, vision: false, family: "llama" });
    expect(model.remainingTokens(hello)).toBe(128_000 - model.countTokens(hello));
    const result = await model.create(hello);
    expect(result.usage.costUsd).toBeUndefined();
    const warnings = h.logs.filter((l) => l.message.includes('unknown model "my-finetune-7b"'));
    expect(warnings).toHaveLength(1);
    client({ model: "my-finetune-7b" });
    expect(h.logs.filter((l) => l.message.includes('unknown model "my-finetune-7b"'))).toHaveLength(1);
  });

  it("uses the user's price override", async () => {
    h.server.enqueue(chatReply({ content: "hi", usage: { prompt: 1_000_000, completion: 0 } }));
    const result = await client({ price: { input: 1, output: 1 } }).create(hello);
    expect(result.usage.costUsd).toBe(1);
  });

  it("keeps the API key out of errors, causes and log lines", async () => {
    h.server.enqueue(
      errorReply(503, `upstream said: invalid key ${KEY}`),
      errorReply(401, `Incorrect API key provided: ${KEY}. Authorization: Bearer ${KEY}`),
    );
    const err = await client({ maxRetries: 1 })
      .create(hello)
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "provider_error", status: 401 });
    const texts = [
      String(err),
      (err as Error).message,
      (err as Error).stack ?? "",
      String((err as Error).cause),
      ((err as Error).cause as Error).stack ?? "",
      JSON.stringify(err),
      JSON.stringify((err as ModelError).details ?? {}),
      JSON.stringify(h.logs),
    ];
    for (const text of texts) expect(text).not.toContain(KEY);
    expect(h.logs.length).toBeGreaterThan(0);
  });

  it("shows a base URL only without the credentials in it", async () => {
    const port = new URL(h.server.url).port;
    const err = await client({ maxRetries: 1, baseURL: `http://user:pw-${KEY}@127.0.0.1:${port}/v1` })
      .create(hello)
      .catch((e: unknown) => e);
    expect(ModelError.isInstance(err)).toBe(true);
    const texts = [(err as Error).message, String((err as Error).cause), JSON.stringify(h.logs)];
    for (const text of texts) {
      expect(text).not.toContain(KEY);
      expect(text).not.toContain("user:pw");
    }
  });

  it("a missing key without a base URL is a clear config error that names no secret", () => {
    const saved = process.env.OPENAI_API_KEY;
    delete process.env.OPENAI_API_KEY;
    try {
      expect(() => new OpenAIChatCompletionClient({ model: "gpt-4o" })).toThrow(/OPENAI_API_KEY/);
    } finally {
      if (saved !== undefined) process.env.OPENAI_API_KEY = saved;
    }
  });
});

describe("AzureOpenAIChatCompletionClient", () => {
  it("calls the deployment URL with the api-key header and api-version", async () => {
    h.server.enqueue(chatReply({ content: "from azure" }), chatStreamReply({ content: "streamed" }));
    const model = new AzureOpenAIChatCompletionClient({
      model: "gpt-4o",
      deployment: "my-gpt4o",
      endpoint: h.server.url,
      apiKey: KEY,
      apiVersion: "2024-10-21",
    });
    expect((await model.create(hello)).content).toBe("from azure");
    const req = h.server.requests[0]!;
    expect(req.path).toBe("/openai/deployments/my-gpt4o/chat/completions?api-version=2024-10-21");
    expect(req.headers["api-key"]).toBe(KEY);
    const { result } = await collect(model.createStream(hello));
    expect(result.content).toBe("streamed");
  });

  it("retries a 429, then fails typed after 500s, with the key kept out of errors", async () => {
    h.server.enqueue(
      errorReply(429, "busy", { "retry-after": "0" }),
      chatReply({ content: "ok" }),
      errorReply(500, `bad ${KEY}`),
      errorReply(500, `bad ${KEY}`),
    );
    const model = new AzureOpenAIChatCompletionClient({
      model: "gpt-4o",
      endpoint: h.server.url,
      apiKey: KEY,
      maxRetries: 1,
      initialDelayMs: 1,
    });
    expect((await model.create(hello)).content).toBe("ok");
    const err = await model.create(hello).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "provider_error", status: 500 });
    expect((err as Error).message).not.toContain(KEY);
    expect(String((err as Error).cause)).not.toContain(KEY);
  });
});
