/** Helpers for the code executor tests: finding processes by a marker in their command line. */
import { readdirSync, readFileSync } from "node:fs";

/** Pids of live (not zombie) processes whose command line contains `marker`. */
export function processesWithMarker(marker: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, "utf8");
      if (!cmdline.includes(marker)) continue;
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const state = stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3);
      if (state !== "Z" && state !== "X") found.push(Number(entry));
    } catch {
      // the process ended while we looked
    }
  }
  return found;
}

/** Polls until no live process carries `marker` (a killed group takes a moment to be reaped). */
export async function waitUntilGone(marker: string, attempts = 100): Promise<number[]> {
  let left = processesWithMarker(marker);
  for (let i = 0; i < attempts && left.length > 0; i++) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    left = processesWithMarker(marker);
  }
  return left;
}

/**
 * Python that starts a background process named `marker` (so it would outlive a careless kill of the
 * parent alone), says so, and then sleeps far past any test's timeout.
 */
export function pythonThatLeavesAChild(marker: string): string {
  return [
    "import subprocess, time",
    `subprocess.Popen(["bash", "-c", "exec -a ${marker} sleep 300"])`,
    "time.sleep(0.3)",
    'print("child started", flush=True)',
    "time.sleep(300)",
  ].join("\n");
}
