/**
 * AG2's "clear history" command in group chats, ported from test/agentchat/test_groupchat.py
 * test_clear_agents_history (the four scenarios typed by a person; the person answers through inputFunc).
 */
import { describe, expect, it } from "vitest";
import { ConversableAgent, GroupChat, GroupChatManager } from "../../src/classic/index.js";

describe("test_clear_agents_history (ported from AG2)", () => {
  it("clears the group and every agent, one agent, or all but the last n messages", async () => {
    let typed = "";
    const alice = new ConversableAgent({
      name: "alice",
      llmConfig: false,
      humanInputMode: "NEVER",
      maxConsecutiveAutoReply: 10,
      defaultAutoReply: "This is alice speaking.",
    });
    const bob = new ConversableAgent({
      name: "bob",
      llmConfig: false,
      humanInputMode: "NEVER",
      maxConsecutiveAutoReply: 10,
      defaultAutoReply: "This is bob speaking.",
    });
    const sam = new ConversableAgent({
      name: "sam",
      llmConfig: false,
      humanInputMode: "ALWAYS",
      maxConsecutiveAutoReply: 10,
      inputFunc: () => typed,
    });
    const groupchat = new GroupChat({ agents: [alice, bob, sam], maxRound: 3, enableClearHistory: true });
    const manager = new GroupChatManager({ groupchat, llmConfig: false });
    const history = (a: ConversableAgent) => a.chatMessages.get(manager);
    const sams = { role: "user", content: "How you doing?", name: "sam" };
    const bobs = { role: "user", content: "This is bob speaking.", name: "bob" };

    typed = "clear history. How you doing?";
    const result = await alice.initiateChat(manager, { message: "hello", summaryMethod: "last_msg" });
    expect(history(alice)).toEqual([sams]);
    expect(history(bob)).toEqual([sams]);
    expect(groupchat.messages).toEqual([sams]);
    expect(result.humanInput).toEqual([]);

    typed = "clear history bob. How you doing?";
    await alice.initiateChat(manager, { message: "hello" });
    expect(history(alice)).toEqual([{ role: "assistant", content: "hello", name: "alice" }, bobs, sams]);
    expect(history(bob)).toEqual([sams]);
    expect(groupchat.messages).toEqual([{ role: "user", content: "hello", name: "alice" }, bobs, sams]);

    typed = "clear history 1. How you doing?";
    await alice.initiateChat(manager, { message: "hello" });
    expect(history(alice)).toEqual([bobs, sams]);
    expect(history(bob)).toEqual([
      { role: "assistant", content: "This is bob speaking.", name: "bob" },
      sams,
    ]);
    expect(groupchat.messages).toEqual([bobs, sams]);

    typed = "clear history bob 1. How you doing?";
    await alice.initiateChat(manager, { message: "hello" });
    expect(history(alice)).toEqual([{ role: "assistant", content: "hello", name: "alice" }, bobs, sams]);
    expect(history(bob)).toEqual([
      { role: "assistant", content: "This is bob speaking.", name: "bob" },
      sams,
    ]);
  });

  it("keeping the last n messages keeps a tool call with its result", () => {
    const a = new ConversableAgent({ name: "a", llmConfig: false });
    const b = new ConversableAgent({ name: "b", llmConfig: false });
    a.chatMessages.set(b, [
      { role: "user", content: "hi" },
      { role: "assistant", content: null, toolCalls: [{ id: "c", name: "t", arguments: "{}" }] },
      { role: "tool", content: "r", toolResponses: [{ toolCallId: "c", role: "tool", content: "r" }] },
    ]);
    a.clearHistory(b, 1);
    expect(a.chatMessages.get(b)?.map((m) => m.role)).toEqual(["assistant", "tool"]);
  });
});
