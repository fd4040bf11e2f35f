/**
 * A scripted loopback HTTP server for model-client tests. Each test queues the replies it wants, in
 * order (whatever path the client calls), and the server answers byte for byte: JSON, an SSE stream, an
 * NDJSON stream, raw bytes with any status and headers, an error status with headers, a slow first byte, a stream cut off mid-way, or a stream
 * that stalls until the client goes away. Every request is recorded (method, path, headers, parsed body)
 * for assertions.
 *
 * Why not only `@copilotkit/aimock`: it matches fixtures on message content and produces its own
 * chunking, while these tests need exact sequences (429 then success, 500 three times) and exact bytes
 * (tool-call arguments split at chosen points, a truncated stream) that the benchmark also reuses.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** One SSE event: `data` is JSON-encoded unless it is a string; `event` sets the event name. */
export interface SseEvent {
  readonly event?: string;
  readonly data: unknown;
}

/** What the server does for one request. */
export type ScriptedReply =
  | {
      readonly kind: "json";
      readonly body: unknown;
      readonly status?: number;
      readonly headers?: Readonly<Record<string, string>>;
      /** Wait this long before sending anything. */
      readonly delayMs?: number;
    }
  | {
      readonly kind: "sse";
      /** Events, or raw strings written as they are (for malformed or partial frames). */
      readonly events: readonly (SseEvent | string)[];
      readonly delayMs?: number;
      /** Milliseconds between events (default 0). */
      readonly intervalMs?: number;
      /** Close the connection abruptly after this many events (a truncated stream). */
      readonly truncateAfter?: number;
      /** After this many events, send nothing more and hold the connection until the client leaves. */
      readonly stallAfter?: number;
    }
  | {
      readonly kind: "ndjson";
      readonly lines: readonly unknown[];
      readonly delayMs?: number;
      readonly intervalMs?: number;
      readonly truncateAfter?: number;
      readonly stallAfter?: number;
    }
  | {
      /** Exactly these bytes with this status and these headers (no content type unless given). */
      readonly kind: "raw";
      readonly body: string;
      readonly status?: number;
      readonly headers?: Readonly<Record<string, string>>;
      readonly delayMs?: number;
    }
  | {
      /** Never answer; hold the connection until the client gives up. */
      readonly kind: "hang";
    };

/** A request the server received. */
export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  /** The body parsed as JSON (or the raw text when it is not JSON). */
  readonly body: unknown;
}

/** A running scripted server. */
export interface ModelServer {
  /** `http://127.0.0.1:<port>` with no trailing slash. */
  readonly url: string;
  /** Requests received so far, oldest first. */
  readonly requests: RecordedRequest[];
  /** Queues replies for the next requests. */
  enqueue(...replies: ScriptedReply[]): void;
  /** How many queued replies have not been used. */
  pending(): number;
  /** Resolves when the client has closed the connection of the request with this index. */
  disconnected(index: number): Promise<void>;
  /** Stops the server and drops any open connections. */
  close(): Promise<void>;
}

/** Encodes SSE events as the bytes a provider sends. */
export function encodeSse(events: readonly (SseEvent | string)[]): string {
  return events.map(encodeSseEvent).join("");
}

/** Encodes one SSE event (a raw string is passed through). */
export function encodeSseEvent(event: SseEvent | string): string {
  if (typeof event === "string") return event;
  const data = typeof event.data === "string" ? event.data : JSON.stringify(event.data);
  return `${event.event ? `event: ${event.event}\n` : ""}data: ${data}\n\n`;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString("utf8");
  if (text === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

async function writeStream(
  res: ServerResponse,
  frames: readonly string[],
  reply: { intervalMs?: number; truncateAfter?: number; stallAfter?: number },
  gone: Promise<void>,
): Promise<void> {
  for (let i = 0; i < frames.length; i++) {
    if (reply.truncateAfter !== undefined && i === reply.truncateAfter) {
      res.socket?.destroy();
      return;
    }
    if (reply.stallAfter !== undefined && i === reply.stallAfter) {
      await gone;
      return;
    }
    if (res.destroyed) return;
    res.write(frames[i]);
    if (reply.intervalMs) await sleep(reply.intervalMs);
  }
  if (reply.truncateAfter !== undefined && reply.truncateAfter >= frames.length) {
    res.socket?.destroy();
    return;
  }
  res.end();
}

/** Starts a scripted server on a free loopback port. */
export async function startModelServer(): Promise<ModelServer> {
  const queue: ScriptedReply[] = [];
  const requests: RecordedRequest[] = [];
  const closedWaiters = new Map<number, Promise<void>>();
  let received = 0;

  const server: Server = createServer(async (req, res) => {
    // Numbered on arrival, so overlapping requests keep their own index.
    const index = received++;
    let onGone!: () => void;
    const gone = new Promise<void>((r) => {
      onGone = r;
    });
    closedWaiters.set(index, gone);
    res.on("close", () => onGone());
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers[k] = v;
    const body = await readBody(req);
    requests[index] = { method: req.method ?? "GET", path: req.url ?? "/", headers, body };
    const reply = queue.shift();
    if (!reply) {
      res.writeHead(500, { "content-type": "application/json" });
      res.end(
        JSON.stringify({ error: { message: "model-server: no scripted reply left", type: "test_error" } }),
      );
      return;
    }
    if (reply.kind === "hang") {
      await gone;
      return;
    }
    if (reply.delayMs) await sleep(reply.delayMs);
    if (res.destroyed) return;
    if (reply.kind === "raw") {
      res.writeHead(reply.status ?? 200, { ...reply.headers });
      res.end(reply.body);
      return;
    }
    if (reply.kind === "json") {
      res.writeHead(reply.status ?? 200, { "content-type": "application/json", ...reply.headers });
      res.end(JSON.stringify(reply.body));
      return;
    }
    if (reply.kind === "sse") {
      res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
      res.flushHeaders();
      await writeStream(res, reply.events.map(encodeSseEvent), reply, gone);
      return;
    }
    res.writeHead(200, { "content-type": "application/x-ndjson" });
    res.flushHeaders();
    await writeStream(
      res,
      reply.lines.map((l) => `${typeof l === "string" ? l : JSON.stringify(l)}\n`),
      reply,
      gone,
    );
  });

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    enqueue: (...replies) => {
      queue.push(...replies);
    },
    pending: () => queue.length,
    disconnected: (index) => closedWaiters.get(index) ?? Promise.reject(new Error(`no request ${index}`)),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A JSON error reply in the common `{ error: { message, type } }` shape. */
export function errorReply(
  status: number,
  message: string,
  headers: Readonly<Record<string, string>> = {},
): ScriptedReply {
  return { kind: "json", status, headers, body: { error: { message, type: "server_error", code: null } } };
}
