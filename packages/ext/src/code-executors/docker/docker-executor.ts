/**
 * `DockerCommandLineCodeExecutor`: runs code blocks inside a long-lived Docker container through the
 * `docker` command line. The work dir is bind-mounted at `/workspace`; each block runs under coreutils'
 * `timeout`, which kills the block's whole process group inside the container.
 */
import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative, resolve, sep } from "node:path";
import type { ApprovalFunc, CodeBlock, CodeExecuteOptions, CodeExecutor, CodeResult } from "@autogen-ts/core";
import {
  approvalRequestFor,
  canonicalLanguage,
  ToolError,
  throwIfAborted,
  ValidationError,
} from "@autogen-ts/core";
import { changedFiles, snapshotDirectory } from "../files.js";
import { runProcess, TIMEOUT_EXIT_CODE } from "../process.js";

/** Options of {@link DockerCommandLineCodeExecutor}. */
export interface DockerCommandLineCodeExecutorOptions {
  /** The image (default `python:3-slim`); it needs `sh` and coreutils' `timeout`, plus the interpreters. */
  readonly image?: string;
  /** The container's name (default `autogen-code-<random>`). */
  readonly containerName?: string;
  /** The host folder mounted at `/workspace` (default: a new temporary folder, deleted by `stop()`). */
  readonly workDir?: string;
  /** Give each execution its own subfolder (default `true`), as the local executor does. */
  readonly isolateExecutions?: boolean;
  /** Each block's time limit in milliseconds (default 60 000). */
  readonly timeoutMs?: number;
  /** The most output kept from each block, in bytes (default 100 000). */
  readonly maxOutputBytes?: number;
  /** Environment variables set inside the container. */
  readonly env?: Readonly<Record<string, string>>;
  /** The container's network (default `none`: no network at all); `bridge` gives it the default one. */
  readonly network?: string;
  /** The docker CLI (default `docker` on `PATH`). */
  readonly dockerPath?: string;
  /** The engine to talk to, as `DOCKER_HOST` (default: the CLI's own setting). */
  readonly dockerHost?: string;
  /** A gate that sees the code before it runs and may refuse it. */
  readonly approvalFunc?: ApprovalFunc;
}

const COMMANDS: Readonly<Record<string, { command: string[]; extension: string }>> = {
  python: { command: ["python3"], extension: "py" },
  sh: { command: ["sh"], extension: "sh" },
  bash: { command: ["bash"], extension: "sh" },
  javascript: { command: ["node"], extension: "mjs" },
};
const MOUNT = "/workspace";

/**
 * Runs code blocks in a Docker container, for isolation stronger than a local sandbox and images with
 * the libraries the code needs. Needs a running Docker engine; without one, `start()` rejects with a
 * `ToolError` (code `invalid_config`) that says so.
 *
 * @example
 * ```ts
 * const executor = new DockerCommandLineCodeExecutor({ image: "python:3.12-slim" });
 * const result = await executor.executeCodeBlocks([{ language: "python", code: "print('hi')" }]);
 * await executor.stop();
 * ```
 */
export class DockerCommandLineCodeExecutor implements CodeExecutor {
  /** The languages this executor runs (`javascript` only in images that have Node). */
  readonly supportedLanguages: readonly string[] = Object.keys(COMMANDS);
  /** The container's name. */
  readonly containerName: string;
  readonly #options: DockerCommandLineCodeExecutorOptions;
  readonly #timeoutMs: number;
  readonly #docker: string;
  #workDir: string | undefined;
  #ownsWorkDir = false;
  #starting: Promise<void> | undefined;
  #counter = 0;

  constructor(options: DockerCommandLineCodeExecutorOptions = {}) {
    const timeoutMs = options.timeoutMs ?? 60_000;
    if (!(Number.isFinite(timeoutMs) && timeoutMs > 0)) {
      throw new ValidationError(`timeoutMs must be a positive number of milliseconds, not ${timeoutMs}.`);
    }
    if (options.containerName !== undefined && !/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/.test(options.containerName)) {
      throw new ValidationError(`"${options.containerName}" is not a valid container name.`);
    }
    this.#options = options;
    this.#timeoutMs = timeoutMs;
    this.#docker = options.dockerPath ?? "docker";
    this.containerName = options.containerName ?? `autogen-code-${randomUUID().slice(0, 12)}`;
    if (options.workDir !== undefined) this.#workDir = resolve(options.workDir);
  }

  /** The host folder mounted into the container (known after `start()` when it is a temporary one). */
  get workDir(): string | undefined {
    return this.#workDir;
  }

  #cli(args: readonly string[]): Promise<{ ok: boolean; stdout: string; message: string; missing: boolean }> {
    const env = {
      ...process.env,
      ...(this.#options.dockerHost ? { DOCKER_HOST: this.#options.dockerHost } : {}),
    };
    return new Promise((done) => {
      execFile(this.#docker, args, { env, timeout: 120_000 }, (error, stdout, stderr) => {
        done({
          ok: error === null,
          stdout: stdout.trim(),
          message: stderr.trim() || (error?.message ?? ""),
          missing: (error as NodeJS.ErrnoException | null)?.code === "ENOENT",
        });
      });
    });
  }

  /** Checks the engine, then starts the container with the work dir mounted. */
  start(): Promise<void> {
    this.#starting ??= this.#start().catch((error: unknown) => {
      this.#starting = undefined;
      throw error;
    });
    return this.#starting;
  }

  async #start(): Promise<void> {
    const version = await this.#cli(["version", "--format", "{{.Server.Version}}"]);
    if (version.missing) {
      throw new ToolError(
        `The docker CLI ("${this.#docker}") was not found; install Docker or set dockerPath.`,
        {
          code: "invalid_config",
        },
      );
    }
    if (!version.ok || version.stdout === "") {
      throw new ToolError(`No Docker engine is reachable: ${version.message}`, { code: "invalid_config" });
    }
    if (this.#workDir === undefined) {
      this.#workDir = await mkdtemp(join(tmpdir(), "autogen-docker-"));
      this.#ownsWorkDir = true;
    } else {
      await mkdir(this.#workDir, { recursive: true });
    }
    const envArgs = Object.entries(this.#options.env ?? {}).flatMap(([k, v]) => ["--env", `${k}=${v}`]);
    const run = await this.#cli([
      "run",
      "--detach",
      "--rm",
      "--init",
      "--name",
      this.containerName,
      "--network",
      this.#options.network ?? "none",
      "--volume",
      `${this.#workDir}:${MOUNT}`,
      "--workdir",
      MOUNT,
      ...envArgs,
      "--entrypoint",
      "sh",
      this.#options.image ?? "python:3-slim",
      "-c",
      "while :; do sleep 3600; done",
    ]);
    if (!run.ok) {
      throw new ToolError(`The container could not be started: ${run.message}`, { code: "execution_error" });
    }
  }

  /** Removes the container; deletes a temporary work dir. */
  async stop(): Promise<void> {
    const starting = this.#starting;
    this.#starting = undefined;
    const started = await starting?.then(
      () => true,
      () => false,
    );
    if (started) await this.#cli(["rm", "--force", this.containerName]);
    if (this.#ownsWorkDir && this.#workDir !== undefined) {
      await rm(this.#workDir, { recursive: true, force: true });
      this.#workDir = undefined;
      this.#ownsWorkDir = false;
    }
  }

  /** Removes the container and starts a new one. */
  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  /** Runs the blocks in order inside the container and stops at the first failure. */
  async executeCodeBlocks(
    blocks: readonly CodeBlock[],
    options: CodeExecuteOptions = {},
  ): Promise<CodeResult> {
    const { signal } = options;
    throwIfAborted(signal);
    if (blocks.length === 0) return { exitCode: 0, output: "", codeFiles: [], files: [] };
    if (this.#options.approvalFunc !== undefined) {
      const verdict = await this.#options.approvalFunc(approvalRequestFor(blocks), signal ? { signal } : {});
      if (!verdict.approved) {
        return {
          exitCode: 1,
          output: `Code execution was not approved. Reason: ${verdict.reason}`,
          approved: false,
        };
      }
    }
    await this.start();
    const workDir = this.#workDir!;
    const id = `${String(++this.#counter).padStart(4, "0")}-${randomUUID().slice(0, 8)}`;
    const isolate = this.#options.isolateExecutions ?? true;
    const hostDir = isolate ? join(workDir, `run-${id}`) : workDir;
    const containerDir = isolate ? `${MOUNT}/run-${id}` : MOUNT;
    await mkdir(hostDir, { recursive: true });
    const before = await snapshotDirectory(hostDir, workDir);
    const codeFiles: string[] = [];
    const helperFiles: string[] = [];
    const outputs: string[] = [];
    let exitCode = 0;
    let timedOut = false;
    let truncated = false;
    try {
      for (const [index, block] of blocks.entries()) {
        const spec = COMMANDS[canonicalLanguage(block.language)];
        if (spec === undefined) {
          outputs.push(
            `Unsupported language: ${block.language || "(none)"}. This executor runs ${this.supportedLanguages.join(", ")}.`,
          );
          exitCode = 1;
          break;
        }
        const name = isolate
          ? `block_${index + 1}.${spec.extension}`
          : `code_${id}_${index + 1}.${spec.extension}`;
        await writeFile(join(hostDir, name), block.code);
        codeFiles.push(relative(workDir, join(hostDir, name)).split(sep).join("/"));
        const pidFile = `.autogen-pid-${id}-${index}`;
        helperFiles.push(relative(workDir, join(hostDir, pidFile)).split(sep).join("/"));
        const seconds = Math.max(1, Math.ceil(this.#timeoutMs / 1000));
        // `timeout` makes itself a process group and kills that whole group when the time is up; its pid
        // (written first) lets a cancellation kill the same group.
        const script = `echo $$ > ${pidFile}; exec timeout -k 2 ${seconds} "$@"`;
        const outcome = await runProcess(
          this.#docker,
          [
            "exec",
            "--workdir",
            containerDir,
            this.containerName,
            "sh",
            "-c",
            script,
            "sh",
            ...spec.command,
            name,
          ],
          {
            cwd: workDir,
            env: {
              ...process.env,
              ...(this.#options.dockerHost ? { DOCKER_HOST: this.#options.dockerHost } : {}),
            } as Record<string, string>,
            // The CLI gets a little longer than the code, so that `timeout` in the container acts first.
            timeoutMs: this.#timeoutMs + 10_000,
            maxOutputBytes: this.#options.maxOutputBytes ?? 100_000,
            ...(signal ? { signal } : {}),
          },
        ).catch(async (error: unknown) => {
          await this.#killGroup(containerDir, pidFile);
          throw error;
        });
        let output = outcome.output;
        if (outcome.truncated) {
          truncated = true;
          output += `${output.endsWith("\n") ? "" : "\n"}[output truncated: ${outcome.droppedBytes} more bytes]\n`;
        }
        let code = outcome.exitCode;
        if (outcome.timedOut || code === TIMEOUT_EXIT_CODE) {
          timedOut = true;
          code = TIMEOUT_EXIT_CODE;
          if (!outcome.timedOut) output += `Timeout: the code ran longer than ${seconds} s and was killed.`;
          await this.#killGroup(containerDir, pidFile);
        }
        outputs.push(output);
        if (code !== 0) {
          exitCode = code;
          break;
        }
      }
    } finally {
      await Promise.all(helperFiles.map((f) => rm(join(workDir, f), { force: true })));
    }
    const files = changedFiles(
      before,
      await snapshotDirectory(hostDir, workDir),
      new Set([...codeFiles, ...helperFiles]),
    );
    return {
      exitCode,
      output: outputs.join(""),
      codeFiles,
      files,
      ...(timedOut ? { timedOut } : {}),
      ...(truncated ? { outputTruncated: truncated } : {}),
    };
  }

  async #killGroup(containerDir: string, pidFile: string): Promise<void> {
    await this.#cli([
      "exec",
      "--workdir",
      containerDir,
      this.containerName,
      "sh",
      "-c",
      `[ -f ${pidFile} ] && kill -KILL -- -"$(cat ${pidFile})" 2>/dev/null; true`,
    ]);
  }
}
