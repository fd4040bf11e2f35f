import { describe, expect, it } from "vitest";
import { ValidationError } from "../errors.js";
import type {
  AssistantMessage,
  FunctionExecutionResultMessage,
  LLMMessage,
  UserMessage,
} from "../models/types.js";
import { ReplayChatCompletionClient } from "../testing/index.js";
import {
  BufferedChatCompletionContext,
  type ChatCompletionContext,
  HeadAndTailChatCompletionContext,
  TokenLimitedChatCompletionContext,
  UnboundedChatCompletionContext,
} from "./index.js";

const user = (content: string): UserMessage => ({ type: "UserMessage", content, source: "user" });
const reply = (content: string): AssistantMessage => ({ type: "AssistantMessage", content, source: "agent" });
const call = (id: string): AssistantMessage => ({
  type: "AssistantMessage",
  content: [{ id, name: "get_weather", arguments: '{"city":"Paris"}' }],
  source: "agent",
});
const results = (id: string): FunctionExecutionResultMessage => ({
  type: "FunctionExecutionResultMessage",
  content: [{ content: "23C", name: "get_weather", callId: id, isError: false }],
});

async function fill(context: ChatCompletionContext, messages: LLMMessage[]): Promise<void> {
  for (const m of messages) await context.addMessage(m);
}

/** Every function-call message in the window is followed by its results, and every result by its call. */
function expectPairsIntact(window: LLMMessage[]): void {
  window.forEach((m, i) => {
    if (m.type === "FunctionExecutionResultMessage") {
      const previous = window[i - 1];
      expect(previous?.type === "AssistantMessage" && typeof previous.content !== "string").toBe(true);
    }
  });
}

describe("UnboundedChatCompletionContext", () => {
  it("returns every message, starting with the initial ones, as a fresh array", async () => {
    const context = new UnboundedChatCompletionContext({ initialMessages: [user("a")] });
    await fill(context, [reply("b"), user("c")]);
    const window = await context.getMessages();
    expect(window.map((m) => m.content)).toEqual(["a", "b", "c"]);
    window.pop();
    expect(await context.getMessages()).toHaveLength(3);
    await context.clear();
    expect(await context.getMessages()).toEqual([]);
    // The configuration still names the initial messages.
    expect(context.initialMessages).toEqual([user("a")]);
  });

  it("round-trips its state through JSON into a fresh context", async () => {
    const context = new UnboundedChatCompletionContext();
    const image = { type: "image" as const, data: "aGk=", mediaType: "image/png" };
    const messages: LLMMessage[] = [
      { type: "SystemMessage", content: "be brief" },
      { type: "UserMessage", content: ["look", image], source: "user" },
      call("c1"),
      results("c1"),
      { type: "AssistantMessage", content: "sunny", source: "agent", thought: "easy" },
    ];
    await fill(context, messages);
    const saved = JSON.parse(JSON.stringify(await context.saveState()));
    expect(saved).toMatchObject({ type: "ChatCompletionContextState", version: 1 });
    const fresh = new UnboundedChatCompletionContext();
    await fresh.loadState(saved);
    expect(await fresh.getMessages()).toEqual(messages);
  });

  it("saveState is a copy, not a view of the live messages", async () => {
    const context = new UnboundedChatCompletionContext();
    await context.addMessage(user("a"));
    const saved = await context.saveState();
    await context.addMessage(user("b"));
    expect(saved.messages).toHaveLength(1);
  });

  it.each([
    ["not an object", "hello", /expected a JSON object, got string/],
    ["null", null, /got null/],
    ["another type", { type: "ListMemoryState", version: 1, messages: [] }, /"type" is "ListMemoryState"/],
    ["no version", { type: "ChatCompletionContextState", messages: [] }, /no integer "version"/],
    [
      "an older version",
      { type: "ChatCompletionContextState", version: 0, messages: [] },
      /version 0, older/,
    ],
    ["a newer version", { type: "ChatCompletionContextState", version: 9, messages: [] }, /version 9, newer/],
    [
      "messages not a list",
      { type: "ChatCompletionContextState", version: 1, messages: {} },
      /messages should/,
    ],
    [
      "an unknown message type",
      { type: "ChatCompletionContextState", version: 1, messages: [{ type: "Nope" }] },
      /messages\[0\]\.type "Nope"/,
    ],
    [
      "a user message without source",
      { type: "ChatCompletionContextState", version: 1, messages: [{ type: "UserMessage", content: "x" }] },
      /messages\[0\]\.source should be a string/,
    ],
    [
      "a bad function call",
      {
        type: "ChatCompletionContextState",
        version: 1,
        messages: [{ type: "AssistantMessage", source: "a", content: [{ id: "1", name: "f" }] }],
      },
      /messages\[0\]\.content\[0\]\.arguments/,
    ],
    [
      "a result without isError",
      {
        type: "ChatCompletionContextState",
        version: 1,
        messages: [
          { type: "FunctionExecutionResultMessage", content: [{ content: "", name: "f", callId: "1" }] },
        ],
      },
      /isError should be a boolean/,
    ],
  ])("loadState rejects %s with a clear error and keeps its messages", async (_label, document, pattern) => {
    const context = new UnboundedChatCompletionContext({ initialMessages: [user("kept")] });
    const error = await context.loadState(document).catch((e: unknown) => e);
    expect(ValidationError.isInstance(error)).toBe(true);
    expect((error as ValidationError).code).toBe("invalid_state");
    expect((error as Error).message).toMatch(pattern);
    expect(await context.getMessages()).toEqual([user("kept")]);
  });
});

describe("BufferedChatCompletionContext", () => {
  it("shows the last bufferSize messages", async () => {
    const context = new BufferedChatCompletionContext({ bufferSize: 2 });
    await fill(context, [user("1"), reply("2"), user("3"), reply("4")]);
    expect((await context.getMessages()).map((m) => m.content)).toEqual(["3", "4"]);
  });

  it("never starts with results whose call was cut off", async () => {
    const context = new BufferedChatCompletionContext({ bufferSize: 3 });
    await fill(context, [user("q"), call("c1"), results("c1"), reply("sunny"), user("thanks")]);
    const window = await context.getMessages();
    // The 3-message edge falls between c1's call and results: the pair is left out rather than split.
    expect(window.map((m) => m.content)).toEqual(["sunny", "thanks"]);
    expectPairsIntact(window);
  });

  it("keeps the newest call and results even with a buffer of one", async () => {
    const context = new BufferedChatCompletionContext({ bufferSize: 1 });
    await fill(context, [user("q"), call("c1"), results("c1")]);
    expect(await context.getMessages()).toEqual([call("c1"), results("c1")]);
  });

  it("drops orphan results at the start even when everything fits", async () => {
    const context = new BufferedChatCompletionContext({
      bufferSize: 5,
      initialMessages: [results("x"), user("q")],
    });
    expect(await context.getMessages()).toEqual([user("q")]);
  });

  it("keeps pairs intact for every window size", async () => {
    const messages = [
      user("q"),
      call("a"),
      results("a"),
      call("b"),
      results("b"),
      reply("done"),
      user("more"),
    ];
    for (let size = 1; size <= messages.length + 1; size++) {
      const context = new BufferedChatCompletionContext({ bufferSize: size, initialMessages: messages });
      const window = await context.getMessages();
      expectPairsIntact(window);
      expect(window.at(-1)).toEqual(user("more"));
      expect(window.length).toBeLessThanOrEqual(size);
    }
  });

  it("holds no more than about twice its window over a long conversation, showing the same windows", async () => {
    for (const size of [1, 2, 3, 7]) {
      const context = new BufferedChatCompletionContext({ bufferSize: size });
      const all: LLMMessage[] = [];
      for (let i = 0; i < 300; i++) {
        // A mix of plain turns and call/results pairs (some with two result messages) crossing every edge.
        const turn =
          i % 5 === 0
            ? [call(`c${i}`), results(`c${i}`), ...(i % 10 === 0 ? [results(`c${i}`)] : [])]
            : [i % 2 === 0 ? user(`u${i}`) : reply(`r${i}`)];
        for (const m of turn) {
          await context.addMessage(m);
          all.push(m);
          // The reference holds everything (initial messages are never trimmed before an add).
          const reference = new BufferedChatCompletionContext({ bufferSize: size, initialMessages: all });
          expect(await context.getMessages()).toEqual(await reference.getMessages());
        }
      }
      const held = (await context.saveState()).messages as unknown[];
      expect(held.length).toBeLessThanOrEqual(2 * size + 2);
    }
  });

  it.each([0, -1, 1.5, Number.NaN])("rejects bufferSize %s", (bufferSize) => {
    expect(() => new BufferedChatCompletionContext({ bufferSize })).toThrow(
      /bufferSize must be a positive integer/,
    );
  });
});

describe("TokenLimitedChatCompletionContext", () => {
  // One token per character of text content: easy to reason about in assertions.
  const countChars = (messages: readonly LLMMessage[]) =>
    messages.reduce((n, m) => n + (typeof m.content === "string" ? m.content.length : 10), 0);

  it("drops the oldest messages until the rest fit", async () => {
    const context = new TokenLimitedChatCompletionContext({ tokenCounter: countChars, tokenLimit: 10 });
    await fill(context, [user("aaaa"), reply("bbbb"), user("cccc"), reply("dd")]);
    expect((await context.getMessages()).map((m) => m.content)).toEqual(["bbbb", "cccc", "dd"]);
  });

  it("drops a call together with its results", async () => {
    const context = new TokenLimitedChatCompletionContext({ tokenCounter: countChars, tokenLimit: 15 });
    await fill(context, [user("q"), call("c1"), results("c1"), reply("sunny")]);
    // call + results count 20; the window cannot hold the results without the call, so both go.
    expect(await context.getMessages()).toEqual([reply("sunny")]);
  });

  it("keeps the newest message even when it alone is over the limit", async () => {
    const context = new TokenLimitedChatCompletionContext({ tokenCounter: countChars, tokenLimit: 3 });
    await fill(context, [user("a"), reply("far too long")]);
    expect(await context.getMessages()).toEqual([reply("far too long")]);
  });

  it("counts through the model client's countTokens", async () => {
    const modelClient = new ReplayChatCompletionClient({ responses: [] });
    const messages = Array.from({ length: 40 }, (_, i) => user(`message number ${i} with some words in it`));
    const limit = modelClient.countTokens(messages.slice(-10));
    const context = new TokenLimitedChatCompletionContext({
      modelClient,
      tokenLimit: limit,
      initialMessages: messages,
    });
    expect(context.modelClient).toBe(modelClient);
    const window = await context.getMessages();
    expect(window.at(-1)).toEqual(messages.at(-1));
    expect(modelClient.countTokens(window)).toBeLessThanOrEqual(limit);
    // Maximal: one more message would not fit.
    expect(modelClient.countTokens(messages.slice(-(window.length + 1)))).toBeGreaterThan(limit);
  });

  it("counts the tool schemas sent with each call", async () => {
    const modelClient = new ReplayChatCompletionClient({ responses: [] });
    const messages = Array.from({ length: 20 }, (_, i) => user(`message ${i} with a few words`));
    const tools = [
      {
        name: "search",
        description: "Searches the web for pages about a topic, returning titles and links.",
        parameters: { type: "object", properties: { query: { type: "string" } } },
      },
    ];
    const tokenLimit = modelClient.countTokens(messages.slice(-8));
    const plain = new TokenLimitedChatCompletionContext({
      modelClient,
      tokenLimit,
      initialMessages: messages,
    });
    const withTools = new TokenLimitedChatCompletionContext({
      modelClient,
      tokenLimit,
      tools,
      initialMessages: messages,
    });
    const plainWindow = await plain.getMessages();
    const toolWindow = await withTools.getMessages();
    expect(plainWindow).toHaveLength(8);
    expect(toolWindow.length).toBeLessThan(plainWindow.length);
    expect(modelClient.countTokens(toolWindow, { tools })).toBeLessThanOrEqual(tokenLimit);
  });

  it("without a tokenLimit, fits the client's context size", async () => {
    const probe = new ReplayChatCompletionClient({ responses: [] });
    const messages = Array.from({ length: 30 }, (_, i) => user(`message ${i} is here`));
    const contextSize = probe.countTokens(messages.slice(-5));
    const modelClient = new ReplayChatCompletionClient({ responses: [], contextSize });
    const context = new TokenLimitedChatCompletionContext({ modelClient, initialMessages: messages });
    const window = await context.getMessages();
    expect(modelClient.remainingTokens(window)).toBeGreaterThanOrEqual(0);
    expect(window.length).toBeGreaterThanOrEqual(5);
    expect(window.length).toBeLessThan(30);
  });

  it("rejects a missing counter, a missing limit and a bad limit", () => {
    expect(() => new TokenLimitedChatCompletionContext({ tokenLimit: 5 })).toThrow(
      /needs a modelClient or a tokenCounter/,
    );
    expect(() => new TokenLimitedChatCompletionContext({ tokenCounter: countChars })).toThrow(
      /needs a tokenLimit/,
    );
    expect(() => new TokenLimitedChatCompletionContext({ tokenCounter: countChars, tokenLimit: 0 })).toThrow(
      ValidationError,
    );
  });
});

describe("HeadAndTailChatCompletionContext", () => {
  it("shows the head, a note of how many were skipped, and the tail", async () => {
    const context = new HeadAndTailChatCompletionContext({ headSize: 1, tailSize: 2 });
    await fill(context, [user("task"), reply("1"), user("2"), reply("3"), user("4"), reply("5")]);
    const window = await context.getMessages();
    expect(window.map((m) => m.content)).toEqual(["task", "Skipped 3 messages.", "4", "5"]);
    expect(window[1]).toMatchObject({ type: "UserMessage", source: "System" });
  });

  it("shows everything, with no note, when it fits", async () => {
    const context = new HeadAndTailChatCompletionContext({ headSize: 2, tailSize: 2 });
    await fill(context, [user("a"), reply("b"), user("c")]);
    expect((await context.getMessages()).map((m) => m.content)).toEqual(["a", "b", "c"]);
  });

  it("ends the head before a call whose results it cannot hold, and starts the tail after orphan results", async () => {
    const context = new HeadAndTailChatCompletionContext({ headSize: 2, tailSize: 2 });
    await fill(context, [
      user("task"),
      call("a"),
      results("a"),
      user("x"),
      call("b"),
      results("b"),
      user("y"),
    ]);
    const window = await context.getMessages();
    expectPairsIntact(window);
    expect(window[0]).toEqual(user("task"));
    expect(window[1]?.content).toBe("Skipped 5 messages.");
    expect(window.slice(2)).toEqual([user("y")]);
  });

  it("says 'was' for one skipped message", async () => {
    const context = new HeadAndTailChatCompletionContext({ headSize: 1, tailSize: 1 });
    await fill(context, [user("a"), reply("b"), user("c")]);
    expect((await context.getMessages())[1]?.content).toBe("Skipped 1 messages.");
  });

  it("keeps pairs intact and the newest message for every head and tail", async () => {
    const messages = [
      user("q"),
      call("a"),
      results("a"),
      call("b"),
      results("b"),
      reply("done"),
      user("more"),
    ];
    for (let head = 0; head <= 4; head++) {
      for (let tail = 1; tail <= 4; tail++) {
        const context = new HeadAndTailChatCompletionContext({ head, tail, initialMessages: messages });
        const window = (await context.getMessages()).filter(
          (m) => m.type !== "UserMessage" || m.source !== "System",
        );
        expectPairsIntact(window);
        expect(window.at(-1)).toEqual(user("more"));
      }
    }
  });

  it("with head 0, shows only the note and the tail", async () => {
    const context = new HeadAndTailChatCompletionContext({ headSize: 0, tailSize: 1 });
    await fill(context, [user("a"), reply("b"), user("c")]);
    expect((await context.getMessages()).map((m) => m.content)).toEqual(["Skipped 2 messages.", "c"]);
  });

  it("rejects a bad head or tail", () => {
    expect(() => new HeadAndTailChatCompletionContext({ head: -1, tail: 1 })).toThrow(/headSize must be/);
    expect(() => new HeadAndTailChatCompletionContext({ headSize: 1, tailSize: 0 })).toThrow(
      /tailSize must be/,
    );
  });
});
