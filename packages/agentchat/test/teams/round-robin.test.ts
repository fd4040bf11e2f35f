import { type AutogenError, CancelledError, DeliveryError, ModelError } from "@autogen-ts/core";
import { ReplayChatCompletionClient } from "@autogen-ts/core/testing";
import { describe, expect, it } from "vitest";
import {
  AssistantAgent,
  type BaseAgentMessage,
  isTaskResult,
  MaxMessageTermination,
  RoundRobinGroupChat,
  type TaskResult,
  TextMentionTermination,
} from "../../src/index.js";
import { ScriptedAgent } from "../../src/testing/index.js";

const texts = (result: TaskResult) => result.messages.map((m) => `${m.source}:${m.toText()}`);

describe("RoundRobinGroupChat", () => {
  it("runs participants in turn until the termination condition fires", async () => {
    const writer = new AssistantAgent({
      name: "writer",
      modelClient: new ReplayChatCompletionClient(["Draft 1", "Draft 2"]),
      systemMessage: "You write.",
    });
    const critic = new AssistantAgent({
      name: "critic",
      modelClient: new ReplayChatCompletionClient(["Needs work", "APPROVE"]),
    });
    const team = new RoundRobinGroupChat({
      participants: [writer, critic],
      terminationCondition: new TextMentionTermination("APPROVE").or(new MaxMessageTermination(10)),
    });
    const result = await team.run({ task: "Write a haiku" });
    expect(texts(result)).toEqual([
      "user:Write a haiku",
      "writer:Draft 1",
      "critic:Needs work",
      "writer:Draft 2",
      "critic:APPROVE",
    ]);
    expect(result.stopReason).toContain("APPROVE");
    await team.close();
  });

  it("streams every message, then the result last", async () => {
    const a = new ScriptedAgent({ name: "a", replies: ["one"] });
    const b = new ScriptedAgent({ name: "b", replies: ["two"] });
    const team = new RoundRobinGroupChat({
      participants: [a, b],
      terminationCondition: new MaxMessageTermination(3),
    });
    const items: (BaseAgentMessage | TaskResult)[] = [];
    for await (const item of team.runStream({ task: "go" })) items.push(item);
    expect(items.slice(0, -1).map((m) => (m as BaseAgentMessage).toText())).toEqual(["go", "one", "two"]);
    expect(isTaskResult(items.at(-1))).toBe(true);
    // Each participant is given only what it has not seen yet.
    expect(a.seen).toEqual([["user:go"]]);
    expect(b.seen).toEqual([["user:go", "a:one"]]);
  });

  it("stops at maxTurns and continues with no task, or with a new one", async () => {
    const a = new ScriptedAgent({ name: "a", replies: ["a1", "a2", "a3"] });
    const b = new ScriptedAgent({ name: "b", replies: ["b1", "b2"] });
    const team = new RoundRobinGroupChat({ participants: [a, b], maxTurns: 1 });
    const first = await team.run({ task: "start" });
    expect(texts(first)).toEqual(["user:start", "a:a1"]);
    expect(first.stopReason).toBe("Maximum number of turns 1 reached.");
    const second = await team.run();
    expect(texts(second)).toEqual(["b:b1"]);
    const third = await team.run({ task: "more please" });
    expect(texts(third)).toEqual(["user:more please", "a:a2"]);
    expect(a.seen.at(-1)).toEqual(["b:b1", "user:more please"]);
  });

  it("refuses to continue when there is nothing to continue", async () => {
    const team = new RoundRobinGroupChat({
      participants: [new ScriptedAgent({ name: "a", replies: ["x"] })],
      maxTurns: 1,
    });
    await expect(team.run()).rejects.toThrow(/No task was given/);
  });

  it("is cancelled mid-turn by its signal, keeps the messages so far, and runs again", async () => {
    const slow = new AssistantAgent({
      name: "slow",
      modelClient: new ReplayChatCompletionClient({ responses: ["never", "later"], latencyMs: 60_000 }),
    });
    const fast = new ScriptedAgent({ name: "fast", replies: ["quick"] });
    const team = new RoundRobinGroupChat({ participants: [fast, slow], maxTurns: 2 });
    const controller = new AbortController();
    const seen: string[] = [];
    let error: unknown;
    try {
      for await (const item of team.runStream({ task: "go", signal: controller.signal })) {
        if (!isTaskResult(item)) seen.push(item.toText());
        if (seen.includes("quick")) controller.abort();
      }
    } catch (e) {
      error = e;
    }
    expect(CancelledError.isInstance(error)).toBe(true);
    const messages = (error as AutogenError).details?.messages as BaseAgentMessage[];
    expect(messages.map((m) => m.toText())).toEqual(["go", "quick"]);
    // The team is usable again: a new run starts from the transcript.
    const again = new RoundRobinGroupChat({
      participants: [new ScriptedAgent({ name: "x", replies: ["ok"] })],
      maxTurns: 1,
    });
    expect(texts(await again.run({ task: "hi" }))).toEqual(["user:hi", "x:ok"]);
    await expect(team.run({ task: "after cancel", signal: AbortSignal.abort() })).rejects.toMatchObject({
      code: "cancelled",
    });
  });

  it("ends the run with a typed error when a participant fails, keeping what was said", async () => {
    const ok = new ScriptedAgent({ name: "ok", replies: ["fine"] });
    const broken = new AssistantAgent({ name: "broken", modelClient: new ReplayChatCompletionClient([]) });
    const team = new RoundRobinGroupChat({ participants: [ok, broken], maxTurns: 4 });
    const error = await team.run({ task: "go" }).then(
      () => undefined,
      (e: unknown) => e as DeliveryError,
    );
    expect(DeliveryError.isInstance(error)).toBe(true);
    expect(error?.code).toBe("handler_failed");
    expect(error?.message).toContain("Participant 'broken' failed");
    expect(ModelError.isInstance(error?.cause)).toBe(true);
    expect(((error?.details?.messages ?? []) as BaseAgentMessage[]).map((m) => m.toText())).toEqual([
      "go",
      "fine",
    ]);
  });

  it("saves mid-conversation and continues exactly there in a team of fresh agents", async () => {
    const build = () => {
      const a = new AssistantAgent({
        name: "a",
        modelClient: new ReplayChatCompletionClient(["a1", "a2", "a3"]),
      });
      const b = new AssistantAgent({
        name: "b",
        modelClient: new ReplayChatCompletionClient(["b1", "b2", "b3"]),
      });
      return new RoundRobinGroupChat({ participants: [a, b], maxTurns: 3 });
    };
    const original = build();
    await original.run({ task: "count" });
    const state = JSON.parse(JSON.stringify(await original.saveState()));

    // The reference: the same team simply continuing.
    const reference = await original.run();

    const clientA = new ReplayChatCompletionClient(["a3"]);
    const clientB = new ReplayChatCompletionClient(["b2", "b3"]);
    const restored = new RoundRobinGroupChat({
      participants: [
        new AssistantAgent({ name: "a", modelClient: clientA }),
        new AssistantAgent({ name: "b", modelClient: clientB }),
      ],
      maxTurns: 3,
    });
    await restored.loadState(state);
    const continued = await restored.run();
    expect(texts(continued)).toEqual(texts(reference));
    expect(texts(continued)).toEqual(["b:b2", "a:a3", "b:b3"]);
    // b's model saw the whole conversation so far, restored from the saved state.
    const firstCallOfB = JSON.stringify(clientB.requests[0]?.messages);
    for (const said of ["count", "a1", "b1", "a2"]) expect(firstCallOfB).toContain(said);
  });

  it("refuses a corrupt or foreign state document clearly", async () => {
    const team = new RoundRobinGroupChat({
      participants: [new ScriptedAgent({ name: "a", replies: ["x"] })],
    });
    await expect(team.loadState({ type: "TeamState", version: 99 })).rejects.toMatchObject({
      code: "invalid_state",
    });
    await expect(team.loadState("nonsense")).rejects.toMatchObject({ code: "invalid_state" });
    await expect(
      team.loadState({
        type: "TeamState",
        version: 1,
        team: "RoundRobinGroupChat",
        agentStates: { ghost: {} },
        manager: {},
      }),
    ).rejects.toThrow(/participant 'ghost'/);
  });

  it("pauses after the current turn and resumes", async () => {
    const a = new ScriptedAgent({ name: "a", replies: ["a1"] });
    const b = new ScriptedAgent({ name: "b", replies: ["b1"] });
    let release!: () => void;
    a.gate = new Promise((r) => {
      release = r;
    });
    const team = new RoundRobinGroupChat({ participants: [a, b], maxTurns: 2 });
    const seen: string[] = [];
    const run = (async () => {
      for await (const item of team.runStream({ task: "go" }))
        if (!isTaskResult(item)) seen.push(item.toText());
    })();
    while (a.seen.length === 0) await new Promise((r) => setTimeout(r, 1));
    await team.pause();
    release();
    while (!seen.includes("a1")) await new Promise((r) => setTimeout(r, 1));
    await new Promise((r) => setTimeout(r, 50));
    expect(b.calls).toBe(0);
    await team.resume();
    await run;
    expect(seen).toEqual(["go", "a1", "b1"]);
  });

  it("resets every participant and the transcript", async () => {
    const a = new ScriptedAgent({ name: "a", replies: ["a1"] });
    const team = new RoundRobinGroupChat({ participants: [a], maxTurns: 1 });
    await team.run({ task: "go" });
    await team.reset();
    expect(a.calls).toBe(0);
    await expect(team.run()).rejects.toThrow(/No task was given/);
  });

  it("takes nested teams as participants", async () => {
    const inner = new RoundRobinGroupChat({
      name: "inner",
      participants: [
        new ScriptedAgent({ name: "i1", replies: ["inner one"] }),
        new ScriptedAgent({ name: "i2", replies: ["inner two"] }),
      ],
      maxTurns: 2,
    });
    const outer = new ScriptedAgent({ name: "outer", replies: ["outer says"] });
    const team = new RoundRobinGroupChat({ participants: [inner, outer], maxTurns: 2 });
    const result = await team.run({ task: "nest" });
    expect(texts(result)).toEqual(["user:nest", "i1:inner one", "i2:inner two", "outer:outer says"]);
    expect(outer.seen).toEqual([["user:nest", "i1:inner one", "i2:inner two"]]);
  });

  it("validates its options", () => {
    const a = new ScriptedAgent({ name: "a", replies: ["x"] });
    expect(() => new RoundRobinGroupChat({ participants: [] })).toThrow(/at least one participant/);
    expect(() => new RoundRobinGroupChat({ participants: [a, a] })).toThrow(/unique/);
    expect(() => new RoundRobinGroupChat({ participants: [a], maxTurns: 0 })).toThrow(/maxTurns/);
  });

  it("runs one task at a time", async () => {
    const a = new ScriptedAgent({ name: "a", replies: ["x"] });
    let release!: () => void;
    a.gate = new Promise((r) => {
      release = r;
    });
    const team = new RoundRobinGroupChat({ participants: [a], maxTurns: 1 });
    const first = team.run({ task: "one" });
    await new Promise((r) => setTimeout(r, 1));
    await expect(team.run({ task: "two" })).rejects.toMatchObject({ code: "invalid_state" });
    release();
    await first;
  });
});
