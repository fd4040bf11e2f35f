/**
 * `runEval`: every task of a suite, `repeat` times, `parallel` at once, each trial on a fresh team; every
 * trial scored and recorded. With a store each trial is a durable run of its own (its own thread, run id
 * `<prefix><taskId>#<trial>`): a completed run is read back instead of run again, and an interrupted one
 * is resumed.
 */
import type { BaseAgentMessage, ChatAgent, TaskResult, TaskRunner, Team } from "@autogen-ts/agentchat";
import { DurableRunner, isDurableRunResult, isTaskResult, messageFromJSON } from "@autogen-ts/agentchat";
import type { RunStore } from "@autogen-ts/core";
import { AutogenError, ValidationError } from "@autogen-ts/core";
import { type Context, context as otelContext, trace } from "@opentelemetry/api";
import { defaultScorerSpecs, scorerFromSpec } from "./scorers.js";
import { finalOutput, stableMessage, toolCallsOf, usageOf } from "./transcript.js";
import type {
  EvalTask,
  ScoreResult,
  Scorer,
  ScorerSpec,
  TrialOutput,
  TrialRecord,
  TrialTiming,
} from "./types.js";

/** A fresh team or agent for one trial, and how to release it. */
export interface TrialRunner {
  readonly runner: TaskRunner;
  readonly close?: () => Promise<void>;
}

/** Options of {@link runEval}. */
export interface RunEvalOptions {
  readonly tasks: readonly EvalTask[];
  /** Makes a fresh team (or agent) for each trial: trials share nothing. */
  readonly createRunner: (task: EvalTask, trial: number) => Promise<TrialRunner> | TrialRunner;
  /** Trials per task (default 1). */
  readonly repeat?: number;
  /** Trials running at once (default 1). */
  readonly parallel?: number;
  /** Scorers for tasks that name none (default: `contains` with `expected`, judge with `rubric`). */
  readonly defaultScorers?: readonly ScorerSpec[];
  /** Scorers added to every task (your own functions, say). */
  readonly extraScorers?: readonly Scorer[];
  /** Builds the judge of a `judge` spec (it needs a model). */
  readonly judge?: (spec: ScorerSpec & { type: "judge" }) => Scorer;
  /** Keep each trial as a durable run here (resumable). */
  readonly store?: RunStore;
  /** Prefix of the trials' run and thread ids in the store (default `eval:`). */
  readonly runPrefix?: string;
  /** Trials already recorded (`taskId#trial`): skipped. */
  readonly skip?: ReadonlySet<string>;
  /** Called as each trial finishes (in completion order). */
  readonly onTrial?: (record: TrialRecord, timing: TrialTiming) => void | Promise<void>;
  readonly signal?: AbortSignal;
}

/** The key of a trial in `skip` and in store ids. */
export function trialKey(taskId: string, trial: number): string {
  return `${taskId}#${trial}`;
}

/** Scores a finished trial with its scorers: the mean score; passed when all pass and nothing failed. */
export async function scoreTrial(
  output: TrialOutput,
  scorers: readonly Scorer[],
  signal?: AbortSignal,
): Promise<{ score: number; passed: boolean; scores: (ScoreResult & { scorer: string })[] }> {
  const scores: (ScoreResult & { scorer: string })[] = [];
  for (const scorer of scorers) {
    try {
      scores.push({
        scorer: scorer.name,
        ...(await scorer.score(output, signal === undefined ? {} : { signal })),
      });
    } catch (error) {
      // A mistake in the suite is the user's to fix; a judge that failed once is a failed verdict.
      if (ValidationError.isInstance(error)) throw error;
      scores.push({
        scorer: scorer.name,
        score: 0,
        passed: false,
        reason: `scorer failed: ${(error as Error).message}`,
      });
    }
  }
  const failed = output.error !== undefined;
  const score = failed
    ? 0
    : scores.length === 0
      ? 1
      : scores.reduce((n, s) => n + s.score, 0) / scores.length;
  return { score, passed: !failed && scores.every((s) => s.passed), scores };
}

/** The scorers of one task. */
export function scorersFor(
  task: EvalTask,
  options: Pick<RunEvalOptions, "defaultScorers" | "extraScorers" | "judge">,
): Scorer[] {
  return [
    ...defaultScorerSpecs(task, options.defaultScorers).map((spec) => scorerFromSpec(spec, options.judge)),
    ...(options.extraScorers ?? []),
  ];
}

/** Builds a trial's record from its run's messages and outcome, and scores it. */
export async function recordTrial(
  task: EvalTask,
  trial: number,
  run: {
    messages: readonly BaseAgentMessage[];
    stopReason?: string | undefined;
    error?: { code: string; message: string };
  },
  scorers: readonly Scorer[],
  signal?: AbortSignal,
): Promise<TrialRecord> {
  const messages = run.messages.map(stableMessage);
  const toolCalls = toolCallsOf(run.messages);
  const output: TrialOutput = {
    task,
    output: finalOutput(run.messages),
    messages,
    toolCalls,
    ...(run.error === undefined ? {} : { error: run.error }),
  };
  const verdict = await scoreTrial(output, scorers, signal);
  const { usage, byAgent } = usageOf(run.messages);
  return {
    taskId: task.id,
    trial,
    score: verdict.score,
    passed: verdict.passed,
    scores: verdict.scores,
    output: output.output,
    stopReason: run.stopReason ?? null,
    error: run.error ?? null,
    toolCalls,
    usage,
    usageByAgent: byAgent,
    tags: task.tags ?? [],
    messages,
  };
}

function errorOf(error: unknown): { code: string; message: string } {
  return {
    code: AutogenError.isInstance(error) ? error.code : "error",
    message: error instanceof Error ? error.message : String(error),
  };
}

/** Drives a run stream inside `ctx` (each step, so spans of the run nest under the trial's span). */
async function drive(
  stream: AsyncIterable<BaseAgentMessage | TaskResult>,
  ctx: Context,
  messages: BaseAgentMessage[],
): Promise<TaskResult | undefined> {
  const iterator = stream[Symbol.asyncIterator]();
  for (;;) {
    const step = await otelContext.with(ctx, () => iterator.next());
    if (step.done) return undefined;
    if (isTaskResult(step.value)) return step.value;
    messages.push(step.value);
  }
}

/** One trial: its run (durable with a store), then its record. */
async function runTrial(
  task: EvalTask,
  trial: number,
  options: RunEvalOptions,
): Promise<{ record: TrialRecord; timing: TrialTiming }> {
  const startedAt = new Date().toISOString();
  const t0 = performance.now();
  const key = trialKey(task.id, trial);
  const runId = options.store === undefined ? null : `${options.runPrefix ?? "eval:"}${key}`;
  const span = trace.getTracer("@autogen-ts/ext/evals").startSpan(`eval_trial ${key}`, {
    attributes: { "autogen.eval.task_id": task.id, "autogen.eval.trial": trial },
  });
  const spanContext = span.spanContext();
  const traceId = trace.isSpanContextValid(spanContext) ? spanContext.traceId : null;
  const ctx = trace.setSpan(otelContext.active(), span);
  const messages: BaseAgentMessage[] = [];
  // Each trial listens on its own signal: a long suite does not pile listeners onto the caller's.
  const controller = new AbortController();
  const onAbort = () => controller.abort(options.signal?.reason);
  options.signal?.addEventListener("abort", onAbort, { once: true });
  if (options.signal?.aborted) controller.abort(options.signal.reason);
  let outcome: {
    messages: readonly BaseAgentMessage[];
    stopReason?: string;
    error?: { code: string; message: string };
  };
  try {
    const existing = runId === null ? undefined : await options.store?.getRun(runId);
    if (existing?.status === "completed" && options.store !== undefined && runId !== null) {
      // Done in an earlier invocation: read it back, do not run it again.
      const events = await options.store.readEvents(runId);
      outcome = {
        messages: events.map((e) => messageFromJSON(e.data as never)),
        ...(existing.stopReason === undefined ? {} : { stopReason: existing.stopReason }),
      };
    } else {
      const made = await options.createRunner(task, trial);
      try {
        let result: TaskResult | undefined;
        if (options.store !== undefined && runId !== null) {
          const durable = new DurableRunner({
            store: options.store,
            runner: made.runner as Team | ChatAgent,
          });
          const signal = { signal: controller.signal };
          const run =
            existing === undefined
              ? durable.run({ task: task.task, runId, threadId: runId, ...signal })
              : durable.resume(runId, signal);
          result = await drive(run, ctx, messages);
          if (isDurableRunResult(result) && result.status === "interrupted") {
            throw new AutogenError(
              "input_required",
              `the run waits for input (${result.pendingInput.length} request(s))`,
            );
          }
          // A resumed run reports only what it had not reported: the whole run is in the store.
          if (existing !== undefined) {
            const events = await options.store.readEvents(runId);
            messages.splice(0, messages.length, ...events.map((e) => messageFromJSON(e.data as never)));
          }
        } else {
          const signal = { signal: controller.signal };
          result = await drive(made.runner.runStream({ task: task.task, ...signal }), ctx, messages);
        }
        outcome = {
          messages,
          ...(result?.stopReason === undefined ? {} : { stopReason: result.stopReason }),
        };
      } catch (error) {
        if (options.signal?.aborted) throw error;
        // The run's messages so far stay in the record with its error.
        outcome = { messages, error: errorOf(error) };
      } finally {
        await made.close?.();
      }
    }
  } finally {
    options.signal?.removeEventListener("abort", onAbort);
    span.end();
  }
  const record = await recordTrial(task, trial, outcome, scorersFor(task, options), options.signal);
  const timing: TrialTiming = {
    taskId: task.id,
    trial,
    latencyMs: Math.round(performance.now() - t0),
    startedAt,
    traceId,
    runId,
  };
  return { record, timing };
}

/**
 * Runs the suite and returns every new trial's record and timing, in task order then trial order
 * (whatever order they finished in).
 */
export async function runEval(
  options: RunEvalOptions,
): Promise<{ records: TrialRecord[]; timings: TrialTiming[] }> {
  const repeat = options.repeat ?? 1;
  const parallel = options.parallel ?? 1;
  if (!Number.isInteger(repeat) || repeat < 1) throw new ValidationError("repeat must be a positive integer");
  if (!Number.isInteger(parallel) || parallel < 1)
    throw new ValidationError("parallel must be a positive integer");
  // Scorer specs are checked before anything runs: a bad suite fails at once, not after an hour.
  for (const task of options.tasks) scorersFor(task, options);
  const todo: { task: EvalTask; trial: number; index: number }[] = [];
  for (const task of options.tasks)
    for (let trial = 0; trial < repeat; trial++)
      if (!options.skip?.has(trialKey(task.id, trial))) todo.push({ task, trial, index: todo.length });
  const done: ({ record: TrialRecord; timing: TrialTiming } | undefined)[] = new Array(todo.length);
  let next = 0;
  const worker = async () => {
    while (next < todo.length) {
      const item = todo[next++] as (typeof todo)[number];
      const out = await runTrial(item.task, item.trial, options);
      done[item.index] = out;
      await options.onTrial?.(out.record, out.timing);
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, Math.max(1, todo.length)) }, worker));
  const finished = done.filter((d) => d !== undefined);
  return { records: finished.map((d) => d.record), timings: finished.map((d) => d.timing) };
}

/**
 * Scores stored trials again without running anything (`autogen-ts eval score`): the recorded answer,
 * tool calls and messages go through the tasks' scorers as they are now.
 */
export async function rescoreTrials(
  records: readonly TrialRecord[],
  tasks: readonly EvalTask[],
  options: Pick<RunEvalOptions, "defaultScorers" | "extraScorers" | "judge" | "signal"> = {},
): Promise<TrialRecord[]> {
  const byId = new Map(tasks.map((t) => [t.id, t]));
  const out: TrialRecord[] = [];
  for (const record of records) {
    const task = byId.get(record.taskId);
    if (task === undefined)
      throw new ValidationError(`the tasks have no task "${record.taskId}" to score it with`);
    const output: TrialOutput = {
      task,
      output: record.output,
      messages: record.messages,
      toolCalls: record.toolCalls,
      ...(record.error === null ? {} : { error: record.error }),
    };
    const verdict = await scoreTrial(output, scorersFor(task, options), options.signal);
    out.push({
      ...record,
      score: verdict.score,
      passed: verdict.passed,
      scores: verdict.scores,
      tags: task.tags ?? [],
    });
  }
  return out;
}
