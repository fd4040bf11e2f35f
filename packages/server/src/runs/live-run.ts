/**
 * `LiveRun`: a run this process is executing. The durable runner commits each message to the store
 * before it yields it; the live run then numbers it (continuing the record's `lastSeq`) and hands it to
 * the feed, so nothing is ever streamed that the run's record does not hold.
 */
import type { JsonValue } from "@autogen-ts/core";
import type { RunFeed } from "../feed.js";

/** Why a run's signal aborted: a caller's cancel, a newer run interrupting it, or the server stopping. */
export type AbortCause =
  | { readonly kind: "cancel"; readonly reason: string }
  | { readonly kind: "interrupt"; readonly by: string }
  | { readonly kind: "shutdown" };

/** A run being executed here. */
export class LiveRun {
  readonly runId: string;
  readonly threadId: string;
  readonly controller = new AbortController();
  readonly #feed: RunFeed;
  #seq: number;
  /** Settles once the stretch of the run ends (ended, or waiting for input); set by the manager. */
  done: Promise<void> = Promise.resolve();
  cause: AbortCause | undefined;
  #onPark: (() => void)[] = [];
  #start!: () => void;
  /** Resolves once the run's record exists (its first message is in), or the run stopped. */
  readonly whenStarted: Promise<void>;

  constructor(options: { runId: string; threadId: string; lastSeq: number; feed: RunFeed }) {
    this.runId = options.runId;
    this.threadId = options.threadId;
    this.#seq = options.lastSeq;
    this.#feed = options.feed;
    this.whenStarted = new Promise<void>((resolve) => {
      this.#start = resolve;
    });
  }

  /** The feed the run's readers follow. */
  get feed(): RunFeed {
    return this.#feed;
  }

  /** Called for each committed message: numbers it and publishes it. */
  recorded(event: { readonly type: string; readonly data: JsonValue }): void {
    this.#seq += 1;
    const createdAt =
      typeof (event.data as { createdAt?: unknown })?.createdAt === "string"
        ? String((event.data as { createdAt: string }).createdAt)
        : "";
    this.#feed.publish([
      { runId: this.runId, seq: this.#seq, type: event.type, data: event.data, createdAt },
    ]);
  }

  /** Marks the record as written (idempotent). */
  started(): void {
    this.#start();
  }

  /** Resolves when the run next waits for input. */
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
}
