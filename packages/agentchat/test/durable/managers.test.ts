/**
 * The model calls a team's manager makes (SelectorGroupChat's speaker selection, Magentic-One's
 * orchestrator: facts, plan, progress ledgers, final answer) go through the run's journal: a run that
 * dies and is resumed in a fresh "process" asks the manager's model exactly as often, over both
 * processes, as an uninterrupted run does, and ends with the same transcript.
 */
import {
  BaseChatCompletionClient,
  type CreateResult,
  InMemoryRunStore,
  type LLMMessage,
  type ModelInfo,
} from "@autogen-ts/core";
import { describe, expect, it } from "vitest";
import {
  AssistantAgent,
  DurableRunner,
  MagenticOneGroupChat,
  SelectorGroupChat,
  type Team,
} from "../../src/index.js";
import { ConversationModel, type Counters, counters, countTool, transcript } from "./fixtures.js";

const INFO: ModelInfo = {
  vision: false,
  functionCalling: false,
  jsonOutput: false,
  family: "unknown",
  structuredOutput: false,
};

/** A manager's model: answers by what it is asked (a function of the request alone), counting calls. */
class ManagerModel extends BaseChatCompletionClient {
  readonly modelInfo = INFO;
  protected readonly contextWindow = 100_000;
  calls = 0;

  constructor(readonly answer: (prompt: string, messages: readonly LLMMessage[]) => string) {
    super();
  }

  async create(messages: readonly LLMMessage[]): Promise<CreateResult> {
    this.calls += 1;
    const last = messages.at(-1);
    const prompt = typeof last?.content === "string" ? last.content : "";
    const content = this.answer(prompt, messages);
    return { finishReason: "stop", content, usage: { promptTokens: 1, completionTokens: 1 }, cached: false };
  }

  async *createStream(messages: readonly LLMMessage[]): AsyncIterable<string | CreateResult> {
    yield await this.create(messages);
  }
}

/** The selector picks the first member of the list it is offered. */
const firstCandidate = (prompt: string) => {
  const lists = [...prompt.matchAll(/\[([^\]]*)\]/g)];
  return (lists.at(-1)?.[1] ?? "").split(",")[0]?.trim() ?? "";
};

/** The orchestrator: plain facts and plan, the worker until it has spoken twice, then done. */
const orchestrate = (prompt: string, messages: readonly LLMMessage[]) => {
  if (prompt.includes("next_speaker")) {
    const spoken = messages.filter((m) => m.type === "UserMessage" && m.source === "worker").length;
    const a = <T>(answer: T) => ({ reason: "because", answer });
    return JSON.stringify({
      is_request_satisfied: a(spoken >= 2),
      is_in_loop: a(false),
      is_progress_being_made: a(true),
      next_speaker: a("worker"),
      instruction_or_question: a(`do step ${spoken + 1}`),
    });
  }
  if (/final answer/i.test(prompt)) return "all counted";
  return /plan/i.test(prompt) ? "count, then count again" : "there is counting to do";
};

interface Cast {
  counts: Counters;
  manager: ManagerModel;
  team: Team;
}

function selectorTeam(counts: Counters): Cast {
  const manager = new ManagerModel(firstCandidate);
  const worker = new AssistantAgent({
    name: "a",
    modelClient: new ConversationModel("a", counts, true),
    tools: [countTool(counts)],
    reflectOnToolUse: true,
  });
  const others = ["b", "c"].map(
    (name) => new AssistantAgent({ name, modelClient: new ConversationModel(name, counts, false) }),
  );
  const team = new SelectorGroupChat({
    participants: [worker, ...others],
    modelClient: manager,
    maxTurns: 5,
  });
  return { counts, manager, team };
}

function magenticTeam(counts: Counters): Cast {
  const manager = new ManagerModel(orchestrate);
  const worker = new AssistantAgent({
    name: "worker",
    modelClient: new ConversationModel("worker", counts, true),
    tools: [countTool(counts)],
    reflectOnToolUse: true,
  });
  const team = new MagenticOneGroupChat({ participants: [worker], modelClient: manager, maxTurns: 6 });
  return { counts, manager, team };
}

/** The uninterrupted run, then one that dies inside the worker's `crashAt`-th tool call and is resumed. */
async function crashAndResume(build: (counts: Counters) => Cast, crashAt: number) {
  const ref = build(counters());
  const refResult = await new DurableRunner({ store: new InMemoryRunStore(), runner: ref.team })
    .run({ task: "count things" })
    .result();
  expect(refResult.status).toBe("completed");

  const store = new InMemoryRunStore();
  const first = build(counters());
  const controller = new AbortController();
  first.counts.onTool = async (index) => {
    if (index === crashAt) controller.abort();
    if (index >= crashAt) await new Promise(() => {}); // the process is gone
  };
  const run = new DurableRunner({ store, runner: first.team }).run({
    task: "count things",
    signal: controller.signal,
  });
  await expect(run.result()).rejects.toThrow();
  expect(first.manager.calls).toBeGreaterThan(0);

  const second = build(counters());
  const done = await new DurableRunner({ store, runner: second.team }).resume(run.runId).result();
  expect(done.status).toBe("completed");
  expect(transcript(done.messages)).toEqual(transcript(refResult.messages));
  return { ref, first, second };
}

describe("a manager's model calls in durable runs", () => {
  it("SelectorGroupChat: a resumed run does not ask for a selection the run already made", async () => {
    const { ref, first, second } = await crashAndResume(selectorTeam, 2);
    expect(first.manager.calls + second.manager.calls).toBe(ref.manager.calls);
  });

  it("MagenticOneGroupChat: the orchestrator's plan and ledgers are not asked again", async () => {
    const { ref, first, second } = await crashAndResume(magenticTeam, 2);
    expect(ref.manager.calls).toBeGreaterThanOrEqual(4);
    expect(first.manager.calls + second.manager.calls).toBe(ref.manager.calls);
  });
});
