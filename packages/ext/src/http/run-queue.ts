/**
 * A queue that runs one job at a time, in arrival order: a shared agent or team is one conversation, so
 * its runs must not overlap. The MCP and A2A servers queue the runs of a shared instance here.
 */
import { CancelledError } from "@autogen-ts/core";

/** Runs jobs one after another. */
export class RunQueue {
  private tail: Promise<void> = Promise.resolve();
  private waiting = 0;

  /** Jobs queued or running. */
  get pending(): number {
    return this.waiting;
  }

  /**
   * Runs `job` once every job queued before it has settled. A `signal` aborted while the job waits
   * rejects with a `CancelledError` without running it (and frees its place at once).
   */
  async run<T>(job: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    this.waiting++;
    const previous = this.tail;
    let release = () => {};
    this.tail = new Promise<void>((done) => {
      release = done;
    });
    try {
      await waitOrAbort(previous, signal);
      if (signal?.aborted)
        throw new CancelledError("The run was cancelled before it started", { cause: signal.reason });
      return await job();
    } finally {
      this.waiting--;
      // A job cancelled while waiting hands its turn on only once the ones before it are done.
      void previous.then(release);
    }
  }
}

function waitOrAbort(previous: Promise<void>, signal: AbortSignal | undefined): Promise<void> {
  if (!signal) return previous;
  if (signal.aborted) return Promise.resolve();
  return new Promise<void>((resolve) => {
    const onAbort = () => resolve();
    signal.addEventListener("abort", onAbort, { once: true });
    void previous.then(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    });
  });
}
