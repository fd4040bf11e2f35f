/**
 * An AG2-style `llmConfig: { configList: [...] }` built into ext's OpenAI client through the factory
 * registry (agentchat cannot import ext), talking to a loopback server in OpenAI's wire format.
 */
import type { ClassicMessage } from "@autogen-ts/agentchat/classic";
import { AssistantAgent, registerModelClientFactory, UserProxyAgent } from "@autogen-ts/agentchat/classic";
import { OpenAIChatCompletionClient } from "@autogen-ts/ext/models/openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ModelServer, startModelServer } from "../support/model-server.js";
import { chatReply } from "../support/openai-wire.js";

let server: ModelServer;
let unregister: () => void;
beforeAll(async () => {
  server = await startModelServer();
  unregister = registerModelClientFactory(
    "openai",
    (entry, { settings }) =>
      new OpenAIChatCompletionClient({
        model: entry.model,
        apiKey: entry.apiKey,
        baseURL: entry.baseUrl,
        maxRetries: 0,
        defaultCreateArgs: settings,
      }),
  );
});
afterAll(async () => {
  unregister();
  await server.close();
});

describe("llmConfig configList on ext's OpenAI client", () => {
  it("builds the client from the entry, sends the settings, never exposes the key", async () => {
    server.enqueue(
      chatReply({ content: "Hello from the wire. TERMINATE", usage: { prompt: 30, completion: 8 } }),
    );
    const assistant = new AssistantAgent({
      name: "assistant",
      llmConfig: {
        configList: [{ model: "gpt-4o-mini", apiKey: "sk-test-123", baseUrl: `${server.url}/v1` }],
        temperature: 0,
      },
    });
    const user = new UserProxyAgent({
      name: "user",
      humanInputMode: "NEVER",
      codeExecutionConfig: false,
      isTerminationMsg: (m: ClassicMessage) => String(m.content).includes("TERMINATE"),
    });
    const result = await user.initiateChat(assistant, { message: "Say hello." });
    expect(result.chatHistory.at(-1)?.content).toBe("Hello from the wire. TERMINATE");
    const request = server.requests[0];
    expect(request?.path).toBe("/v1/chat/completions");
    expect(request?.body).toMatchObject({ model: "gpt-4o-mini", temperature: 0 });
    expect(request?.headers.authorization).toBe("Bearer sk-test-123");
    expect(result.cost.usageIncludingCachedInference.byModel["gpt-4o-mini"]).toMatchObject({
      promptTokens: 30,
      completionTokens: 8,
    });
    expect(JSON.stringify([assistant.llmConfig, await assistant.saveState(), result])).not.toContain(
      "sk-test-123",
    );
  });
});
