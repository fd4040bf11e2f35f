/**
 * Killing everything an execution started, not only its process group. A child that calls `setsid()` or
 * double-forks leaves the group (and is re-parented to init), so `kill(-pgid)` misses it. On Linux two
 * traces still tie it to the execution: the environment variable {@link EXECUTION_ENV} every process of
 * the execution inherits, and the output pipe it keeps open. Each kill sweeps `/proc` for both. A process
 * that clears its environment and closes its output is out of reach here; the sandbox's PID namespace
 * (bubblewrap) is what kills those.
 */
import { readdirSync, readFileSync, readlinkSync } from "node:fs";

/** The environment variable that marks every process of one execution. */
export const EXECUTION_ENV = "AUTOGEN_EXECUTION_ID";

/** Sends SIGKILL to a whole process group; a group that is already gone is fine. */
export function killProcessGroup(pid: number): void {
  signal(-pid);
}

function signal(pid: number): void {
  try {
    process.kill(pid, "SIGKILL");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== "ESRCH" && code !== "EPERM") throw error;
  }
}

/** The `pipe:[inode]` names of this process's file descriptors, to find who else holds them. */
export function pipeNames(fds: readonly (number | undefined)[]): string[] {
  if (process.platform !== "linux") return [];
  const names: string[] = [];
  for (const fd of fds) {
    if (fd === undefined || fd < 0) continue;
    try {
      const name = readlinkSync(`/proc/self/fd/${fd}`);
      if (name.startsWith("pipe:")) names.push(name);
    } catch {
      // already closed
    }
  }
  return names;
}

function holdsPipe(pid: string, pipes: ReadonlySet<string>): boolean {
  if (pipes.size === 0) return false;
  let fds: string[];
  try {
    fds = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return false;
  }
  for (const fd of fds) {
    try {
      if (pipes.has(readlinkSync(`/proc/${pid}/fd/${fd}`))) return true;
    } catch {
      // closed while we looked
    }
  }
  return false;
}

/** Pids (other than this process) carrying the execution's marker or holding one of its pipes. */
export function executionProcesses(marker: string, pipes: readonly string[]): number[] {
  if (process.platform !== "linux") return [];
  const needle = `${EXECUTION_ENV}=${marker}`;
  const pipeSet = new Set(pipes);
  const found: number[] = [];
  let entries: string[];
  try {
    entries = readdirSync("/proc");
  } catch {
    return found;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    let marked = false;
    try {
      marked = readFileSync(`/proc/${entry}/environ`, "latin1").split("\0").includes(needle);
    } catch {
      // gone, or not ours to read
    }
    if (marked || holdsPipe(entry, pipeSet)) found.push(Number(entry));
  }
  return found;
}

/**
 * Kills the process group of `pid` and every process of the execution found by its marker or pipes.
 * Sweeps again while it finds any, so a process forking in a loop is caught within a few rounds.
 */
export function killExecutionTree(pid: number | undefined, marker: string, pipes: readonly string[]): void {
  if (pid !== undefined) killProcessGroup(pid);
  for (let round = 0; round < 5; round++) {
    const left = executionProcesses(marker, pipes);
    if (left.length === 0) return;
    for (const other of left) signal(other);
  }
}
