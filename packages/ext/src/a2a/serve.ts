/**
 * `serveA2A`: an agent or a team as an A2A server (protocol v1.0, JSON-RPC binding) on node:http, built
 * on the official SDK's request handler. Each incoming message is a task; every message of the run goes
 * out as a `working` status update while it happens, the answer is the task's artifact and its final
 * status message, and a client's cancellation aborts the run.
 */
import {
  createServer,
  type Server as HttpServer,
  type IncomingMessage,
  type ServerResponse,
} from "node:http";
import type { AddressInfo } from "node:net";
import {
  A2A_VERSION_HEADER,
  type AgentCard,
  type AgentSkill,
  formatSSEErrorEvent,
  formatSSEEvent,
  type Message,
  type Part,
  TaskState,
} from "@a2a-js/sdk";
import {
  AgentEvent,
  type AgentExecutor,
  DefaultRequestHandler,
  defaultServerCallContextBuilder,
  type ExecutionEventBus,
  InMemoryTaskStore,
  JsonRpcTransportHandler,
  type RequestContext,
  UnauthenticatedUser,
  validateVersion,
} from "@a2a-js/sdk/server";
import type { BaseAgentMessage, BaseChatMessage, TaskResult } from "@autogen-ts/agentchat";
import { isChatMessage, isTaskResult } from "@autogen-ts/agentchat";
import { CancelledError, ValidationError } from "@autogen-ts/core";
import { agentMessage, messageToParts, partsToMessages, textPart } from "./parts.js";

/**
 * What `serveA2A` needs of an agent or a team: agentchat's `TaskRunner.runStream`, which yields the run's
 * messages and ends with a `TaskResult`.
 */
export interface A2AServable {
  /** Used as the card's name when `name` is not given. */
  readonly name?: string;
  /** Used as the card's description when `description` is not given. */
  readonly description?: string;
  runStream(options: {
    task: readonly BaseChatMessage[];
    signal?: AbortSignal;
    outputTaskMessages?: boolean;
  }): AsyncIterable<BaseAgentMessage | TaskResult>;
}

/** Makes the agent or team of one A2A context (conversation); called once per new `contextId`. */
export type A2AServableFactory = (contextId: string) => A2AServable | Promise<A2AServable>;

/** One skill listed on the agent card. */
export interface A2ASkill {
  /** A stable identifier. */
  readonly id: string;
  /** A short name. */
  readonly name: string;
  /** What the skill does. */
  readonly description: string;
  /** Keywords. */
  readonly tags?: readonly string[];
  /** Example requests. */
  readonly examples?: readonly string[];
}

/** Options of {@link serveA2A}. */
export interface ServeA2AOptions {
  /** Port (default 0: any free port; the handle tells which). */
  readonly port?: number;
  /** Host (default `127.0.0.1`). Anything but loopback exposes the agent to the network. */
  readonly host?: string;
  /** The card's name (default: the agent's name, else `autogen-ts agent`). */
  readonly name?: string;
  /** The card's description (default: the agent's description). */
  readonly description?: string;
  /** The card's skills (default: one skill named after the agent). */
  readonly skills?: readonly A2ASkill[];
  /**
   * The public base URL clients reach this server at (default `http://<host>:<port>`), for a server behind
   * a proxy. The card advertises `<url><path>`.
   */
  readonly url?: string;
  /** The JSON-RPC endpoint's path (default `/a2a`). */
  readonly path?: string;
  /** The card's version of the agent (default `0.1.0`). */
  readonly version?: string;
  /** The answer is the run's last chat message (default) or all its chat messages (`"all"`). */
  readonly answer?: "last" | "all";
  /** With a factory: the most conversations kept; the least recently used idle one goes first (default 100). */
  readonly maxContexts?: number;
  /**
   * Host headers accepted. By default, on a loopback host, only `127.0.0.1:<port>`, `localhost:<port>`
   * and `[::1]:<port>` (a guard against DNS rebinding from web pages); on other hosts, any.
   */
  readonly allowedHosts?: readonly string[];
}

/** A running A2A server; `close()` stops it. */
export interface A2AServerHandle {
  /** The base URL (clients fetch `<url>/.well-known/agent-card.json`). */
  readonly url: string;
  /** The JSON-RPC endpoint. */
  readonly endpoint: string;
  /** The port listened on. */
  readonly port: number;
  /** The agent card served. */
  readonly card: AgentCard;
  /** Resolves when the server has stopped. */
  readonly closed: Promise<void>;
  /** Stops serving: aborts the runs in progress and closes the listener. Idempotent. */
  close(): Promise<void>;
}

/** The path of the agent card, per the A2A specification. */
export const AGENT_CARD_PATH = "/.well-known/agent-card.json";
const MAX_BODY_BYTES = 4 * 1024 * 1024;

/**
 * Serves an agent or team (anything with `runStream`) over A2A. A shared instance holds one conversation
 * and runs one task at a time; a factory makes one instance per A2A context, so each client conversation
 * (`contextId`) continues across its messages, independently of the others.
 *
 * @example
 * ```ts
 * const server = await serveA2A((contextId) => makeAgent(), { port: 41241, name: "weather" });
 * console.log(`Agent card: ${server.url}/.well-known/agent-card.json`);
 * ```
 * @throws ValidationError for bad options; the listener's error when the port is taken.
 */
export async function serveA2A(
  agentOrTeam: A2AServable | A2AServableFactory,
  options: ServeA2AOptions = {},
): Promise<A2AServerHandle> {
  const sample = typeof agentOrTeam === "function" ? undefined : agentOrTeam;
  const path = options.path ?? "/a2a";
  if (!path.startsWith("/") || path === AGENT_CARD_PATH) {
    throw new ValidationError(`serveA2A: 'path' must start with "/" and differ from ${AGENT_CARD_PATH}`);
  }
  const maxContexts = options.maxContexts ?? 100;
  if (!Number.isInteger(maxContexts) || maxContexts < 1) {
    throw new ValidationError("serveA2A: 'maxContexts' must be a positive integer");
  }
  const name = options.name ?? sample?.name ?? "autogen-ts agent";
  const description =
    options.description ?? sample?.description ?? "An autogen-ts agent team. Send it a task in plain words.";
  const host = options.host ?? "127.0.0.1";
  const contexts = new Contexts(agentOrTeam, maxContexts);
  const executor = new RunExecutor(contexts, options.answer ?? "last");

  let jsonRpc: JsonRpcTransportHandler | undefined;
  let card: AgentCard | undefined;
  let allowedHosts: string[] | undefined;

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    // The body is read before any answer: answering first and leaving it unread makes Node drop the
    // connection, which clients see as a failed request rather than as the status sent.
    if (req.method !== "POST") req.resume();
    const body = req.method === "POST" ? await readBody(req) : undefined;
    if (allowedHosts && !allowedHosts.includes(req.headers.host ?? "")) {
      sendJson(res, 403, { error: "Forbidden: Host header not allowed" });
      return;
    }
    const url = new URL(req.url ?? "/", "http://localhost");
    if (url.pathname === AGENT_CARD_PATH) {
      if (req.method !== "GET" && req.method !== "HEAD") {
        sendJson(res, 405, { error: "Use GET for the agent card" }, { allow: "GET, HEAD" });
        return;
      }
      sendJson(res, 200, card);
      return;
    }
    if (url.pathname !== path) {
      sendJson(res, 404, { error: `Not found; the agent card is at ${AGENT_CARD_PATH}` });
      return;
    }
    if (req.method !== "POST") {
      sendJson(res, 405, { error: "Use POST for JSON-RPC" }, { allow: "POST" });
      return;
    }
    const type = (req.headers["content-type"] ?? "").split(";")[0]?.trim().toLowerCase();
    if (type !== "application/json" && type !== "application/a2a+json") {
      sendRpcError(res, 415, null, -32005, "Content type not supported: send application/json");
      return;
    }
    if (body === TOO_LARGE) {
      sendRpcError(res, 413, null, -32600, "Request body too large");
      return;
    }
    let request: unknown;
    try {
      request = JSON.parse(body as string);
    } catch {
      sendRpcError(res, 200, null, -32700, "Parse error: the body is not JSON");
      return;
    }
    const id = rpcId(request);
    const version = header(req, A2A_VERSION_HEADER.toLowerCase());
    const context = defaultServerCallContextBuilder({
      extensions: [],
      user: new UnauthenticatedUser(),
      headers: req.headers,
      ...(version !== undefined ? { requestedVersion: version } : {}),
    });
    let result: Awaited<ReturnType<JsonRpcTransportHandler["handle"]>>;
    try {
      validateVersion(context.requestedVersion, card as AgentCard, "JSONRPC");
      result = await (jsonRpc as JsonRpcTransportHandler).handle(request as Record<string, unknown>, context);
    } catch (error) {
      sendJson(res, 200, { jsonrpc: "2.0", id, error: JsonRpcTransportHandler.mapToJSONRPCError(error) });
      return;
    }
    if (!isAsyncIterable(result)) {
      sendJson(res, 200, result);
      return;
    }
    // A stream: an error before its first event is a plain JSON-RPC error, later ones an SSE error event.
    const iterator = result[Symbol.asyncIterator]();
    let first: IteratorResult<unknown>;
    try {
      first = await iterator.next();
    } catch (error) {
      sendJson(res, 200, { jsonrpc: "2.0", id, error: JsonRpcTransportHandler.mapToJSONRPCError(error) });
      return;
    }
    res.writeHead(200, {
      "content-type": "text/event-stream",
      "cache-control": "no-cache",
      connection: "keep-alive",
      "x-accel-buffering": "no",
    });
    // A client that hangs up stops the stream; the task itself goes on (CancelTask stops it).
    let gone = false;
    res.once("close", () => {
      gone = true;
      void iterator.return?.(undefined);
    });
    try {
      let step = first;
      while (!step.done && !gone) {
        res.write(formatSSEEvent(step.value));
        step = await iterator.next();
      }
    } catch (error) {
      if (!gone) {
        res.write(
          formatSSEErrorEvent({
            jsonrpc: "2.0",
            id,
            error: JsonRpcTransportHandler.mapToJSONRPCError(error),
          }),
        );
      }
    } finally {
      if (!res.writableEnded) res.end();
    }
  };

  const http: HttpServer = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) sendRpcError(res, 500, null, -32603, "Internal error");
      else if (!res.writableEnded) res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    http.once("error", reject);
    http.listen(options.port ?? 0, host, () => {
      http.off("error", reject);
      resolve();
    });
  });
  const port = (http.address() as AddressInfo).port;
  if (options.allowedHosts) allowedHosts = [...options.allowedHosts];
  else if (isLoopback(host)) allowedHosts = [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`];
  const base = (options.url ?? `http://${host.includes(":") ? `[${host}]` : host}:${port}`).replace(
    /\/+$/,
    "",
  );
  const endpoint = `${base}${path}`;
  card = makeCard({
    name,
    description,
    endpoint,
    version: options.version ?? "0.1.0",
    skills: options.skills,
  });
  jsonRpc = new JsonRpcTransportHandler(new DefaultRequestHandler(card, new InMemoryTaskStore(), executor));

  let resolveClosed = () => {};
  const closed = new Promise<void>((done) => {
    resolveClosed = done;
  });
  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      executor.abortAll();
      http.closeAllConnections();
      await new Promise<void>((done) => http.close(() => done()));
      resolveClosed();
    })();
    return closing;
  };
  return { url: base, endpoint, port, card, closed, close };
}

function makeCard(o: {
  name: string;
  description: string;
  endpoint: string;
  version: string;
  skills: readonly A2ASkill[] | undefined;
}): AgentCard {
  const skills: AgentSkill[] = (
    o.skills ?? [{ id: slug(o.name), name: o.name, description: o.description }]
  ).map((s) => ({
    id: s.id,
    name: s.name,
    description: s.description,
    tags: [...(s.tags ?? [])],
    examples: [...(s.examples ?? [])],
    inputModes: [],
    outputModes: [],
    securityRequirements: [],
  }));
  return {
    name: o.name,
    description: o.description,
    supportedInterfaces: [
      { url: o.endpoint, protocolBinding: "JSONRPC", tenant: "", protocolVersion: "1.0" },
    ],
    provider: undefined,
    version: o.version,
    capabilities: { streaming: true, pushNotifications: false, extensions: [], extendedAgentCard: false },
    securitySchemes: {},
    securityRequirements: [],
    defaultInputModes: ["text/plain", "application/json", "image/*"],
    defaultOutputModes: ["text/plain", "application/json"],
    skills,
    signatures: [],
  };
}

function slug(text: string): string {
  return (
    text
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-|-$/g, "") || "agent"
  );
}

/** One conversation: its agent or team, and the tail of its queue of runs (one at a time). */
interface Conversation {
  readonly runner: Promise<A2AServable>;
  tail: Promise<void>;
  busy: number;
}

/** The conversations by context id: one shared, or one per context made by the factory. */
class Contexts {
  private readonly byId = new Map<string, Conversation>();
  private shared: Conversation | undefined;

  constructor(
    private readonly source: A2AServable | A2AServableFactory,
    private readonly max: number,
  ) {}

  get(contextId: string): Conversation {
    if (typeof this.source !== "function") {
      this.shared ??= { runner: Promise.resolve(this.source), tail: Promise.resolve(), busy: 0 };
      return this.shared;
    }
    let conversation = this.byId.get(contextId);
    if (conversation) {
      // Most recently used last.
      this.byId.delete(contextId);
    } else {
      const factory = this.source;
      conversation = {
        runner: Promise.resolve().then(() => factory(contextId)),
        tail: Promise.resolve(),
        busy: 0,
      };
      conversation.runner.catch(() => {});
      this.evict();
    }
    this.byId.set(contextId, conversation);
    return conversation;
  }

  private evict(): void {
    for (const [id, conversation] of this.byId) {
      if (this.byId.size < this.max) return;
      if (conversation.busy === 0) this.byId.delete(id);
    }
  }
}

/** A run in progress: its abort controller, and whether its task has reached a final state. */
interface Run {
  readonly controller: AbortController;
  readonly contextId: string;
  final: boolean;
}

/** The SDK's `AgentExecutor` over autogen-ts runs. */
class RunExecutor implements AgentExecutor {
  private readonly runs = new Map<string, Run>();

  constructor(
    private readonly contexts: Contexts,
    private readonly answer: "last" | "all",
  ) {}

  abortAll(): void {
    for (const run of this.runs.values()) run.controller.abort(new CancelledError("The A2A server closed"));
  }

  execute = async (request: RequestContext, bus: ExecutionEventBus): Promise<void> => {
    const { taskId, contextId } = request;
    const ids = { taskId, contextId };
    const run: Run = { controller: new AbortController(), contextId, final: false };
    this.runs.set(taskId, run);
    const status = (state: TaskState, message?: Message) =>
      bus.publish(
        AgentEvent.statusUpdate({
          taskId,
          contextId,
          status: { state, message, timestamp: new Date().toISOString() },
          metadata: undefined,
        }),
      );
    bus.publish(
      AgentEvent.task(
        request.task ?? {
          id: taskId,
          contextId,
          status: {
            state: TaskState.TASK_STATE_SUBMITTED,
            message: undefined,
            timestamp: new Date().toISOString(),
          },
          artifacts: [],
          history: [request.userMessage],
          metadata: undefined,
        },
      ),
    );
    const task = partsToMessages(request.userMessage.parts, "user");
    if (task.length === 0) {
      run.final = true;
      this.runs.delete(taskId);
      status(
        TaskState.TASK_STATE_REJECTED,
        agentMessage([textPart("The message has no text, data or file parts to work on.")], ids),
      );
      return;
    }
    const conversation = this.contexts.get(contextId);
    conversation.busy++;
    const previous = conversation.tail;
    let release = () => {};
    conversation.tail = new Promise<void>((done) => {
      release = done;
    });
    try {
      await previous;
      if (run.controller.signal.aborted) throw new CancelledError();
      const runner = await conversation.runner;
      status(TaskState.TASK_STATE_WORKING);
      let result: TaskResult | undefined;
      for await (const item of runner.runStream({
        task,
        signal: run.controller.signal,
        outputTaskMessages: false,
      })) {
        if (isTaskResult(item)) {
          result = item;
          continue;
        }
        if (item.type === "ModelClientStreamingChunkEvent" || run.final) continue;
        status(
          TaskState.TASK_STATE_WORKING,
          agentMessage(messageToParts(item), ids, { source: item.source, type: item.type }),
        );
      }
      if (run.final) return;
      const chat = (result?.messages ?? []).filter(isChatMessage);
      const last = chat.at(-1);
      const parts: Part[] =
        last === undefined
          ? [textPart("")]
          : this.answer === "last"
            ? messageToParts(last)
            : chat.flatMap((m) => messageToParts(m));
      bus.publish(
        AgentEvent.artifactUpdate({
          taskId,
          contextId,
          artifact: {
            artifactId: `${taskId}-answer`,
            name: "answer",
            description: "The final answer of the run.",
            parts,
            metadata: result?.stopReason !== undefined ? { stopReason: result.stopReason } : undefined,
            extensions: [],
          },
          append: false,
          lastChunk: true,
          metadata: undefined,
        }),
      );
      run.final = true;
      status(TaskState.TASK_STATE_COMPLETED, agentMessage(parts, ids));
    } catch (error) {
      if (run.final) return;
      run.final = true;
      if (run.controller.signal.aborted) {
        status(TaskState.TASK_STATE_CANCELED, agentMessage([textPart("The run was cancelled.")], ids));
        return;
      }
      const text = error instanceof Error ? error.message : String(error);
      status(TaskState.TASK_STATE_FAILED, agentMessage([textPart(`The run failed: ${text}`)], ids));
    } finally {
      this.runs.delete(taskId);
      conversation.busy--;
      release();
    }
  };

  cancelTask = async (taskId: string, bus: ExecutionEventBus): Promise<void> => {
    const run = this.runs.get(taskId);
    if (run?.final) return;
    if (run) {
      run.final = true;
      run.controller.abort(new CancelledError("The A2A client cancelled the task"));
    }
    // The handler waits for the final state on the task's bus; the run winds down behind it.
    const contextId = run?.contextId ?? "";
    bus.publish(
      AgentEvent.statusUpdate({
        taskId,
        contextId,
        status: {
          state: TaskState.TASK_STATE_CANCELED,
          message: undefined,
          timestamp: new Date().toISOString(),
        },
        metadata: undefined,
      }),
    );
  };
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof (value as { [Symbol.asyncIterator]?: unknown })?.[Symbol.asyncIterator] === "function";
}

function rpcId(request: unknown): string | number | null {
  const id = (request as { id?: unknown } | null)?.id;
  return typeof id === "string" || typeof id === "number" ? id : null;
}

const TOO_LARGE = Symbol("too large");

async function readBody(req: IncomingMessage): Promise<string | typeof TOO_LARGE> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    // Past the limit the rest is drained unread, then refused.
    if (size <= MAX_BODY_BYTES) chunks.push(chunk);
  }
  return size > MAX_BODY_BYTES ? TOO_LARGE : Buffer.concat(chunks).toString("utf8");
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function isLoopback(host: string): boolean {
  return host === "127.0.0.1" || host === "localhost" || host === "::1" || host.startsWith("127.");
}

function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { "content-type": "application/json", ...headers }).end(JSON.stringify(body));
}

function sendRpcError(
  res: ServerResponse,
  status: number,
  id: string | number | null,
  code: number,
  message: string,
): void {
  sendJson(res, status, { jsonrpc: "2.0", id, error: { code, message } });
}
