/**
 * Definitions of the local code executor and the Python code-execution tool, under AutoGen's provider
 * names. AutoGen's `timeout` is in seconds; `work_dir` is kept, and a relative one resolves against the
 * current directory.
 */
import type { CodeExecutor, ComponentDefinition } from "@autogen-ts/core";
import { componentSlot } from "@autogen-ts/core";
import { LocalCommandLineCodeExecutor } from "../code-executors/local/index.js";
import { PythonCodeExecutionTool } from "../tools/code-execution/index.js";

/**
 * Whether an executor from this config runs sandboxed. The `sandbox` setting (`autogen-ts run --sandbox`)
 * sandboxes every executor a load builds, whatever its config says; otherwise the config's `sandbox`, then
 * the `pythonSandbox` setting, decide.
 */
function sandboxed(
  config: Readonly<Record<string, unknown>>,
  settings: Readonly<Record<string, unknown>> | undefined,
): boolean {
  if (settings?.sandbox === true) return true;
  if (typeof config.sandbox === "boolean") return config.sandbox;
  return settings?.pythonSandbox === true;
}

/** Config each executor was loaded with, since the executor keeps its options private. */
const EXECUTOR_CONFIG = new WeakMap<object, Record<string, unknown>>();

const localExecutor: ComponentDefinition<LocalCommandLineCodeExecutor> = {
  provider: "autogen_ext.code_executors.local.LocalCommandLineCodeExecutor",
  ownName: "autogen_ts.ext.code_executors.local.LocalCommandLineCodeExecutor",
  componentType: "code_executor",
  componentVersion: 1,
  description: "Runs code blocks as local processes (optionally in a bubblewrap sandbox).",
  label: "LocalCommandLineCodeExecutor",
  schema: {
    type: "object",
    properties: {
      timeout: { type: "number", exclusiveMinimum: 0 },
      work_dir: { type: ["string", "null"] },
      functions_module: { type: "string" },
      cleanup_temp_files: { type: "boolean" },
      sandbox: { type: "boolean" },
    },
  },
  // It runs whatever code a model writes, with this process's rights, unless it is sandboxed.
  carriesCode: (config, options) => !sandboxed(config, options.settings),
  classes: [LocalCommandLineCodeExecutor],
  load(config, context) {
    const sandbox = sandboxed(config, context.options.settings);
    const executor = new LocalCommandLineCodeExecutor({
      timeoutMs: typeof config.timeout === "number" ? config.timeout * 1000 : 60_000,
      ...(typeof config.work_dir === "string" ? { workDir: config.work_dir } : {}),
      ...(sandbox ? { sandbox: true } : {}),
    });
    EXECUTOR_CONFIG.set(executor, { ...config });
    return executor;
  },
  dump: (executor, context) => ({
    ...(context.loadedFrom ?? EXECUTOR_CONFIG.get(executor) ?? {}),
    ...(executor.workDir !== undefined && context.loadedFrom === undefined
      ? { work_dir: executor.workDir }
      : {}),
    ...(executor.sandboxed ? { sandbox: true } : {}),
  }),
};

const pythonTool: ComponentDefinition<PythonCodeExecutionTool> = {
  provider: "autogen_ext.tools.code_execution.PythonCodeExecutionTool",
  ownName: "autogen_ts.ext.tools.code_execution.PythonCodeExecutionTool",
  componentType: "tool",
  componentVersion: 1,
  description: "A tool that runs Python code the model writes.",
  label: "PythonCodeExecutionTool",
  schema: {
    type: "object",
    required: ["executor"],
    properties: {
      executor: componentSlot("code_executor"),
      description: { type: "string" },
      name: { type: "string" },
    },
  },
  classes: [PythonCodeExecutionTool],
  async load(config, context) {
    const executor = await context.load<CodeExecutor>(config.executor, "executor", "code_executor");
    return new PythonCodeExecutionTool({
      executor,
      ...(typeof config.description === "string" ? { description: config.description } : {}),
      ...(typeof config.name === "string" ? { name: config.name } : {}),
    });
  },
  dump: async (tool, context) => ({
    executor: await context.dump(tool.executor),
    description: tool.description,
    ...(tool.name === "run_python_code" ? {} : { name: tool.name }),
  }),
};

/** The definitions this module contributes. */
export const definitions: readonly ComponentDefinition<unknown>[] = [localExecutor, pythonTool];
