// A cross-check of the OpenAI clients against a third party's rendition of the wire formats
// (@copilotkit/aimock), so that our own scripted server cannot confirm mistakes it shares with the
// clients. The detailed behaviour (split deltas, truncation, stalls) is tested against model-server.ts.

import type { LLMMessage } from "@autogen-ts/core";
import { OpenAIChatCompletionClient, OpenAIResponsesClient } from "@autogen-ts/ext/models/openai";
import { LLMock } from "@copilotkit/aimock";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { collect } from "../../support/model-harness.js";

let mock: LLMock;
const ask = (text: string): LLMMessage[] => [{ type: "UserMessage", content: text, source: "user" }];

beforeAll(async () => {
  mock = new LLMock({ port: 0, chunkSize: 3 });
  mock.onMessage("greet me", { content: "Hello from aimock, streaming in pieces." });
  mock.onMessage("weather please", {
    toolCalls: [
      { id: "call_w1", name: "get_weather", arguments: '{"city":"Oslo"}' },
      { id: "call_w2", name: "get_weather", arguments: '{"city":"Rome"}' },
    ],
  });
  await mock.start();
});
afterAll(async () => {
  await mock.stop();
});

const tools = [
  {
    name: "get_weather",
    description: "Weather",
    parameters: { type: "object", properties: { city: { type: "string" } } },
  },
];

describe.each([
  [
    "chat completions",
    () =>
      new OpenAIChatCompletionClient({
        model: "gpt-4o",
        apiKey: "mock",
        baseURL: `${mock.url}/v1`,
        maxRetries: 0,
      }),
  ],
  [
    "responses",
    () =>
      new OpenAIResponsesClient({
        model: "gpt-4o",
        apiKey: "mock",
        baseURL: `${mock.url}/v1`,
        maxRetries: 0,
      }),
  ],
])("OpenAI %s against aimock", (_name, make) => {
  it("completes and streams text", async () => {
    const model = make();
    expect((await model.create(ask("greet me"))).content).toBe("Hello from aimock, streaming in pieces.");
    const { chunks, result } = await collect(model.createStream(ask("greet me")));
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.join("")).toBe("Hello from aimock, streaming in pieces.");
    expect(result.content).toBe("Hello from aimock, streaming in pieces.");
  });

  it("returns parallel tool calls, plain and streamed", async () => {
    const model = make();
    const expected = [
      { name: "get_weather", arguments: '{"city":"Oslo"}' },
      { name: "get_weather", arguments: '{"city":"Rome"}' },
    ];
    const plain = await model.create(ask("weather please"), { tools });
    expect(plain.finishReason).toBe("function_calls");
    expect(plain.content).toMatchObject(expected);
    const { result } = await collect(model.createStream(ask("weather please"), { tools }));
    expect(result.content).toMatchObject(expected);
  });
});
