/**
 * `LocalCommandLineCodeExecutor`: runs Python, shell, JavaScript and TypeScript code blocks as local
 * processes, optionally inside a bubblewrap sandbox.
 */
import { randomUUID } from "node:crypto";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, isAbsolute, join, normalize, relative, resolve, sep } from "node:path";
import type {
  ApprovalFunc,
  CodeBlock,
  CodeExecuteOptions,
  CodeExecutor,
  CodeResult,
  Tool,
} from "@autogen-ts/core";
import { approvalRequestFor, canonicalLanguage, throwIfAborted, ValidationError } from "@autogen-ts/core";
import { changedFiles, snapshotDirectory } from "../files.js";
import { runProcess } from "../process.js";
import {
  FUNCTION_MODULE_FILES,
  FUNCTIONS_SOCKET_ENV,
  FUNCTIONS_SOCKET_NAME,
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
export interface LocalCommandLineCodeExecutorOptions {
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
  /** Each block's time limit in milliseconds (default 60 000); then its whole process group is killed. */
  readonly timeoutMs?: number;
  /** The most output kept from each block, in bytes (default 100 000); the rest is dropped with a note. */
  readonly maxOutputBytes?: number;
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
   * Run every block in a bubblewrap sandbox (Linux): no network, a read-only view of the system, write
   * access only to the execution's folder. Where bubblewrap is missing or cannot run, executions fail with
   * a `ToolError` (code `invalid_config`) that says why; code never runs unsandboxed instead.
   */
  readonly sandbox?: boolean | SandboxOptions;
  /** A gate that sees the code before it runs and may refuse it. */
  readonly approvalFunc?: ApprovalFunc;
  /** The Python interpreter (default `python3`). */
  readonly pythonPath?: string;
  /** The command that runs a TypeScript file, such as `["npx", "tsx"]` (default: see the docs). */
  readonly typescriptRunner?: readonly string[];
}

const DEFAULT_TIMEOUT_MS = 60_000;
const DEFAULT_MAX_OUTPUT_BYTES = 100_000;
const FILENAME_COMMENT = /^\s*(?:#|\/\/)\s*filename:\s*(\S+)\s*$/i;

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
export class LocalCommandLineCodeExecutor implements CodeExecutor {
  /** The languages this executor runs. */
  readonly supportedLanguages: readonly string[] = LOCAL_LANGUAGES;
  readonly #options: LocalCommandLineCodeExecutorOptions;
  readonly #timeoutMs: number;
  readonly #maxOutputBytes: number;
  readonly #functions: readonly Tool[];
  readonly #sandbox: SandboxOptions | undefined;
  readonly #running = new Set<() => void>();
  #workDir: string | undefined;
  #ownsWorkDir = false;
  #starting: Promise<void> | undefined;
  #python: Promise<Runner> | undefined;
  #counter = 0;

  constructor(options: LocalCommandLineCodeExecutorOptions = {}) {
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    if (!(Number.isFinite(timeoutMs) && timeoutMs > 0)) {
      throw new ValidationError(`timeoutMs must be a positive number of milliseconds, not ${timeoutMs}.`);
    }
    const maxOutputBytes = options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES;
    if (!(Number.isInteger(maxOutputBytes) && maxOutputBytes > 0)) {
      throw new ValidationError(`maxOutputBytes must be a positive integer, not ${maxOutputBytes}.`);
    }
    for (const name of [...Object.keys(options.env ?? {}), ...(options.envPassthrough ?? [])]) {
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
        throw new ValidationError(`"${name}" is not a valid environment variable name.`);
      }
    }
    this.#functions = options.functions ?? [];
    validateFunctions(this.#functions);
    this.#options = options;
    this.#timeoutMs = timeoutMs;
    this.#maxOutputBytes = maxOutputBytes;
    this.#sandbox = options.sandbox === true ? {} : options.sandbox === false ? undefined : options.sandbox;
    if (options.workDir !== undefined) this.#workDir = resolve(options.workDir);
  }

  /** The working directory (known after `start()` when it is a temporary one). */
  get workDir(): string | undefined {
    return this.#workDir;
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

  /** Creates the working directory and, in sandboxed mode, checks that bubblewrap works here. */
  start(): Promise<void> {
    this.#starting ??= this.#start().catch((error: unknown) => {
      this.#starting = undefined;
      throw error;
    });
    return this.#starting;
  }

  async #start(): Promise<void> {
    if (this.#sandbox !== undefined) await checkSandbox(this.#sandbox.bwrapPath ?? "bwrap");
    if (this.#workDir === undefined) {
      this.#workDir = await mkdtemp(join(tmpdir(), "autogen-code-"));
      this.#ownsWorkDir = true;
    } else {
      await mkdir(this.#workDir, { recursive: true });
    }
  }

  /** Kills running code; deletes the working directory when it is a temporary one. */
  async stop(): Promise<void> {
    for (const kill of this.#running) kill();
    this.#running.clear();
    const starting = this.#starting;
    this.#starting = undefined;
    await starting?.catch(() => undefined);
    if (this.#ownsWorkDir && this.#workDir !== undefined) {
      await rm(this.#workDir, { recursive: true, force: true });
      this.#workDir = undefined;
      this.#ownsWorkDir = false;
    }
  }

  /** Stops and starts again (a temporary working directory is replaced by a new one). */
  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  /**
   * Runs the blocks in order in a fresh execution folder and stops at the first failure. Refused code,
   * failing code, a timeout and an unsupported language all resolve with a non-zero `exitCode`; the call
   * rejects only when cancelled (`CancelledError`) or when the executor cannot work (`ToolError`).
   */
  async executeCodeBlocks(
    blocks: readonly CodeBlock[],
    options: CodeExecuteOptions = {},
  ): Promise<CodeResult> {
    const { signal } = options;
    throwIfAborted(signal);
    if (blocks.length === 0) return { exitCode: 0, output: "", codeFiles: [], files: [] };
    if (this.#options.approvalFunc !== undefined) {
      const verdict = await this.#options.approvalFunc(approvalRequestFor(blocks), signal ? { signal } : {});
      throwIfAborted(signal);
      if (!verdict.approved) {
        return {
          exitCode: 1,
          output: `Code execution was not approved. Reason: ${verdict.reason}`,
          approved: false,
        };
      }
    }
    await this.start();
    throwIfAborted(signal);
    const workDir = this.#workDir!;
    const isolate = this.#options.isolateExecutions ?? true;
    const id = `${String(++this.#counter).padStart(4, "0")}-${randomUUID().slice(0, 8)}`;
    const cwd = isolate ? join(workDir, `run-${id}`) : workDir;
    await mkdir(cwd, { recursive: true });
    const before = await snapshotDirectory(cwd, workDir);

    const bridge =
      this.#functions.length > 0 ? await startFunctionBridge(cwd, this.#functions, signal) : undefined;
    const codeFiles: string[] = [];
    const outputs: string[] = [];
    let exitCode = 0;
    let timedOut = false;
    let truncated = false;
    try {
      for (const [index, block] of blocks.entries()) {
        const language = canonicalLanguage(block.language);
        if (!(LOCAL_LANGUAGES as readonly string[]).includes(language)) {
          outputs.push(
            `Unsupported language: ${block.language || "(none)"}. This executor runs ${LOCAL_LANGUAGES.join(", ")}.`,
          );
          exitCode = 1;
          break;
        }
        const runner = await this.#runner(language);
        const fileName = this.#fileName(block, index, id, runner.extension);
        if (fileName === undefined) {
          outputs.push("The filename comment must name a file inside the working directory.");
          exitCode = 1;
          break;
        }
        const file = join(cwd, fileName);
        await mkdir(dirname(file), { recursive: true });
        await writeFile(file, block.code);
        codeFiles.push(relative(workDir, file).split(sep).join("/"));

        const socketPath = this.sandboxed
          ? `${SANDBOX_SOCKET_DIR}/${FUNCTIONS_SOCKET_NAME}`
          : bridge?.socketPath;
        const env = this.#environment(bridge === undefined ? undefined : socketPath);
        const [command, args] = this.#command(runner, file, isolate ? cwd : workDir, cwd, bridge?.socketDir);
        let current: (() => void) | undefined;
        const outcome = await runProcess(command, args, {
          cwd,
          env,
          timeoutMs: this.#timeoutMs,
          maxOutputBytes: this.#maxOutputBytes,
          ...(signal ? { signal } : {}),
          onProcess: (kill) => {
            if (kill !== undefined) {
              current = kill;
              this.#running.add(kill);
            } else if (current !== undefined) this.#running.delete(current);
          },
        });
        let output = outcome.output;
        if (outcome.truncated) {
          truncated = true;
          output += `${output.endsWith("\n") ? "" : "\n"}[output truncated: ${outcome.droppedBytes} more bytes]\n`;
        }
        outputs.push(output);
        timedOut ||= outcome.timedOut;
        if (outcome.exitCode !== 0) {
          exitCode = outcome.exitCode;
          break;
        }
      }
    } finally {
      await bridge?.close();
    }
    const exclude = new Set([
      ...codeFiles,
      ...FUNCTION_MODULE_FILES.map((f) => relative(workDir, join(cwd, f))),
    ]);
    const files = changedFiles(before, await snapshotDirectory(cwd, workDir), exclude);
    return {
      exitCode,
      output: outputs.join(""),
      codeFiles,
      files,
      ...(timedOut ? { timedOut } : {}),
      ...(truncated ? { outputTruncated: truncated } : {}),
    };
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

  /** The file a block is saved as: the one its `# filename:` comment names, or a generated name. */
  #fileName(block: CodeBlock, index: number, id: string, extension: string): string | undefined {
    const firstLine = block.code.split("\n", 1)[0] ?? "";
    const named = FILENAME_COMMENT.exec(firstLine)?.[1];
    if (named !== undefined) {
      const clean = normalize(named);
      if (isAbsolute(clean) || clean.startsWith("..") || clean.includes(`${sep}..${sep}`)) return undefined;
      return clean;
    }
    const isolate = this.#options.isolateExecutions ?? true;
    return isolate ? `block_${index + 1}.${extension}` : `code_${id}_${index + 1}.${extension}`;
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
