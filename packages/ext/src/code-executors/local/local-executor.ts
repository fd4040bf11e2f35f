/**
 * `LocalCommandLineCodeExecutor`: runs Python, shell, JavaScript and TypeScript code blocks as local
 * processes, optionally inside a bubblewrap sandbox.
 */
import type { Tool } from "@autogen-ts/core";
import { ValidationError } from "@autogen-ts/core";
import {
  type BlockRun,
  CommandLineCodeExecutor,
  type CommandLineExecutorOptions,
  type Execution,
} from "../base.js";
import { type ProcessOutcome, runProcess } from "../process.js";
import {
  FUNCTION_MODULE_FILES,
  FUNCTIONS_SOCKET_ENV,
  FUNCTIONS_SOCKET_NAME,
  type FunctionBridge,
  SANDBOX_SOCKET_DIR,
  startFunctionBridge,
  validateFunctions,
} from "./functions.js";
import {
  javascriptRunner,
  LOCAL_LANGUAGES,
  type Runner,
  resolvePython,
  shellRunner,
  typescriptRunner,
} from "./languages.js";
import { bwrapArguments, checkSandbox, type SandboxOptions } from "./sandbox.js";

/** Options of {@link LocalCommandLineCodeExecutor}. */
export interface LocalCommandLineCodeExecutorOptions extends CommandLineExecutorOptions {
  /**
   * Where code runs and files land. Default: a new temporary folder, deleted by `stop()`; pass a folder to
   * keep what the code writes.
   */
  readonly workDir?: string;
  /**
   * Give each `executeCodeBlocks` call its own subfolder of `workDir` (default `true`), so that concurrent
   * executions never share files by accident. With `false`, every execution runs in `workDir` itself and
   * sees the files earlier ones left.
   */
  readonly isolateExecutions?: boolean;
  /**
   * Each block's time limit in milliseconds (default 60 000); then everything it started is killed, and the
   * execution resolves at the limit even if a detached child still holds its output open.
   */
  readonly timeoutMs?: number;
  /** Environment variables set for the code. */
  readonly env?: Readonly<Record<string, string>>;
  /**
   * Names of this process's environment variables that the code may see. Nothing else is passed: the code
   * gets only `PATH`, `LANG`, a few interpreter settings, these and `env`.
   */
  readonly envPassthrough?: readonly string[];
  /**
   * Tools the code can call as functions: `from functions import name` in Python,
   * `import { name } from "./functions.mjs"` in JavaScript and TypeScript. The host runs each call.
   */
  readonly functions?: readonly Tool[];
  /**
   * Run every block in a bubblewrap sandbox (Linux): no network, its own PID namespace, a read-only view
   * of the system, write access only to the execution's folder. Where bubblewrap is missing or cannot
   * run, executions fail with a `ToolError` (code `invalid_config`) that says why; code never runs
   * unsandboxed instead.
   */
  readonly sandbox?: boolean | SandboxOptions;
  /** The Python interpreter (default `python3`). */
  readonly pythonPath?: string;
  /** The command that runs a TypeScript file, such as `["npx", "tsx"]` (default: see the docs). */
  readonly typescriptRunner?: readonly string[];
}

/**
 * Runs code blocks as local processes. Each block is saved to a file in the execution's folder and run
 * by its interpreter; the blocks of one call run in order and stop at the first failure.
 *
 * Without `sandbox`, code runs with this process's user rights: use it only for code you trust, or put an
 * `approvalFunc` in front of it.
 *
 * @example
 * ```ts
 * const executor = new LocalCommandLineCodeExecutor({ sandbox: true, timeoutMs: 10_000 });
 * const result = await executor.executeCodeBlocks([{ language: "python", code: "print(6 * 7)" }]);
 * // result.exitCode === 0, result.output === "42\n"
 * await executor.stop();
 * ```
 */
export class LocalCommandLineCodeExecutor extends CommandLineCodeExecutor<FunctionBridge | undefined> {
  /** The languages this executor runs. */
  readonly supportedLanguages: readonly string[] = LOCAL_LANGUAGES;
  readonly #options: LocalCommandLineCodeExecutorOptions;
  readonly #functions: readonly Tool[];
  readonly #sandbox: SandboxOptions | undefined;
  #python: Promise<Runner> | undefined;

  constructor(options: LocalCommandLineCodeExecutorOptions = {}) {
    super(options, "autogen-code-");
    for (const name of [...Object.keys(options.env ?? {}), ...(options.envPassthrough ?? [])]) {
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
        throw new ValidationError(`"${name}" is not a valid environment variable name.`);
      }
    }
    this.#functions = options.functions ?? [];
    validateFunctions(this.#functions);
    this.#options = options;
    this.#sandbox = options.sandbox === true ? {} : options.sandbox === false ? undefined : options.sandbox;
  }

  /** Whether code runs in the bubblewrap sandbox. */
  get sandboxed(): boolean {
    return this.#sandbox !== undefined;
  }

  /**
   * A paragraph for a system prompt that tells a model which functions its code can import, with their
   * parameters; empty when there are none.
   */
  functionsDescription(): string {
    if (this.#functions.length === 0) return "";
    const lines = [
      "Your code can call these functions, which the host runs for you:",
      'Python: `from functions import <name>`; JavaScript/TypeScript: `import { <name> } from "./functions.mjs"` ' +
        "(async, takes one object of arguments).",
    ];
    for (const tool of this.#functions) {
      const properties = (tool.schema.parameters.properties ?? {}) as Record<string, { type?: unknown }>;
      const params = Object.entries(properties)
        .map(([name, schema]) => `${name}${typeof schema?.type === "string" ? `: ${schema.type}` : ""}`)
        .join(", ");
      lines.push(`- ${tool.name}(${params}): ${tool.description}`);
    }
    return lines.join("\n");
  }

  /** In sandboxed mode, checks that bubblewrap works here. */
  protected async prepare(): Promise<void> {
    if (this.#sandbox !== undefined) await checkSandbox(this.#sandbox.bwrapPath ?? "bwrap");
  }

  protected async extensionFor(language: string): Promise<string> {
    return (await this.#runner(language)).extension;
  }

  protected async openExecution(execution: Execution): Promise<FunctionBridge | undefined> {
    if (this.#functions.length === 0) return undefined;
    const prefix = execution.dir === execution.workDir ? "" : `run-${execution.id}/`;
    for (const file of FUNCTION_MODULE_FILES) execution.helperFiles.add(`${prefix}${file}`);
    return startFunctionBridge(execution.handle, this.#functions, execution.signal);
  }

  protected override async closeExecution(
    _execution: Execution,
    bridge: FunctionBridge | undefined,
  ): Promise<void> {
    await bridge?.close();
  }

  protected async runBlock(
    block: BlockRun,
    execution: Execution,
    bridge: FunctionBridge | undefined,
  ): Promise<ProcessOutcome> {
    const runner = await this.#runner(block.language);
    const socketPath = this.sandboxed ? `${SANDBOX_SOCKET_DIR}/${FUNCTIONS_SOCKET_NAME}` : bridge?.socketPath;
    const env = this.#environment(bridge === undefined ? undefined : socketPath);
    const writable = this.isolated ? execution.dir : execution.workDir;
    const [command, args] = this.#command(runner, block.file, writable, execution.dir, bridge?.socketDir);
    return runProcess(command, args, {
      cwd: execution.dir,
      env,
      timeoutMs: this.timeoutMs,
      maxOutputBytes: this.maxOutputBytes,
      ...(execution.signal ? { signal: execution.signal } : {}),
      onProcess: block.onProcess,
    });
  }

  #runner(language: string): Promise<Runner> {
    switch (language) {
      case "python":
        this.#python ??= resolvePython(this.#options.pythonPath ?? "python3").catch((error: unknown) => {
          this.#python = undefined;
          throw error;
        });
        return this.#python;
      case "javascript":
        return Promise.resolve(javascriptRunner());
      case "typescript":
        return Promise.resolve(typescriptRunner(this.#options.typescriptRunner));
      default:
        return Promise.resolve(shellRunner(language as "sh" | "bash"));
    }
  }

  #environment(socketPath: string | undefined): Record<string, string> {
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? "/usr/local/bin:/usr/bin:/bin",
      LANG: "C.UTF-8",
      PYTHONUNBUFFERED: "1",
      PYTHONDONTWRITEBYTECODE: "1",
      NO_COLOR: "1",
    };
    for (const name of this.#options.envPassthrough ?? []) {
      const value = process.env[name];
      if (value !== undefined) env[name] = value;
    }
    Object.assign(env, this.#options.env);
    if (socketPath !== undefined) env[FUNCTIONS_SOCKET_ENV] = socketPath;
    return env;
  }

  /** The command line for one file, wrapped in bubblewrap in sandboxed mode. */
  #command(
    runner: Runner,
    file: string,
    writableDir: string,
    cwd: string,
    socketDir: string | undefined,
  ): [string, string[]] {
    const direct = [runner.command, ...runner.args, file];
    if (this.#sandbox === undefined) return [direct[0]!, direct.slice(1)];
    const sandboxArgs = bwrapArguments({
      writableDir,
      cwd,
      readOnlyPaths: [...runner.readOnlyPaths, ...(this.#sandbox.readOnlyPaths ?? [])],
      binds: socketDir === undefined ? [] : [[socketDir, SANDBOX_SOCKET_DIR]],
    });
    return [this.#sandbox.bwrapPath ?? "bwrap", [...sandboxArgs, "--", ...direct]];
  }
}
