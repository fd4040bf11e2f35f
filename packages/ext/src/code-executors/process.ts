/**
 * Runs one child process the way a code executor needs: in its own process group, marked so that a
 * timeout or a cancellation kills everything it started (see tree.ts), with stdout and stderr merged in
 * arrival order, and the captured output capped. The outcome is settled at the time limit whatever the
 * children do: one that escaped every kill and still holds the output pipe open is cut off.
 */
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { constants } from "node:os";
import { type CancelledError, toCancelledError } from "@autogen-ts/core";
import { EXECUTION_ENV, killExecutionTree, pipeNames } from "./tree.js";

/** Options of {@link runProcess}. */
export interface RunProcessOptions {
  readonly cwd: string;
  readonly env: Readonly<Record<string, string>>;
  /** Kill the process group after this many milliseconds. */
  readonly timeoutMs: number;
  /** Keep at most this many bytes of output. */
  readonly maxOutputBytes: number;
  readonly signal?: AbortSignal;
  /** Called with the child's pid once it runs, and with `undefined` when it is gone. */
  readonly onProcess?: (kill: (() => void) | undefined) => void;
}

/** What a finished process left behind. */
export interface ProcessOutcome {
  readonly exitCode: number;
  readonly output: string;
  readonly timedOut: boolean;
  readonly truncated: boolean;
  /** Bytes of output that were dropped by the cap. */
  readonly droppedBytes: number;
}

/** Exit code reported when the time limit killed the process (the same as coreutils' `timeout`). */
export const TIMEOUT_EXIT_CODE = 124;

/** How long the output may stay open once the process is gone and the rest was killed. */
const DRAIN_GRACE_MS = 500;

/**
 * Runs `command args` and resolves when it and its output streams are done. A non-zero exit is a normal
 * outcome; a command that cannot start resolves with exit code 127 and the reason as output. Rejects with
 * `CancelledError` when `signal` aborts (after killing the process group).
 */
export function runProcess(
  command: string,
  args: readonly string[],
  options: RunProcessOptions,
): Promise<ProcessOutcome> {
  const { signal } = options;
  if (signal?.aborted) return Promise.reject(toCancelledError(signal.reason));
  return new Promise<ProcessOutcome>((resolve, reject) => {
    const marker = randomUUID();
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: { ...options.env, [EXECUTION_ENV]: marker },
      // A new process group: `kill(-pid)` then reaches every process the code started.
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const chunks: Buffer[] = [];
    let kept = 0;
    let dropped = 0;
    let timedOut = false;
    let cancelled: CancelledError | undefined;
    let spawnError: Error | undefined;
    let exited = false;

    const handleFd = (stream: unknown) => (stream as { _handle?: { fd?: number } })._handle?.fd;
    const pipes = pipeNames([handleFd(child.stdout), handleFd(child.stderr)]);
    let drainTimer: ReturnType<typeof setTimeout> | undefined;
    const kill = () => {
      killExecutionTree(child.pid, marker, pipes);
      // Whatever still holds the pipes (it escaped the sweep) does not get to keep the execution waiting.
      drainTimer ??= setTimeout(() => {
        child.stdout.destroy();
        child.stderr.destroy();
      }, DRAIN_GRACE_MS);
    };
    const collect = (chunk: Buffer) => {
      const room = options.maxOutputBytes - kept;
      if (room >= chunk.length) {
        chunks.push(chunk);
        kept += chunk.length;
      } else {
        if (room > 0) chunks.push(chunk.subarray(0, room));
        kept += Math.max(room, 0);
        dropped += chunk.length - Math.max(room, 0);
      }
    };
    child.stdout.on("data", collect);
    child.stderr.on("data", collect);

    const timer = setTimeout(() => {
      timedOut = true;
      kill();
    }, options.timeoutMs);
    const onAbort = () => {
      cancelled = toCancelledError(signal?.reason);
      kill();
    };
    signal?.addEventListener("abort", onAbort, { once: true });
    options.onProcess?.(kill);

    let settled = false;
    child.on("error", (error) => {
      spawnError = error;
      // A command that never started emits no "close" of its own on every Node version.
      if (child.pid === undefined && !settled) {
        settled = true;
        clearTimeout(timer);
        signal?.removeEventListener("abort", onAbort);
        options.onProcess?.(undefined);
        resolve({
          exitCode: 127,
          output: `Could not start ${command}: ${error.message}`,
          timedOut: false,
          truncated: false,
          droppedBytes: 0,
        });
      }
    });
    child.on("exit", () => {
      exited = true;
      // Whatever the code left running in the background goes with it; it would otherwise hold the
      // output pipes open (and outlive the execution).
      kill();
    });
    child.on("close", (code, killedBy) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearTimeout(drainTimer);
      signal?.removeEventListener("abort", onAbort);
      options.onProcess?.(undefined);
      if (cancelled !== undefined) {
        reject(cancelled);
        return;
      }
      let output = Buffer.concat(chunks).toString("utf8");
      if (spawnError !== undefined && !exited) {
        resolve({
          exitCode: 127,
          output: `Could not start ${command}: ${spawnError.message}`,
          timedOut: false,
          truncated: false,
          droppedBytes: 0,
        });
        return;
      }
      let exitCode = code ?? 128 + (killedBy === null ? 0 : (constants.signals[killedBy] ?? 0));
      if (timedOut) {
        exitCode = TIMEOUT_EXIT_CODE;
        output += `${output === "" || output.endsWith("\n") ? "" : "\n"}Timeout: the code ran longer than ${
          options.timeoutMs / 1000
        } s and was killed.`;
      }
      resolve({ exitCode, output, timedOut, truncated: dropped > 0, droppedBytes: dropped });
    });
  });
}
