/**
 * Following a run's events as they are written: what a server streams over SSE, resuming after the
 * client's `Last-Event-ID`. Works on every store: it wakes on the store's `subscribe` where there is
 * one (same process) and polls otherwise (another process is writing).
 */
import { throwIfAborted } from "../errors.js";
import type { RunEventRecord, RunStatus, RunStore } from "./types.js";

/** Options of {@link followEvents}. */
export interface FollowEventsOptions {
  /** Start after this sequence number (a client's `Last-Event-ID`; default 0). */
  readonly afterSeq?: number;
  /** How often to look for new events when the store cannot notify (default 250 ms). */
  readonly pollMs?: number;
  /** Stops following (the iteration ends with a CancelledError). */
  readonly signal?: AbortSignal;
  /** Events read per store call (default 500). */
  readonly batch?: number;
}

const SETTLED: readonly RunStatus[] = ["interrupted", "completed", "failed", "cancelled"];

/**
 * Yields a run's events after `afterSeq`, oldest first, then waits for more; ends once the run is no
 * longer running and every event has been yielded.
 */
export async function* followEvents(
  store: RunStore,
  runId: string,
  options: FollowEventsOptions = {},
): AsyncGenerator<RunEventRecord> {
  let after = options.afterSeq ?? 0;
  const pollMs = options.pollMs ?? 250;
  const batch = options.batch ?? 500;
  let wake: (() => void) | undefined;
  const unsubscribe = store.subscribe?.(runId, () => wake?.());
  try {
    while (true) {
      throwIfAborted(options.signal);
      // Read the status first: events written before it settled are then certainly visible below.
      const run = await store.getRun(runId);
      const events = await store.readEvents(runId, { afterSeq: after, limit: batch });
      for (const event of events) {
        after = event.seq;
        yield event;
      }
      if (events.length === batch) continue;
      if (run === undefined || SETTLED.includes(run.status)) {
        if (run === undefined || run.lastSeq <= after) return;
        continue;
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, pollMs);
        const onAbort = (): void => done();
        options.signal?.addEventListener("abort", onAbort, { once: true });
        function done(): void {
          clearTimeout(timer);
          options.signal?.removeEventListener("abort", onAbort);
          wake = undefined;
          resolve();
        }
        wake = done;
      });
    }
  } finally {
    unsubscribe?.();
  }
}
