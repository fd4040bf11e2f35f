import {
  type AutogenError,
  CancelledError,
  DeliveryError,
  type FunctionCall,
  ValidationError,
} from "@autogen-ts/core";
import { ReplayChatCompletionClient } from "@autogen-ts/core/testing";
import { describe, expect, it } from "vitest";
import {
  AssistantAgent,
  HandoffMessage,
  HandoffTermination,
  MaxMessageTermination,
  RoundRobinGroupChat,
  Swarm,
  TextMentionTermination,
} from "../../src/index.js";
import { ScriptedAgent } from "../../src/testing/index.js";
import { messagesOf, texts, until } from "./support.js";

const transfer = (target: string, id = `call-${target}`): { content: FunctionCall[] } => ({
  content: [{ id, name: `transfer_to_${target}`, arguments: "{}" }],
});

describe("Swarm", () => {
  it("follows handoffs; without one the same agent keeps the turn", async () => {
    const aliceModel = new ReplayChatCompletionClient([transfer("bob")]);
    const bobModel = new ReplayChatCompletionClient(["Bob here, looking into it.", "Found it. TERMINATE"]);
    const alice = new AssistantAgent({ name: "alice", modelClient: aliceModel, handoffs: ["bob"] });
    const bob = new AssistantAgent({ name: "bob", modelClient: bobModel, handoffs: ["alice"] });
    const team = new Swarm({
      participants: [alice, bob],
      terminationCondition: new TextMentionTermination("TERMINATE"),
    });
    const result = await team.run({ task: "Find my order" });
    const chat = result.messages.filter((m) => m.kind === "chat").map((m) => `${m.source}:${m.type}`);
    expect(chat).toEqual(["user:TextMessage", "alice:HandoffMessage", "bob:TextMessage", "bob:TextMessage"]);
    expect(result.stopReason).toContain("TERMINATE");
    // Bob's model saw the task and alice's handoff.
    const bobFirst = JSON.stringify(bobModel.requests[0]?.messages);
    expect(bobFirst).toContain("Transferred to bob, adopting the role of bob immediately.");
    expect(bobFirst).toContain("Find my order");
  });

  it("passes the turn back and forth and records the speaker in a SelectSpeakerEvent", async () => {
    const a = new ScriptedAgent({ name: "a", replies: ["->b", "a done"] });
    const b = new ScriptedAgent({ name: "b", replies: ["->a"] });
    const team = new Swarm({ participants: [a, b], maxTurns: 3, emitTeamEvents: true });
    const result = await team.run({ task: "go" });
    expect(texts(result).filter((t) => !t.startsWith("Swarm:"))).toEqual([
      "user:go",
      "a:over to b",
      "b:over to a",
      "a:a done",
    ]);
    expect(result.messages.filter((m) => m.type === "SelectSpeakerEvent").map((m) => m.toText())).toEqual([
      "a",
      "b",
      "a",
    ]);
  });

  it("ends the run with a typed error naming the target and the participants on a handoff to a stranger", async () => {
    const alice = new AssistantAgent({
      name: "alice",
      modelClient: new ReplayChatCompletionClient([transfer("carol")]),
      handoffs: ["carol"],
    });
    const bob = new ScriptedAgent({ name: "bob", replies: ["hi"] });
    const team = new Swarm({ participants: [alice, bob], maxTurns: 5 });
    const error = (await team.run({ task: "go" }).catch((e: unknown) => e)) as AutogenError;
    expect(error.code).toBe("undeliverable");
    expect(DeliveryError.isInstance(error.cause)).toBe(true);
    expect(error.message).toContain('handed off to "carol"');
    expect(error.message).toContain("participants: alice, bob");
    expect(error.details).toMatchObject({ source: "alice", target: "carol", participants: ["alice", "bob"] });
    const said = messagesOf(error).filter((m) => m.kind === "chat");
    expect(said.map((m) => m.type)).toEqual(["TextMessage", "HandoffMessage"]);
    expect(bob.calls).toBe(0);
  });

  it("refuses a task whose handoff targets nobody in the team", async () => {
    const team = new Swarm({ participants: [new ScriptedAgent({ name: "a", replies: ["x"] })], maxTurns: 1 });
    const task = new HandoffMessage({ source: "user", target: "ghost", content: "you take it" });
    const error = (await team.run({ task }).catch((e: unknown) => e)) as AutogenError;
    expect(error.code).toBe("invalid_argument");
    expect(error.message).toBe(
      'The task hands off to "ghost", who is not a participant of this team (participants: a)',
    );
    expect(ValidationError.isInstance(error.cause)).toBe(true);
    expect(error.details).toMatchObject({ target: "ghost", participants: ["a"] });
    // The team is still usable.
    expect(texts(await team.run({ task: "plain" }))).toEqual(["user:plain", "a:x"]);
  });

  it("stops on a handoff to the user and resumes with the user's answer as a HandoffMessage", async () => {
    const agentModel = new ReplayChatCompletionClient([transfer("user"), "Booked for Tuesday. TERMINATE"]);
    const agent = new AssistantAgent({ name: "agent", modelClient: agentModel, handoffs: ["user"] });
    const other = new ScriptedAgent({ name: "other", replies: ["never"] });
    const team = new Swarm({
      participants: [agent, other],
      terminationCondition: new HandoffTermination("user").or(new TextMentionTermination("TERMINATE")),
    });
    const first = await team.run({ task: "Book a meeting" });
    const handoff = first.messages.at(-1);
    expect(handoff).toBeInstanceOf(HandoffMessage);
    expect((handoff as HandoffMessage).target).toBe("user");
    expect(first.stopReason).toContain("Handoff to user from agent detected.");

    const answer = new HandoffMessage({ source: "user", target: "agent", content: "Tuesday works" });
    const second = await team.run({ task: answer });
    expect(texts(second)).toEqual(["user:Tuesday works", "agent:Booked for Tuesday. TERMINATE"]);
    expect(JSON.stringify(agentModel.requests[1]?.messages)).toContain("Tuesday works");
    expect(other.calls).toBe(0);
  });

  it("resumes with plain text: the agent that asked the user answers, not the first participant", async () => {
    const front = new ScriptedAgent({ name: "front", replies: ["->billing"] });
    const billing = new ScriptedAgent({ name: "billing", replies: ["->user", "Refund issued. TERMINATE"] });
    const team = new Swarm({
      participants: [front, billing],
      terminationCondition: new HandoffTermination("user").or(new TextMentionTermination("TERMINATE")),
    });
    const first = await team.run({ task: "refund please" });
    expect(texts(first)).toEqual(["user:refund please", "front:over to billing", "billing:over to user"]);
    const second = await team.run({ task: "Order 1234" });
    expect(texts(second)).toEqual(["user:Order 1234", "billing:Refund issued. TERMINATE"]);
    expect(billing.seen.at(-1)).toEqual(["user:Order 1234"]);
    expect(front.calls).toBe(1);
  });

  it("without a HandoffTermination, a handoff to the user is an undeliverable error", async () => {
    const team = new Swarm({
      participants: [new ScriptedAgent({ name: "a", replies: ["->user"] })],
      maxTurns: 3,
    });
    await expect(team.run({ task: "go" })).rejects.toMatchObject({
      code: "undeliverable",
      message: expect.stringContaining('HandoffTermination("user")'),
    });
    // Continuing with nothing to say to the agent hits the same wall; an answer moves on.
    await expect(team.run()).rejects.toMatchObject({ code: "undeliverable" });
  });

  it("is cancelled mid-turn and keeps what was said", async () => {
    const a = new ScriptedAgent({ name: "a", replies: ["->b"] });
    const b = new ScriptedAgent({ name: "b", replies: ["b speaks"] });
    let release!: () => void;
    b.gate = new Promise((r) => {
      release = r;
    });
    const team = new Swarm({ participants: [a, b], maxTurns: 4 });
    const controller = new AbortController();
    const run = team.run({ task: "go", signal: controller.signal }).catch((e: unknown) => e);
    await until(() => b.seen.length > 0);
    controller.abort();
    const error = (await run) as AutogenError;
    release();
    expect(CancelledError.isInstance(error)).toBe(true);
    expect(messagesOf(error).map((m) => m.toText())).toEqual(["go", "over to b"]);
  });

  it("pauses after the current turn and resumes with the handoff target", async () => {
    const a = new ScriptedAgent({ name: "a", replies: ["->b"] });
    const b = new ScriptedAgent({ name: "b", replies: ["b speaks"] });
    let release!: () => void;
    a.gate = new Promise((r) => {
      release = r;
    });
    const team = new Swarm({ participants: [a, b], maxTurns: 2 });
    const run = team.run({ task: "go" });
    await until(() => a.seen.length > 0);
    await team.pause();
    release();
    await new Promise((r) => setTimeout(r, 30));
    expect(b.calls).toBe(0);
    await team.resume();
    expect(texts(await run)).toEqual(["user:go", "a:over to b", "b:b speaks"]);
  });

  it("saves mid-conversation and continues exactly there with fresh agents", async () => {
    const build = (scripts: { alice: string[]; bob: string[] }) => {
      const aliceModel = new ReplayChatCompletionClient(
        scripts.alice.map((s) => (s.startsWith("->") ? transfer(s.slice(2)) : s)),
      );
      const bobModel = new ReplayChatCompletionClient(scripts.bob);
      const team = new Swarm({
        participants: [
          new AssistantAgent({ name: "alice", modelClient: aliceModel, handoffs: ["bob"] }),
          new AssistantAgent({ name: "bob", modelClient: bobModel, handoffs: ["alice"] }),
        ],
        maxTurns: 2,
      });
      return { team, bobModel };
    };
    const original = build({ alice: ["->bob"], bob: ["bob 1", "bob 2", "bob 3"] });
    const first = await original.team.run({ task: "start" });
    expect(first.messages.filter((m) => m.kind === "chat").map((m) => `${m.source}:${m.toText()}`)).toEqual([
      "user:start",
      "alice:Transferred to bob, adopting the role of bob immediately.",
      "bob:bob 1",
    ]);
    const state = JSON.parse(JSON.stringify(await original.team.saveState()));
    expect(state.manager.currentSpeaker).toBe("bob");
    const reference = await original.team.run();

    const restored = build({ alice: [], bob: ["bob 2", "bob 3"] });
    await restored.team.loadState(state);
    const continued = await restored.team.run();
    expect(texts(continued)).toEqual(texts(reference));
    expect(texts(continued)).toEqual(["bob:bob 2", "bob:bob 3"]);
    const seen = JSON.stringify(restored.bobModel.requests[0]?.messages);
    for (const said of ["start", "Transferred to bob", "bob 1"]) expect(seen).toContain(said);
  });

  it("refuses a saved state whose speaker is not in the team", async () => {
    const team = new Swarm({ participants: [new ScriptedAgent({ name: "a", replies: ["x"] })], maxTurns: 1 });
    await team.run({ task: "go" });
    const state = JSON.parse(JSON.stringify(await team.saveState()));
    state.manager.currentSpeaker = "ghost";
    await expect(team.loadState(state)).rejects.toThrow(/"ghost" as the speaker/);
  });

  it("resets to the first participant", async () => {
    const a = new ScriptedAgent({ name: "a", replies: ["->b"] });
    const b = new ScriptedAgent({ name: "b", replies: ["b!"] });
    const team = new Swarm({ participants: [a, b], maxTurns: 1 });
    await team.run({ task: "go" });
    await team.reset();
    expect(texts(await team.run({ task: "again" }))).toEqual(["user:again", "a:over to b"]);
  });

  it("hands off to a nested team and runs as a participant of an outer team", async () => {
    const inner = new Swarm({
      name: "desk",
      participants: [
        new ScriptedAgent({ name: "x", replies: ["->y"] }),
        new ScriptedAgent({ name: "y", replies: ["y answers"] }),
      ],
      terminationCondition: new MaxMessageTermination(3),
    });
    const outer = new RoundRobinGroupChat({
      participants: [inner, new ScriptedAgent({ name: "z", replies: ["z ok"] })],
      maxTurns: 2,
    });
    expect(texts(await outer.run({ task: "hello" }))).toEqual([
      "user:hello",
      "x:over to y",
      "y:y answers",
      "z:z ok",
    ]);
  });
});
