import { type AutogenError, CancelledError, ModelError } from "@autogen-ts/core";
import { ReplayChatCompletionClient } from "@autogen-ts/core/testing";
import { describe, expect, it } from "vitest";
import {
  type BaseAgentMessage,
  MagenticOneGroupChat,
  readProgressLedger,
  SourceMatchTermination,
  type TaskResult,
} from "../../src/index.js";
import { ScriptedAgent } from "../../src/testing/index.js";

/** A progress ledger reply. */
function ledger(
  next: string,
  instruction: string,
  flags: { satisfied?: boolean; loop?: boolean; progress?: boolean } = {},
): string {
  const a = <T>(answer: T) => ({ reason: "because", answer });
  return JSON.stringify({
    is_request_satisfied: { reason: flags.satisfied ? "all answered" : "not yet", answer: !!flags.satisfied },
    is_in_loop: a(!!flags.loop),
    is_progress_being_made: a(flags.progress ?? true),
    next_speaker: a(next),
    instruction_or_question: a(instruction),
  });
}

const texts = (messages: readonly BaseAgentMessage[]) =>
  messages.filter((m) => m.type !== "ThoughtEvent").map((m) => `${m.source}:${m.toText()}`);
const said = (result: TaskResult) => texts(result.messages);
const requestText = (model: ReplayChatCompletionClient, i: number) =>
  JSON.stringify(model.requests[i]?.messages);

function team(
  model: ReplayChatCompletionClient,
  options: {
    maxStalls?: number;
    maxTurns?: number;
    maxLedgerRetries?: number;
    terminationCondition?: SourceMatchTermination;
  } = {},
) {
  const researcher = new ScriptedAgent({
    name: "researcher",
    replies: ["The figure is 42.", "Checked again: 42."],
    afterLast: "last",
    resetRestartsScript: false,
  });
  const writer = new ScriptedAgent({
    name: "writer",
    replies: ["Report: the figure is 42."],
    afterLast: "last",
    resetRestartsScript: false,
  });
  const chat = new MagenticOneGroupChat({
    name: "orchestrator",
    participants: [researcher, writer],
    modelClient: model,
    ...options,
  });
  return { chat, researcher, writer };
}

describe("MagenticOneGroupChat", () => {
  it("plans, directs each turn, and ends with the final answer", async () => {
    const model = new ReplayChatCompletionClient([
      "FACTS: the figure must be looked up.",
      "PLAN: researcher finds it; writer reports it.",
      ledger("researcher", "Find the figure."),
      ledger("writer", "Write the report."),
      ledger("", "", { satisfied: true }),
      "The figure is 42.",
    ]);
    const { chat, researcher, writer } = team(model);
    const result = await chat.run({ task: "What is the figure?" });
    const out = said(result);
    expect(out[0]).toBe("user:What is the figure?");
    expect(out[1]).toContain("FACTS: the figure must be looked up.");
    expect(out[1]).toContain("PLAN: researcher finds it");
    expect(out.slice(2)).toEqual([
      "orchestrator:Find the figure.",
      "researcher:The figure is 42.",
      "orchestrator:Write the report.",
      "writer:Report: the figure is 42.",
      "orchestrator:The figure is 42.",
    ]);
    expect(result.stopReason).toBe("all answered");
    // Each ledger is on the stream as the orchestrator's thought.
    const thoughts = result.messages.filter((m) => m.type === "ThoughtEvent");
    expect(thoughts).toHaveLength(3);
    expect(JSON.parse(thoughts[0]?.toText() ?? "").next_speaker.answer).toBe("researcher");
    // The researcher saw the task ledger and its instruction; the writer saw the researcher's answer.
    expect(researcher.seen[0]?.at(-1)).toBe("orchestrator:Find the figure.");
    expect(writer.seen[0]).toContain("researcher:The figure is 42.");
    // The plan prompt names the team; the ledger prompt asks for JSON with the team's names.
    expect(requestText(model, 1)).toContain("researcher: scripted researcher");
    expect(requestText(model, 2)).toContain("One of: researcher, writer");
    expect(model.requests[2]?.options.jsonOutput).toBe(true);
    // The final answer is written from the conversation.
    expect(requestText(model, 5)).toContain("Report: the figure is 42.");
  });

  it("counts stalls and, after maxStalls, revises facts and plan and restarts the team", async () => {
    const model = new ReplayChatCompletionClient([
      "FACTS v1",
      "PLAN v1: researcher guesses.",
      ledger("researcher", "Guess the figure.", { progress: false }),
      ledger("researcher", "Guess again.", { loop: true }),
      "FACTS v2: guessing does not work.",
      "PLAN v2: writer asks the source.",
      // The first ledger after a re-plan does not count as a stall.
      ledger("writer", "Ask the source.", { progress: false }),
      ledger("", "", { satisfied: true }),
      "Final: 42.",
    ]);
    const { chat, researcher, writer } = team(model, { maxStalls: 2 });
    const result = await chat.run({ task: "What is the figure?" });
    const out = said(result);
    const ledgers = out.filter((m) => m.includes("Here is the plan to follow as best as possible:"));
    expect(ledgers).toHaveLength(2);
    expect(ledgers[1]).toContain("FACTS v2: guessing does not work.");
    expect(ledgers[1]).toContain("PLAN v2: writer asks the source.");
    expect(out.at(-1)).toBe("orchestrator:Final: 42.");
    // The update prompts carry the old facts and the conversation.
    expect(requestText(model, 4)).toContain("FACTS v1");
    expect(requestText(model, 4)).toContain("The figure is 42.");
    // Every participant was reset for the new plan; the writer, reset before its first turn, saw only the
    // new ledger and its instruction.
    expect(researcher.resets).toBe(1);
    expect(writer.resets).toBe(1);
    expect(writer.seen[0]).toEqual([ledgers[1], "orchestrator:Ask the source."]);
    // The saved state holds the new ledger and counters.
    const state = (await chat.saveState()) as unknown as {
      manager: { magenticOne: Record<string, unknown> };
    };
    expect(state.manager.magenticOne).toMatchObject({
      facts: "FACTS v2: guessing does not work.",
      replans: 1,
    });
  });

  it("retries a malformed progress ledger, telling the model what was wrong", async () => {
    const model = new ReplayChatCompletionClient([
      "facts",
      "plan",
      "Sure! The researcher should go next.",
      '```json\n{"is_request_satisfied": {"reason": "no", "answer": false}}\n```',
      ledger("nobody", "Do it."),
      `Here it is:\n\`\`\`json\n${ledger("researcher", "Find it.")}\n\`\`\``,
      ledger("", "", { satisfied: true }),
      "42",
    ]);
    const { chat } = team(model, { maxLedgerRetries: 3 });
    const result = await chat.run({ task: "figure?" });
    expect(said(result).slice(2)).toEqual([
      "orchestrator:Find it.",
      "researcher:The figure is 42.",
      "orchestrator:42",
    ]);
    const retry1 = model.requests[3]?.messages.at(-1);
    expect(JSON.stringify(retry1)).toContain("holds no JSON object");
    expect(JSON.stringify(model.requests[4]?.messages.at(-1))).toContain("is_in_loop");
    expect(JSON.stringify(model.requests[5]?.messages.at(-1))).toContain(
      'next_speaker \\"nobody\\" is not in the team',
    );
  });

  it("gives up on an unreadable ledger after maxLedgerRetries with a typed error, keeping the messages", async () => {
    const model = new ReplayChatCompletionClient(["facts", "plan", "no json", "still no json"]);
    const researcher = new ScriptedAgent({
      name: "researcher",
      replies: ["x"],
      afterLast: "last",
      resetRestartsScript: false,
    });
    const chat = new MagenticOneGroupChat({
      participants: [researcher],
      modelClient: model,
      maxLedgerRetries: 1,
    });
    const error = await chat.run({ task: "figure?" }).then(
      () => undefined,
      (e: unknown) => e as AutogenError,
    );
    expect(ModelError.isInstance(error?.cause)).toBe(true);
    expect(error?.code).toBe("model_output");
    expect(error?.message).toContain("no usable progress ledger in 2 attempts");
    const kept = (error?.details?.messages ?? []) as BaseAgentMessage[];
    expect(texts(kept)[0]).toBe("user:figure?");
    expect(texts(kept)[1]).toContain("Here is the plan to follow as best as possible:");
    expect(model.remainingResponses).toBe(0);
  });

  it("is cancelled mid-turn, keeps the messages, and continues afterwards", async () => {
    const model = new ReplayChatCompletionClient([
      "facts",
      "plan",
      ledger("researcher", "Find it."),
      ledger("researcher", "Find it, please."),
      ledger("", "", { satisfied: true }),
      "42",
    ]);
    const { chat, researcher } = team(model);
    researcher.gate = new Promise(() => {});
    const controller = new AbortController();
    researcher.onStart = () => controller.abort();
    let error: unknown;
    try {
      for await (const _ of chat.runStream({ task: "figure?", signal: controller.signal })) {
        // consume
      }
    } catch (e) {
      error = e;
    }
    expect(CancelledError.isInstance(error)).toBe(true);
    const kept = texts((error as AutogenError).details?.messages as BaseAgentMessage[]);
    expect(kept.at(-1)).toBe("orchestrator:Find it.");
    researcher.gate = undefined;
    researcher.onStart = undefined;
    const resumed = await chat.run();
    expect(said(resumed)).toEqual([
      "orchestrator:Find it, please.",
      "researcher:The figure is 42.",
      "orchestrator:42",
    ]);
  });

  it("is cancelled while the orchestrator plans, and plans again on the next run", async () => {
    const slow = new ReplayChatCompletionClient({ responses: ["never"], latencyMs: 60_000 });
    const { chat } = team(slow);
    const controller = new AbortController();
    const run = chat.run({ task: "figure?", signal: controller.signal });
    while (slow.requests.length === 0) await new Promise((r) => setTimeout(r, 1));
    controller.abort();
    const error = await run.then(
      () => undefined,
      (e: unknown) => e as AutogenError,
    );
    expect(CancelledError.isInstance(error)).toBe(true);
    expect(texts(error?.details?.messages as BaseAgentMessage[])).toEqual(["user:figure?"]);
    const state = (await chat.saveState()) as unknown as {
      manager: { magenticOne: Record<string, unknown> };
    };
    expect(state.manager.magenticOne).toMatchObject({ needsPlan: true, plan: "" });
  });

  it("saves mid-conversation and continues exactly there with fresh agents", async () => {
    const script = [
      "facts",
      "plan",
      ledger("researcher", "Find it."),
      ledger("writer", "Report it."),
      ledger("", "", { satisfied: true }),
      "Final: 42.",
    ];
    // Stopped by a termination condition after the researcher's turn (at maxTurns the team would answer).
    const stop = () => ({ terminationCondition: new SourceMatchTermination({ sources: ["researcher"] }) });
    const original = team(new ReplayChatCompletionClient(script), stop());
    const first = await original.chat.run({ task: "figure?" });
    expect(said(first).at(-1)).toBe("researcher:The figure is 42.");
    expect(first.stopReason).toBe("'researcher' answered");
    const state = JSON.parse(JSON.stringify(await original.chat.saveState()));
    const reference = said(await original.chat.run());

    const model = new ReplayChatCompletionClient(script.slice(3));
    const restored = team(model, stop());
    await restored.chat.loadState(state);
    const continued = said(await restored.chat.run());
    expect(continued).toEqual(reference);
    expect(continued).toEqual([
      "orchestrator:Report it.",
      "writer:Report: the figure is 42.",
      "orchestrator:Final: 42.",
    ]);
    // No re-planning: the restored orchestrator's first call read the saved conversation.
    expect(requestText(model, 0)).toContain("The figure is 42.");
    expect(requestText(model, 0)).toContain("Here is the plan to follow as best as possible:");
    expect(restored.writer.seen[0]).toContain("researcher:The figure is 42.");
  });

  it("writes a final answer when it stops at maxTurns, as AutoGen's orchestrator does", async () => {
    const model = new ReplayChatCompletionClient([
      "facts",
      "plan",
      ledger("researcher", "Find it."),
      "The figure is probably 42.",
    ]);
    const { chat } = team(model, { maxTurns: 1 });
    const result = await chat.run({ task: "figure?" });
    expect(said(result).slice(-2)).toEqual([
      "researcher:The figure is 42.",
      "orchestrator:The figure is probably 42.",
    ]);
    expect(result.stopReason).toBe("Max rounds reached.");
    // The answer was asked for with the final-answer prompt, after the researcher's turn.
    expect(requestText(model, 3)).toContain("The figure is 42.");
    expect(model.remainingResponses).toBe(0);
  });

  it("plans again for a new task after a finished one", async () => {
    const model = new ReplayChatCompletionClient([
      "facts 1",
      "plan 1",
      ledger("", "", { satisfied: true }),
      "answer 1",
      "facts 2",
      "plan 2",
      ledger("", "", { satisfied: true }),
      "answer 2",
    ]);
    const { chat } = team(model);
    expect(said(await chat.run({ task: "one" })).at(-1)).toBe("orchestrator:answer 1");
    const second = said(await chat.run({ task: "two" }));
    expect(second[1]).toContain("plan 2");
    expect(second.at(-1)).toBe("orchestrator:answer 2");
    expect(requestText(model, 4)).toContain("two");
  });

  it("uses a custom final answer prompt", async () => {
    const model = new ReplayChatCompletionClient(["f", "p", ledger("", "", { satisfied: true }), "done"]);
    const chat = new MagenticOneGroupChat({
      participants: [
        new ScriptedAgent({ name: "a", replies: ["x"], afterLast: "last", resetRestartsScript: false }),
      ],
      modelClient: model,
      finalAnswerPrompt: "Answer in one word: {task}",
    });
    await chat.run({ task: "colour of the sky?" });
    expect(requestText(model, 3)).toContain("Answer in one word: colour of the sky?");
  });

  it("validates its options and refuses a malformed saved state", async () => {
    const a = new ScriptedAgent({ name: "a", replies: ["x"], afterLast: "last", resetRestartsScript: false });
    const modelClient = new ReplayChatCompletionClient([]);
    expect(() => new MagenticOneGroupChat({ participants: [a], modelClient, maxStalls: 0 })).toThrow(
      /maxStalls/,
    );
    expect(() => new MagenticOneGroupChat({ participants: [a], modelClient, maxLedgerRetries: -1 })).toThrow(
      /maxLedgerRetries/,
    );
    expect(() => new MagenticOneGroupChat({ participants: [a], modelClient: undefined as never })).toThrow(
      /modelClient/,
    );
    const chat = new MagenticOneGroupChat({ participants: [a], modelClient });
    expect(chat.maxTurns).toBe(20);
    const state = JSON.parse(JSON.stringify(await chat.saveState()));
    state.manager.magenticOne.stalls = "many";
    await expect(chat.loadState(state)).rejects.toMatchObject({ code: "invalid_state" });
  });

  it("reads ledgers strictly", async () => {
    expect((await readProgressLedger(ledger("a", "go"), ["a"])).ok).toBe(true);
    expect(await readProgressLedger(ledger("b", "go"), ["a"])).toMatchObject({ ok: false });
    expect(await readProgressLedger("{ not json }", ["a"])).toMatchObject({
      ok: false,
      problem: expect.stringContaining("not valid JSON"),
    });
    // A satisfied request needs no valid next speaker.
    expect((await readProgressLedger(ledger("", "", { satisfied: true }), ["a"])).ok).toBe(true);
  });
});
