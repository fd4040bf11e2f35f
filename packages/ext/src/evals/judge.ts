/**
 * The LLM judge: a model reads the task, the rubric (or the expected answer) and the team's answer, and
 * answers with JSON `{"score": 0..1, "passed": bool, "reason": "..."}`; the reason goes in the record.
 */
import type { ChatCompletionClient } from "@autogen-ts/core";
import { ModelError } from "@autogen-ts/core";
import type { ScoreResult, Scorer, TrialOutput } from "./types.js";

/** Options of {@link llmJudgeScorer}. */
export interface LlmJudgeOptions {
  /**
   * The judge's model, or a function that makes one per verdict (a replayed judge then answers the same
   * whatever order parallel trials finish in).
   */
  readonly model: ChatCompletionClient | (() => ChatCompletionClient | Promise<ChatCompletionClient>);
  /** The rubric; default the task's `rubric`, else "matches the expected answer". */
  readonly rubric?: string;
  /** The score at which a trial passes when the judge gives no `passed` (default 0.5). */
  readonly threshold?: number;
}

const SYSTEM = `You grade an AI assistant's answer against a rubric. Reply with one JSON object and nothing else:
{"score": <a number from 0 to 1>, "passed": <true or false>, "reason": "<one or two sentences>"}`;

function prompt(trial: TrialOutput, rubric: string): string {
  const lines = [`Task:\n${trial.task.task}`, `Rubric:\n${rubric}`];
  if (trial.task.expected !== undefined) lines.push(`Expected answer:\n${trial.task.expected}`);
  lines.push(`Answer to grade:\n${trial.output}`);
  return lines.join("\n\n");
}

/** Reads the judge's reply, tolerating a code fence or text around the object. */
export function parseJudgeReply(text: string, threshold: number): ScoreResult {
  const match = /\{[\s\S]*\}/.exec(text);
  let value: Record<string, unknown> | undefined;
  try {
    value = match === null ? undefined : (JSON.parse(match[0]) as Record<string, unknown>);
  } catch {
    value = undefined;
  }
  const score = typeof value?.score === "number" ? value.score : Number.NaN;
  if (value === undefined || !(score >= 0 && score <= 1)) {
    throw new ModelError(
      "model_output",
      `the judge's reply is not {"score": 0..1, ...}: ${text.slice(0, 200)}`,
    );
  }
  const passed = typeof value.passed === "boolean" ? value.passed : score >= threshold;
  return { score, passed, reason: typeof value.reason === "string" ? value.reason : "" };
}

/** An LLM judge with a rubric: its verdict carries the judge's reason. */
export function llmJudgeScorer(options: LlmJudgeOptions): Scorer {
  const threshold = options.threshold ?? 0.5;
  return {
    name: "judge",
    async score(trial, callOptions) {
      const rubric =
        options.rubric ?? trial.task.rubric ?? "The answer is correct and matches the expected answer.";
      const model = typeof options.model === "function" ? await options.model() : options.model;
      const result = await model.create(
        [
          { type: "SystemMessage", content: SYSTEM },
          { type: "UserMessage", content: prompt(trial, rubric), source: "eval" },
        ],
        callOptions?.signal === undefined ? {} : { signal: callOptions.signal },
      );
      if (typeof result.content !== "string")
        throw new ModelError("model_output", "the judge answered with tool calls instead of a verdict");
      return parseJudgeReply(result.content, threshold);
    },
  };
}
