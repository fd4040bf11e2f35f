/**
 * The WebSocket at `/ws/runs/{runId}`, speaking AutoGen Studio's run protocol so its front-end habits
 * carry over: the client sends `start`, `stop`, `input_response` (and `ping`); the server sends
 * `message`, `message_chunk`, `input_request`, `result`, `completion` and `error` (and `system`, `pong`).
 *
 * Unlike Studio, a closed socket does not stop the run (add `?cancelOnDisconnect=true` for that), the
 * client names a team the server runs (never sends a definition), and a client that reconnects gets the
 * run from the start, or after `?lastEventId=n`, then live. Every run message carries its `seq`.
 */
import type { IncomingMessage, Server } from "node:http";
import type { Duplex } from "node:stream";
import type { RunEventRecord, RunRecord } from "@autogen-ts/core";
import { hostMatcher, LOOPBACK_HOSTNAMES } from "@autogen-ts/ext/http";
import { type WebSocket, WebSocketServer } from "ws";
import type { ServerApp } from "../app.js";
import { ANONYMOUS, type Principal } from "../auth.js";
import { errorResponseOf } from "../errors.js";
import { STATUS_EVENT } from "../feed.js";
import { parseLastEventId } from "../http/sse.js";

const PATH = /^\/ws\/runs\/([A-Za-z0-9_-]{8,64})$/;
/** The largest client message taken (a task or an answer). */
const MAX_PAYLOAD = 1024 * 1024;

/** Options of {@link attachRunSocket}. */
export interface RunSocketOptions {
  /** `Host` headers accepted (as the app's guard; default the loopback names). */
  readonly allowedHosts?: readonly string[] | "*";
}

/** Serves the run WebSocket on `server`'s upgrade requests; returns a function that closes every socket. */
export function attachRunSocket(server: Server, app: ServerApp, options: RunSocketOptions = {}): () => void {
  const hostAllowed = hostMatcher(options.allowedHosts ?? LOOPBACK_HOSTNAMES);
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_PAYLOAD });
  const onUpgrade = async (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(request.url ?? "/", "http://localhost");
    const match = PATH.exec(url.pathname);
    if (!match) return refuse(socket, 404, "Not Found");
    if (!hostAllowed(request.headers.host)) return refuse(socket, 403, "Forbidden");
    const principal = await authenticate(app, request, url);
    if (principal === undefined) return refuse(socket, 401, "Unauthorized");
    wss.handleUpgrade(request, socket, head, (ws) => {
      void new RunSocket(ws, app, principal, match[1]!, url).open();
    });
  };
  const listener = (request: IncomingMessage, socket: Duplex, head: Buffer) =>
    void onUpgrade(request, socket, head).catch(() => socket.destroy());
  server.on("upgrade", listener);
  return () => {
    server.off("upgrade", listener);
    for (const client of wss.clients) client.terminate();
    wss.close();
  };
}

/** The principal of an upgrade request: `Authorization: Bearer`, or `?token=` (browsers cannot set headers). */
async function authenticate(
  app: ServerApp,
  request: IncomingMessage,
  url: URL,
): Promise<Principal | undefined> {
  if (app.authenticate === undefined) return ANONYMOUS;
  const headers = new Headers();
  for (const [name, value] of Object.entries(request.headers))
    if (typeof value === "string") headers.set(name, value);
  const token = url.searchParams.get("token");
  if (!headers.has("authorization") && token) headers.set("authorization", `Bearer ${token}`);
  try {
    return await app.authenticate(new Request(`http://localhost${url.pathname}`, { headers }));
  } catch {
    return undefined;
  }
}

function refuse(socket: Duplex, status: number, text: string): void {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`);
}

/** One client's socket on one run. */
class RunSocket {
  readonly #stop = new AbortController();
  #following = false;

  constructor(
    readonly ws: WebSocket,
    readonly app: ServerApp,
    readonly principal: Principal,
    readonly runId: string,
    readonly url: URL,
  ) {}

  async open(): Promise<void> {
    this.ws.on("message", (data) => void this.#onMessage(String(data)));
    this.ws.on("close", () => {
      this.#stop.abort();
      if (this.url.searchParams.get("cancelOnDisconnect") === "true") {
        void this.app.manager.cancel(this.principal, this.runId, "the client disconnected").catch(() => {});
      }
    });
    this.#send({ type: "system", status: "connected" });
    const run = await this.app.store.getRun(this.runId);
    // A run that exists (and is the caller's) is followed at once; otherwise the client's `start` makes it.
    if (run !== undefined) await this.#follow(this.principal).catch((e) => this.#error(e));
  }

  async #onMessage(text: string): Promise<void> {
    let message: { type?: unknown; [key: string]: unknown };
    try {
      message = JSON.parse(text) as typeof message;
    } catch {
      return this.#send({ type: "error", error: "The message is not JSON" });
    }
    try {
      switch (message.type) {
        case "ping":
          return this.#send({ type: "pong" });
        case "start":
          return await this.#start(message);
        case "stop":
          await this.app.manager.cancel(
            this.principal,
            this.runId,
            typeof message.reason === "string" ? message.reason : "stopped by the client",
          );
          return;
        case "input_response":
          return await this.#answer(message);
        default:
          return this.#send({ type: "error", error: `Unknown message type ${JSON.stringify(message.type)}` });
      }
    } catch (error) {
      this.#error(error);
    }
  }

  async #start(message: Record<string, unknown>): Promise<void> {
    if ("team_config" in message) {
      return this.#send({
        type: "error",
        error: "This server runs the teams it was started with: send a team name, not team_config",
      });
    }
    const existing = await this.app.store.getRun(this.runId);
    if (existing !== undefined)
      return this.#send({ type: "error", error: `Run ${this.runId} has already started` });
    const task = typeof message.task === "string" ? message.task : undefined;
    const team = typeof message.team === "string" ? message.team : [...this.app.manager.teams.keys()][0]!;
    const threadId =
      typeof message.threadId === "string"
        ? (await this.app.manager.thread(this.principal, message.threadId, "run")).id
        : (await this.app.manager.createThread(this.principal, { via: "websocket" })).id;
    await this.app.manager.startRun(this.principal, threadId, { team, task, runId: this.runId });
    await this.#follow(this.principal);
  }

  async #answer(message: Record<string, unknown>): Promise<void> {
    const pending = await this.app.store.listInputRequests(this.runId, { pending: true });
    const requestId = typeof message.requestId === "string" ? message.requestId : pending[0]?.requestId;
    if (requestId === undefined)
      return this.#send({ type: "error", error: "The run is not waiting for input" });
    const response = message.response;
    await this.app.manager.answer(
      this.principal,
      this.runId,
      requestId,
      typeof response === "string" ? response : JSON.stringify(response ?? ""),
    );
  }

  async #follow(principal: Principal): Promise<void> {
    if (this.#following) return;
    this.#following = true;
    const run = await this.app.manager.run(principal, this.runId, "stream");
    const feed = await this.app.manager.feed(run);
    const after = parseLastEventId(
      this.url.searchParams.get("lastEventId") ?? undefined,
      Math.max(run.lastSeq, feed.lastSeq),
    );
    const detach = feed.attach();
    const messages: unknown[] = [];
    try {
      for await (const event of feed.events(after, this.#stop.signal)) {
        if (event.type !== STATUS_EVENT && event.type !== "ModelClientStreamingChunkEvent")
          messages.push(event.data);
        for (const out of studioMessages(event, messages, run)) {
          await this.#sendAndDrain(out);
        }
      }
    } finally {
      detach();
    }
  }

  #error(error: unknown): void {
    this.#send({ type: "error", error: errorResponseOf(error).body.error.message });
  }

  #send(message: unknown): void {
    if (this.ws.readyState === this.ws.OPEN) this.ws.send(JSON.stringify(message));
  }

  /** Sends, then waits while the socket's buffer is full: a slow client slows only its own reading. */
  async #sendAndDrain(message: unknown): Promise<void> {
    this.#send(message);
    while (this.ws.readyState === this.ws.OPEN && this.ws.bufferedAmount > 1024 * 1024) {
      await new Promise((r) => setTimeout(r, 10));
    }
  }
}

/** What Studio's front-end expects for one event of the run's record. */
function studioMessages(event: RunEventRecord, messages: readonly unknown[], run: RunRecord): unknown[] {
  const seq = event.seq;
  if (event.type === "ModelClientStreamingChunkEvent")
    return [{ type: "message_chunk", data: event.data, seq }];
  if (event.type !== STATUS_EVENT) return [{ type: "message", data: event.data, seq }];
  const data = (event.data ?? {}) as Record<string, unknown>;
  switch (data.status) {
    case "interrupted":
      return data.requestId === undefined
        ? []
        : [{ type: "input_request", prompt: data.prompt, data: { requestId: data.requestId }, seq }];
    case "completed":
      return [
        {
          type: "result",
          status: "complete",
          data: {
            task_result: { messages, stop_reason: data.stopReason ?? null },
            run_id: run.id,
            thread_id: run.threadId,
          },
          seq,
        },
      ];
    case "cancelled":
      return [{ type: "completion", status: "cancelled", data: { reason: data.stopReason ?? null }, seq }];
    case "failed":
      return [{ type: "completion", status: "error", data: data.error ?? null, seq }];
    default:
      return [];
  }
}
