/**
 * Classic and 0.4 agents together: a classic agent in a 0.4 team (on the team's runtime), and a 0.4
 * AssistantAgent answering a classic initiateChat and taking part in a classic GroupChat.
 */
import { ReplayChatCompletionClient } from "@autogen-ts/core/testing";
import { describe, expect, it } from "vitest";
import { AssistantAgent as AssistantAgent04 } from "../../src/agents/assistant-agent.js";
import {
  AssistantAgent,
  ChatAgentConversable,
  ClassicChatAgent,
  ConversableAgent,
  GroupChat,
  GroupChatManager,
  UserProxyAgent,
} from "../../src/classic/index.js";
import { MaxMessageTermination } from "../../src/conditions/index.js";
import { RoundRobinGroupChat } from "../../src/teams/index.js";

describe("classic and 0.4 agents together", () => {
  it("a classic agent takes turns in a RoundRobinGroupChat; its state saves and loads", async () => {
    const classicModel = new ReplayChatCompletionClient(["classic answer 1", "classic answer 2"]);
    const classic = new AssistantAgent({ name: "classic", llmConfig: classicModel });
    const modern = new AssistantAgent04({
      name: "modern",
      modelClient: new ReplayChatCompletionClient(["modern 1", "modern 2"]),
    });
    const wrapper = new ClassicChatAgent({ agent: classic });
    const team = new RoundRobinGroupChat({
      participants: [wrapper, modern],
      terminationCondition: new MaxMessageTermination(5),
    });
    const result = await team.run({ task: "Talk." });
    expect(result.messages.map((m) => `${m.source}: ${m.toText()}`)).toEqual([
      "user: Talk.",
      "classic: classic answer 1",
      "modern: modern 1",
      "classic: classic answer 2",
      "modern: modern 2",
    ]);
    // The classic model saw the team's messages, named after their sources.
    expect(classicModel.requests[1]?.messages.at(-1)).toEqual({
      type: "UserMessage",
      content: "modern 1",
      source: "modern",
    });
    const saved = JSON.parse(JSON.stringify(await wrapper.saveState()));
    const restored = new ClassicChatAgent({
      agent: new AssistantAgent({ name: "classic", llmConfig: false }),
    });
    await restored.loadState(saved);
    const peer = new ConversableAgent({ name: "team", llmConfig: false });
    expect(restored.agent.lastMessage(peer)?.content).toBe("classic answer 2");
    await expect(restored.loadState({ type: "Other", version: 1 })).rejects.toThrow(/ClassicChatAgentState/);
  });

  it("a classic agent that ends the chat stops the team", async () => {
    const quitter = new ConversableAgent({
      name: "quitter",
      llmConfig: false,
      humanInputMode: "NEVER",
      maxConsecutiveAutoReply: 0,
    });
    const team = new RoundRobinGroupChat({
      participants: [new ClassicChatAgent({ agent: quitter })],
      maxTurns: 3,
    });
    const result = await team.run({ task: "Anything?" });
    expect(result.messages.at(-1)?.type).toBe("StopMessage");
  });

  it("a 0.4 AssistantAgent answers a classic initiateChat", async () => {
    const model = new ReplayChatCompletionClient(["Hello from 0.4.", "Still 0.4. TERMINATE"]);
    const modern = new ChatAgentConversable({
      agent: new AssistantAgent04({ name: "modern", modelClient: model }),
    });
    const user = new UserProxyAgent({
      name: "user",
      codeExecutionConfig: false,
      inputFunc: (() => {
        const answers = ["And again?", "exit"];
        return () => answers.shift() ?? "exit";
      })(),
    });
    const result = await user.initiateChat(modern, { message: "Hi" });
    expect(result.chatHistory.map((m) => m.content)).toEqual([
      "Hi",
      "Hello from 0.4.",
      "And again?",
      "Still 0.4. TERMINATE",
    ]);
    // The 0.4 agent got only the new message each turn and kept its own context.
    expect(model.requests[1]?.messages.filter((m) => m.type === "UserMessage")).toHaveLength(2);
  });

  it("a 0.4 agent takes part in a classic GroupChat", async () => {
    const modern = new ChatAgentConversable({
      agent: new AssistantAgent04({
        name: "modern",
        modelClient: new ReplayChatCompletionClient(["0.4 speaking."]),
      }),
    });
    const classic = new ConversableAgent({
      name: "classic",
      llmConfig: false,
      humanInputMode: "NEVER",
      defaultAutoReply: "classic speaking.",
    });
    const gc = new GroupChat({
      agents: [classic, modern],
      maxRound: 3,
      speakerSelectionMethod: "round_robin",
    });
    await classic.initiateChat(new GroupChatManager({ groupchat: gc, llmConfig: false }), {
      message: "start",
    });
    expect(gc.messages.map((m) => `${m.name}: ${m.content}`)).toEqual([
      "classic: start",
      "modern: 0.4 speaking.",
      "classic: classic speaking.",
    ]);
  });
});
