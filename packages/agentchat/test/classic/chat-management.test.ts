/**
 * Chats, summaries, carry-over and nested chat queues, ported from AG2's
 * test/agentchat/conversableAgent/test_chat_management.py (each `it` names its AG2 test), and the error
 * paths and cancellation of the classic chat API.
 */
import { AutogenError, CancelledError, ValidationError } from "@autogen-ts/core";
import { ReplayChatCompletionClient } from "@autogen-ts/core/testing";
import { describe, expect, it } from "vitest";
import type { ConversableAgentOptions, ReplyFunc } from "../../src/classic/index.js";
import {
  ConversableAgent,
  GroupChat,
  GroupChatManager,
  initiateChats,
  registerDefaultCodeExecutor,
  registerFunction,
  registerModelClientFactory,
  runChat,
} from "../../src/classic/index.js";

const agent = (name: string, extra: Partial<ConversableAgentOptions> = {}) =>
  new ConversableAgent({ name, llmConfig: false, humanInputMode: "NEVER", ...extra });

describe("chat management (ported from AG2's test_chat_management.py)", () => {
  it("test_prepare_chat / _without_clear_history", () => {
    const a = agent("agent");
    const r = agent("recipient");
    a.chatMessages.set(r, [{ role: "user", content: "old message" }]);
    a.consecutiveAutoReplyCounter.set(r, 5);
    a.prepareChat(r, true, false);
    expect(a.chatMessages.get(r)).toHaveLength(0);
    expect(a.consecutiveAutoReplyCounter.get(r)).toBe(0);
    expect(a.replyAtReceive.get(r)).toBe(true);
    a.chatMessages.set(r, [{ role: "user", content: "message" }]);
    a.prepareChat(r, false, false);
    expect(a.chatMessages.get(r)).toHaveLength(1);
  });

  it("test_initiate_chat_with_max_turns: at most two messages a turn", async () => {
    const a = agent("agent", { defaultAutoReply: "Hello" });
    const r = agent("recipient", { defaultAutoReply: "Hi" });
    const result = await a.initiateChat(r, { message: "Start", maxTurns: 2 });
    expect(result.chatHistory.map((m) => m.content)).toEqual(["Start", "Hi", "Hello", "Hi"]);
  });

  it("test_initiate_chat_without_max_turns: TERMINATE ends it", async () => {
    const a = agent("agent", { defaultAutoReply: "TERMINATE", maxConsecutiveAutoReply: 1 });
    const r = agent("recipient", { defaultAutoReply: "TERMINATE" });
    const result = await a.initiateChat(r, { message: "Start" });
    expect(result.chatHistory.map((m) => m.content)).toEqual(["Start", "TERMINATE"]);
    expect(result.summary).toBe("");
  });

  it("test_initiate_chat_with_callable_message / test_initiate_chat_clear_history", async () => {
    const a = agent("agent");
    const r = agent("recipient");
    a.chatMessages.set(r, [{ role: "user", content: "old" }]);
    const result = await a.initiateChat(r, {
      message: (s, rc) => `Dynamic message from ${s.name} to ${rc.name}`,
      maxTurns: 1,
    });
    expect(result.chatHistory[0]?.content).toBe("Dynamic message from agent to recipient");
    const again = await a.initiateChat(r, { message: "New", maxTurns: 1 });
    expect(again.chatHistory[0]?.content).toBe("New");
  });

  it("a chat without a message asks the sender's person for it", async () => {
    const a = agent("agent", { inputFunc: (prompt) => `typed at ${prompt}` });
    const r = agent("recipient", { defaultAutoReply: "ok" });
    const result = await a.initiateChat(r, { maxTurns: 1 });
    expect(result.chatHistory[0]?.content).toBe("typed at >");
    expect(result.humanInput).toEqual(["typed at >"]);
  });

  it("test_summarize_chat_custom_method / _dict_summary / test_last_msg_as_summary", async () => {
    const a = agent("agent", { defaultAutoReply: "HiTERMINATE" });
    const r = agent("recipient", { defaultAutoReply: "HiTERMINATE" });
    const custom = await a.initiateChat(r, {
      message: "x",
      maxTurns: 1,
      summaryMethod: (_s, _r, args) => `Custom summary: ${String(args.key ?? "default")}`,
      summaryArgs: { key: "value" },
    });
    expect(custom.summary).toBe("Custom summary: value");
    const dict = await a.initiateChat(r, {
      message: "x",
      maxTurns: 1,
      summaryMethod: () => ({ content: "Summary content" }),
    });
    expect(dict.summary).toBe("Summary content");
    const last = await a.initiateChat(r, { message: "x", maxTurns: 1 });
    expect(last.summary).toBe("Hi");
  });

  it("test_get_chats_to_run / _with_callable_message / _defaults_first_message: nested chat queues", async () => {
    const outer = agent("outer");
    const inner = agent("inner", { defaultAutoReply: "inner answer" });
    const seen: string[] = [];
    inner.registerReply(outer, (_r, messages) => {
      seen.push(String(messages.at(-1)?.content));
      return [true, `answer to ${String(messages.at(-1)?.content)}`];
    });
    const host = agent("host");
    host.registerNestedChats(
      [
        { recipient: inner, sender: outer, maxTurns: 1 },
        { recipient: inner, sender: outer, maxTurns: 1, message: "" },
        {
          recipient: inner,
          sender: outer,
          maxTurns: 1,
          message: ((_r: unknown, messages: { content: unknown }[]) =>
            `about ${String(messages.at(-1)?.content)}`) as never,
        },
      ],
      { trigger: null },
    );
    const reply = await host.generateReply({ messages: [{ role: "user", content: "Last message" }] });
    expect(seen).toEqual(["Last message", "about Last message\nContext: \nanswer to Last message"]);
    expect(reply).toBe("answer to about Last message\nContext: \nanswer to Last message");
  });
});

describe("classic error paths", () => {
  it("constructor options are checked", () => {
    expect(() => new ConversableAgent({ name: "" })).toThrow(ValidationError);
    expect(() => agent("a", { inputFunc: "no" as never })).toThrow(/inputFunc/);
    expect(() => new GroupChat({ agents: "x" as never })).toThrow(/agents/);
    expect(() => new GroupChat({ agents: [], maxRound: 0 })).toThrow(/maxRound/);
    expect(() => new GroupChat({ agents: [], maxRetriesForSelectingSpeaker: -1 })).toThrow(/maxRetries/);
    expect(() => new GroupChatManager({ groupchat: {} as never })).toThrow(/GroupChat/);
    const a = agent("a");
    expect(
      () =>
        new GroupChat({
          agents: [a],
          allowedOrDisallowedSpeakerTransitions: { a: ["nobody"] },
          speakerTransitionsType: "allowed",
        }),
    ).toThrow(/not in the group/);
  });

  it("registration arguments are checked", () => {
    const a = agent("a");
    expect(() => a.registerReply(null, "no" as never)).toThrow(/replyFunc/);
    const hook = (m: unknown) => m;
    a.registerHook("processMessageBeforeSend", hook as never);
    expect(() => a.registerHook("processMessageBeforeSend", hook as never)).toThrow(/already registered/);
    expect(() => a.registerHook("nowhere" as never, hook as never)).toThrow(/no hook point/);
    expect(() => registerModelClientFactory("x", "no" as never)).toThrow(ValidationError);
    expect(() => registerDefaultCodeExecutor("no" as never)).toThrow(ValidationError);
    const caller = agent("caller", { llmConfig: new ReplayChatCompletionClient([]) });
    expect(() => registerFunction("no" as never, { caller, executor: a, description: "d" })).toThrow(
      ValidationError,
    );
    expect(() =>
      registerFunction(((x: unknown) => x) as never, { caller, executor: a, name: "", description: "d" }),
    ).toThrow(/give a name/);
  });

  it("chat options are checked, and the messages so far survive", async () => {
    const a = agent("a", { defaultAutoReply: "hi" });
    const b = agent("b", { defaultAutoReply: "hi" });
    await expect(a.initiateChat(b, { message: "x", maxTurns: -1 })).rejects.toThrow(/maxTurns/);
    await expect(
      a.initiateChat(b, { message: "x", maxTurns: 1, summaryMethod: "nope" as never }),
    ).rejects.toThrow(/summaryMethod/);
    await expect(
      a.initiateChat(b, { message: "x", maxTurns: 1, summaryMethod: "reflection_with_llm" }),
    ).rejects.toThrow(/needs a model/);
    await expect(
      a.initiateChat(b, {
        message: "kept",
        maxTurns: 1,
        summaryMethod: "reflection_with_llm",
        summaryArgs: { summaryRole: 3 },
      }),
    ).rejects.toThrow(/summaryRole/);
    expect(a.chatMessages.get(b)?.[0]?.content).toBe("kept");
    await expect(initiateChats([{ recipient: b, message: "x" } as never])).rejects.toThrow(/no sender/);
  });

  it("an input function that fails or returns no text is a typed error", async () => {
    const throwing = agent("p", {
      humanInputMode: "ALWAYS",
      inputFunc: () => {
        throw new Error("keyboard gone");
      },
    });
    const other = agent("o");
    const error = await throwing.getHumanInput("?").catch((e: unknown) => e);
    expect(AutogenError.isInstance(error) && error.code).toBe("internal");
    expect((error as Error).cause).toBeInstanceOf(Error);
    const silent = agent("q", { humanInputMode: "ALWAYS", inputFunc: () => 42 as never });
    await expect(silent.getHumanInput("?")).rejects.toThrow(/no text/);
    await other.send("hello", throwing).catch(() => undefined);
    expect(throwing.lastMessage(other)?.content).toBe("hello");
  });

  it("a selection function must choose a group member or a known method", async () => {
    const [a, b] = [agent("a"), agent("b")];
    const stranger = agent("stranger");
    const run = async (method: () => unknown) => {
      const gc = new GroupChat({ agents: [a, b], maxRound: 3, speakerSelectionMethod: method as never });
      return a.initiateChat(new GroupChatManager({ groupchat: gc, llmConfig: false }), { message: "go" });
    };
    await expect(run(() => stranger)).rejects.toThrow(/not in the group/);
    await expect(run(() => "sideways")).rejects.toThrow(/unknown method/);
    const viaName = await run(() => "round_robin");
    expect(viaName.chatHistory).toHaveLength(3);
  });

  it("runChat needs a GroupChat as its config", async () => {
    const a = agent("a");
    const bad: ReplyFunc = runChat;
    a.registerReply(null, bad, { config: {} });
    await expect(a.generateReply({ messages: [{ role: "user", content: "x" }] })).rejects.toThrow(
      /GroupChat/,
    );
  });

  it("an aborted signal cancels the chat with a CancelledError; the messages so far stay", async () => {
    const controller = new AbortController();
    const model = new ReplayChatCompletionClient({ responses: ["never sent"], latencyMs: 10_000 });
    const slow = agent("slow", { llmConfig: model });
    const user = agent("user");
    const chat = user.initiateChat(slow, { message: "hello", signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    const error = await chat.catch((e: unknown) => e);
    expect(CancelledError.isInstance(error)).toBe(true);
    expect(slow.lastMessage(user)?.content).toBe("hello");
  });
});

describe("hooks (ported from AG2's test_hooks_and_registry.py)", () => {
  const last = async (
    a: ConversableAgent,
    messages: import("../../src/classic/index.js").ClassicMessage[],
  ) => {
    let seen: unknown;
    a.registerReply(null, (_r, m) => {
      seen = m;
      return [true, "ok"];
    });
    await a.generateReply({ messages });
    return seen as import("../../src/classic/index.js").ClassicMessage[];
  };

  it("test_process_all_messages_before_reply_calls_hooks / _modifies_messages: in order, the stored list untouched", async () => {
    const a = agent("agent");
    const order: number[] = [];
    a.registerHook("processAllMessagesBeforeReply", ((m: unknown[]) => {
      order.push(1);
      return m;
    }) as never);
    a.registerHook("processAllMessagesBeforeReply", ((m: unknown[]) => {
      order.push(2);
      return [...m, { role: "assistant", content: "modified" }];
    }) as never);
    const messages = [{ role: "user", content: "test" }];
    const seen = await last(a, messages);
    expect(order).toEqual([1, 2]);
    expect(seen.map((m) => m.content)).toEqual(["test", "modified"]);
    expect(messages).toHaveLength(1);
  });

  it("test_update_agent_state_before_reply_calls_hooks: called in order, before the message hooks", async () => {
    const a = agent("agent");
    const order: string[] = [];
    a.registerHook("updateAgentState", ((who: ConversableAgent) => order.push(`state ${who.name}`)) as never);
    a.registerHook("processLastReceivedMessage", ((t: string) => {
      order.push("last");
      return t;
    }) as never);
    a.registerHook("processAllMessagesBeforeReply", ((m: unknown) => {
      order.push("all");
      return m;
    }) as never);
    await last(a, [{ role: "user", content: "test" }]);
    expect(order).toEqual(["state agent", "last", "all"]);
  });

  it("test_process_last_received_message_*: text and multimodal text change; calls, context, no content and exit do not", async () => {
    const a = agent("agent");
    a.registerHook("processLastReceivedMessage", ((t: string) => `modified: ${t}`) as never);
    expect((await last(a, [{ role: "user", content: "test" }]))[0]?.content).toBe("modified: test");
    expect(
      (await last(a, [{ role: "user", content: [{ type: "text", text: "test" }] }]))[0]?.content,
    ).toEqual([{ type: "text", text: "modified: test" }]);
    for (const m of [
      { role: "assistant", content: null, functionCall: { name: "test", arguments: "{}" } },
      { role: "user", content: "test", context: { key: "value" } },
      { role: "user", content: null },
      { role: "user", content: "exit" },
    ]) {
      expect((await last(a, [m]))[0]).toEqual(m);
    }
  });
});
