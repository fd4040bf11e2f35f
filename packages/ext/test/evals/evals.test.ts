import { AssistantAgent, toolApproval, wrapTool } from "@autogen-ts/agentchat";
import { FunctionTool, InMemoryRunStore, ModelError, ValidationError } from "@autogen-ts/core";
import { ReplayChatCompletionClient } from "@autogen-ts/core/testing";
import { describe, expect, it } from "vitest";
import { loadComponent } from "../../src/components/index.js";
import {
  compareResults,
  containsScorer,
  customScorer,
  exactScorer,
  jsonSchemaScorer,
  llmJudgeScorer,
  parseJudgeReply,
  parseTasks,
  passAtK,
  regexScorer,
  runEval,
  subsampleTasks,
  summarize,
  type TrialOutput,
  toolArgumentsScorer,
  toolCalledScorer,
} from "../../src/evals/index.js";

const trial = (output: string, extra: Partial<TrialOutput> = {}): TrialOutput => ({
  task: { id: "t", task: "Say it", expected: "Paris" },
  output,
  messages: [],
  toolCalls: [],
  ...extra,
});

describe("scorers", () => {
  it("exact and contains compare case-insensitively by default", async () => {
    expect(await exactScorer().score(trial(" paris "))).toMatchObject({ passed: true, score: 1 });
    expect(await exactScorer({ caseSensitive: true }).score(trial("paris"))).toMatchObject({ passed: false });
    expect(await containsScorer().score(trial("It is PARIS."))).toMatchObject({ passed: true });
    expect(await containsScorer().score(trial("Lyon"))).toMatchObject({ passed: false, score: 0 });
    expect(() => containsScorer().score(trial("x", { task: { id: "n", task: "x" } }))).toThrow(
      /contains scorer needs 'expected'/,
    );
  });

  it("regex matches, and a bad pattern is a ValidationError", async () => {
    expect(await regexScorer({ pattern: "\\d{3}" }).score(trial("it is 391"))).toMatchObject({
      passed: true,
    });
    expect(await regexScorer({ pattern: "^\\d+$" }).score(trial("it is 391"))).toMatchObject({
      passed: false,
    });
    expect(() => regexScorer({ pattern: "(" })).toThrow(ValidationError);
  });

  it("tool_called counts calls; tool_arguments matches a subset of the arguments", async () => {
    const calls = [{ agent: "a", name: "mul", arguments: '{"a":17,"b":23,"note":"x"}' }];
    expect(await toolCalledScorer({ tool: "mul" }).score(trial("", { toolCalls: calls }))).toMatchObject({
      passed: true,
    });
    expect(
      await toolCalledScorer({ tool: "mul", times: 2 }).score(trial("", { toolCalls: calls })),
    ).toMatchObject({
      passed: false,
      reason: "mul called 1 time(s)",
    });
    const args = toolArgumentsScorer({ tool: "mul", arguments: { a: 17, b: 23 } });
    expect(await args.score(trial("", { toolCalls: calls }))).toMatchObject({ passed: true });
    const wrong = toolArgumentsScorer({ tool: "mul", arguments: { a: 17, b: 24 } });
    expect(await wrong.score(trial("", { toolCalls: calls }))).toMatchObject({ passed: false });
    const bad = [{ agent: "a", name: "mul", arguments: "not json" }];
    expect(await args.score(trial("", { toolCalls: bad }))).toMatchObject({ passed: false });
  });

  it("json_schema parses the answer (fenced or not) and says what fails", async () => {
    const s = jsonSchemaScorer({
      schema: { type: "object", required: ["n"], properties: { n: { type: "number" } } },
    });
    expect(await s.score(trial('```json\n{"n": 1}\n```'))).toMatchObject({ passed: true });
    expect(await s.score(trial("no json"))).toMatchObject({
      passed: false,
      reason: "the answer is not JSON",
    });
    const bad = await s.score(trial('{"n": "one"}'));
    expect(bad.passed).toBe(false);
    expect(bad.reason).toBeTruthy();
  });

  it("custom scorers return a boolean, a number or a verdict", async () => {
    expect(await customScorer("len", (t) => t.output.length > 2).score(trial("abc"))).toMatchObject({
      passed: true,
    });
    expect(await customScorer("half", () => 0.5).score(trial("abc"))).toEqual({ score: 0.5, passed: false });
    expect(
      await customScorer("v", () => ({ score: 1, passed: true, reason: "ok" })).score(trial("")),
    ).toMatchObject({
      reason: "ok",
    });
  });

  it("the LLM judge sends the rubric and keeps its reason; a bad reply is a ModelError", async () => {
    const model = new ReplayChatCompletionClient([
      'Sure: {"score": 0.7, "reason": "mostly right"}',
      "no idea",
    ]);
    const judge = llmJudgeScorer({ model, rubric: "Names the capital." });
    expect(await judge.score(trial("Paris"))).toEqual({ score: 0.7, passed: true, reason: "mostly right" });
    const sent = model.requests[0]?.messages.at(-1)?.content as string;
    expect(sent).toContain("Names the capital.");
    expect(sent).toContain("Answer to grade:\nParis");
    await expect(judge.score(trial("Paris"))).rejects.toSatisfy(ModelError.isInstance);
    expect(() => parseJudgeReply('{"score": 3}', 0.5)).toThrow(/score/);
    expect(parseJudgeReply('{"score": 0.2, "passed": true}', 0.5).passed).toBe(true);
  });
});

describe("summaries", () => {
  it("pass@k is the unbiased estimator", () => {
    expect(passAtK(5, 0, 1)).toBe(0);
    expect(passAtK(5, 5, 3)).toBe(1);
    expect(passAtK(4, 1, 1)).toBeCloseTo(0.25);
    expect(passAtK(4, 1, 2)).toBeCloseTo(0.5);
    expect(passAtK(4, 2, 3)).toBe(1);
  });

  it("summarises pass rate, spread and per-agent usage in any order", () => {
    const rec = (taskId: string, t: number, passed: boolean) => ({
      taskId,
      trial: t,
      score: passed ? 1 : 0,
      passed,
      scores: [],
      output: "",
      stopReason: null,
      error: null,
      toolCalls: [{ agent: "a", name: "x", arguments: "{}" }],
      usage: { promptTokens: 10, completionTokens: 1, costUsd: 0.1, calls: 1 },
      usageByAgent: { a: { promptTokens: 10, completionTokens: 1, costUsd: 0.1, calls: 1 } },
      tags: ["k"],
      messages: [{ type: "TextMessage", source: "a" }],
    });
    const records = [rec("x", 0, true), rec("x", 1, false), rec("y", 0, false), rec("y", 1, false)];
    const s = summarize(records);
    expect(s).toMatchObject({
      tasks: 2,
      trials: 4,
      passRate: 0.25,
      meanScore: 0.25,
      passAtK: { "1": 0.25, "2": 0.5 },
    });
    expect(s.spread.passRateByTrial).toEqual([0.5, 0]);
    expect(s.byAgent.a).toMatchObject({ toolCalls: 4, messages: 4, calls: 4, costUsd: 0.4 });
    expect(s.byTag.k).toEqual({ trials: 4, passRate: 0.25 });
    expect(JSON.stringify(summarize([...records].reverse()))).toBe(JSON.stringify(s));
    const diff = compareResults(records, [rec("x", 0, false), rec("x", 1, true), rec("z", 0, true)]);
    expect(diff.counts).toEqual({ fixed: 1, broken: 1, changed: 0, same: 0, only_a: 2, only_b: 1 });
  });
});

describe("tasks", () => {
  it("parses lines, skips blanks and comments, and names the bad line", () => {
    const tasks = parseTasks(
      '{"id":1,"task":"a","tags":["x"]}\n\n// c\n{"id":"b","task":"b","expected":"B"}\n',
    );
    expect(tasks).toEqual([
      { id: "1", task: "a", tags: ["x"] },
      { id: "b", task: "b", expected: "B" },
    ]);
    expect(() => parseTasks('{"id":"a","task":"x"}\n{"id":"a","task":"y"}', "s.jsonl")).toThrow(
      's.jsonl:2: repeated task id "a"',
    );
    expect(() => parseTasks("{nope", "s.jsonl")).toThrow(/s.jsonl:1: not JSON/);
    expect(() => parseTasks("")).toThrow(/no tasks/);
  });

  it("subsamples by id, the same every time", () => {
    const tasks = Array.from({ length: 20 }, (_, i) => ({ id: `t${i}`, task: "x" }));
    const a = subsampleTasks(tasks, 0.25);
    expect(a).toHaveLength(5);
    expect(
      subsampleTasks([...tasks].reverse(), 0.25)
        .map((t) => t.id)
        .sort(),
    ).toEqual(a.map((t) => t.id).sort());
    expect(subsampleTasks(tasks, 3)).toHaveLength(3);
    expect(() => subsampleTasks(tasks, 0)).toThrow(ValidationError);
  });
});

describe("runEval", () => {
  it("runs fresh agents per trial, keeps an error's messages so far, and orders records by task", async () => {
    const tasks = [
      { id: "ok", task: "Capital of France?", expected: "Paris" },
      { id: "broken", task: "Break", expected: "x" },
    ];
    const made: string[] = [];
    const { records } = await runEval({
      tasks,
      repeat: 2,
      parallel: 3,
      createRunner: (task, n) => {
        made.push(`${task.id}#${n}`);
        const modelClient =
          task.id === "ok" ? new ReplayChatCompletionClient(["Paris."]) : new ReplayChatCompletionClient([]);
        return { runner: new AssistantAgent({ name: "a", modelClient }) };
      },
    });
    expect(made.sort()).toEqual(["broken#0", "broken#1", "ok#0", "ok#1"]);
    expect(records.map((r) => `${r.taskId}#${r.trial}:${r.passed}`)).toEqual([
      "ok#0:true",
      "ok#1:true",
      "broken#0:false",
      "broken#1:false",
    ]);
    const broken = records[2];
    expect(broken?.error?.code).toBe("replay_exhausted");
    expect(broken?.messages[0]).toMatchObject({ type: "TextMessage", source: "user", content: "Break" });
  });
});

describe("runEval with a store", () => {
  it("keeps each trial as a durable run, resumes an interrupted one, and reads a completed one back", async () => {
    const store = new InMemoryRunStore();
    let paid = 0;
    const made: string[] = [];
    const options = {
      tasks: [{ id: "pay", task: "Pay 5", expected: "paid" }],
      store,
      createRunner: () => {
        // The first process gets the tool call; a resumed one only the reply (the call is in the ledger).
        const responses =
          made.length === 0 ? [{ content: [{ id: "c1", name: "pay", arguments: "{}" }] }] : ["Done: paid."];
        made.push("runner");
        const pay = new FunctionTool({
          name: "pay",
          description: "Pays",
          parameters: { type: "object" },
          run: () => {
            paid++;
            return "ok";
          },
        });
        return {
          runner: new AssistantAgent({
            name: "a",
            modelClient: new ReplayChatCompletionClient(responses),
            tools: [wrapTool(pay, [toolApproval()])],
            reflectOnToolUse: true,
          }),
        };
      },
    };
    const first = await runEval(options);
    expect(first.records[0]).toMatchObject({ passed: false, error: { code: "input_required" } });
    expect(first.timings[0]?.runId).toBe("eval:pay#0");
    const [request] = await store.listInputRequests("eval:pay#0");
    await store.write([
      { kind: "answerInput", runId: "eval:pay#0", requestId: request?.requestId as string, value: "yes" },
    ]);
    const second = await runEval(options);
    expect(second.records[0]).toMatchObject({ passed: true, output: "Done: paid.", error: null });
    expect(second.records[0]?.messages[0]).toMatchObject({ type: "TextMessage", content: "Pay 5" });
    expect(paid).toBe(1);
    const third = await runEval(options);
    expect(made).toHaveLength(2);
    expect(third.records[0]?.output).toBe("Done: paid.");
  });
});

describe("the replay model component", () => {
  it("picks a script by the task, falls back to responses, and reads function calls", async () => {
    const doc = {
      provider: "autogen_ts.testing.ReplayChatCompletionClient",
      config: {
        responses: ["default"],
        scripts: [
          { match: "weather", responses: [{ content: [{ name: "w", arguments: { city: "Oslo" } }] }] },
        ],
      },
    };
    const model = await loadComponent<import("@autogen-ts/core").ChatCompletionClient>(doc);
    const r = await model.create([{ type: "UserMessage", content: "The WEATHER in Oslo?", source: "user" }]);
    expect(r.content).toEqual([{ id: "s0_0_call_0", name: "w", arguments: '{"city":"Oslo"}' }]);
    const other = await loadComponent<import("@autogen-ts/core").ChatCompletionClient>(doc);
    expect((await other.create([{ type: "UserMessage", content: "hi", source: "user" }])).content).toBe(
      "default",
    );
    const none = await loadComponent<import("@autogen-ts/core").ChatCompletionClient>({
      ...doc,
      config: { scripts: doc.config.scripts },
    });
    await expect(none.create([{ type: "UserMessage", content: "hi", source: "user" }])).rejects.toThrow(
      /no script matches the task/,
    );
    await expect(loadComponent({ ...doc, config: { responses: [{ nope: 1 }] } })).rejects.toThrow(
      /config.responses/,
    );
  });
});
