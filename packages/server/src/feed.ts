/**
 * `RunFeed`: one run's events for every reader at once. The store holds the record; the feed keeps the
 * newest events in a fixed ring so that live readers (one or ten thousand) read memory, not the store,
 * and wakes them all with one shared promise when more arrive.
 *
 * Readers pull: each asks for what follows its own cursor when its connection wants more. A slow reader
 * only falls behind (and then reads from the store), so memory stays bounded by the ring whatever the
 * number or speed of readers.
 */
import type { JsonObject, RunEventRecord, RunStore } from "@autogen-ts/core";

/** Events kept in memory per live run. */
export const FEED_RING_SIZE = 1024;

/** The most events one read hands a reader. */
export const FEED_BATCH = 256;

/**
 * Where a run stopped, told to readers once they have every event: waiting for input (`interrupted`,
 * the stream stays open) or ended. It is not in the record (the record is the run's messages); its
 * `seq` is the run's last event's, so a reader that rejoins there is told again, never twice in a row.
 */
export interface StopNotice {
  readonly seq: number;
  readonly data: JsonObject;
}

/** What a reader gets: events after its cursor, a stop notice, or word that there will be none. */
export type FeedRead =
  | { readonly kind: "events"; readonly events: readonly RunEventRecord[] }
  | { readonly kind: "stop"; readonly notice: StopNotice; readonly version: number }
  | { readonly kind: "end" }
  | { readonly kind: "idle" };

/** A run's events, shared by its readers. */
export class RunFeed {
  readonly runId: string;
  readonly #store: RunStore;
  readonly #ring: RunEventRecord[] = [];
  #lastSeq: number;
  #ended: boolean;
  #wake!: () => void;
  #changed: Promise<void>;
  #readers = 0;
  #stop: StopNotice | undefined;
  #stopVersion = 0;

  constructor(options: {
    runId: string;
    store: RunStore;
    lastSeq: number;
    ended: boolean;
    stop?: JsonObject | undefined;
  }) {
    this.runId = options.runId;
    this.#store = options.store;
    this.#lastSeq = options.lastSeq;
    this.#ended = options.ended;
    this.#changed = this.#nextChange();
    if (options.stop !== undefined) this.#setStop(options.stop);
  }

  /** Tells readers the run stopped (`interrupted` with its pending input, or an end state). */
  stop(data: JsonObject): void {
    this.#setStop(data);
    this.#notify();
  }

  /** The run goes on (an answer came): the stop notice no longer holds. */
  resume(): void {
    this.#stop = undefined;
  }

  #setStop(data: JsonObject): void {
    this.#stop = { seq: this.#lastSeq, data };
    this.#stopVersion++;
  }

  /** The newest sequence number known. */
  get lastSeq(): number {
    return this.#lastSeq;
  }

  /** Whether the run has ended (no event will follow `lastSeq`). */
  get ended(): boolean {
    return this.#ended;
  }

  /** How many readers are attached (for the server's limits). */
  get readers(): number {
    return this.#readers;
  }

  /** Counts a reader in; the returned function counts it out. */
  attach(): () => void {
    this.#readers++;
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.#readers--;
    };
  }

  /** Hands the feed events that the store has committed (in order, continuing `lastSeq`). */
  publish(events: readonly RunEventRecord[]): void {
    for (const event of events) {
      if (event.seq <= this.#lastSeq) continue;
      this.#ring.push(event);
      this.#lastSeq = event.seq;
      this.#stop = undefined;
    }
    if (this.#ring.length > FEED_RING_SIZE) this.#ring.splice(0, this.#ring.length - FEED_RING_SIZE);
    this.#notify();
  }

  /** Marks the run ended: readers that reach `lastSeq` are told so. */
  end(): void {
    this.#ended = true;
    this.#notify();
  }

  /**
   * The events after `cursor` (up to {@link FEED_BATCH}); at the end of them, the stop notice newer than
   * `seenStop` (a version the reader got with the last one); when there is nothing, waits until there
   * is, the run ends, `signal` aborts, or `idleMs` passes (then `idle`, for a keep-alive).
   */
  async read(cursor: number, signal?: AbortSignal, idleMs = 15_000, seenStop = 0): Promise<FeedRead> {
    for (;;) {
      if (cursor < this.#lastSeq) return { kind: "events", events: await this.#after(cursor) };
      if (this.#stop !== undefined && this.#stopVersion > seenStop) {
        return { kind: "stop", notice: this.#stop, version: this.#stopVersion };
      }
      if (this.#ended) return { kind: "end" };
      if (signal?.aborted) return { kind: "end" };
      const woke = await waitFor(this.#changed, signal, idleMs);
      if (!woke) return signal?.aborted ? { kind: "end" } : { kind: "idle" };
    }
  }

  /**
   * Every event after `cursor`, with stop notices as `status` events (not numbered in the record: their
   * seq is the last event's), until the run ends or `signal` aborts. For in-process readers.
   */
  async *events(cursor = 0, signal?: AbortSignal): AsyncGenerator<RunEventRecord> {
    let position = cursor;
    let seenStop = 0;
    for (;;) {
      const read = await this.read(position, signal, 15_000, seenStop);
      if (read.kind === "end") return;
      if (read.kind === "idle") continue;
      if (read.kind === "stop") {
        seenStop = read.version;
        yield stopEvent(this.runId, read.notice);
        continue;
      }
      for (const event of read.events) {
        position = event.seq;
        yield event;
      }
    }
  }

  async #after(cursor: number): Promise<readonly RunEventRecord[]> {
    const first = this.#ring[0];
    if (first !== undefined && cursor >= first.seq - 1) {
      const start = cursor - first.seq + 1;
      return this.#ring.slice(start, start + FEED_BATCH);
    }
    // Behind the ring (a late joiner, a slow reader, or a run of an earlier process): read the record.
    return this.#store.readEvents(this.runId, { afterSeq: cursor, limit: FEED_BATCH });
  }

  #notify(): void {
    const wake = this.#wake;
    this.#changed = this.#nextChange();
    wake();
  }

  #nextChange(): Promise<void> {
    return new Promise<void>((resolve) => {
      this.#wake = resolve;
    });
  }
}

/** Resolves true when `promise` settles first, false on abort or after `ms`. */
function waitFor(promise: Promise<void>, signal: AbortSignal | undefined, ms: number): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => finish(false), ms);
    const onAbort = () => finish(false);
    signal?.addEventListener("abort", onAbort, { once: true });
    function finish(value: boolean) {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      resolve(value);
    }
    void promise.then(() => finish(true));
  });
}

/** The type of the stop notices in a stream. */
export const STATUS_EVENT = "status";

/** A stop notice as a stream event. */
export function stopEvent(runId: string, notice: StopNotice): RunEventRecord {
  return { runId, seq: notice.seq, type: STATUS_EVENT, data: notice.data, createdAt: "" };
}
