/**
 * `RunFeed`: one run's events for every reader at once. The store holds the record; the feed keeps the
 * newest events in a fixed ring so that live readers (one or ten thousand) read memory, not the store,
 * and wakes them all with one shared promise when more arrive.
 *
 * Readers pull: each asks for what follows its own cursor when its connection wants more. A slow reader
 * only falls behind (and then reads from the store), so memory stays bounded by the ring whatever the
 * number or speed of readers.
 */
import type { JsonObject, JsonValue, RunEventRecord, RunStore } from "@autogen-ts/core";

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

/** Where one reader is: its last event's seq, the chunks and the stop notice it has had. */
export interface FeedReader {
  cursor: number;
  transients: number;
  seenStop: number;
}

/** A reader starting after `cursor`. */
export function newReader(cursor: number): FeedReader {
  return { cursor, transients: 0, seenStop: 0 };
}

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
  #transient: RunEventRecord[] = [];
  #transientAt = -1;

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
   * What follows for `reader` (whose fields it advances): the events after its cursor (up to
   * {@link FEED_BATCH}); once it has them all, the live token chunks of that position it has not had,
   * then the stop notice newer than the one it got. When there is nothing, waits until there is, the
   * run ends, `signal` aborts, or `idleMs` passes (then `idle`, for a keep-alive).
   */
  async read(reader: FeedReader, signal?: AbortSignal, idleMs = 15_000): Promise<FeedRead> {
    for (;;) {
      if (reader.cursor < this.#lastSeq) {
        const events = await this.#after(reader.cursor);
        reader.cursor = events.at(-1)?.seq ?? reader.cursor;
        reader.transients = 0;
        return { kind: "events", events };
      }
      if (reader.transients < this.#transient.length && this.#transientAt === reader.cursor) {
        const events = this.#transient.slice(reader.transients);
        reader.transients = this.#transient.length;
        return { kind: "events", events };
      }
      if (this.#stop !== undefined && this.#stopVersion > reader.seenStop) {
        reader.seenStop = this.#stopVersion;
        return { kind: "stop", notice: this.#stop, version: this.#stopVersion };
      }
      if (this.#ended) return { kind: "end" };
      if (signal?.aborted) return { kind: "end" };
      const woke = await waitFor(this.#changed, signal, idleMs);
      if (!woke) return signal?.aborted ? { kind: "end" } : { kind: "idle" };
    }
  }

  /**
   * Hands readers an event that is not in the record (a model's token chunk): only readers that have
   * every recorded event get it, with the last event's seq; a reader further back reads the whole
   * message instead.
   */
  transient(event: { readonly type: string; readonly data: JsonValue }): void {
    if (this.#transientAt !== this.#lastSeq) {
      this.#transient = [];
      this.#transientAt = this.#lastSeq;
    }
    if (this.#transient.length >= FEED_RING_SIZE) return;
    this.#transient.push({
      runId: this.runId,
      seq: this.#lastSeq,
      type: event.type,
      data: event.data,
      createdAt: "",
    });
    this.#notify();
  }

  /**
   * Every event after `cursor`, with stop notices as `status` events (not numbered in the record: their
   * seq is the last event's), until the run ends or `signal` aborts. For in-process readers.
   */
  async *events(cursor = 0, signal?: AbortSignal): AsyncGenerator<RunEventRecord> {
    const reader = newReader(cursor);
    for (;;) {
      const read = await this.read(reader, signal);
      if (read.kind === "end") return;
      if (read.kind === "idle") continue;
      if (read.kind === "stop") yield stopEvent(this.runId, read.notice);
      else yield* read.events;
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
