/**
 * The shapes of an eval: a task line, a scorer and its verdict, a trial's record, and the summary.
 */
import type { JsonValue, RequestUsage } from "@autogen-ts/core";

/** A scorer named in a task line (`scorers`) or on the command line (`--scorer`). */
export type ScorerSpec =
  | { readonly type: "exact"; readonly expected?: string; readonly caseSensitive?: boolean }
  | { readonly type: "contains"; readonly expected?: string; readonly caseSensitive?: boolean }
  | { readonly type: "regex"; readonly pattern: string; readonly flags?: string }
  | { readonly type: "tool_called"; readonly tool: string; readonly times?: number }
  | {
      readonly type: "tool_arguments";
      readonly tool: string;
      /** Every key given must equal the call's argument (a subset match). */
      readonly arguments: Readonly<Record<string, JsonValue>>;
    }
  | { readonly type: "json_schema"; readonly schema: Readonly<Record<string, JsonValue>> }
  | { readonly type: "judge"; readonly rubric?: string; readonly threshold?: number };

/** One line of a task file: `{id, task, expected?, rubric?, tags?}`, with optional `scorers`. */
export interface EvalTask {
  readonly id: string;
  readonly task: string;
  readonly expected?: string;
  readonly rubric?: string;
  readonly tags?: readonly string[];
  /** Scorers for this task; default `contains` with `expected`, a judge with only a `rubric`. */
  readonly scorers?: readonly ScorerSpec[];
}

/** One tool call a trial made. */
export interface TrialToolCall {
  readonly agent: string;
  readonly name: string;
  /** The arguments as the model wrote them (a JSON string, normally). */
  readonly arguments: string;
  readonly isError?: boolean;
  readonly result?: string;
}

/** What a scorer sees of a finished trial. */
export interface TrialOutput {
  readonly task: EvalTask;
  /** The last chat message's text (what the team answered). */
  readonly output: string;
  /** Every message and event of the run, in their JSON form. */
  readonly messages: readonly Record<string, unknown>[];
  readonly toolCalls: readonly TrialToolCall[];
  /** The error that ended the run, if one did. */
  readonly error?: { readonly code: string; readonly message: string };
}

/** A scorer's verdict: a score between 0 and 1, whether it passes, and why (a judge says). */
export interface ScoreResult {
  readonly score: number;
  readonly passed: boolean;
  readonly reason?: string;
}

/** A scorer: any function from a trial to a verdict. */
export interface Scorer {
  /** Shown in records (`contains`, `judge`, your own name). */
  readonly name: string;
  score(trial: TrialOutput, options?: { signal?: AbortSignal }): ScoreResult | Promise<ScoreResult>;
}

/** Usage of one agent or one model in a trial or a summary. */
export interface UsageTotals {
  promptTokens: number;
  completionTokens: number;
  costUsd: number;
  /** Model calls made (messages that carried usage). */
  calls: number;
}

/**
 * One trial's record, a line of `trials.jsonl`. It holds nothing volatile (no message ids, times or
 * latencies), so a replayed suite writes the same file every run; those go to `timings.jsonl`.
 */
export interface TrialRecord {
  readonly taskId: string;
  /** 0-based repeat index. */
  readonly trial: number;
  /** The mean of the scorers' scores. */
  readonly score: number;
  /** Every scorer passed (and the run did not fail). */
  readonly passed: boolean;
  readonly scores: readonly (ScoreResult & { readonly scorer: string })[];
  readonly output: string;
  readonly stopReason: string | null;
  readonly error: { readonly code: string; readonly message: string } | null;
  readonly toolCalls: readonly TrialToolCall[];
  readonly usage: UsageTotals;
  readonly usageByAgent: Readonly<Record<string, UsageTotals>>;
  readonly tags: readonly string[];
  /** The run's messages without ids and times. */
  readonly messages: readonly Record<string, unknown>[];
}

/** The volatile side of a trial, a line of `timings.jsonl`. */
export interface TrialTiming {
  readonly taskId: string;
  readonly trial: number;
  readonly latencyMs: number;
  readonly startedAt: string;
  /** The OpenTelemetry trace of the trial's run, when a tracer provider was registered. */
  readonly traceId: string | null;
  /** The run's id in the store (`--store`). */
  readonly runId: string | null;
}

/** Per task: how its repeats went. */
export interface TaskSummary {
  readonly taskId: string;
  readonly trials: number;
  readonly passed: number;
  readonly meanScore: number;
  /** Standard deviation of the score across repeats. */
  readonly scoreStdDev: number;
}

/** `summary.json`. */
export interface EvalSummary {
  readonly tasks: number;
  readonly trials: number;
  /** Passed trials over trials, between 0 and 1. */
  readonly passRate: number;
  readonly meanScore: number;
  /** pass@k for k = 1..repeats (the unbiased estimator, averaged over tasks), keyed by k. */
  readonly passAtK: Readonly<Record<string, number>>;
  /** Spread across repeats: the pass rate of each repeat index, and their standard deviation. */
  readonly spread: {
    readonly passRateByTrial: readonly number[];
    readonly passRateStdDev: number;
    /** Mean over tasks of the per-task score standard deviation. */
    readonly meanScoreStdDev: number;
  };
  readonly errors: number;
  readonly usage: UsageTotals;
  /** Per agent: usage and the tool calls it made. */
  readonly byAgent: Readonly<Record<string, UsageTotals & { toolCalls: number; messages: number }>>;
  readonly byTag: Readonly<Record<string, { readonly trials: number; readonly passRate: number }>>;
  readonly perTask: readonly TaskSummary[];
}

/** Usage of a request, as `RequestUsage` (re-exported for scorers that read messages). */
export type { RequestUsage };
