import { type AutogenError, CancelledError, ModelError } from "@autogen-ts/core";
import { ReplayChatCompletionClient } from "@autogen-ts/core/testing";
import { describe, expect, it } from "vitest";
import {
  AssistantAgent,
  type BaseAgentMessage,
  DEFAULT_SOCIETY_INSTRUCTION,
  DEFAULT_SOCIETY_RESPONSE_PROMPT,
  isTaskResult,
  MaxMessageTermination,
  RoundRobinGroupChat,
  SocietyOfMindAgent,
  type TaskResult,
  TextMentionTermination,
} from "../../src/index.js";
import { ScriptedAgent } from "../../src/testing/index.js";
import { texts, until } from "./support.js";

const innerTeam = (writerReplies: string[], criticReplies: string[]) => {
  const writerModel = new ReplayChatCompletionClient(writerReplies);
  const criticModel = new ReplayChatCompletionClient(criticReplies);
  const team = new RoundRobinGroupChat({
    participants: [
      new AssistantAgent({ name: "writer", modelClient: writerModel }),
      new AssistantAgent({ name: "critic", modelClient: criticModel }),
    ],
    terminationCondition: new TextMentionTermination("APPROVE"),
  });
  return { team, writerModel, criticModel };
};

describe("SocietyOfMindAgent", () => {
  it("runs its team on the task, streams the team's messages, and answers with one summarised reply", async () => {
    const { team } = innerTeam(["Waves fold.", "Waves fold in silver."], ["Too plain.", "APPROVE"]);
    const summariser = new ReplayChatCompletionClient(["Waves fold in silver."]);
    const author = new SocietyOfMindAgent({ name: "author", team, modelClient: summariser });
    const items: (BaseAgentMessage | TaskResult)[] = [];
    for await (const item of author.runStream({ task: "A line about the sea" })) items.push(item);
    const result = items.at(-1) as TaskResult;
    expect(isTaskResult(result)).toBe(true);
    expect(texts(result)).toEqual([
      "user:A line about the sea",
      "writer:Waves fold.",
      "critic:Too plain.",
      "writer:Waves fold in silver.",
      "critic:APPROVE",
      "author:Waves fold in silver.",
    ]);
    // The summarising call: instruction, the request, the team's transcript, then the response prompt.
    const request = summariser.requests[0]?.messages ?? [];
    expect(request[0]).toEqual({ type: "SystemMessage", content: DEFAULT_SOCIETY_INSTRUCTION });
    expect(
      request.slice(1, -1).map((m) => (m.type === "UserMessage" ? `${m.source}:${m.content}` : m.type)),
    ).toEqual([
      "user:A line about the sea",
      "writer:Waves fold.",
      "critic:Too plain.",
      "writer:Waves fold in silver.",
      "critic:APPROVE",
    ]);
    expect(request.at(-1)).toMatchObject({ content: DEFAULT_SOCIETY_RESPONSE_PROMPT });
    expect(result.messages.at(-1)?.modelsUsage?.completionTokens).toBeGreaterThan(0);
  });

  it("puts the instruction and the response prompt in user messages for models that take one system message", async () => {
    const { team } = innerTeam(["draft"], ["APPROVE"]);
    const summariser = new ReplayChatCompletionClient({
      responses: ["final"],
      modelInfo: { multipleSystemMessages: false },
    });
    const author = new SocietyOfMindAgent({
      name: "author",
      team,
      modelClient: summariser,
      instruction: "Be brief.",
      responsePrompt: "Answer now.",
    });
    await author.run({ task: "go" });
    const request = summariser.requests[0]?.messages ?? [];
    // As in AutoGen: without several system messages, neither frame is a system message.
    expect(request.filter((m) => m.type === "SystemMessage")).toEqual([]);
    expect(request[0]).toEqual({ type: "UserMessage", content: "Be brief.", source: "user" });
    expect(request.at(-1)).toEqual({ type: "UserMessage", content: "Answer now.", source: "user" });
  });

  it("answers as one participant of an outer team, whose stream carries the inner messages", async () => {
    const { team } = innerTeam(["idea"], ["APPROVE"]);
    const author = new SocietyOfMindAgent({
      name: "author",
      team,
      modelClient: new ReplayChatCompletionClient(["The idea."]),
    });
    const reader = new ScriptedAgent({ name: "reader", replies: ["Nice."] });
    const outer = new RoundRobinGroupChat({ participants: [author, reader], maxTurns: 2 });
    const result = await outer.run({ task: "Think of something" });
    expect(texts(result)).toEqual([
      "user:Think of something",
      "writer:idea",
      "critic:APPROVE",
      "author:The idea.",
      "reader:Nice.",
    ]);
    // The other participants hear only the society's reply.
    expect(reader.seen).toEqual([["user:Think of something", "author:The idea."]]);
  });

  it("resets its team after each turn, keeps what it was given, saves it, and restores it into a fresh team", async () => {
    const first = innerTeam(["v1", "v2"], ["APPROVE", "APPROVE"]);
    const author = new SocietyOfMindAgent({
      name: "author",
      team: first.team,
      modelClient: new ReplayChatCompletionClient(["v1 final", "v2 final"]),
    });
    await author.run({ task: "first request" });
    const state = JSON.parse(JSON.stringify(await author.saveState()));
    expect(state.type).toBe("SocietyOfMindAgentState");

    const fresh = innerTeam(["v2"], ["APPROVE"]);
    const restored = new SocietyOfMindAgent({
      name: "author",
      team: fresh.team,
      modelClient: new ReplayChatCompletionClient(["v2 final"]),
    });
    await restored.loadState(state);
    const result = await restored.run({ task: "second request" });
    expect(result.messages.at(-1)?.toText()).toBe("v2 final");
    // The fresh team is given the first request ahead of the second; the first turn's inner work is gone,
    // as AutoGen resets the inner team after every turn.
    const seen = JSON.stringify(fresh.writerModel.requests[0]?.messages);
    for (const said of ["first request", "second request"]) expect(seen).toContain(said);
    expect(seen).not.toContain("v1");

    await expect(restored.loadState({ type: "AssistantAgentState", version: 1 })).rejects.toMatchObject({
      code: "invalid_state",
    });
  });

  it("resets its team", async () => {
    const a = new ScriptedAgent({ name: "a", replies: ["x"] });
    const team = new RoundRobinGroupChat({ participants: [a], maxTurns: 1 });
    const author = new SocietyOfMindAgent({
      name: "author",
      team,
      modelClient: new ReplayChatCompletionClient(["y", "z"]),
    });
    await author.run({ task: "go" });
    // The team was reset at the end of the turn.
    expect(a.calls).toBe(0);
    await author.onReset();
    expect(await author.modelContext.getMessages()).toEqual([]);
    // With nothing given and nothing kept, there is nothing to run: AutoGen's "No response.".
    expect((await author.run()).messages.map((m) => m.toText())).toEqual(["No response."]);
  });

  it("replies without a model call when the team said nothing", async () => {
    const team = new RoundRobinGroupChat({
      participants: [new ScriptedAgent({ name: "a", replies: ["x"] })],
      terminationCondition: new MaxMessageTermination(1),
    });
    const summariser = new ReplayChatCompletionClient([]);
    const author = new SocietyOfMindAgent({ name: "author", team, modelClient: summariser });
    const result = await author.run({ task: "go" });
    expect(result.messages.at(-1)?.toText()).toBe("No response.");
    expect(summariser.requests).toHaveLength(0);
  });

  it("is cancelled while its team works", async () => {
    const slow = new ScriptedAgent({ name: "slow", replies: ["late"] });
    let release!: () => void;
    slow.gate = new Promise((r) => {
      release = r;
    });
    const team = new RoundRobinGroupChat({ participants: [slow], maxTurns: 1 });
    const author = new SocietyOfMindAgent({
      name: "author",
      team,
      modelClient: new ReplayChatCompletionClient(["never"]),
    });
    const controller = new AbortController();
    const run = author.run({ task: "go", signal: controller.signal }).catch((e: unknown) => e);
    await until(() => slow.seen.length > 0);
    controller.abort();
    const error = (await run) as AutogenError;
    release();
    expect(CancelledError.isInstance(error)).toBe(true);
  });

  it("fails clearly when the summarising model answers with tool calls", async () => {
    const { team } = innerTeam(["draft"], ["APPROVE"]);
    const author = new SocietyOfMindAgent({
      name: "author",
      team,
      modelClient: new ReplayChatCompletionClient([{ content: [{ id: "1", name: "f", arguments: "{}" }] }]),
    });
    const error = await author.run({ task: "go" }).catch((e: unknown) => e);
    expect(ModelError.isInstance(error)).toBe(true);
    expect((error as ModelError).code).toBe("model_output");
  });

  it("validates its options", () => {
    const modelClient = new ReplayChatCompletionClient([]);
    const team = new RoundRobinGroupChat({
      participants: [new ScriptedAgent({ name: "a", replies: ["x"] })],
    });
    // @ts-expect-error a team is required
    expect(() => new SocietyOfMindAgent({ name: "s", modelClient })).toThrow(/needs a 'team'/);
    // @ts-expect-error a model is required
    expect(() => new SocietyOfMindAgent({ name: "s", team })).toThrow(/needs a 'modelClient'/);
    expect(() => new SocietyOfMindAgent({ name: "bad name", team, modelClient })).toThrow(
      /Invalid agent name/,
    );
  });
});
