/**
 * What the command-line code executors share: the approval gate, the work dir they own, start/stop/restart,
 * one folder per execution, saving each block as a file (no link followed: sandboxed code may have planted
 * one), running the blocks in order with a cancellation check before each, the output cap's note and the
 * list of files the code changed. A subclass says how one saved file runs (a local process, a bubblewrap
 * sandbox, `docker exec`).
 */
import { randomUUID } from "node:crypto";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { ApprovalFunc, CodeBlock, CodeExecuteOptions, CodeExecutor, CodeResult } from "@autogen-ts/core";
import { canonicalLanguage, checkApproval, throwIfAborted, ValidationError } from "@autogen-ts/core";
import { DirectoryHandle } from "../support/beneath.js";
import { changedFiles, snapshotDirectory } from "./files.js";
import type { ProcessOutcome } from "./process.js";

/** Options every command-line executor takes. */
export interface CommandLineExecutorOptions {
  /** Where code runs and files land. Default: a new temporary folder, deleted by `stop()`. */
  readonly workDir?: string;
  /** Give each `executeCodeBlocks` call its own subfolder of `workDir` (default `true`). */
  readonly isolateExecutions?: boolean;
  /** Each block's time limit in milliseconds (default 60 000). */
  readonly timeoutMs?: number;
  /** The most output kept from each block, in bytes (default 100 000); the rest is dropped with a note. */
  readonly maxOutputBytes?: number;
  /** A gate that sees the code before it runs and may refuse it. */
  readonly approvalFunc?: ApprovalFunc;
}

/** One execution (one `executeCodeBlocks` call) as a subclass sees it. */
export interface Execution {
  /** A unique id (`0001-1a2b3c4d`). */
  readonly id: string;
  /** The work dir, absolute. */
  readonly workDir: string;
  /** The execution's folder, absolute (`workDir` itself unless executions are isolated). */
  readonly dir: string;
  /** The execution's folder, held open: write into it only through this. */
  readonly handle: DirectoryHandle;
  readonly signal: AbortSignal | undefined;
  /** Files (relative to the work dir) that the executor itself wrote, not to be reported as the code's. */
  readonly helperFiles: Set<string>;
}

/** One saved block to run. */
export interface BlockRun {
  readonly language: string;
  /** The saved file, absolute. */
  readonly file: string;
  /** The saved file relative to the execution's folder. */
  readonly name: string;
  readonly index: number;
  /** Register a way to kill the running block (for `stop()`); call with `undefined` when it is gone. */
  readonly onProcess: (kill: (() => void) | undefined) => void;
}

const DEFAULT_TIMEOUT_MS = 60_000;
const DEFAULT_MAX_OUTPUT_BYTES = 100_000;
const FILENAME_COMMENT = /^\s*(?:#|\/\/)\s*filename:\s*(\S+)\s*$/i;

/**
 * The base of {@link LocalCommandLineCodeExecutor} and {@link DockerCommandLineCodeExecutor}. `S` is the
 * state a subclass keeps for one execution (the functions bridge, say).
 */
export abstract class CommandLineCodeExecutor<S = undefined> implements CodeExecutor {
  /** The languages this executor runs. */
  abstract readonly supportedLanguages: readonly string[];
  /** Each block's time limit in milliseconds. */
  protected readonly timeoutMs: number;
  /** The most output kept from each block, in bytes. */
  protected readonly maxOutputBytes: number;
  readonly #base: CommandLineExecutorOptions;
  readonly #tempPrefix: string;
  readonly #running = new Set<() => void>();
  #workDir: string | undefined;
  #ownsWorkDir = false;
  #starting: Promise<void> | undefined;
  #counter = 0;

  protected constructor(options: CommandLineExecutorOptions, tempPrefix: string) {
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    if (!(Number.isFinite(timeoutMs) && timeoutMs > 0)) {
      throw new ValidationError(`timeoutMs must be a positive number of milliseconds, not ${timeoutMs}.`);
    }
    const maxOutputBytes = options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES;
    if (!(Number.isInteger(maxOutputBytes) && maxOutputBytes > 0)) {
      throw new ValidationError(`maxOutputBytes must be a positive integer, not ${maxOutputBytes}.`);
    }
    this.timeoutMs = timeoutMs;
    this.maxOutputBytes = maxOutputBytes;
    this.#base = options;
    this.#tempPrefix = tempPrefix;
    if (options.workDir !== undefined) this.#workDir = resolve(options.workDir);
  }

  /** The working directory (known after `start()` when it is a temporary one). */
  get workDir(): string | undefined {
    return this.#workDir;
  }

  /** Whether each execution gets its own subfolder. */
  protected get isolated(): boolean {
    return this.#base.isolateExecutions ?? true;
  }

  /** Checks what the executor needs (bubblewrap, a Docker engine) before the work dir exists. */
  protected abstract prepare(): Promise<void>;
  /** Runs once the work dir exists (starts a container, say). */
  protected async started(_workDir: string): Promise<void> {}
  /** Undoes {@link started}; `wasStarted` is false when the start had failed. */
  protected async stopped(_wasStarted: boolean): Promise<void> {}
  /** The file extension a language's blocks are saved with. */
  protected abstract extensionFor(language: string): Promise<string>;
  /** Sets up an execution before its first block (a functions bridge, say). */
  protected abstract openExecution(execution: Execution): Promise<S>;
  /** Runs one saved block. */
  protected abstract runBlock(block: BlockRun, execution: Execution, state: S): Promise<ProcessOutcome>;
  /** Tears down what {@link openExecution} set up; runs whatever happened. */
  protected async closeExecution(_execution: Execution, _state: S): Promise<void> {}

  /** Checks what the executor needs and creates the working directory (once; later calls wait for it). */
  start(): Promise<void> {
    this.#starting ??= this.#start().catch((error: unknown) => {
      this.#starting = undefined;
      throw error;
    });
    return this.#starting;
  }

  async #start(): Promise<void> {
    await this.prepare();
    if (this.#workDir === undefined) {
      this.#workDir = await mkdtemp(join(tmpdir(), this.#tempPrefix));
      this.#ownsWorkDir = true;
    } else {
      await mkdir(this.#workDir, { recursive: true });
    }
    await this.started(this.#workDir);
  }

  /** Kills running code and undoes `start()`; a temporary working directory is deleted. */
  async stop(): Promise<void> {
    for (const kill of this.#running) kill();
    this.#running.clear();
    const starting = this.#starting;
    this.#starting = undefined;
    const wasStarted =
      (await starting?.then(
        () => true,
        () => false,
      )) ?? false;
    await this.stopped(wasStarted);
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
    const refused = await checkApproval(this.#base.approvalFunc, blocks, signal);
    if (refused !== undefined) return refused;
    await this.start();
    throwIfAborted(signal);
    const workDir = this.#workDir!;
    const id = `${String(++this.#counter).padStart(4, "0")}-${randomUUID().slice(0, 8)}`;
    const root = await DirectoryHandle.open(workDir);
    let handle: DirectoryHandle;
    try {
      handle = this.isolated ? await root.openDirectory(`run-${id}`, true) : root;
    } finally {
      if (this.isolated) await root.close();
    }
    const dir = this.isolated ? join(workDir, `run-${id}`) : workDir;
    const execution: Execution = { id, workDir, dir, handle, signal, helperFiles: new Set() };
    try {
      return await this.#execute(blocks, execution);
    } finally {
      await handle.close();
    }
  }

  async #execute(blocks: readonly CodeBlock[], execution: Execution): Promise<CodeResult> {
    const { signal, dir, workDir } = execution;
    const prefix = dir === workDir ? "" : `${dir.slice(workDir.length + 1)}/`;
    const before = await snapshotDirectory(dir, workDir);
    const state = await this.openExecution(execution);
    const codeFiles: string[] = [];
    const outputs: string[] = [];
    let exitCode = 0;
    let timedOut = false;
    let truncated = false;
    try {
      for (const [index, block] of blocks.entries()) {
        // A block may not start once the call is cancelled, even between two blocks.
        throwIfAborted(signal);
        const language = canonicalLanguage(block.language);
        if (!this.supportedLanguages.includes(language)) {
          outputs.push(
            `Unsupported language: ${block.language || "(none)"}. This executor runs ${this.supportedLanguages.join(", ")}.`,
          );
          exitCode = 1;
          break;
        }
        const name = this.#fileName(block, index, execution.id, await this.extensionFor(language));
        if (name === undefined) {
          outputs.push("The filename comment must name a file inside the working directory.");
          exitCode = 1;
          break;
        }
        try {
          await execution.handle.writeFile(name, block.code);
        } catch (error) {
          outputs.push(`The code could not be saved as ${name}: ${(error as Error).message}`);
          exitCode = 1;
          break;
        }
        codeFiles.push(`${prefix}${name}`);
        let current: (() => void) | undefined;
        const outcome = await this.runBlock(
          {
            language,
            file: join(dir, name),
            name,
            index,
            onProcess: (kill) => {
              if (kill !== undefined) {
                current = kill;
                this.#running.add(kill);
              } else if (current !== undefined) this.#running.delete(current);
            },
          },
          execution,
          state,
        );
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
      await this.closeExecution(execution, state);
    }
    const exclude = new Set([...codeFiles, ...execution.helperFiles]);
    const files = changedFiles(before, await snapshotDirectory(dir, workDir), exclude);
    return {
      exitCode,
      output: outputs.join(""),
      codeFiles,
      files,
      ...(timedOut ? { timedOut } : {}),
      ...(truncated ? { outputTruncated: truncated } : {}),
    };
  }

  /** The file a block is saved as: the one its `# filename:` comment names, or a generated name. */
  #fileName(block: CodeBlock, index: number, id: string, extension: string): string | undefined {
    const firstLine = block.code.split("\n", 1)[0] ?? "";
    const named = FILENAME_COMMENT.exec(firstLine)?.[1];
    if (named !== undefined) {
      // Only a lexical check here; the write itself refuses any link on the way (see beneath.ts).
      const parts = named.split(/[\\/]+/).filter((p) => p !== "" && p !== ".");
      if (named.startsWith("/") || parts.length === 0 || parts.includes("..")) return undefined;
      return parts.join("/");
    }
    return this.isolated ? `block_${index + 1}.${extension}` : `code_${id}_${index + 1}.${extension}`;
  }
}
