/**
 * `@autogen-ts/ext/evals`: measure a team. Run a suite of tasks (JSON Lines) on fresh teams, repeated
 * and in parallel, score every trial (exact, contains, regex, tool called, tool arguments, JSON Schema, an
 * LLM judge, your own functions), summarise (pass rate, mean score, pass@k, spread, per agent), re-score
 * stored trials and compare two result sets. `autogen-ts eval` is built on it; see docs/evals.md.
 *
 * @packageDocumentation
 */
export type { Comparison, TrialDiff } from "./compare.js";
export { compareResults, formatComparison } from "./compare.js";
export type { LlmJudgeOptions } from "./judge.js";
export { llmJudgeScorer, parseJudgeReply } from "./judge.js";
export {
  appendTrial,
  inTaskOrder,
  RESULT_FILES,
  readTimings,
  readTrials,
  writeResults,
} from "./results.js";
export type { RunEvalOptions, TrialRunner } from "./runner.js";
export { recordTrial, rescoreTrials, runEval, scorersFor, scoreTrial, trialKey } from "./runner.js";
export {
  checkScorerSpec,
  containsScorer,
  customScorer,
  defaultScorerSpecs,
  exactScorer,
  jsonSchemaScorer,
  regexScorer,
  scorerFromSpec,
  toolArgumentsScorer,
  toolCalledScorer,
} from "./scorers.js";
export { passAtK, summarize } from "./summary.js";
export { parseTasks, subsampleTasks } from "./tasks.js";
export { finalOutput, stableMessage, toolCallsOf, usageOf } from "./transcript.js";
export type {
  EvalSummary,
  EvalTask,
  ScoreResult,
  Scorer,
  ScorerSpec,
  TaskSummary,
  TrialOutput,
  TrialRecord,
  TrialTiming,
  TrialToolCall,
  UsageTotals,
} from "./types.js";
