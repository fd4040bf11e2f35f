/**
 * `autogen-ts eval run | score | compare`: run a task suite on a team file and score it, score stored
 * trials again, compare two result sets. Built on `@autogen-ts/ext/evals`.
 */
import { readFile } from "node:fs/promises";
import { basename, extname, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { ChatCompletionClient, RunStore } from "@autogen-ts/core";
import { ValidationError } from "@autogen-ts/core";
import { loadComponent } from "@autogen-ts/ext/components";
import {
  appendTrial,
  checkScorerSpec,
  compareResults,
  type EvalSummary,
  type EvalTask,
  formatComparison,
  inTaskOrder,
  llmJudgeScorer,
  parseTasks,
  readTimings,
  readTrials,
  recordTrial,
  rescoreTrials,
  runEval,
  type Scorer,
  type ScorerSpec,
  scorersFor,
  subsampleTasks,
  summarize,
  type TrialRecord,
  trialKey,
  writeResults,
} from "@autogen-ts/ext/evals";
import { type ParsedArgs, parseArgs } from "./args.js";
import { LOAD_FLAGS, LOAD_VALUES, loadOptions, loadRunner } from "./commands.js";
import { readDocument } from "./documents.js";
import { EXIT } from "./exit-codes.js";

const SCORING_VALUES = ["judge", "scorer", "scorer-module", "threshold"] as const;

/** The options of `eval run`. */
export const EVAL_RUN_SPEC = {
  values: [
    ...LOAD_VALUES,
    ...SCORING_VALUES,
    "team",
    "repeat",
    "parallel",
    "subsample",
    "out",
    "store",
    "suite",
    "timeout",
  ],
  flags: [...LOAD_FLAGS],
} as const;

const EVAL_SCORE_SPEC = {
  values: [...LOAD_VALUES, ...SCORING_VALUES, "from", "store", "suite", "out", "repeat"],
  flags: [...LOAD_FLAGS],
} as const;

function positiveInt(args: ParsedArgs, name: string, fallback: number): number {
  const raw = args.values.get(name);
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new ValidationError(`--${name} must be a positive integer`);
  return n;
}

function threshold(args: ParsedArgs): number | undefined {
  const raw = args.values.get("threshold");
  if (raw === undefined) return undefined;
  const t = Number(raw);
  if (!(t >= 0 && t <= 1)) throw new ValidationError("--threshold must be a pass rate between 0 and 1");
  return t;
}

async function readTaskFile(file: string | undefined, command: string): Promise<EvalTask[]> {
  if (file === undefined)
    throw new ValidationError(
      `eval ${command} needs a task file: autogen-ts eval ${command} tasks.jsonl ...`,
    );
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    throw new ValidationError(`${file}: cannot read the task file (${(error as Error).message})`, {
      cause: error,
    });
  }
  return parseTasks(text, file);
}

/** `--scorer exact` or `--scorer '{"type":"regex","pattern":"\\d+"}'`. */
function defaultScorers(args: ParsedArgs): ScorerSpec[] {
  const raw = args.values.get("scorer");
  if (raw === undefined) return [];
  let spec: unknown;
  try {
    spec = raw.trim().startsWith("{") ? JSON.parse(raw) : { type: raw.trim() };
  } catch (error) {
    throw new ValidationError(`--scorer: not JSON (${(error as Error).message})`, { cause: error });
  }
  const problem = checkScorerSpec(spec);
  if (problem !== undefined) throw new ValidationError(`--scorer: ${problem}`);
  return [spec as ScorerSpec];
}

/** `--scorer-module file.mjs`: its default export, a scorer or a list of them. Code: needs --allow-code. */
async function extraScorers(args: ParsedArgs): Promise<Scorer[]> {
  const file = args.values.get("scorer-module");
  if (file === undefined) return [];
  if (!args.flags.has("allow-code"))
    throw new ValidationError("--scorer-module runs the module's code: add --allow-code to trust it");
  const mod = (await import(pathToFileURL(resolve(file)).href)) as { default?: unknown };
  const value = mod.default;
  const list = Array.isArray(value) ? value : [value];
  for (const s of list) {
    if (typeof (s as Scorer | undefined)?.score !== "function" || typeof (s as Scorer).name !== "string")
      throw new ValidationError(
        `${file}: the default export must be a scorer {name, score(trial)} or a list of them`,
      );
  }
  return list as Scorer[];
}

/** `--judge judge.json`: a model component, loaded afresh for every verdict (a replayed judge stays deterministic). */
function judgeFactory(args: ParsedArgs): ((spec: ScorerSpec & { type: "judge" }) => Scorer) | undefined {
  const file = args.values.get("judge");
  if (file === undefined) return undefined;
  const model = async () => loadComponent<ChatCompletionClient>(await readDocument(file), loadOptions(args));
  return (spec) =>
    llmJudgeScorer({
      model,
      ...(spec.rubric === undefined ? {} : { rubric: spec.rubric }),
      ...(spec.threshold === undefined ? {} : { threshold: spec.threshold }),
    });
}

function summaryLine(summary: EvalSummary): string {
  const passed = Math.round(summary.passRate * summary.trials);
  const atK = Object.entries(summary.passAtK)
    .map(([k, v]) => `pass@${k} ${v.toFixed(2)}`)
    .join(", ");
  return (
    `pass rate ${(summary.passRate * 100).toFixed(1)}% (${passed}/${summary.trials} trials, ${summary.tasks} tasks), ` +
    `mean score ${summary.meanScore.toFixed(2)}, ${atK}, errors ${summary.errors}\n`
  );
}

function verdictCode(summary: EvalSummary, t: number | undefined): number {
  if (t !== undefined && summary.passRate < t) {
    process.stderr.write(`autogen-ts: pass rate ${summary.passRate} is below --threshold ${t}\n`);
    return EXIT.belowThreshold;
  }
  return EXIT.ok;
}

async function withStore<T>(
  spec: string | undefined,
  use: (store: RunStore | undefined) => Promise<T>,
): Promise<T> {
  if (spec === undefined) return use(undefined);
  const { openStore } = await import("./stores.js");
  const store = await openStore(spec);
  try {
    return await use(store);
  } finally {
    await store.close();
  }
}

/** The prefix of a suite's run ids in a store: `--suite`, else the task file's name. */
function runPrefix(tasksFile: string, args: ParsedArgs): string {
  const suite = args.values.get("suite") ?? basename(tasksFile, extname(tasksFile));
  if (!/^[\w.-]+$/.test(suite)) throw new ValidationError("--suite takes letters, digits, '_', '-' and '.'");
  return `eval:${suite}:`;
}

/** `autogen-ts eval run tasks.jsonl --team team.json --out results/ ...`. */
async function evalRun(argv: readonly string[]): Promise<number> {
  const args = parseArgs(argv, EVAL_RUN_SPEC);
  const [tasksFile, ...rest] = args.positionals;
  if (rest.length > 0) throw new ValidationError("eval run takes one task file");
  const team = args.values.get("team");
  if (team === undefined) throw new ValidationError("eval run needs --team team.json");
  const out = args.values.get("out");
  if (out === undefined)
    throw new ValidationError("eval run needs --out <dir> (where trials.jsonl and summary.json go)");
  let tasks = await readTaskFile(tasksFile, "run");
  const sub = args.values.get("subsample");
  if (sub !== undefined) tasks = subsampleTasks(tasks, Number(sub));
  const repeat = positiveInt(args, "repeat", 1);
  const parallel = positiveInt(args, "parallel", 1);
  const t = threshold(args);
  const scoring = { defaultScorers: defaultScorers(args), extraScorers: await extraScorers(args) };
  const judge = judgeFactory(args);
  // Trials of this suite already in the folder are kept and not run again (a resumed eval).
  const ids = new Set(tasks.map((x) => x.id));
  const inSuite = (r: { taskId: string; trial: number }) => ids.has(r.taskId) && r.trial < repeat;
  const previous = (await readTrials(out)).filter(inSuite);
  const previousTimings = (await readTimings(out)).filter(inSuite);
  const skip = new Set(previous.map((r) => trialKey(r.taskId, r.trial)));
  if (skip.size > 0)
    process.stderr.write(`autogen-ts: ${skip.size} trial(s) already in ${out}: not run again\n`);
  const teamArgs: ParsedArgs = { ...args, positionals: [team] };
  const controller = new AbortController();
  const onSignal = () => controller.abort();
  process.once("SIGINT", onSignal);
  try {
    const { records, timings } = await withStore(args.values.get("store"), (store) =>
      runEval({
        tasks,
        createRunner: () => loadRunner(teamArgs),
        repeat,
        parallel,
        ...scoring,
        ...(judge === undefined ? {} : { judge }),
        ...(store === undefined ? {} : { store, runPrefix: runPrefix(tasksFile as string, args) }),
        skip,
        signal: controller.signal,
        onTrial: async (record, timing) => {
          await appendTrial(out, record, timing);
          const mark = record.error !== null ? "ERROR" : record.passed ? "pass " : "FAIL ";
          process.stderr.write(`${mark} ${record.taskId}#${record.trial}\t${record.score.toFixed(2)}\n`);
        },
      }),
    );
    const all = inTaskOrder([...previous, ...records], tasks);
    const summary = summarize(all);
    await writeResults(out, all, inTaskOrder([...previousTimings, ...timings], tasks), summary);
    process.stdout.write(summaryLine(summary));
    return verdictCode(summary, t);
  } catch (error) {
    if (controller.signal.aborted) {
      process.stderr.write(`autogen-ts: interrupted; finished trials are in ${out} (run again to go on)\n`);
      return EXIT.interrupted;
    }
    throw error;
  } finally {
    process.off("SIGINT", onSignal);
  }
}

/**
 * `autogen-ts eval score tasks.jsonl --from results/ [--out dir]`, or `--store <spec>` to score the
 * suite's runs kept in a store: scores again without running anything.
 */
async function evalScore(argv: readonly string[]): Promise<number> {
  const args = parseArgs(argv, EVAL_SCORE_SPEC);
  const [tasksFile, ...rest] = args.positionals;
  if (rest.length > 0) throw new ValidationError("eval score takes one task file");
  const tasks = await readTaskFile(tasksFile, "score");
  const from = args.values.get("from");
  const storeSpec = args.values.get("store");
  if ((from === undefined) === (storeSpec === undefined))
    throw new ValidationError("eval score needs one of --from <results dir> or --store <spec>");
  const out = args.values.get("out") ?? from;
  if (out === undefined) throw new ValidationError("eval score --store needs --out <dir>");
  const t = threshold(args);
  const judge = judgeFactory(args);
  const scoring = {
    defaultScorers: defaultScorers(args),
    extraScorers: await extraScorers(args),
    ...(judge === undefined ? {} : { judge }),
  };
  let records: TrialRecord[];
  if (from !== undefined) {
    const stored = await readTrials(from);
    if (stored.length === 0) throw new ValidationError(`${from}: no trials.jsonl to score`);
    records = await rescoreTrials(stored, tasks, scoring);
  } else {
    records = await withStore(storeSpec, (store) =>
      scoreStoredRuns(store as RunStore, tasks, tasksFile as string, args, scoring),
    );
    if (records.length === 0) throw new ValidationError(`${storeSpec}: no completed runs of this suite`);
  }
  const ordered = inTaskOrder(records, tasks);
  const summary = summarize(ordered);
  const timings = from === undefined ? [] : await readTimings(from);
  await writeResults(out, ordered, inTaskOrder(timings, tasks), summary);
  process.stdout.write(summaryLine(summary));
  return verdictCode(summary, t);
}

async function scoreStoredRuns(
  store: RunStore,
  tasks: readonly EvalTask[],
  tasksFile: string,
  args: ParsedArgs,
  scoring: Parameters<typeof scorersFor>[1],
): Promise<TrialRecord[]> {
  const { messageFromJSON } = await import("@autogen-ts/agentchat");
  const repeat = positiveInt(args, "repeat", 1000);
  const out: TrialRecord[] = [];
  for (const task of tasks) {
    for (let trial = 0; trial < repeat; trial++) {
      const runId = `${runPrefix(tasksFile, args)}${trialKey(task.id, trial)}`;
      const run = await store.getRun(runId);
      if (run === undefined) break;
      if (run.status !== "completed") continue;
      const events = await store.readEvents(runId);
      const messages = events.map((e) => messageFromJSON(e.data as never));
      out.push(
        await recordTrial(task, trial, { messages, stopReason: run.stopReason }, scorersFor(task, scoring)),
      );
    }
  }
  return out;
}

/** `autogen-ts eval compare a/ b/ [--all]`: one line per trial that differs, then the totals. */
async function evalCompare(argv: readonly string[]): Promise<number> {
  const args = parseArgs(argv, { values: [], flags: ["all", "verbose"] });
  const [a, b, ...rest] = args.positionals;
  if (a === undefined || b === undefined || rest.length > 0)
    throw new ValidationError("eval compare takes two result folders: autogen-ts eval compare a/ b/");
  const [left, right] = await Promise.all([readTrials(a), readTrials(b)]);
  for (const [dir, records] of [
    [a, left],
    [b, right],
  ] as const)
    if (records.length === 0) throw new ValidationError(`${dir}: no trials.jsonl`);
  process.stdout.write(formatComparison(compareResults(left, right), { all: args.flags.has("all") }));
  return EXIT.ok;
}

/** `autogen-ts eval <run|score|compare> ...`. */
export async function evalCommand(argv: readonly string[]): Promise<number> {
  const [sub, ...rest] = argv;
  switch (sub) {
    case "run":
      return evalRun(rest);
    case "score":
      return evalScore(rest);
    case "compare":
      return evalCompare(rest);
    default:
      throw new ValidationError(
        `eval needs run, score or compare (got ${sub === undefined ? "nothing" : JSON.stringify(sub)})`,
      );
  }
}
