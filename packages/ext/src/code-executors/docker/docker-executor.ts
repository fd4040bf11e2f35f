/**
 * `DockerCommandLineCodeExecutor`: runs code blocks inside a long-lived Docker container through the
 * `docker` command line. The work dir is bind-mounted at `/workspace`; each block runs under coreutils'
 * `timeout`, which kills the block's whole process group inside the container.
 */
import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { ToolError, ValidationError } from "@autogen-ts/core";
import {
  type BlockRun,
  CommandLineCodeExecutor,
  type CommandLineExecutorOptions,
  type Execution,
} from "../base.js";
import { type ProcessOutcome, runProcess, TIMEOUT_EXIT_CODE } from "../process.js";

/** Options of {@link DockerCommandLineCodeExecutor}. */
export interface DockerCommandLineCodeExecutorOptions extends CommandLineExecutorOptions {
  /** The image (default `python:3-slim`); it needs `sh` and coreutils' `timeout`, plus the interpreters. */
  readonly image?: string;
  /** The container's name (default `autogen-code-<random>`). */
  readonly containerName?: string;
  /** The host folder mounted at `/workspace` (default: a new temporary folder, deleted by `stop()`). */
  readonly workDir?: string;
  /** Give each execution its own subfolder (default `true`), as the local executor does. */
  readonly isolateExecutions?: boolean;
  /** Environment variables set inside the container. */
  readonly env?: Readonly<Record<string, string>>;
  /** The container's network (default `none`: no network at all); `bridge` gives it the default one. */
  readonly network?: string;
  /** The docker CLI (default `docker` on `PATH`). */
  readonly dockerPath?: string;
  /** The engine to talk to, as `DOCKER_HOST` (default: the CLI's own setting). */
  readonly dockerHost?: string;
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
export class DockerCommandLineCodeExecutor extends CommandLineCodeExecutor {
  /** The languages this executor runs (`javascript` only in images that have Node). */
  readonly supportedLanguages: readonly string[] = Object.keys(COMMANDS);
  /** The container's name. */
  readonly containerName: string;
  readonly #options: DockerCommandLineCodeExecutorOptions;
  readonly #docker: string;

  constructor(options: DockerCommandLineCodeExecutorOptions = {}) {
    super(options, "autogen-docker-");
    if (options.containerName !== undefined && !/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/.test(options.containerName)) {
      throw new ValidationError(`"${options.containerName}" is not a valid container name.`);
    }
    this.#options = options;
    this.#docker = options.dockerPath ?? "docker";
    this.containerName = options.containerName ?? `autogen-code-${randomUUID().slice(0, 12)}`;
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

  /** Checks that the CLI and an engine are there. */
  protected async prepare(): Promise<void> {
    const version = await this.#cli(["version", "--format", "{{.Server.Version}}"]);
    if (version.missing) {
      throw new ToolError(
        `The docker CLI ("${this.#docker}") was not found; install Docker or set dockerPath.`,
        { code: "invalid_config" },
      );
    }
    if (!version.ok || version.stdout === "") {
      throw new ToolError(`No Docker engine is reachable: ${version.message}`, { code: "invalid_config" });
    }
  }

  /** Starts the container with the work dir mounted. */
  protected override async started(workDir: string): Promise<void> {
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
      `${workDir}:${MOUNT}`,
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

  /** Removes the container. */
  protected override async stopped(wasStarted: boolean): Promise<void> {
    if (wasStarted) await this.#cli(["rm", "--force", this.containerName]);
  }

  protected async extensionFor(language: string): Promise<string> {
    return COMMANDS[language]!.extension;
  }

  protected async openExecution(): Promise<undefined> {
    return undefined;
  }

  /** Removes the pid files the blocks left. */
  protected override async closeExecution(execution: Execution): Promise<void> {
    await Promise.all([...execution.helperFiles].map((f) => rm(join(execution.workDir, f), { force: true })));
  }

  /** Runs one block with `docker exec`, under `timeout` inside the container. */
  protected async runBlock(block: BlockRun, execution: Execution): Promise<ProcessOutcome> {
    const spec = COMMANDS[block.language]!;
    const relativeDir =
      execution.dir === execution.workDir ? "" : execution.dir.slice(execution.workDir.length + 1);
    const containerDir = relativeDir === "" ? MOUNT : `${MOUNT}/${relativeDir}`;
    const pidFile = `.autogen-pid-${execution.id}-${block.index}`;
    execution.helperFiles.add(relativeDir === "" ? pidFile : `${relativeDir}/${pidFile}`);
    const seconds = Math.max(1, Math.ceil(this.timeoutMs / 1000));
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
        block.name,
      ],
      {
        cwd: execution.workDir,
        env: {
          ...process.env,
          ...(this.#options.dockerHost ? { DOCKER_HOST: this.#options.dockerHost } : {}),
        } as Record<string, string>,
        // The CLI gets a little longer than the code, so that `timeout` in the container acts first.
        timeoutMs: this.timeoutMs + 10_000,
        maxOutputBytes: this.maxOutputBytes,
        ...(execution.signal ? { signal: execution.signal } : {}),
        onProcess: block.onProcess,
      },
    ).catch(async (error: unknown) => {
      await this.#killGroup(containerDir, pidFile);
      throw error;
    });
    if (!(outcome.timedOut || outcome.exitCode === TIMEOUT_EXIT_CODE)) return outcome;
    await this.#killGroup(containerDir, pidFile);
    const note = outcome.timedOut ? "" : `Timeout: the code ran longer than ${seconds} s and was killed.`;
    return { ...outcome, exitCode: TIMEOUT_EXIT_CODE, timedOut: true, output: outcome.output + note };
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
