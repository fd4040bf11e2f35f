import { ModelError, ValidationError } from "@autogen-ts/core";
import { OllamaChatCompletionClient } from "@autogen-ts/ext/models/ollama";
import { OpenAIChatCompletionClient } from "@autogen-ts/ext/models/openai";
import { describe, expect, it } from "vitest";
import { MODEL_ENV, readEnv } from "../../../src/models/_shared/env.js";
import { ModelClientKit } from "../../../src/models/_shared/kit.js";
import { resolveLegacyOptions } from "../../../src/models/_shared/options.js";
import { hello, useModelServer } from "../../support/model-harness.js";
import { chatReply } from "../../support/openai-wire.js";

const h = useModelServer();

describe("model-client options", () => {
  it("moves every deprecated alias to today's name, the new name winning", () => {
    expect(
      resolveLegacyOptions({
        contextSize: 1000,
        timeout: 2000,
        prices: { input: 1, output: 2 },
        defaultHeaders: { "x-a": "1" },
        retryInitialDelayMs: 3,
        host: "http://h:1",
      }),
    ).toEqual({
      contextWindow: 1000,
      timeoutMs: 2000,
      price: { input: 1, output: 2 },
      headers: { "x-a": "1" },
      initialDelayMs: 3,
      baseURL: "http://h:1",
    });
    expect(resolveLegacyOptions({ timeout: 1, timeoutMs: 2, host: "a", baseURL: "b" })).toEqual({
      timeoutMs: 2,
      baseURL: "b",
    });
  });

  it("keeps the old spellings working on a client", async () => {
    h.server.enqueue(chatReply({ content: "ok", usage: { prompt: 1_000_000, completion: 0 } }));
    const client = new OpenAIChatCompletionClient({
      model: "gpt-4o",
      apiKey: "sk-legacy-0123456789",
      baseURL: `${h.server.url}/v1`,
      contextSize: 1234,
      prices: { input: 7, output: 0 },
      defaultHeaders: { "x-team": "blue" },
      retryInitialDelayMs: 1,
    });
    expect(client.remainingTokens([]) + client.countTokens([])).toBe(1234);
    const result = await client.create(hello);
    expect(result.usage.costUsd).toBeCloseTo(7, 9);
    expect(h.server.requests[0]?.headers["x-team"]).toBe("blue");
    const ollama = new OllamaChatCompletionClient({ model: "llama3.2", host: "127.0.0.1:9" });
    expect(ollama.toJSON()).toMatchObject({ url: "http://127.0.0.1:9/api/chat" });
  });

  it("reads environment variables only through the declared table", () => {
    const saved = process.env.ANTHROPIC_API_KEY;
    process.env.ANTHROPIC_API_KEY = "sk-ant-from-env-0123456789";
    try {
      expect(readEnv(MODEL_ENV.anthropic.apiKey)).toBe("sk-ant-from-env-0123456789");
      const kit = new ModelClientKit(
        {},
        {
          provider: "Anthropic",
          clientName: "Test",
          model: "claude-sonnet-4-5",
          catalog: { models: {}, defaultContextWindow: 1 },
          env: MODEL_ENV.anthropic,
        },
      );
      expect(kit.apiKey).toBe("sk-ant-from-env-0123456789");
      // A key from the environment is masked like one given in the options.
      expect(kit.secrets()).toContain("sk-ant-from-env-0123456789");
    } finally {
      if (saved === undefined) delete process.env.ANTHROPIC_API_KEY;
      else process.env.ANTHROPIC_API_KEY = saved;
    }
    expect(readEnv(undefined)).toBeUndefined();
  });

  it("refuses a client without a model with a typed error", () => {
    expect(
      () =>
        new ModelClientKit(
          {},
          {
            provider: "X",
            clientName: "XClient",
            model: "",
            catalog: { models: {}, defaultContextWindow: 1 },
          },
        ),
    ).toThrow(ValidationError);
  });

  it("refuses what the model cannot do before any request, on every client", async () => {
    const ollama = new OllamaChatCompletionClient({
      model: "llama3.2",
      baseURL: h.server.url,
      modelInfo: { functionCalling: false },
    });
    const error = await ollama
      .create(hello, { tools: [{ name: "t", parameters: { type: "object" } }] })
      .catch((e: unknown) => e);
    expect(ModelError.isInstance(error) && error.code).toBe("model_capability");
    expect(h.server.requests).toHaveLength(0);
  });
});
