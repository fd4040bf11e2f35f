/**
 * `serveMcp`: an agent or a team as an MCP server. Its one tool runs a task; every message of the run
 * goes to the client as a progress notification while it happens, the final answer is the tool result,
 * and a client's cancellation aborts the run.
 */
import { randomUUID } from "node:crypto";
import {
  createServer,
  type Server as HttpServer,
  type IncomingMessage,
  type ServerResponse,
} from "node:http";
import type { AddressInfo } from "node:net";
import { CancelledError, ValidationError } from "@autogen-ts/core";
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import {
  CallToolRequestSchema,
  type CallToolResult,
  isInitializeRequest,
  ListToolsRequestSchema,
} from "@modelcontextprotocol/sdk/types.js";

/**
 * What `serveMcp` needs of an agent or a team: agentchat's `TaskRunner.runStream`, which yields the
 * run's messages and ends with a result holding `messages` (and maybe a `stopReason`).
 */
export interface McpServable {
  /** Used as the tool's name when `toolName` is not given. */
  readonly name?: string;
  /** Used as the tool's description when `toolDescription` is not given. */
  readonly description?: string;
  runStream(options: { task: string; signal?: AbortSignal }): AsyncIterable<unknown>;
}

/** Options of {@link serveMcp}. */
export interface ServeMcpOptions {
  /** `"stdio"` speaks on this process's stdin and stdout; `"http"` listens for Streamable HTTP. */
  readonly transport: "stdio" | "http";
  /** HTTP port (default 0: any free port; the handle tells which). */
  readonly port?: number;
  /** HTTP host (default `127.0.0.1`). Anything but loopback exposes the agent to the network. */
  readonly host?: string;
  /** HTTP path of the endpoint (default `/mcp`). */
  readonly path?: string;
  /**
   * Host headers accepted over HTTP. By default, on a loopback host, only `127.0.0.1:<port>` and
   * `localhost:<port>` (a guard against DNS rebinding from web pages); on other hosts, any.
   */
  readonly allowedHosts?: readonly string[];
  /** The tool's name (default: the agent's name, else `run_task`). */
  readonly toolName?: string;
  /** The tool's description (default: the agent's description). */
  readonly toolDescription?: string;
  /** The server's name in the handshake (default `autogen-ts`). */
  readonly serverName?: string;
  /** The answer is the last chat message (default) or every chat message of the run (`"all"`). */
  readonly answer?: "last" | "all";
  /** Streams for the stdio transport (default `process.stdin` and `process.stdout`). */
  readonly stdin?: NodeJS.ReadableStream;
  readonly stdout?: NodeJS.WritableStream;
}

/** A running MCP server; `close()` stops it. */
export interface McpServerHandle {
  /** The endpoint URL (HTTP only). */
  readonly url: string | undefined;
  /** The port listened on (HTTP only). */
  readonly port: number | undefined;
  /** Resolves when the server has stopped (for stdio: also when the client closes stdin). */
  readonly closed: Promise<void>;
  /** Stops serving: ends the sessions, aborts their runs, and closes the listener. Idempotent. */
  close(): Promise<void>;
}

/** The most characters of one message sent in a progress notification. */
const PROGRESS_TEXT_LIMIT = 4000;
/** The largest HTTP request body accepted. */
const MAX_BODY_BYTES = 4 * 1024 * 1024;

/**
 * Serves an agent or team (anything with `runStream`, or a function making a fresh one per call) as an
 * MCP server with one tool, `{ task: string }`. A shared instance runs one task at a time (calls queue),
 * since an agent's conversation is one thread; pass a factory for independent, concurrent runs.
 *
 * On stdio, stdout belongs to the protocol: nothing else may write to it.
 *
 * @example
 * ```ts
 * const handle = await serveMcp(agent, { transport: "http", port: 8931 });
 * console.log(`MCP endpoint: ${handle.url}`);
 * ```
 * @throws ValidationError for a bad tool name or options; the listener's error when the port is taken.
 */
export async function serveMcp(
  agentOrTeam: McpServable | (() => McpServable | Promise<McpServable>),
  options: ServeMcpOptions,
): Promise<McpServerHandle> {
  const sample = typeof agentOrTeam === "function" ? undefined : agentOrTeam;
  const toolName = options.toolName ?? sample?.name ?? "run_task";
  if (!/^[A-Za-z0-9_.-]{1,64}$/.test(toolName)) {
    throw new ValidationError(
      `MCP tool name "${toolName}" is not valid: 1 to 64 letters, digits, "_", "-", "."`,
    );
  }
  const tool = {
    name: toolName,
    description:
      options.toolDescription ??
      sample?.description ??
      "Runs a task with an autogen-ts agent team and returns its answer. Progress notifications carry each message as it happens.",
    inputSchema: {
      type: "object" as const,
      properties: { task: { type: "string", description: "The task, in plain words." } },
      required: ["task"],
    },
    outputSchema: {
      type: "object" as const,
      properties: {
        answer: { type: "string" },
        stopReason: { type: "string" },
        messages: {
          type: "array",
          items: {
            type: "object",
            properties: { source: { type: "string" }, type: { type: "string" }, text: { type: "string" } },
            required: ["source", "type", "text"],
          },
        },
      },
      required: ["answer", "messages"],
    },
  };
  const runner = new Runner(agentOrTeam, options.answer ?? "last");

  const makeServer = (): Server => {
    const server = new Server(
      { name: options.serverName ?? "autogen-ts", version: "0.1.0" },
      { capabilities: { tools: {} } },
    );
    server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools: [tool] }));
    server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
      if (request.params.name !== toolName) {
        return errorResult(`Unknown tool "${request.params.name}"; this server has "${toolName}".`);
      }
      const task = request.params.arguments?.task;
      if (typeof task !== "string" || task.trim() === "") {
        return errorResult('The argument "task" must be a non-empty string.');
      }
      const token = extra._meta?.progressToken;
      return runner.run(task, extra.signal, async (step, text) => {
        if (token === undefined) return;
        await extra.sendNotification({
          method: "notifications/progress",
          params: { progressToken: token, progress: step, message: text },
        });
      });
    });
    return server;
  };

  if (options.transport === "stdio") return serveStdio(makeServer(), options);
  if (options.transport === "http") return serveHttp(makeServer, options, runner);
  throw new ValidationError(`Unknown MCP transport "${String(options.transport)}": use "stdio" or "http"`);
}

/** Runs tasks on a shared instance one at a time, or on a fresh instance per call. */
class Runner {
  private queue: Promise<void> = Promise.resolve();
  private readonly active = new Set<AbortController>();

  constructor(
    private readonly source: McpServable | (() => McpServable | Promise<McpServable>),
    private readonly answer: "last" | "all",
  ) {}

  /** Aborts every run in progress (the server is closing). */
  abortAll(): void {
    for (const controller of this.active) controller.abort(new CancelledError("The MCP server closed"));
  }

  async run(
    task: string,
    signal: AbortSignal,
    progress: (step: number, text: string) => Promise<void>,
  ): Promise<CallToolResult> {
    const controller = new AbortController();
    const onAbort = () => controller.abort(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    this.active.add(controller);
    const shared = typeof this.source !== "function";
    let release = () => {};
    if (shared) {
      const previous = this.queue;
      this.queue = new Promise((done) => {
        release = done;
      });
      await previous;
    }
    try {
      if (controller.signal.aborted) throw new CancelledError();
      const agent = typeof this.source === "function" ? await this.source() : this.source;
      const messages: { source: string; type: string; text: string }[] = [];
      let chat: { source: string; text: string }[] = [];
      let stopReason: string | undefined;
      let step = 0;
      for await (const item of agent.runStream({ task, signal: controller.signal })) {
        if (isResult(item)) {
          stopReason = typeof item.stopReason === "string" ? item.stopReason : undefined;
          chat = item.messages.filter(isChat).map((m) => ({ source: m.source, text: m.toModelText() }));
          continue;
        }
        const message = describe(item);
        if (!message) continue;
        messages.push(message);
        step++;
        await progress(step, clip(`${message.source} (${message.type}): ${message.text}`));
      }
      // Let the last notifications leave before the answer: some clients drop progress that arrives in
      // the same read as the response.
      if (step > 0) await new Promise<void>((resolve) => setImmediate(resolve));
      const answer =
        this.answer === "last"
          ? (chat.at(-1)?.text ?? "")
          : chat.map((m) => `${m.source}: ${m.text}`).join("\n\n");
      return {
        content: [{ type: "text", text: answer }],
        structuredContent: { answer, ...(stopReason !== undefined ? { stopReason } : {}), messages },
      };
    } catch (error) {
      // A cancelled request gets no answer (the SDK drops it); anything else is a failed run.
      if (controller.signal.aborted) throw error;
      return errorResult(`The run failed: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      signal.removeEventListener("abort", onAbort);
      this.active.delete(controller);
      release();
    }
  }
}

interface MessageLike {
  readonly source: string;
  readonly type: string;
  toText(): string;
}

interface ChatLike extends MessageLike {
  readonly kind: "chat";
  toModelText(): string;
}

function isMessage(value: unknown): value is MessageLike {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as MessageLike).source === "string" &&
    typeof (value as MessageLike).type === "string" &&
    typeof (value as MessageLike).toText === "function"
  );
}

function isChat(value: unknown): value is ChatLike {
  return (
    isMessage(value) &&
    (value as ChatLike).kind === "chat" &&
    typeof (value as ChatLike).toModelText === "function"
  );
}

function isResult(value: unknown): value is { messages: unknown[]; stopReason?: unknown } {
  return (
    typeof value === "object" &&
    value !== null &&
    Array.isArray((value as { messages?: unknown }).messages) &&
    !("kind" in value)
  );
}

/** A message worth a progress notification; streamed token chunks are not (the whole message follows). */
function describe(item: unknown): { source: string; type: string; text: string } | undefined {
  if (!isMessage(item) || item.type === "ModelClientStreamingChunkEvent") return undefined;
  return { source: item.source, type: item.type, text: item.toText() };
}

function clip(text: string): string {
  return text.length > PROGRESS_TEXT_LIMIT ? `${text.slice(0, PROGRESS_TEXT_LIMIT)}…` : text;
}

function errorResult(text: string): CallToolResult {
  return { content: [{ type: "text", text }], isError: true };
}

async function serveStdio(server: Server, options: ServeMcpOptions): Promise<McpServerHandle> {
  const stdin = (options.stdin ?? process.stdin) as NodeJS.ReadStream;
  const stdout = (options.stdout ?? process.stdout) as NodeJS.WriteStream;
  const transport = new StdioServerTransport(stdin, stdout);
  let resolveClosed = () => {};
  const closed = new Promise<void>((done) => {
    resolveClosed = done;
  });
  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= server.close().finally(resolveClosed);
    return closing;
  };
  server.onclose = () => resolveClosed();
  // The client closing its end of the pipe is the end of the session.
  stdin.once("end", () => void close());
  await server.connect(transport);
  return { url: undefined, port: undefined, closed, close };
}

async function serveHttp(
  makeServer: () => Server,
  options: ServeMcpOptions,
  runner: Runner,
): Promise<McpServerHandle> {
  const host = options.host ?? "127.0.0.1";
  const path = options.path ?? "/mcp";
  const sessions = new Map<string, { server: Server; transport: StreamableHTTPServerTransport }>();
  let allowedHosts: string[] | undefined;

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    // The body is read before any answer: answering first and leaving it unread makes Node drop the
    // connection, which clients see as a failed request rather than as the status sent.
    if (req.method !== "POST") req.resume();
    const body = req.method === "POST" ? await readJson(req, res) : undefined;
    if (body === INVALID) return;
    const url = new URL(req.url ?? "/", "http://localhost");
    if (url.pathname !== path) {
      sendJson(res, 404, { error: `Not found; the MCP endpoint is ${path}` });
      return;
    }
    if (allowedHosts && !allowedHosts.includes(req.headers.host ?? "")) {
      sendJsonRpcError(res, 403, -32000, "Forbidden: Host header not allowed");
      return;
    }
    const sessionId = header(req, "mcp-session-id");
    if (sessionId !== undefined) {
      const session = sessions.get(sessionId);
      if (!session) {
        // 404 tells the client to start a new session (the spec's answer to an unknown session).
        sendJsonRpcError(res, 404, -32001, "Session not found");
        return;
      }
      await session.transport.handleRequest(req, res, body);
      return;
    }
    if (req.method !== "POST" || !isInitializeRequest(body)) {
      sendJsonRpcError(res, 400, -32000, "Bad Request: no session; start one with an initialize request");
      return;
    }
    const server = makeServer();
    const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (id) => {
        sessions.set(id, { server, transport });
      },
      onsessionclosed: (id) => {
        sessions.delete(id);
      },
    });
    transport.onclose = () => {
      if (transport.sessionId) sessions.delete(transport.sessionId);
    };
    await server.connect(transport);
    await transport.handleRequest(req, res, body);
  };

  const http: HttpServer = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) sendJsonRpcError(res, 500, -32603, "Internal server error");
      else res.end();
      void error;
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

  let resolveClosed = () => {};
  const closed = new Promise<void>((done) => {
    resolveClosed = done;
  });
  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      runner.abortAll();
      const all = [...sessions.values()];
      sessions.clear();
      await Promise.all(all.map(({ server }) => server.close().catch(() => {})));
      http.closeAllConnections();
      await new Promise<void>((done) => http.close(() => done()));
      resolveClosed();
    })();
    return closing;
  };
  const urlHost = host.includes(":") ? `[${host}]` : host;
  return { url: `http://${urlHost}:${port}${path}`, port, closed, close };
}

const INVALID = Symbol("invalid body");

async function readJson(req: IncomingMessage, res: ServerResponse): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    // Past the limit the rest is drained unread, then refused.
    if (size <= MAX_BODY_BYTES) chunks.push(chunk);
  }
  if (size > MAX_BODY_BYTES) {
    sendJsonRpcError(res, 413, -32000, "Request body too large");
    return INVALID;
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString("utf8"));
  } catch {
    sendJsonRpcError(res, 400, -32700, "Parse error: the body is not JSON");
    return INVALID;
  }
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function isLoopback(host: string): boolean {
  return host === "127.0.0.1" || host === "localhost" || host === "::1" || host.startsWith("127.");
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
}

function sendJsonRpcError(res: ServerResponse, status: number, code: number, message: string): void {
  sendJson(res, status, { jsonrpc: "2.0", error: { code, message }, id: null });
}
