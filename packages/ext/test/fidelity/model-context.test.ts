// Fidelity: AutoGen's python/packages/autogen-core/tests/test_model_context.py, case by case. The token-limited
// cases count with this project's OpenAI and Ollama clients, as AutoGen's count with its own; no request is sent.
import {
  BufferedChatCompletionContext,
  type ChatCompletionClient,
  HeadAndTailChatCompletionContext,
  type LLMMessage,
  TokenLimitedChatCompletionContext,
  UnboundedChatCompletionContext,
} from "@autogen-ts/core";
import { OllamaChatCompletionClient } from "@autogen-ts/ext/models/ollama";
import { OpenAIChatCompletionClient } from "@autogen-ts/ext/models/openai";
import { describe, expect, it } from "vitest";

const origin = "test_model_context.py::";
const conversation: LLMMessage[] = [
  { type: "UserMessage", content: "Hello!", source: "user" },
  { type: "AssistantMessage", content: "What can I do for you?", source: "assistant" },
  { type: "UserMessage", content: "Tell what are some fun things to do in seattle.", source: "user" },
];
const clients: [string, () => ChatCompletionClient][] = [
  [
    "openai",
    () =>
      new OpenAIChatCompletionClient({
        model: "gpt-4.1-nano",
        apiKey: "test",
        baseURL: "http://127.0.0.1:9",
      }),
  ],
  ["ollama", () => new OllamaChatCompletionClient({ model: "llama3.3", host: "http://127.0.0.1:9" })],
];

describe("AutoGen fidelity: model contexts", () => {
  it(`${origin}test_buffered_model_context`, async () => {
    const context = new BufferedChatCompletionContext({ bufferSize: 2 });
    for (const m of conversation) await context.addMessage(m);
    expect(await context.getMessages()).toEqual(conversation.slice(1));
    await context.clear();
    expect(await context.getMessages()).toEqual([]);
    await context.addMessage(conversation[0]!);
    await context.addMessage(conversation[1]!);
    const state = await context.saveState();
    await context.clear();
    await context.loadState(state);
    expect(await context.getMessages()).toEqual(conversation.slice(0, 2));
  });

  it(`${origin}test_head_and_tail_model_context`, async () => {
    const context = new HeadAndTailChatCompletionContext({ headSize: 1, tailSize: 1 });
    const messages: LLMMessage[] = [
      ...conversation,
      { type: "AssistantMessage", content: "Pike place, space needle, mt rainer", source: "assistant" },
      { type: "UserMessage", content: "More places?", source: "user" },
    ];
    for (const m of messages) await context.addMessage(m);
    let window = await context.getMessages();
    expect(window).toHaveLength(3); // 1 head, 1 tail + 1 placeholder.
    expect(window[0]).toEqual(messages[0]);
    expect(window[1]).toEqual({ type: "UserMessage", content: "Skipped 3 messages.", source: "System" });
    expect(window[2]).toEqual(messages.at(-1));
    await context.clear();
    expect(await context.getMessages()).toEqual([]);
    for (const m of messages) await context.addMessage(m);
    const state = await context.saveState();
    await context.clear();
    await context.loadState(state);
    window = await context.getMessages();
    expect(window).toHaveLength(3);
    expect(window[0]).toEqual(messages[0]);
    expect(window[2]).toEqual(messages.at(-1));
  });

  it(`${origin}test_unbounded_model_context`, async () => {
    const context = new UnboundedChatCompletionContext();
    for (const m of conversation) await context.addMessage(m);
    expect(await context.getMessages()).toEqual(conversation);
    await context.clear();
    expect(await context.getMessages()).toEqual([]);
    for (const m of conversation) await context.addMessage(m);
    const state = await context.saveState();
    await context.clear();
    await context.loadState(state);
    expect(await context.getMessages()).toEqual(conversation);
  });

  it.each(clients)(
    `${origin}test_token_limited_model_context_with_token_limit[%s]`,
    async (_name, client) => {
      // AutoGen's limits (30 and 20) fit its tokenizers; this project estimates, so the limit is what keeps
      // some but not all of the three messages here.
      const modelClient = client();
      const all = await modelClient.countTokens(conversation);
      const context = new TokenLimitedChatCompletionContext({ modelClient, tokenLimit: all - 1 });
      for (const m of conversation) await context.addMessage(m);
      let window = await context.getMessages();
      expect(window.length).toBeLessThan(conversation.length);
      expect(window.length).toBeGreaterThan(0);
      expect(window).not.toEqual(conversation);
      await context.clear();
      expect(await context.getMessages()).toEqual([]);
      for (const m of conversation) await context.addMessage(m);
      const state = await context.saveState();
      await context.clear();
      await context.loadState(state);
      window = await context.getMessages();
      expect(window.length).toBeLessThan(conversation.length);
    },
  );

  it.each(clients)(
    `${origin}test_token_limited_model_context_without_token_limit[%s]`,
    async (_name, client) => {
      const context = new TokenLimitedChatCompletionContext({ modelClient: client() });
      for (const m of conversation) await context.addMessage(m);
      expect(await context.getMessages()).toHaveLength(3);
    },
  );

  it.each(clients)(
    `${origin}test_token_limited_model_context_openai_with_function_result[%s]`,
    async (_n, client) => {
      const modelClient = client();
      const messages: LLMMessage[] = [
        { type: "FunctionExecutionResultMessage", content: [] },
        ...conversation,
      ];
      const context = new TokenLimitedChatCompletionContext({
        modelClient,
        tokenLimit: await modelClient.countTokens(conversation),
      });
      for (const m of messages) await context.addMessage(m);
      const window = await context.getMessages();
      // The function result without its call is dropped; the rest fits.
      expect(window.map((m) => m.type)).toEqual(["UserMessage", "AssistantMessage", "UserMessage"]);
    },
  );
});
