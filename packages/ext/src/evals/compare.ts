/** Comparing two result sets item by item: which trials changed verdict or score. */

import { trialKey } from "./runner.js";
import type { TrialRecord } from "./types.js";

/** One trial as it went in two result sets (`undefined` where a set lacks it). */
export interface TrialDiff {
  readonly taskId: string;
  readonly trial: number;
  readonly a: { readonly score: number; readonly passed: boolean } | undefined;
  readonly b: { readonly score: number; readonly passed: boolean } | undefined;
  /** `fixed` (failed in a, passes in b), `broken`, `changed` (same verdict, other score), `same`, `only_a`, `only_b`. */
  readonly change: "fixed" | "broken" | "changed" | "same" | "only_a" | "only_b";
}

/** The comparison of two result sets. */
export interface Comparison {
  readonly items: readonly TrialDiff[];
  readonly counts: Readonly<Record<TrialDiff["change"], number>>;
  readonly passRateA: number;
  readonly passRateB: number;
}

/** Compares two result sets trial by trial (matched on task id and trial index). */
export function compareResults(a: readonly TrialRecord[], b: readonly TrialRecord[]): Comparison {
  const left = new Map(a.map((r) => [trialKey(r.taskId, r.trial), r]));
  const right = new Map(b.map((r) => [trialKey(r.taskId, r.trial), r]));
  const keys = [...new Set([...left.keys(), ...right.keys()])];
  const items: TrialDiff[] = [];
  const counts = { fixed: 0, broken: 0, changed: 0, same: 0, only_a: 0, only_b: 0 };
  for (const key of keys) {
    const x = left.get(key);
    const y = right.get(key);
    const ref = (x ?? y) as TrialRecord;
    const change: TrialDiff["change"] =
      x === undefined
        ? "only_b"
        : y === undefined
          ? "only_a"
          : x.passed !== y.passed
            ? y.passed
              ? "fixed"
              : "broken"
            : x.score !== y.score
              ? "changed"
              : "same";
    counts[change]++;
    items.push({
      taskId: ref.taskId,
      trial: ref.trial,
      a: x === undefined ? undefined : { score: x.score, passed: x.passed },
      b: y === undefined ? undefined : { score: y.score, passed: y.passed },
      change,
    });
  }
  const rate = (rs: readonly TrialRecord[]) =>
    rs.length === 0 ? 0 : rs.filter((r) => r.passed).length / rs.length;
  return { items, counts, passRateA: rate(a), passRateB: rate(b) };
}

/** The comparison as lines a person reads: one per trial that differs, then the totals. */
export function formatComparison(c: Comparison, options: { all?: boolean } = {}): string {
  const verdict = (v: TrialDiff["a"]) =>
    v === undefined ? "-" : `${v.passed ? "pass" : "FAIL"} ${v.score.toFixed(2)}`;
  const lines: string[] = [];
  for (const item of c.items) {
    if (item.change === "same" && !options.all) continue;
    lines.push(
      `${item.change.padEnd(7)} ${item.taskId}#${item.trial}\t${verdict(item.a)} -> ${verdict(item.b)}`,
    );
  }
  const n = c.counts;
  lines.push(
    `pass rate ${(c.passRateA * 100).toFixed(1)}% -> ${(c.passRateB * 100).toFixed(1)}%: ` +
      `${n.fixed} fixed, ${n.broken} broken, ${n.changed} changed, ${n.same} same, ${n.only_a} only in a, ${n.only_b} only in b`,
  );
  return `${lines.join("\n")}\n`;
}
