/**
 * A run's events as Server-Sent Events. Every event's `id:` is its sequence number in the run, so a
 * client that reconnects with `Last-Event-ID: n` gets exactly the events after n: replayed from the
 * record, then live, with no gap and no duplicate.
 *
 * The body is a pull stream: the next batch is read only when the connection has taken the previous one,
 * so a slow reader holds at most one batch here and the rest stays in the store.
 */
import type { RunEventRecord } from "@autogen-ts/core";
import { ServerError } from "../errors.js";
import { newReader, type RunFeed, stopEvent } from "../feed.js";
import { eventView } from "../runs/views.js";

const encoder = new TextEncoder();

/** The SSE text of one event. */
export function sseEvent(event: RunEventRecord): string {
  return `id: ${event.seq}\nevent: ${event.type}\ndata: ${JSON.stringify(eventView(event))}\n\n`;
}

/**
 * The encoded SSE frame of an event, made once and shared: ten thousand readers of one run get the same
 * bytes, instead of each serializing and holding a copy of its own. Keyed by the record object, which the
 * feed's ring shares among its readers; a record read from the store is encoded for its one reader.
 */
const frames = new WeakMap<RunEventRecord, Uint8Array>();
function framesOf(events: readonly RunEventRecord[]): Uint8Array {
  if (events.length === 1) return frameOf(events[0]!);
  const parts = events.map(frameOf);
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

function frameOf(event: RunEventRecord): Uint8Array {
  let frame = frames.get(event);
  if (frame === undefined) {
    frame = encoder.encode(sseEvent(event));
    frames.set(event, frame);
  }
  return frame;
}

/**
 * Reads the `Last-Event-ID` header (or the `lastEventId` query parameter, for clients that cannot set
 * headers): 0 when absent. Not a whole number, or beyond the run's last event: 400.
 */
export function parseLastEventId(value: string | undefined, lastSeq: number): number {
  if (value === undefined || value.trim() === "") return 0;
  const text = value.trim();
  if (!/^\d{1,15}$/.test(text)) {
    throw new ServerError(
      400,
      "bad_request",
      `Last-Event-ID must be a sequence number, not ${JSON.stringify(text.slice(0, 40))}`,
    );
  }
  const seq = Number(text);
  if (seq > lastSeq) {
    throw new ServerError(
      400,
      "bad_request",
      `Last-Event-ID ${seq} is beyond the run's last event (${lastSeq})`,
    );
  }
  return seq;
}

/** Options of {@link sseResponse}. */
export interface SseOptions {
  /** Ends the stream (the request's own signal: the client went away). */
  readonly signal?: AbortSignal;
  /** Called once when the stream ends, whether the run ended or the client left (with `dropped`). */
  readonly onClose?: (dropped: boolean) => void;
  /** Idle time before a keep-alive comment (default 15 s). */
  readonly keepAliveMs?: number;
  /** Extra response headers (the run and thread ids of a new run). */
  readonly headers?: Record<string, string>;
}

/** An SSE response of the run's events after `cursor`, ending when the run does. */
export function sseResponse(feed: RunFeed, cursor: number, options: SseOptions = {}): Response {
  const stop = new AbortController();
  const detach = feed.attach();
  let closed = false;
  const close = (dropped: boolean) => {
    if (closed) return;
    closed = true;
    detach();
    stop.abort();
    options.onClose?.(dropped);
  };
  options.signal?.addEventListener("abort", () => close(true), { once: true });
  const reader = newReader(cursor);
  const body = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const read = await feed.read(reader, stop.signal, options.keepAliveMs);
        if (closed) return;
        if (read.kind === "end") {
          controller.close();
          close(false);
          return;
        }
        if (read.kind === "idle") {
          controller.enqueue(encoder.encode(": keep-alive\n\n"));
          return;
        }
        if (read.kind === "stop") {
          controller.enqueue(encoder.encode(sseEvent(stopEvent(feed.runId, read.notice))));
          return;
        }
        controller.enqueue(framesOf(read.events));
      },
      cancel() {
        close(true);
      },
    },
    { highWaterMark: 1 },
  );
  return new Response(body, {
    headers: {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache, no-transform",
      "x-accel-buffering": "no",
      ...options.headers,
    },
  });
}
