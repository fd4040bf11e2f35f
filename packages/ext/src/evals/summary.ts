/** The summary of a suite's trials: pass rate, mean score, pass@k, spread across repeats, per agent. */
import { addUsage, emptyUsage } from "./transcript.js";
import type { EvalSummary, TaskSummary, TrialRecord, UsageTotals } from "./types.js";

/** The unbiased pass@k of a task with `n` trials of which `c` passed (Chen et al., 2021). */
export function passAtK(n: number, c: number, k: number): number {
  if (k > n) return c > 0 ? 1 : 0;
  if (n - c < k) return 1;
  let miss = 1;
  for (let i = n - c + 1; i <= n; i++) miss *= 1 - k / i;
  return 1 - miss;
}

function mean(xs: readonly number[]): number {
  return xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length;
}

function stdDev(xs: readonly number[]): number {
  if (xs.length < 2) return 0;
  const m = mean(xs);
  return Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / xs.length);
}

// Summary figures are rounded so that the same trials give the same bytes whatever order they were added in.
const round = (x: number) => Math.round(x * 1e6) / 1e6;

/** Summarises trial records (any order: they are grouped by task and trial). */
export function summarize(records: readonly TrialRecord[]): EvalSummary {
  const byTask = new Map<string, TrialRecord[]>();
  for (const r of records) {
    const list = byTask.get(r.taskId) ?? [];
    list.push(r);
    byTask.set(r.taskId, list);
  }
  const perTask: TaskSummary[] = [];
  let maxTrials = 0;
  for (const [taskId, list] of byTask) {
    list.sort((a, b) => a.trial - b.trial);
    maxTrials = Math.max(maxTrials, list.length);
    const scores = list.map((r) => r.score);
    perTask.push({
      taskId,
      trials: list.length,
      passed: list.filter((r) => r.passed).length,
      meanScore: round(mean(scores)),
      scoreStdDev: round(stdDev(scores)),
    });
  }
  const passAt: Record<string, number> = {};
  for (let k = 1; k <= maxTrials; k++)
    passAt[String(k)] = round(mean(perTask.map((t) => passAtK(t.trials, t.passed, k))));
  const passRateByTrial: number[] = [];
  for (let i = 0; i < maxTrials; i++) {
    const at = records.filter((r) => r.trial === i);
    passRateByTrial.push(round(at.length === 0 ? 0 : at.filter((r) => r.passed).length / at.length));
  }
  const usage = emptyUsage();
  const byAgent: Record<string, UsageTotals & { toolCalls: number; messages: number }> = {};
  const agent = (name: string) => {
    byAgent[name] ??= { ...emptyUsage(), toolCalls: 0, messages: 0 };
    return byAgent[name] as UsageTotals & { toolCalls: number; messages: number };
  };
  const byTag: Record<string, { trials: number; passed: number }> = {};
  for (const r of records) {
    addUsage(usage, r.usage);
    for (const [name, u] of Object.entries(r.usageByAgent)) addUsage(agent(name), u);
    for (const c of r.toolCalls) agent(c.agent).toolCalls++;
    for (const m of r.messages)
      if (typeof m.source === "string" && m.source !== "user") agent(m.source).messages++;
    for (const tag of r.tags) {
      byTag[tag] ??= { trials: 0, passed: 0 };
      (byTag[tag] as { trials: number; passed: number }).trials++;
      if (r.passed) (byTag[tag] as { trials: number; passed: number }).passed++;
    }
  }
  usage.costUsd = round(usage.costUsd);
  for (const a of Object.values(byAgent)) a.costUsd = round(a.costUsd);
  perTask.sort((a, b) => (a.taskId < b.taskId ? -1 : a.taskId > b.taskId ? 1 : 0));
  return {
    tasks: byTask.size,
    trials: records.length,
    passRate: round(records.length === 0 ? 0 : records.filter((r) => r.passed).length / records.length),
    meanScore: round(mean(records.map((r) => r.score))),
    passAtK: passAt,
    spread: {
      passRateByTrial,
      passRateStdDev: round(stdDev(passRateByTrial)),
      meanScoreStdDev: round(mean(perTask.map((t) => t.scoreStdDev))),
    },
    errors: records.filter((r) => r.error !== null).length,
    usage,
    byAgent: Object.fromEntries(Object.entries(byAgent).sort(([a], [b]) => (a < b ? -1 : 1))),
    byTag: Object.fromEntries(
      Object.entries(byTag)
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([tag, t]) => [tag, { trials: t.trials, passRate: round(t.passed / t.trials) }]),
    ),
    perTask,
  };
}
