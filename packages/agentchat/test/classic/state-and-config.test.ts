/**
 * saveState/loadState of classic agents and group chats, and llmConfig config lists built through the
 * client-factory registry (with AG2's config-list fallback).
 */
import { ModelError, ValidationError } from "@autogen-ts/core";
import { ReplayChatCompletionClient } from "@autogen-ts/core/testing";
import { describe, expect, it } from "vitest";
import type { ConversableAgentOptions } from "../../src/classic/index.js";
import {
  ConversableAgent,
  GroupChat,
  GroupChatManager,
  registerModelClientFactory,
} from "../../src/classic/index.js";

const agent = (name: string, extra: Partial<ConversableAgentOptions> = {}) =>
  new ConversableAgent({
    name,
    llmConfig: false,
    humanInputMode: "NEVER",
    defaultAutoReply: `${name} here.`,
    ...extra,
  });

describe("classic state", () => {
  it("an agent's conversations and counters survive a JSON round trip and continue", async () => {
    const alice = agent("alice", { maxConsecutiveAutoReply: 3 });
    const bob = agent("bob", { maxConsecutiveAutoReply: 3 });
    await alice.initiateChat(bob, { message: "hello", maxTurns: 2 });
    const saved = JSON.parse(JSON.stringify([await alice.saveState(), await bob.saveState()]));
    const alice2 = agent("alice", { maxConsecutiveAutoReply: 3 });
    const bob2 = agent("bob", { maxConsecutiveAutoReply: 3 });
    await alice2.loadState(saved[0]);
    await bob2.loadState(saved[1]);
    expect(alice2.lastMessage(bob2)?.content).toBe("bob here.");
    await alice2.initiateChat(bob2, { message: "again", maxTurns: 1, clearHistory: false });
    expect(alice2.chatMessages.get(bob2)?.map((m) => m.content)).toEqual([
      "hello",
      "bob here.",
      "alice here.",
      "bob here.",
      "again",
      "bob here.",
    ]);
  });

  it("a corrupt or foreign document is an invalid_state error and the agent is unchanged", async () => {
    const a = agent("a");
    const b = agent("b");
    await a.send("kept", b);
    for (const bad of [
      null,
      { type: "Other", version: 1 },
      { type: "ClassicConversableAgentState", version: 99 },
    ]) {
      const error = await a.loadState(bad).catch((e: unknown) => e);
      expect(ValidationError.isInstance(error) && error.code).toBe("invalid_state");
    }
    const broken = { ...(await a.saveState()), chatMessages: { b: "not a list" } };
    await expect(a.loadState(broken)).rejects.toThrow(/chatMessages/);
    expect(a.lastMessage(b)?.content).toBe("kept");
  });

  it("a group chat manager saves the group's messages and every participant, and loads them into new agents", async () => {
    const make = () => {
      const agents = [agent("alice"), agent("bob"), agent("carol")];
      const groupchat = new GroupChat({ agents, maxRound: 4, speakerSelectionMethod: "round_robin" });
      return { agents, groupchat, manager: new GroupChatManager({ groupchat, llmConfig: false }) };
    };
    const first = make();
    await (first.agents[0] as ConversableAgent).initiateChat(first.manager, { message: "start" });
    const saved = JSON.parse(JSON.stringify(await first.manager.saveState()));
    const second = make();
    await second.manager.loadState(saved);
    expect(second.groupchat.messages.map((m) => [m.name, m.content])).toEqual([
      ["alice", "start"],
      ["bob", "bob here."],
      ["carol", "carol here."],
      ["alice", "alice here."],
    ]);
    expect(second.manager.lastSpeaker?.name).toBe("alice");
    expect(second.agents[1]?.lastMessage(second.manager)?.content).toBe("alice here.");
    const error = await second.groupchat
      .loadState({ type: "ClassicGroupChatState", version: 1 })
      .catch((e: unknown) => e);
    expect(ValidationError.isInstance(error) && error.code).toBe("invalid_state");
    expect(second.groupchat.messages).toHaveLength(4);
  });
});

describe("llmConfig config lists", () => {
  it("a registered factory builds the clients; settings go to each call; the key stays out of config and state", async () => {
    const built: unknown[] = [];
    const model = new ReplayChatCompletionClient(["from the factory"]);
    const unregister = registerModelClientFactory("replay-test", (entry, { settings }) => {
      built.push({ entry, settings });
      return model;
    });
    try {
      const a = new ConversableAgent({
        name: "a",
        humanInputMode: "NEVER",
        llmConfig: {
          configList: [{ model: "m1", apiKey: "sk-secret", apiType: "replay-test" }],
          temperature: 0.2,
        },
      });
      const b = agent("b", { maxConsecutiveAutoReply: 0 });
      await b.initiateChat(a, { message: "hi" });
      expect(b.lastMessage(a)?.content).toBe("from the factory");
      expect(built).toEqual([
        {
          entry: { model: "m1", apiKey: "sk-secret", apiType: "replay-test" },
          settings: { temperature: 0.2 },
        },
      ]);
      expect(model.requests[0]?.options.extraCreateArgs).toEqual({ temperature: 0.2 });
      expect(JSON.stringify(a.llmConfig)).not.toContain("sk-secret");
      expect(JSON.stringify(await a.saveState())).not.toContain("sk-secret");
    } finally {
      unregister();
    }
  });

  it("a provider error moves on to the next entry of the list", async () => {
    const exhausted = new ReplayChatCompletionClient([]);
    const second = new ReplayChatCompletionClient(["second answered"]);
    const clients = { first: exhausted, second };
    const a = new ConversableAgent({
      name: "a",
      humanInputMode: "NEVER",
      llmConfig: {
        configList: [{ model: "first" }, { model: "second" }],
        clientFactory: (entry) => clients[entry.model as "first" | "second"],
      },
    });
    expect(await a.generateReply({ messages: [{ role: "user", content: "hi" }] })).toBe("second answered");
    const only = new ConversableAgent({
      name: "only",
      llmConfig: {
        configList: [{ model: "first" }],
        clientFactory: () => new ReplayChatCompletionClient([]),
      },
    });
    const error = await only
      .generateReply({ messages: [{ role: "user", content: "hi" }] })
      .catch((e: unknown) => e);
    expect(ModelError.isInstance(error) && error.code).toBe("replay_exhausted");
  });

  it("an apiType with no factory is a clear invalid_config error at the first call; the messages survive", async () => {
    const a = new ConversableAgent({
      name: "a",
      humanInputMode: "NEVER",
      llmConfig: { configList: [{ model: "x", apiType: "nowhere" }] },
    });
    const b = agent("b");
    const error = await b.initiateChat(a, { message: "hi" }).catch((e: unknown) => e);
    expect(ValidationError.isInstance(error) && error.code).toBe("invalid_config");
    expect(String((error as Error).message)).toContain("registerModelClientFactory");
    expect(a.lastMessage(b)?.content).toBe("hi");
  });

  it("a malformed llmConfig is refused at construction", () => {
    expect(() => new ConversableAgent({ name: "a", llmConfig: { model: "gpt-4o" } as never })).toThrow(
      /configList/,
    );
    expect(() => registerModelClientFactory("", () => new ReplayChatCompletionClient([]))).toThrow(
      ValidationError,
    );
  });
});
