/**
 * The durable side of the command line: `run … --store` (the run kept in a store, its id printed first),
 * `resume <run-id> --store …` (continue it, answer its request with `--input`), and `runs --store …`.
 */
import { writeFile } from "node:fs/promises";
import {
  type ChatAgent,
  Console,
  DurableRunner,
  type DurableRunResult,
  type TaskRunner,
  type Team,
  traceRun,
} from "@autogen-ts/agentchat";
import type { JsonObject, RunStore } from "@autogen-ts/core";
import { RUN_STATUSES, type RunStatus, StoreError, ValidationError } from "@autogen-ts/core";
import { type ParsedArgs, parseArgs } from "./args.js";
import { EXIT } from "./exit-codes.js";
import { openStore } from "./stores.js";

/** What `run` hands over once it has loaded the runner of its file. */
export interface DurableRunContext {
  readonly args: ParsedArgs;
  /** The arguments to keep with the run, so that `resume` can load the same file the same way. */
  readonly argv: readonly string[];
  readonly runner: TaskRunner;
  readonly task: string | undefined;
  readonly noColor: boolean;
}

/** Options `run` takes that a resumed run gets again, unless `resume` is given them anew. */
const NOT_KEPT = new Set(["task", "store", "input"]);

/** The arguments of `run` worth keeping with the run (its file and loading options). */
export function keptArgv(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const name = arg.startsWith("--") ? arg.slice(2).split("=")[0] : undefined;
    if (name !== undefined && NOT_KEPT.has(name)) {
      if (!arg.includes("=")) i++;
      continue;
    }
    out.push(arg);
  }
  return out;
}

/** Runs (or resumes) a run in the store, printing `run id: <id>` on stderr before anything else. */
export async function runDurably(
  context: DurableRunContext,
  resume: { runId: string; input: string | undefined } | undefined,
): Promise<number> {
  const spec = context.args.values.get("store") as string;
  const store = await openStore(spec);
  try {
    const durable = new DurableRunner({ store, runner: context.runner as Team | ChatAgent });
    // In a terminal a person can answer now, as without a store; otherwise the run parks its request.
    const askInput = process.stdin.isTTY === true;
    const controller = new AbortController();
    const onSignal = () => controller.abort();
    process.once("SIGINT", onSignal);
    const run =
      resume === undefined
        ? durable.run({
            ...(context.task === undefined ? {} : { task: context.task }),
            options: { argv: [...context.argv] } as JsonObject,
            signal: controller.signal,
            askInput,
          })
        : durable.resume(resume.runId, {
            ...(resume.input === undefined ? {} : { input: { value: resume.input } }),
            signal: controller.signal,
            askInput,
          });
    process.stderr.write(`run id: ${run.runId}\n`);
    let result: DurableRunResult;
    try {
      const name = (context.runner as { name?: string }).name ?? context.runner.constructor.name;
      result = (await Console(
        traceRun(name, () => run),
        context.noColor ? { color: false } : {},
      )) as DurableRunResult;
    } catch (error) {
      if (controller.signal.aborted) {
        process.stderr.write("autogen-ts: interrupted\n");
        return EXIT.interrupted;
      }
      if (StoreError.isInstance(error) || ValidationError.isInstance(error)) throw error;
      throw Object.assign(new Error(`the run failed: ${(error as Error).message}`, { cause: error }), {
        exitCode: EXIT.runFailed,
      });
    } finally {
      process.off("SIGINT", onSignal);
    }
    const output = context.args.values.get("output");
    if (output !== undefined) {
      // The whole run, from its first message, also when this process only resumed it.
      const stored = await store.getRun(run.runId);
      const record = {
        run_id: run.runId,
        status: result.status,
        task: stored?.task ?? null,
        stop_reason: result.stopReason ?? null,
        messages: result.messages.map((m) => m.toJSON()),
      };
      await writeFile(output, `${JSON.stringify(record, null, 2)}\n`);
    }
    if (result.status === "interrupted") {
      for (const request of result.pendingInput)
        process.stderr.write(`waiting for input: ${request.requestId}\n`);
      return EXIT.waitingForInput;
    }
    return EXIT.ok;
  } finally {
    await store.close();
  }
}

/** Loads the file a run was started with, as `run` does; supplied by `commands.ts`. */
export type RunnerLoader = (args: ParsedArgs) => Promise<{ runner: TaskRunner; close: () => Promise<void> }>;

/** `autogen-ts resume <run-id> --store … [--input "…"] [run's options]`. */
export async function resumeCommand(
  argv: readonly string[],
  spec: { values: readonly string[]; flags: readonly string[] },
  load: RunnerLoader,
): Promise<number> {
  const own = parseArgs(argv, { values: [...spec.values, "input"], flags: spec.flags });
  const [runId, ...rest] = own.positionals;
  if (runId === undefined || rest.length > 0) {
    throw new ValidationError("resume takes one run id: autogen-ts resume <run-id> --store sqlite:./runs.db");
  }
  const storeSpec = own.values.get("store");
  if (storeSpec === undefined) throw new ValidationError("resume needs --store (where the run is kept)");
  const store = await openStore(storeSpec);
  let kept: string[];
  try {
    const run = await store.getRun(runId);
    if (run === undefined) throw new ValidationError(`${store.name}: no run ${runId}`);
    const saved = (run.options as { argv?: unknown }).argv;
    kept = Array.isArray(saved) ? saved.map(String) : [];
  } finally {
    await store.close();
  }
  // The run's own options first, then this command's, which win.
  const merged = [...kept, ...argv.filter((a) => a !== runId)];
  const args = parseArgs(merged, { values: [...spec.values, "input"], flags: spec.flags });
  const loaded = await load(args);
  try {
    return await runDurably(
      { args, argv: kept, runner: loaded.runner, task: undefined, noColor: args.flags.has("no-color") },
      { runId, input: args.values.get("input") },
    );
  } finally {
    await loaded.close();
  }
}

/** `autogen-ts runs --store … [--status <s>] [--limit <n>]`: one run a line, newest first. */
export async function runsCommand(argv: readonly string[]): Promise<number> {
  const args = parseArgs(argv, { values: ["store", "status", "limit", "thread"], flags: ["verbose"] });
  if (args.positionals.length > 0) throw new ValidationError("runs takes no file: autogen-ts runs --store …");
  const spec = args.values.get("store");
  if (spec === undefined) throw new ValidationError("runs needs --store");
  const status = args.values.get("status") as RunStatus | undefined;
  if (status !== undefined && !RUN_STATUSES.includes(status)) {
    throw new ValidationError(`--status must be one of ${RUN_STATUSES.join(", ")}`);
  }
  const limit = Number(args.values.get("limit") ?? "50");
  if (!Number.isInteger(limit) || limit < 1) throw new ValidationError("--limit must be a positive integer");
  const store: RunStore = await openStore(spec);
  try {
    const page = await store.listRuns({
      limit,
      ...(status === undefined ? {} : { status }),
      ...(args.values.has("thread") ? { threadId: args.values.get("thread") as string } : {}),
    });
    for (const run of page.items) {
      const task = taskText(run.task);
      process.stdout.write(`${run.id}\t${run.status}\t${run.createdAt}\t${task}\n`);
    }
    return EXIT.ok;
  } finally {
    await store.close();
  }
}

function taskText(task: unknown): string {
  const first = Array.isArray(task) ? (task[0] as { content?: unknown } | undefined) : undefined;
  const text = typeof first?.content === "string" ? first.content : "";
  const line = text.replace(/\s+/g, " ").trim();
  return line.length > 60 ? `${line.slice(0, 57)}...` : line;
}
