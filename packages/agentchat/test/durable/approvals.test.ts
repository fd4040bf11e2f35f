/**
 * Approvals as human input that survives restarts: a CodeExecutorAgent's approval of code and a call of a
 * tool that needs approval become persisted requests; the run is interrupted; another "process" (a new
 * team and runner on the same store) answers and finishes it. An answered request is never asked
 * again, also after a second crash; a request inside a nested team resumes at the inner request.
 */
import {
  BaseChatCompletionClient,
  type CodeBlock,
  type CodeExecutor,
  type CodeResult,
  type CreateResult,
  FunctionTool,
  InMemoryRunStore,
  type LLMMessage,
  type ModelInfo,
} from "@autogen-ts/core";
import { describe, expect, it } from "vitest";
import {
  AssistantAgent,
  approvalFromAnswer,
  CodeExecutorAgent,
  DurableRunner,
  type DurableRunResult,
  RoundRobinGroupChat,
} from "../../src/index.js";
import { ConversationModel, counters, transcript } from "./fixtures.js";

const INFO: ModelInfo = {
  vision: false,
  functionCalling: true,
  jsonOutput: false,
  family: "unknown",
  structuredOutput: false,
};

/** Writes a program first, then answers in words from its output; counts its calls. */
class CoderModel extends BaseChatCompletionClient {
  readonly modelInfo = INFO;
  protected readonly contextWindow = 100_000;
  calls = 0;

  async create(messages: readonly LLMMessage[]): Promise<CreateResult> {
    this.calls += 1;
    const wrote = messages.some((m) => m.type === "AssistantMessage");
    const content = wrote ? "The program printed hi." : "```python\nprint('hi')\n```";
    return { finishReason: "stop", content, usage: { promptTokens: 1, completionTokens: 1 }, cached: false };
  }

  async *createStream(messages: readonly LLMMessage[]): AsyncIterable<string | CreateResult> {
    yield await this.create(messages);
  }
}

/** Counts executions; `onRun` lets a test "kill the process" while code runs (it then never finishes). */
class CountingExecutor implements CodeExecutor {
  readonly supportedLanguages = ["python"];
  runs = 0;
  onRun: (() => void) | undefined;

  async executeCodeBlocks(
    _blocks: readonly CodeBlock[],
    options: { signal?: AbortSignal } = {},
  ): Promise<CodeResult> {
    this.runs += 1;
    if (this.onRun !== undefined) {
      this.onRun();
      await new Promise((_, reject) => {
        const signal = options.signal;
        if (signal?.aborted) reject(signal.reason);
        signal?.addEventListener("abort", () => reject(signal.reason), { once: true });
      });
    }
    return { exitCode: 0, output: "hi\n" };
  }
  async start(): Promise<void> {}
  async stop(): Promise<void> {}
  async restart(): Promise<void> {}
}

function coder(approve?: () => { approved: boolean; reason: string }) {
  const model = new CoderModel();
  const executor = new CountingExecutor();
  const agent = new CodeExecutorAgent({
    name: "coder",
    modelClient: model,
    codeExecutor: executor,
    approvalFunc:
      approve ??
      (() => {
        throw new Error("a durable run that parks input must not ask the approval function");
      }),
  });
  return { model, executor, agent };
}

function codeTeam(approve?: () => { approved: boolean; reason: string }) {
  const cast = coder(approve);
  return { ...cast, team: new RoundRobinGroupChat({ participants: [cast.agent], maxTurns: 1 }) };
}

function only<T>(items: readonly T[]): T {
  expect(items).toHaveLength(1);
  return items[0] as T;
}

describe("approvals in durable runs", () => {
  it("parks a code approval; an answer in another process runs the code; a second crash does not ask again", async () => {
    const store = new InMemoryRunStore();
    const one = codeTeam();
    const first = new DurableRunner({ store, runner: one.team }).run({ task: "say hi in python" });
    const parked = await first.result();
    expect(parked.status).toBe("interrupted");
    const request = only(parked.pendingInput);
    expect(request.prompt).toContain("Approve running this code?");
    expect(request.prompt).toContain("print('hi')");
    expect(request.schema?.required).toEqual(["approved"]);
    expect(typeof request.createdAt).toBe("string");
    expect(one.executor.runs).toBe(0);
    expect((await store.getRun(first.runId))?.status).toBe("interrupted");

    // The second process answers, and dies while the approved code runs.
    const two = codeTeam();
    const controller = new AbortController();
    two.executor.onRun = () => controller.abort();
    await expect(
      new DurableRunner({ store, runner: two.team })
        .resume(first.runId, {
          input: { requestId: request.requestId, value: { approved: true } },
          signal: controller.signal,
        })
        .result(),
    ).rejects.toThrow();
    expect(two.executor.runs).toBe(1);
    // The code came from the ledger: the model was not asked for it again.
    expect(two.model.calls).toBe(0);

    // The third process is given no answer: the one given before stands, nothing is asked again.
    const three = codeTeam();
    const done = await new DurableRunner({ store, runner: three.team }).resume(first.runId).result();
    expect(done.status).toBe("completed");
    expect(done.pendingInput).toEqual([]);
    expect(three.executor.runs).toBe(1); // the execution the crash cut short runs again (at least once)
    expect(three.model.calls).toBe(1); // only the answer after the run
    const requests = await store.listInputRequests(first.runId);
    expect(requests.map((r) => [r.requestId, r.answer?.value])).toEqual([
      [request.requestId, { approved: true }],
    ]);
    const lines = transcript(done.messages);
    expect(lines).toContain('TextMessage|coder|"The program printed hi."');
    expect(lines.filter((l) => l.startsWith("CodeGenerationEvent"))).toHaveLength(1);
  });

  it("a refused approval never runs the code; the reason is the agent's reply", async () => {
    const store = new InMemoryRunStore();
    const first = new DurableRunner({ store, runner: codeTeam().team }).run({ task: "say hi" });
    await first.result();
    const two = codeTeam();
    const done = await new DurableRunner({ store, runner: two.team })
      .resume(first.runId, { input: { value: "not on a Friday" } })
      .result();
    expect(done.status).toBe("completed");
    expect(two.executor.runs).toBe(0);
    expect(transcript(done.messages).at(-1)).toBe(
      'TextMessage|coder|"Code execution was not approved. Reason: not on a Friday"',
    );
  });

  it("with askInput the approval function answers at once, and its verdict is kept", async () => {
    const store = new InMemoryRunStore();
    let asked = 0;
    const cast = codeTeam(() => {
      asked += 1;
      return { approved: true, reason: "looks fine" };
    });
    const run = new DurableRunner({ store, runner: cast.team }).run({ task: "say hi", askInput: true });
    const done = await run.result();
    expect(done.status).toBe("completed");
    expect(asked).toBe(1);
    expect(cast.executor.runs).toBe(1);
    const request = only(await store.listInputRequests(run.runId));
    expect(request.answer?.value).toEqual({ approved: true, reason: "looks fine" });
  });

  it("parks the calls of a tool that needs approval, all at once; answered one at a time, each is asked once", async () => {
    const build = () => {
      const counts = counters();
      const runs = new Map<string, number>();
      const refund = new FunctionTool({
        name: "count",
        description: "Counts (with approval).",
        parameters: { type: "object", properties: { x: { type: "number" } }, required: ["x"] },
        needsApproval: true,
        run: ({ x }: { x: number }, { callId }) => {
          runs.set(callId ?? "?", (runs.get(callId ?? "?") ?? 0) + 1);
          return `counted ${x}`;
        },
      });
      const a = new AssistantAgent({
        name: "a",
        modelClient: new ConversationModel("a", counts, true),
        tools: [refund],
        reflectOnToolUse: true,
        toolApprovalFunc: () => {
          throw new Error("a durable run that parks input must not ask the approval function");
        },
      });
      const b = new AssistantAgent({ name: "b", modelClient: new ConversationModel("b", counts, false) });
      return { counts, runs, team: new RoundRobinGroupChat({ participants: [a, b], maxTurns: 2 }) };
    };
    const store = new InMemoryRunStore();
    const one = build();
    const first = new DurableRunner({ store, runner: one.team }).run({ task: "count" });
    const parked = await first.result();
    expect(parked.status).toBe("interrupted");
    expect(parked.pendingInput.map((r) => r.prompt)).toEqual([
      'Approve a call of the tool "count" (Counts (with approval).)?\nArguments: {"x":0}',
      'Approve a call of the tool "count" (Counts (with approval).)?\nArguments: {"x":1}',
    ]);
    expect(one.runs.size).toBe(0);
    const [firstRequest, secondRequest] = parked.pendingInput as DurableRunResult["pendingInput"];

    // One answer: the other request is still pending, and nothing ran.
    const two = build();
    const waiting = await new DurableRunner({ store, runner: two.team })
      .resume(first.runId, { input: { requestId: firstRequest?.requestId as string, value: "yes" } })
      .result();
    expect(waiting.status).toBe("interrupted");
    expect(waiting.pendingInput.map((r) => r.requestId)).toEqual([secondRequest?.requestId]);
    expect(two.runs.size).toBe(0);
    expect(two.counts.model).toBe(0);

    const three = build();
    const done = await new DurableRunner({ store, runner: three.team })
      .resume(first.runId, {
        input: { requestId: secondRequest?.requestId as string, value: { approved: false, reason: "no" } },
      })
      .result();
    expect(done.status).toBe("completed");
    expect([...three.runs]).toEqual([["a-0-a", 1]]);
    const results = done.messages.find((m) => m.type === "ToolCallExecutionEvent")?.toJSON() as unknown as {
      content: { callId: string; content: string; isError: boolean }[];
    };
    expect(results.content.map((r) => [r.callId, r.isError, r.content])).toEqual([
      ["a-0-a", false, "counted 0"],
      ["a-0-b", true, "Error: the call was not approved. Reason: no"],
    ]);
    expect(await store.listInputRequests(first.runId)).toHaveLength(2);
    expect(transcript(done.messages).filter((l) => l.startsWith("ToolCallRequestEvent"))).toHaveLength(1);
  });

  it("resumes a code approval inside a nested team at the inner request", async () => {
    const build = () => {
      const counts = counters();
      const cast = coder();
      const inner = new RoundRobinGroupChat({ name: "inner", participants: [cast.agent], maxTurns: 1 });
      const lead = new AssistantAgent({
        name: "lead",
        modelClient: new ConversationModel("lead", counts, false),
      });
      return { counts, cast, team: new RoundRobinGroupChat({ participants: [lead, inner], maxTurns: 2 }) };
    };
    const store = new InMemoryRunStore();
    const one = build();
    const first = new DurableRunner({ store, runner: one.team }).run({ task: "go" });
    const parked = await first.result();
    expect(parked.status).toBe("interrupted");
    expect(only(parked.pendingInput).prompt).toContain("print('hi')");
    const two = build();
    const done = await new DurableRunner({ store, runner: two.team })
      .resume(first.runId, { input: { value: "approve" } })
      .result();
    expect(done.status).toBe("completed");
    expect(two.cast.executor.runs).toBe(1);
    // Neither the lead's turn nor the inner coder's code was asked of a model again.
    expect(two.counts.model).toBe(0);
    expect(two.cast.model.calls).toBe(1);
    const lines = transcript(done.messages);
    expect(lines.filter((l) => l.startsWith("TextMessage|lead"))).toHaveLength(1);
    expect(lines).toContain('TextMessage|coder|"The program printed hi."');
  });
});

describe("tool approval outside durable runs", () => {
  const tool = (runs: string[]) =>
    new FunctionTool({
      name: "count",
      description: "Counts.",
      parameters: { type: "object", properties: { x: { type: "number" } }, required: ["x"] },
      needsApproval: true,
      run: ({ x }: { x: number }) => {
        runs.push(String(x));
        return `counted ${x}`;
      },
    });

  it("asks the agent's toolApprovalFunc about each call, and refuses every call without one", async () => {
    const runs: string[] = [];
    const asked: string[] = [];
    const gated = new AssistantAgent({
      name: "a",
      modelClient: new ConversationModel("a", counters(), true),
      tools: [tool(runs)],
      toolApprovalFunc: ({ call }) => {
        asked.push(call.id);
        return call.id.endsWith("-a")
          ? { approved: true, reason: "fine" }
          : { approved: false, reason: "only one" };
      },
    });
    const result = await gated.run({ task: "count" });
    expect(asked).toEqual(["a-0-a", "a-0-b"]);
    expect(runs).toEqual(["0"]);
    expect(JSON.stringify(result.messages.at(-1)?.toJSON())).toContain(
      "the call was not approved. Reason: only one",
    );

    const ungated = new AssistantAgent({
      name: "a",
      modelClient: new ConversationModel("a", counters(), true),
      tools: [tool(runs)],
    });
    const refused = await ungated.run({ task: "count" });
    expect(runs).toEqual(["0"]);
    expect(JSON.stringify(refused.messages.at(-1)?.toJSON())).toContain("has no toolApprovalFunc");
  });

  it("reads answers as verdicts, refusing anything that is not clearly a yes", () => {
    expect(approvalFromAnswer("Yes")).toEqual({ approved: true, reason: "approved by a person" });
    expect(approvalFromAnswer(true).approved).toBe(true);
    expect(approvalFromAnswer({ approved: true, reason: "ok" })).toEqual({ approved: true, reason: "ok" });
    expect(approvalFromAnswer("no")).toEqual({ approved: false, reason: "refused by a person" });
    expect(approvalFromAnswer("too risky")).toEqual({ approved: false, reason: "too risky" });
    expect(approvalFromAnswer({ approve: "yes" }).approved).toBe(false);
    expect(approvalFromAnswer(1).approved).toBe(false);
  });
});
