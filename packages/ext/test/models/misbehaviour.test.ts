/**
 * Every model client against a provider that misbehaves on the wire: a stream that stalls past the
 * time limit, a 200 that is an HTML page, a 200 of the wrong JSON shape, a stream request answered with
 * a plain JSON document, and an endpoint that refuses connections. Each must end in a typed
 * `ModelError` (never a `TypeError`, never an empty success), with `timeout` for the time limit, and a
 * connection failure names the endpoint but never the key.
 */
import { createOpenAI } from "@ai-sdk/openai";
import { type ChatCompletionClient, ModelError } from "@autogen-ts/core";
import { AiSdkChatCompletionClient } from "@autogen-ts/ext/models/ai-sdk";
import { AnthropicChatCompletionClient } from "@autogen-ts/ext/models/anthropic";
import { OllamaChatCompletionClient } from "@autogen-ts/ext/models/ollama";
import { OpenAIChatCompletionClient, OpenAIResponsesClient } from "@autogen-ts/ext/models/openai";
import { describe, expect, it } from "vitest";
import { collect, hello, useModelServer } from "../support/model-harness.js";
import { type ScriptedReply, startModelServer } from "../support/model-server.js";
import { chatStreamReply, responsesStreamReply } from "../support/openai-wire.js";

const KEY = "sk-misbehave-0123456789abcdefSECRET";
// Short enough to keep the file fast, long enough for a loopback answer on a loaded machine.
const LIMIT = { maxRetries: 0, timeoutMs: 400 };
const INFO = { vision: true, functionCalling: true, jsonOutput: true, structuredOutput: true, family: "x" };

interface Subject {
  readonly name: string;
  make(url: string): ChatCompletionClient;
  /** A stream that sends a little and then holds the connection open. */
  readonly stall: ScriptedReply;
}

const anthropicStall: ScriptedReply = {
  kind: "sse",
  events: [
    {
      event: "message_start",
      data: {
        type: "message_start",
        message: {
          id: "msg_1",
          type: "message",
          role: "assistant",
          model: "claude-sonnet-4-5",
          content: [],
          stop_reason: null,
          stop_sequence: null,
          usage: { input_tokens: 5, output_tokens: 1 },
        },
      },
    },
    {
      event: "content_block_start",
      data: { type: "content_block_start", index: 0, content_block: { type: "text", text: "" } },
    },
    {
      event: "content_block_delta",
      data: { type: "content_block_delta", index: 0, delta: { type: "text_delta", text: "partial" } },
    },
    { event: "message_stop", data: { type: "message_stop" } },
  ],
  stallAfter: 3,
};

const subjects: Subject[] = [
  {
    name: "OpenAIChatCompletionClient",
    make: (url) =>
      new OpenAIChatCompletionClient({ model: "gpt-4o", apiKey: KEY, baseURL: `${url}/v1`, ...LIMIT }),
    stall: chatStreamReply({ content: "one two three four" }, { stallAfter: 2 }),
  },
  {
    name: "OpenAIResponsesClient",
    make: (url) =>
      new OpenAIResponsesClient({ model: "gpt-4o", apiKey: KEY, baseURL: `${url}/v1`, ...LIMIT }),
    stall: responsesStreamReply({ text: "a long answer that stalls" }, { stallAfter: 3 }),
  },
  {
    name: "AnthropicChatCompletionClient",
    make: (url) =>
      new AnthropicChatCompletionClient({ model: "claude-sonnet-4-5", apiKey: KEY, baseURL: url, ...LIMIT }),
    stall: anthropicStall,
  },
  {
    name: "OllamaChatCompletionClient",
    make: (url) => new OllamaChatCompletionClient({ model: "llama3.2", apiKey: KEY, baseURL: url, ...LIMIT }),
    stall: {
      kind: "ndjson",
      lines: [{ message: { role: "assistant", content: "partial" }, done: false }, { done: true }],
      stallAfter: 1,
    },
  },
  {
    name: "AiSdkChatCompletionClient",
    make: (url) =>
      new AiSdkChatCompletionClient({
        model: createOpenAI({ baseURL: `${url}/v1`, apiKey: KEY }).chat("gpt-4o"),
        modelInfo: INFO,
        secrets: [KEY],
        ...LIMIT,
      }),
    stall: chatStreamReply({ content: "one two three four" }, { stallAfter: 2 }),
  },
];

const h = useModelServer();

async function failure(run: () => Promise<unknown>): Promise<ModelError> {
  const error = await run().then(
    (value) => ({ notAnError: value }),
    (e: unknown) => e,
  );
  expect(
    ModelError.isInstance(error),
    `expected a ModelError, got ${String((error as Error)?.stack ?? JSON.stringify(error))}`,
  ).toBe(true);
  return error as ModelError;
}

describe.each(subjects)("$name on a misbehaving provider", (subject) => {
  it("labels a stream stopped at its time limit a timeout", async () => {
    h.server.enqueue(subject.stall);
    const error = await failure(() => collect(subject.make(h.server.url).createStream(hello)));
    expect(error.code).toBe("timeout");
  });

  it("fails a create answered 200 with an HTML page with a typed error", async () => {
    h.server.enqueue({
      kind: "raw",
      body: "<html><body>Welcome to the proxy</body></html>",
      headers: { "content-type": "text/html" },
    });
    const error = await failure(() => subject.make(h.server.url).create(hello));
    expect(error.code).toBe("provider_error");
  });

  it("fails a create answered 200 with JSON of another shape with a typed error", async () => {
    h.server.enqueue({ kind: "json", body: { status: "ok", hello: "world" } });
    const error = await failure(() => subject.make(h.server.url).create(hello));
    expect(error.code).toBe("provider_error");
  });

  it("fails a stream request answered 200 with a JSON document, not with an empty success", async () => {
    h.server.enqueue({ kind: "json", body: { status: "ok" } });
    const error = await failure(() => collect(subject.make(h.server.url).createStream(hello)));
    expect(error.code).toBe("provider_error");
  });

  it("names the endpoint of a refused connection, never the key", async () => {
    const gone = await startModelServer();
    const url = gone.url;
    await gone.close();
    const error = await failure(() => subject.make(url).create(hello));
    expect(error.code).toBe("provider_error");
    expect(error.message).toContain(url.replace("http://", ""));
    expect(JSON.stringify({ message: error.message, details: error.details })).not.toContain(KEY);
  });
});
