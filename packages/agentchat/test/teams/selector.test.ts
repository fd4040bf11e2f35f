import {
  type AutogenError,
  BufferedChatCompletionContext,
  CancelledError,
  type LLMMessage,
  ModelError,
  ValidationError,
} from "@autogen-ts/core";
import { ReplayChatCompletionClient } from "@autogen-ts/core/testing";
import { describe, expect, it } from "vitest";
import {
  AssistantAgent,
  type BaseAgentMessage,
  DEFAULT_SELECTOR_PROMPT,
  isTaskResult,
  readSelection,
  SelectorGroupChat,
  type TaskResult,
} from "../../src/index.js";
import { ScriptedAgent } from "../../src/testing/index.js";
import { messagesOf, texts, until } from "./support.js";

const promptOf = (client: ReplayChatCompletionClient, call: number): string => {
  const first = client.requests[call]?.messages[0] as LLMMessage & { content: unknown };
  return String(first?.content);
};

const trio = () => [
  new ScriptedAgent({ name: "writer", replies: ["draft"], description: "Writes drafts." }),
  new ScriptedAgent({ name: "critic", replies: ["critique"], description: "Finds problems in drafts." }),
  new ScriptedAgent({ name: "editor", replies: ["edit"], description: "Polishes the final text." }),
];

describe("SelectorGroupChat", () => {
  it("lets the model pick each speaker by name, from a prompt with roles, candidates and history", async () => {
    const selector = new ReplayChatCompletionClient(["writer", "I choose critic.", "**Editor**"]);
    const team = new SelectorGroupChat({ participants: trio(), modelClient: selector, maxTurns: 3 });
    const result = await team.run({ task: "Write a slogan" });
    expect(texts(result)).toEqual(["user:Write a slogan", "writer:draft", "critic:critique", "editor:edit"]);
    const first = promptOf(selector, 0);
    expect(first).toContain("writer: Writes drafts.");
    expect(first).toContain("critic: Finds problems in drafts.");
    expect(first).toContain("[writer, critic, editor]");
    expect(first).toContain("user: Write a slogan");
    // The previous speaker is not a candidate by default: neither in the roles nor in the list.
    const second = promptOf(selector, 1);
    expect(second).toContain("[critic, editor]");
    expect(second).not.toContain("writer: Writes drafts.");
    expect(second).toContain("writer: draft");
    expect(selector.requests).toHaveLength(3);
  });

  it("falls back without a livelock when the model never names anyone: the run ends within maxTurns", async () => {
    // Exactly maxTurns x maxSelectorAttempts replies: one more model call would exhaust the script.
    const garbage = Array.from({ length: 12 }, (_, i) => `Hmm, hard to say (${i}).`);
    const selector = new ReplayChatCompletionClient(garbage);
    const team = new SelectorGroupChat({ participants: trio(), modelClient: selector, maxTurns: 4 });
    const result = await team.run({ task: "go" });
    // The fallback rotates through the team in order, never repeating the previous speaker.
    expect(texts(result)).toEqual([
      "user:go",
      "writer:draft",
      "critic:critique",
      "editor:edit",
      "writer:draft",
    ]);
    expect(result.stopReason).toBe("Maximum number of turns 4 reached.");
    expect(selector.requests).toHaveLength(12);
    // Each retry shows the model its reply and says what was wrong.
    const retry = selector.requests[1]?.messages ?? [];
    expect(retry.map((m) => m.type)).toEqual(["UserMessage", "AssistantMessage", "UserMessage"]);
    expect(String(retry[2]?.content)).toMatch(/did not name any member.*\[writer, critic, editor\]/);
  });

  it("never hands the turn back to the previous speaker when the model insists on it (AutoGen #7471)", async () => {
    const selector = new ReplayChatCompletionClient(Array.from({ length: 4 }, () => "writer"));
    const team = new SelectorGroupChat({ participants: trio(), modelClient: selector, maxTurns: 2 });
    const result = await team.run({ task: "go" });
    expect(texts(result)).toEqual(["user:go", "writer:draft", "critic:critique"]);
    const retry = selector.requests[2]?.messages ?? [];
    expect(String(retry.at(-1)?.content)).toContain("writer cannot speak next");
  });

  it("allows a repeated speaker when asked to", async () => {
    const selector = new ReplayChatCompletionClient(["writer", "writer"]);
    const team = new SelectorGroupChat({
      participants: trio(),
      modelClient: selector,
      allowRepeatedSpeaker: true,
      maxTurns: 2,
    });
    expect(texts(await team.run({ task: "go" }))).toEqual(["user:go", "writer:draft", "writer:draft"]);
    expect(promptOf(selector, 1)).toContain("[writer, critic, editor]");
  });

  it("asks again after a reply naming several members, and reads 'I choose X' in a longer reply", async () => {
    const selector = new ReplayChatCompletionClient([
      "writer or critic",
      "critic",
      "I select editor, because critic and writer have spoken.",
    ]);
    const team = new SelectorGroupChat({ participants: trio(), modelClient: selector, maxTurns: 2 });
    expect(texts(await team.run({ task: "go" }))).toEqual(["user:go", "critic:critique", "editor:edit"]);
    expect(String(selector.requests[1]?.messages.at(-1)?.content)).toContain("named several members");
  });

  it("uses a selectorFunc (sync or async) and falls back to the model when it returns undefined", async () => {
    const seenThreads: number[] = [];
    const selector = new ReplayChatCompletionClient(["writer", "editor"]);
    const team = new SelectorGroupChat({
      participants: trio(),
      modelClient: selector,
      maxTurns: 3,
      selectorFunc: (thread, { previousSpeaker }) => {
        seenThreads.push(thread.length);
        return previousSpeaker === "writer" ? "critic" : undefined;
      },
    });
    const result = await team.run({ task: "go" });
    expect(texts(result)).toEqual(["user:go", "writer:draft", "critic:critique", "editor:edit"]);
    expect(seenThreads).toEqual([1, 2, 3]);
    expect(selector.requests).toHaveLength(2);

    const asyncTeam = new SelectorGroupChat({
      participants: trio(),
      modelClient: new ReplayChatCompletionClient([]),
      maxTurns: 1,
      selectorFunc: async () => "editor",
    });
    expect(texts(await asyncTeam.run({ task: "go" }))).toEqual(["user:go", "editor:edit"]);
  });

  it("ends the run with a clear error when selectorFunc names a stranger, keeping the messages", async () => {
    const team = new SelectorGroupChat({
      participants: trio(),
      modelClient: new ReplayChatCompletionClient([]),
      selectorFunc: () => "ghost",
    });
    const error = (await team.run({ task: "go" }).catch((e: unknown) => e)) as AutogenError;
    expect(error.code).toBe("invalid_argument");
    expect(ValidationError.isInstance(error.cause)).toBe(true);
    expect(error.message).toContain('"ghost"');
    expect(error.message).toContain("writer, critic, editor");
    expect(messagesOf(error).map((m) => m.toText())).toEqual(["go"]);
  });

  it("narrows the candidates with candidateFunc; a single candidate speaks without a model call", async () => {
    const selector = new ReplayChatCompletionClient(["editor"]);
    const team = new SelectorGroupChat({
      participants: trio(),
      modelClient: selector,
      maxTurns: 2,
      candidateFunc: (thread) => (thread.length === 1 ? ["writer"] : ["editor", "critic"]),
    });
    expect(texts(await team.run({ task: "go" }))).toEqual(["user:go", "writer:draft", "editor:edit"]);
    expect(selector.requests).toHaveLength(1);
    const prompt = promptOf(selector, 0);
    expect(prompt).toContain("[critic, editor]");
    expect(prompt).not.toContain("writer: Writes drafts.");

    const bad = new SelectorGroupChat({
      participants: trio(),
      modelClient: selector,
      candidateFunc: () => ["nobody"],
    });
    await expect(bad.run({ task: "go" })).rejects.toThrow(/candidateFunc returned "nobody"/);
    const empty = new SelectorGroupChat({
      participants: trio(),
      modelClient: selector,
      candidateFunc: () => [],
    });
    await expect(empty.run({ task: "go" })).rejects.toThrow(/at least one/);
  });

  it("emits a SelectSpeakerEvent per selection and streams the selector's reply when asked", async () => {
    const selector = new ReplayChatCompletionClient(["the critic", "writer"]);
    const team = new SelectorGroupChat({
      participants: trio(),
      modelClient: selector,
      maxTurns: 2,
      emitTeamEvents: true,
      modelClientStreaming: true,
    });
    const items: (BaseAgentMessage | TaskResult)[] = [];
    for await (const item of team.runStream({ task: "go" })) items.push(item);
    const events = items.filter((i): i is BaseAgentMessage => !isTaskResult(i));
    expect(events.filter((e) => e.type === "SelectSpeakerEvent").map((e) => e.toText())).toEqual([
      "critic",
      "writer",
    ]);
    const chunks = events.filter((e) => e.type === "ModelClientStreamingChunkEvent").map((e) => e.toText());
    expect(chunks.join("")).toBe("the criticwriter");
    expect(selector.requests.every((r) => r.stream)).toBe(true);
    const result = items.at(-1) as TaskResult;
    expect(result.messages.some((m) => m.type === "ModelClientStreamingChunkEvent")).toBe(false);
  });

  it("builds the history from its modelContext", async () => {
    const selector = new ReplayChatCompletionClient(["writer", "critic"]);
    const team = new SelectorGroupChat({
      participants: trio(),
      modelClient: selector,
      maxTurns: 2,
      modelContext: new BufferedChatCompletionContext({ bufferSize: 1 }),
    });
    await team.run({ task: "the task" });
    const second = promptOf(selector, 1);
    expect(second).toContain("writer: draft");
    expect(second).not.toContain("the task");
  });

  it("takes a custom prompt with the same placeholders", async () => {
    const selector = new ReplayChatCompletionClient(["editor"]);
    const team = new SelectorGroupChat({
      participants: trio(),
      modelClient: selector,
      maxTurns: 1,
      selectorPrompt: "Who? {participants}\n{roles}\n---\n{history}",
    });
    await team.run({ task: "go" });
    expect(promptOf(selector, 0)).toBe(
      "Who? [writer, critic, editor]\nwriter: Writes drafts.\ncritic: Finds problems in drafts.\n" +
        "editor: Polishes the final text.\n---\nuser: go",
    );
    expect(DEFAULT_SELECTOR_PROMPT).toContain("{history}");
  });

  it("is cancelled mid-turn (during a participant's turn and during selection) and keeps what was said", async () => {
    const [writer, critic, editor] = trio() as [ScriptedAgent, ScriptedAgent, ScriptedAgent];
    let release!: () => void;
    critic.gate = new Promise((r) => {
      release = r;
    });
    const team = new SelectorGroupChat({
      participants: [writer, critic, editor],
      modelClient: new ReplayChatCompletionClient(["writer", "critic", "editor"]),
      maxTurns: 3,
    });
    const controller = new AbortController();
    const run = team.run({ task: "go", signal: controller.signal }).catch((e: unknown) => e);
    await until(() => critic.seen.length > 0);
    controller.abort();
    const error = (await run) as AutogenError;
    release();
    expect(CancelledError.isInstance(error)).toBe(true);
    expect(messagesOf(error).map((m) => m.toText())).toEqual(["go", "draft"]);

    const slowSelector = new ReplayChatCompletionClient({ responses: ["writer"], latencyMs: 60_000 });
    const waiting = new SelectorGroupChat({ participants: trio(), modelClient: slowSelector });
    const c2 = new AbortController();
    const run2 = waiting.run({ task: "go", signal: c2.signal }).catch((e: unknown) => e);
    await until(() => slowSelector.requests.length > 0);
    c2.abort();
    expect(CancelledError.isInstance(await run2)).toBe(true);
  });

  it("pauses after the current turn (no selection meanwhile) and resumes", async () => {
    const [writer, critic, editor] = trio() as [ScriptedAgent, ScriptedAgent, ScriptedAgent];
    let release!: () => void;
    writer.gate = new Promise((r) => {
      release = r;
    });
    const selector = new ReplayChatCompletionClient(["writer", "critic"]);
    const team = new SelectorGroupChat({
      participants: [writer, critic, editor],
      modelClient: selector,
      maxTurns: 2,
    });
    const run = team.run({ task: "go" });
    await until(() => writer.seen.length > 0);
    await team.pause();
    release();
    await new Promise((r) => setTimeout(r, 30));
    expect(selector.requests).toHaveLength(1);
    await team.resume();
    expect(texts(await run)).toEqual(["user:go", "writer:draft", "critic:critique"]);
  });

  it("ends the run with the model's error when the selector model fails", async () => {
    const team = new SelectorGroupChat({
      participants: trio(),
      modelClient: new ReplayChatCompletionClient([]),
    });
    const error = (await team.run({ task: "go" }).catch((e: unknown) => e)) as AutogenError;
    expect(error.code).toBe("replay_exhausted");
    expect(ModelError.isInstance(error.cause)).toBe(true);
  });

  it("saves mid-conversation and continues exactly there with fresh agents and a fresh selector", async () => {
    const build = (selectorReplies: string[], scripts: Record<string, string[]>) => {
      const selector = new ReplayChatCompletionClient(selectorReplies);
      const agents = ["planner", "coder", "tester"].map(
        (name) =>
          new AssistantAgent({
            name,
            description: `The ${name}.`,
            modelClient: new ReplayChatCompletionClient(scripts[name] ?? []),
          }),
      );
      const team = new SelectorGroupChat({ participants: agents, modelClient: selector, maxTurns: 2 });
      return { team, selector, agents };
    };
    const original = build(["planner", "coder", "tester", "planner"], {
      planner: ["plan v1", "plan v2"],
      coder: ["code v1"],
      tester: ["tests pass"],
    });
    expect(texts(await original.team.run({ task: "build it" }))).toEqual([
      "user:build it",
      "planner:plan v1",
      "coder:code v1",
    ]);
    const state = JSON.parse(JSON.stringify(await original.team.saveState()));
    const reference = await original.team.run();

    const restored = build(["tester", "planner"], { planner: ["plan v2"], tester: ["tests pass"] });
    await restored.team.loadState(state);
    const continued = await restored.team.run();
    expect(texts(continued)).toEqual(texts(reference));
    expect(texts(continued)).toEqual(["tester:tests pass", "planner:plan v2"]);
    // The selector's history and its exclusion of the previous speaker (coder) came back with the state.
    const prompt = promptOf(restored.selector, 0);
    for (const said of ["user: build it", "planner: plan v1", "coder: code v1"])
      expect(prompt).toContain(said);
    expect(prompt).toContain("[planner, tester]");
    expect(promptOf(restored.selector, 0)).toBe(promptOf(original.selector, 2));
  });

  it("resets: forgets the transcript and the previous speaker", async () => {
    const selector = new ReplayChatCompletionClient(["writer", "writer"]);
    const team = new SelectorGroupChat({ participants: trio(), modelClient: selector, maxTurns: 1 });
    await team.run({ task: "first" });
    await team.reset();
    expect(texts(await team.run({ task: "second" }))).toEqual(["user:second", "writer:draft"]);
    expect(promptOf(selector, 1)).not.toContain("first");
    expect(promptOf(selector, 1)).toContain("[writer, critic, editor]");
  });

  it("validates its options", () => {
    const participants = trio();
    const modelClient = new ReplayChatCompletionClient([]);
    // @ts-expect-error the model client is required
    expect(() => new SelectorGroupChat({ participants })).toThrow(/modelClient/);
    expect(() => new SelectorGroupChat({ participants, modelClient, maxSelectorAttempts: 0 })).toThrow(
      /maxSelectorAttempts/,
    );
    expect(() => new SelectorGroupChat({ participants, modelClient, selectorPrompt: " " })).toThrow(
      /selectorPrompt/,
    );
    // @ts-expect-error not a function
    expect(() => new SelectorGroupChat({ participants, modelClient, selectorFunc: "writer" })).toThrow(
      /selectorFunc/,
    );
  });
});

describe("readSelection", () => {
  const names = ["writer", "critic", "Editor_2"];
  const read = (reply: string, candidates = names) => readSelection(reply, candidates, names);

  it("reads a bare name in any case and dress", () => {
    for (const reply of ["critic", "Critic", " `critic`. ", '"CRITIC"', "**critic**", "critic!"]) {
      expect(read(reply)).toEqual({ name: "critic" });
    }
    expect(read("editor_2")).toEqual({ name: "Editor_2" });
  });

  it("reads one mention in a sentence, a cue, and a final line", () => {
    expect(read("I think the critic should go next.")).toEqual({ name: "critic" });
    expect(read("The writer has drafted it, so I choose critic.")).toEqual({ name: "critic" });
    expect(read("Next speaker: writer (the critic is done)")).toEqual({ name: "writer" });
    expect(read("critic reviewed, writer revised.\n\nEditor_2")).toEqual({ name: "Editor_2" });
    expect(read("<think>maybe writer? or critic</think>critic")).toEqual({ name: "critic" });
  });

  it("does not take part of a longer word or name as a mention", () => {
    expect(read("The writers' room is quiet")).toHaveProperty("problem");
    expect(read("Editor_22 please")).toHaveProperty("problem");
  });

  it("says what is wrong otherwise", () => {
    expect(read("")).toEqual({ problem: expect.stringContaining("did not name any member") });
    expect(read("writer and critic")).toEqual({ problem: expect.stringContaining("named several members") });
    expect(read("writer", ["critic"])).toEqual({
      problem: expect.stringContaining("writer cannot speak next"),
    });
  });
});
