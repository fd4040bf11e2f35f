/**
 * A results folder: `trials.jsonl` (one record a trial, nothing volatile), `timings.jsonl` (latency,
 * start time, trace id and run id of each trial) and `summary.json`.
 */
import { appendFile, mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { ValidationError } from "@autogen-ts/core";
import { trialKey } from "./runner.js";
import type { EvalSummary, EvalTask, TrialRecord, TrialTiming } from "./types.js";

/** The file names in a results folder. */
export const RESULT_FILES = {
  trials: "trials.jsonl",
  timings: "timings.jsonl",
  summary: "summary.json",
} as const;

async function readLines<T>(file: string): Promise<T[]> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
  const out: T[] = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] as string).trim();
    if (line === "") continue;
    try {
      out.push(JSON.parse(line) as T);
    } catch (error) {
      // The last line of a file a killed run was appending to may be cut short: it is run again.
      if (i >= lines.length - 2) break;
      throw new ValidationError(`${file}:${i + 1}: not JSON`, { code: "invalid_config", cause: error });
    }
  }
  return out;
}

/** The trial records of a results folder (empty when it has none). */
export async function readTrials(dir: string): Promise<TrialRecord[]> {
  const records = await readLines<TrialRecord>(join(dir, RESULT_FILES.trials));
  for (const r of records) {
    if (typeof r.taskId !== "string" || typeof r.trial !== "number" || typeof r.passed !== "boolean")
      throw new ValidationError(
        `${join(dir, RESULT_FILES.trials)}: a record without taskId, trial and passed`,
      );
  }
  return records;
}

/** The timings of a results folder. */
export function readTimings(dir: string): Promise<TrialTiming[]> {
  return readLines<TrialTiming>(join(dir, RESULT_FILES.timings));
}

/** Appends one finished trial (so that a killed run keeps what it finished). */
export async function appendTrial(dir: string, record: TrialRecord, timing: TrialTiming): Promise<void> {
  await mkdir(dir, { recursive: true });
  await appendFile(join(dir, RESULT_FILES.trials), `${JSON.stringify(record)}\n`);
  await appendFile(join(dir, RESULT_FILES.timings), `${JSON.stringify(timing)}\n`);
}

/** Sorts records (or timings) in task-file order, then trial order, dropping repeats (the last wins). */
export function inTaskOrder<T extends { taskId: string; trial: number }>(
  items: readonly T[],
  tasks: readonly EvalTask[],
): T[] {
  const order = new Map(tasks.map((t, i) => [t.id, i]));
  const last = new Map<string, T>();
  for (const item of items) last.set(trialKey(item.taskId, item.trial), item);
  return [...last.values()].sort(
    (a, b) =>
      (order.get(a.taskId) ?? Number.MAX_SAFE_INTEGER) - (order.get(b.taskId) ?? Number.MAX_SAFE_INTEGER) ||
      (a.taskId < b.taskId ? -1 : a.taskId > b.taskId ? 1 : 0) ||
      a.trial - b.trial,
  );
}

/** Writes the folder whole: records and timings in task order, and the summary. */
export async function writeResults(
  dir: string,
  records: readonly TrialRecord[],
  timings: readonly TrialTiming[],
  summary: EvalSummary,
): Promise<void> {
  await mkdir(dir, { recursive: true });
  const lines = (xs: readonly unknown[]) => xs.map((x) => `${JSON.stringify(x)}\n`).join("");
  await writeFile(join(dir, RESULT_FILES.trials), lines(records));
  await writeFile(join(dir, RESULT_FILES.timings), lines(timings));
  await writeFile(join(dir, RESULT_FILES.summary), `${JSON.stringify(summary, null, 2)}\n`);
}
