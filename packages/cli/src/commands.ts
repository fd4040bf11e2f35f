/** The `run`, `validate` and `convert` commands. */
import { writeFile } from "node:fs/promises";
import type { TaskResult, TaskRunner } from "@autogen-ts/agentchat";
import { Console, traceRun } from "@autogen-ts/agentchat";
import type { ComponentModel, LoadComponentOptions } from "@autogen-ts/core";
import { AutogenError, ValidationError } from "@autogen-ts/core";
import { LocalCommandLineCodeExecutor } from "@autogen-ts/ext/code-executors/local";
import { loadComponent } from "@autogen-ts/ext/components";
import { parseArgs } from "./args.js";
import { type DocumentFormat, formatDocument, formatOf, pickComponent, readDocument } from "./documents.js";
import { EXIT } from "./exit-codes.js";

/** Options common to commands that load a document. */
export function loadOptions(
  args: ReturnType<typeof parseArgs>,
  extra: Partial<LoadComponentOptions> = {},
): LoadComponentOptions {
  const model = args.values.get("model");
  const baseUrl = args.values.get("base-url");
  const trusted = args.values.get("trust");
  const allowEnv = args.values.get("allow-env");
  // The gallery's Python web tools run natively unless --python-web-tools; loopback only when allowed.
  const settings = {
    nativeWebTools: !args.flags.has("python-web-tools"),
    ...(args.flags.has("allow-private-addresses") ? { allowPrivateAddresses: true } : {}),
    // --sandbox means every executor the load builds, a CodeExecutorAgent's in the file included.
    ...(args.flags.has("sandbox") ? { sandbox: true, pythonSandbox: true } : {}),
    ...extra.settings,
  };
  return {
    allowCode: args.flags.has("allow-code"),
    ...(trusted ? { trustedProviders: trusted.split(",").map((s) => s.trim()) } : {}),
    ...(allowEnv ? { allowedEnv: allowEnv.split(",").map((s) => s.trim()) } : {}),
    ...(model || baseUrl
      ? {
          transform: (component: ComponentModel) => {
            if (component.component_type !== "model") return component;
            const config = { ...component.config };
            if (model) config.model = model;
            if (baseUrl) config.base_url = baseUrl;
            return { ...component, config };
          },
        }
      : {}),
    ...extra,
    settings,
  };
}

/** The options of every command that loads a document. */
export const LOAD_VALUES = ["model", "base-url", "trust", "component", "allow-env"] as const;
/** The flags of every command that loads a document. */
export const LOAD_FLAGS = [
  "allow-code",
  "sandbox",
  "verbose",
  "python-web-tools",
  "allow-private-addresses",
] as const;

/** The options and flags of `run` (and of `resume`, which takes them too). */
export const RUN_SPEC = {
  values: [...LOAD_VALUES, "task", "output", "timeout", "store"],
  flags: [...LOAD_FLAGS, "no-color"],
} as const;

/**
 * Loads the team or agent of `run`'s file with its loading options; `close` stops the executor that
 * runs the file's Python tools (deleting its folder).
 */
export async function loadRunner(
  args: ReturnType<typeof parseArgs>,
): Promise<{ runner: TaskRunner; close: () => Promise<void> }> {
  const [file, ...rest] = args.positionals;
  if (file === undefined || rest.length > 0)
    throw new ValidationError('run takes one file: autogen-ts run <team.json> --task "..."');
  const timeout = Number(args.values.get("timeout") ?? "60");
  if (!(timeout > 0)) throw new ValidationError("--timeout must be a positive number of seconds");
  const doc = pickComponent(await readDocument(file), args.values.get("component"));
  // One executor runs every Python FunctionTool of the file; it is stopped (its folder deleted) at the end.
  const executor = new LocalCommandLineCodeExecutor({
    timeoutMs: timeout * 1000,
    sandbox: args.flags.has("sandbox"),
  });
  if (args.flags.has("sandbox")) {
    process.stderr.write(
      "autogen-ts: --sandbox: every code executor of this run runs in the bubblewrap sandbox\n",
    );
  }
  try {
    const runner = await loadComponent<TaskRunner>(
      doc,
      loadOptions(args, { settings: { pythonExecutor: executor } }),
    );
    if (typeof (runner as Partial<TaskRunner>)?.runStream !== "function") {
      throw new ValidationError(
        `${file}: a ${String((doc as ComponentModel).component_type)} cannot run a task; give a team or an agent`,
        {
          code: "invalid_config",
        },
      );
    }
    return { runner, close: () => executor.stop() };
  } catch (error) {
    await executor.stop();
    throw error;
  }
}

/** `autogen-ts run <file> --task "..."`: loads a team or agent and streams its run to the console. */
export async function runCommand(argv: readonly string[]): Promise<number> {
  const args = parseArgs(argv, RUN_SPEC);
  const task = args.values.get("task");
  if (task === undefined || task.trim() === "") throw new ValidationError('run needs --task "..."');
  const { runner, close } = await loadRunner(args);
  try {
    if (args.values.has("store")) {
      const { keptArgv, runDurably } = await import("./durable-commands.js");
      return await runDurably(
        { args, argv: keptArgv(argv), runner, task, noColor: args.flags.has("no-color") },
        undefined,
      );
    }
    const controller = new AbortController();
    const onSignal = () => controller.abort();
    process.once("SIGINT", onSignal);
    let result: TaskResult;
    try {
      const name = (runner as { name?: string }).name ?? runner.constructor.name;
      const stream = traceRun(name, () => runner.runStream({ task, signal: controller.signal }));
      result = await Console(stream, {
        ...(args.flags.has("no-color") ? { color: false } : {}),
      });
    } catch (error) {
      if (controller.signal.aborted) {
        process.stderr.write("autogen-ts: interrupted\n");
        return EXIT.interrupted;
      }
      const failure = new AutogenError("internal", `the run failed: ${(error as Error).message}`, {
        cause: error,
      });
      throw Object.assign(failure, {
        exitCode: EXIT.runFailed,
      });
    } finally {
      process.off("SIGINT", onSignal);
    }
    const output = args.values.get("output");
    if (output !== undefined) {
      const record = {
        task,
        stop_reason: result.stopReason ?? null,
        messages: result.messages.map((m) => m.toJSON()),
      };
      await writeFile(output, `${JSON.stringify(record, null, 2)}\n`);
    }
    return EXIT.ok;
  } finally {
    await close();
  }
}

/** `autogen-ts validate <file>`: loads every component (as `run` would) without running anything. */
export async function validateCommand(argv: readonly string[]): Promise<number> {
  const args = parseArgs(argv, { values: [...LOAD_VALUES], flags: [...LOAD_FLAGS] });
  const [file, ...rest] = args.positionals;
  if (file === undefined || rest.length > 0) throw new ValidationError("validate takes one file");
  const doc = await readDocument(file);
  const gallery = (doc as { components?: Record<string, ComponentModel[]> }).components;
  const label = args.values.get("component");
  const targets: { name: string; doc: unknown }[] =
    gallery && label === undefined
      ? Object.values(gallery)
          .flat()
          .map((c) => ({ name: c.label ?? c.provider, doc: c }))
      : [{ name: file, doc: pickComponent(doc, label) }];
  let failed = 0;
  for (const target of targets) {
    try {
      // Checks without credentials: nothing runs, so a missing API key is not a problem of the file.
      const value = await loadComponent(target.doc, loadOptions(args, { validateOnly: true }));
      await (value as { close?: () => Promise<void> }).close?.();
      if (targets.length > 1) process.stdout.write(`ok      ${target.name}\n`);
    } catch (error) {
      failed++;
      const prefix = targets.length > 1 ? `${target.name}: ` : `${file}: `;
      process.stderr.write(`${prefix}${(error as Error).message}\n`);
    }
  }
  if (failed === 0) process.stdout.write(`${file}: valid\n`);
  return failed === 0 ? EXIT.ok : EXIT.config;
}

/** `autogen-ts convert <in> [--to json|yaml] [--output <file>]`: JSON to YAML and back. */
export async function convertCommand(argv: readonly string[]): Promise<number> {
  const args = parseArgs(argv, { values: ["to", "output"], flags: ["verbose"] });
  const [file, ...rest] = args.positionals;
  if (file === undefined || rest.length > 0) throw new ValidationError("convert takes one file");
  const output = args.values.get("output");
  const to = (args.values.get("to") ??
    (output !== undefined
      ? formatOf(output)
      : formatOf(file) === "json"
        ? "yaml"
        : "json")) as DocumentFormat;
  if (to !== "json" && to !== "yaml") throw new ValidationError("--to must be json or yaml");
  const text = formatDocument(await readDocument(file), to);
  if (output !== undefined) await writeFile(output, text);
  else process.stdout.write(text);
  return EXIT.ok;
}
