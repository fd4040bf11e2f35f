/**
 * `LiveRun`: a run this process is executing. It is the only writer of the run's events: each is
 * committed to the store first and only then handed to the feed, so nothing is ever streamed that the
 * run's record does not hold. Writes go one at a time (a chain), in sequence order.
 */
import type { JsonObject, JsonValue, RunEventRecord, RunStore, StoreWrite } from "@autogen-ts/core";
import type { RunFeed } from "../feed.js";

/** Why a run's signal aborted: a caller's cancel, a newer run interrupting it, or the server stopping. */
export type AbortCause =
  | { readonly kind: "cancel"; readonly reason: string }
  | { readonly kind: "interrupt"; readonly by: string }
  | { readonly kind: "shutdown" };

/** A run being executed here, with what its writers share. */
export class LiveRun {
  readonly runId: string;
  readonly threadId: string;
  readonly controller = new AbortController();
  /** Answers awaited by the run's input function, by request id. */
  readonly waiters = new Map<string, (value: JsonValue) => void>();
  #seq: number;
  #chain: Promise<void> = Promise.resolve();
  readonly #store: RunStore;
  readonly #feed: RunFeed;
  /** Settles once the run stopped (ended or parked); set by the manager. */
  done: Promise<void> = Promise.resolve();
  cause: AbortCause | undefined;
  #onPark: (() => void)[] = [];

  constructor(options: { runId: string; threadId: string; lastSeq: number; store: RunStore; feed: RunFeed }) {
    this.runId = options.runId;
    this.threadId = options.threadId;
    this.#seq = options.lastSeq;
    this.#store = options.store;
    this.#feed = options.feed;
  }

  /** The feed the run's readers follow. */
  get feed(): RunFeed {
    return this.#feed;
  }

  /** Resolves when the run next waits for input (see {@link parked}). */
  nextPark(): Promise<void> {
    return new Promise<void>((resolve) => this.#onPark.push(resolve));
  }

  /** Called once the run's input request is recorded: wakes `nextPark` waiters. */
  parked(): void {
    const waiting = this.#onPark;
    this.#onPark = [];
    for (const resolve of waiting) resolve();
  }

  /** Aborts the run, remembering why (the first cause wins). */
  abort(cause: AbortCause): void {
    this.cause ??= cause;
    this.controller.abort(cause);
  }

  /**
   * Appends events to the record, with `extra` writes in the same atomic batch (a status change, a
   * checkpoint), then publishes them. Resolves once committed; a store error rejects.
   */
  append(
    events: readonly { readonly type: string; readonly data: JsonValue }[],
    extra: readonly StoreWrite[] = [],
  ): Promise<void> {
    const next = this.#chain.then(async () => {
      const createdAt = new Date().toISOString();
      const numbered = events.map((event, i) => ({
        seq: this.#seq + i + 1,
        type: event.type,
        data: event.data,
      }));
      const writes: StoreWrite[] = [...extra];
      if (numbered.length > 0) writes.push({ kind: "appendEvents", runId: this.runId, events: numbered });
      if (writes.length > 0) await this.#store.write(writes);
      this.#seq += numbered.length;
      const records: RunEventRecord[] = numbered.map((e) => ({ runId: this.runId, createdAt, ...e }));
      this.#feed.publish(records);
    });
    // A failed write leaves the chain usable for the run's last (failure) write.
    this.#chain = next.catch(() => {});
    return next;
  }

  /**
   * Commits a change of the run's status (`writes`), then tells the readers: a stop notice when the run
   * waits or ended, or that it goes on.
   */
  async status(data: JsonObject, writes: readonly StoreWrite[]): Promise<void> {
    await this.append([], writes);
    if (data.status === "running") this.#feed.resume();
    else this.#feed.stop(data);
  }
}
