/**
 * One live connection to an MCP server: the SDK client, its transport, and what we learned while
 * connecting. {@link openSession} starts the transport and runs the protocol handshake; the workbench
 * decides when to open, reuse and replace sessions.
 */
import { ToolError } from "@autogen-ts/core";
import { Client, type ClientOptions } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import {
  StreamableHTTPClientTransport,
  StreamableHTTPError,
} from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import { ErrorCode, McpError } from "@modelcontextprotocol/sdk/types.js";
import {
  DEFAULT_MCP_TIMEOUT_MS,
  describeServer,
  type McpServerParams,
  type StdioServerParams,
  transportKind,
} from "./params.js";

/** How much of a stdio server's stderr is kept for error messages. */
const STDERR_TAIL_CHARS = 2000;

/** A connected MCP session. `closed` turns true when the transport goes away (process exit, close). */
export interface McpSession {
  readonly client: Client;
  readonly transport: Transport;
  /** The protocol revision agreed in the handshake. */
  protocolVersion: string | undefined;
  closed: boolean;
  /** The last few kilobytes the server wrote to stderr (stdio with `stderr: "pipe"`). */
  stderrTail(): string;
}

/**
 * Forwards everything to the real transport and records the negotiated protocol version, which the SDK
 * hands only to HTTP transports.
 */
class RecordingTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: Transport["onmessage"];
  protocolVersion: string | undefined;

  constructor(readonly inner: Transport) {
    inner.onclose = () => this.onclose?.();
    inner.onerror = (error) => this.onerror?.(error);
    inner.onmessage = (message, extra) => {
      // The SDK runs notification handlers a microtask late but settles responses at once, so progress
      // notifications read in the same chunk as their response would find the request gone. Settling
      // responses a microtask later keeps the wire order.
      if ("id" in message && ("result" in message || "error" in message)) {
        queueMicrotask(() => this.onmessage?.(message, extra));
      } else {
        this.onmessage?.(message, extra);
      }
    };
  }

  get sessionId(): string | undefined {
    return this.inner.sessionId;
  }

  start(): Promise<void> {
    return this.inner.start();
  }

  send(...args: Parameters<Transport["send"]>): Promise<void> {
    return this.inner.send(...args);
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  setProtocolVersion(version: string): void {
    this.protocolVersion = version;
    this.inner.setProtocolVersion?.(version);
  }
}

/**
 * The legacy SSE transport is loaded by a computed name: its type declarations pull in `eventsource`,
 * whose published `source` export condition collides with this repository's own, and most programs never
 * need it.
 */
const SSE_MODULE = "@modelcontextprotocol/sdk/client/sse.js";
type SseTransportClass = new (url: URL, options?: { requestInit?: RequestInit }) => Transport;

async function makeTransport(
  params: McpServerParams,
): Promise<{ transport: Transport; stderrTail: () => string }> {
  const kind = transportKind(params);
  if (kind === "stdio") {
    const p = params as StdioServerParams;
    const mode = p.stderr ?? "pipe";
    const transport = new StdioClientTransport({
      command: p.command,
      args: [...(p.args ?? [])],
      ...(p.env ? { env: { ...p.env } } : {}),
      ...(p.cwd ? { cwd: p.cwd } : {}),
      stderr: mode,
    });
    let tail = "";
    if (mode === "pipe") {
      transport.stderr?.on("data", (chunk: Buffer | string) => {
        tail = (tail + chunk.toString()).slice(-STDERR_TAIL_CHARS);
      });
    }
    return { transport, stderrTail: () => tail };
  }
  const { url, headers } = params as { url: string; headers?: Readonly<Record<string, string>> };
  const requestInit: RequestInit = headers ? { headers: { ...headers } } : {};
  if (kind === "sse") {
    // The SDK sends these headers on the event stream and on the POSTs alike.
    const { SSEClientTransport } = (await import(SSE_MODULE)) as { SSEClientTransport: SseTransportClass };
    const transport = new SSEClientTransport(new URL(url), { requestInit });
    return { transport, stderrTail: () => "" };
  }
  // A lost stream is re-opened at most once: a dead server must surface as an error, not a long wait.
  const transport = new StreamableHTTPClientTransport(new URL(url), {
    requestInit,
    reconnectionOptions: {
      maxRetries: 1,
      initialReconnectionDelay: 200,
      maxReconnectionDelay: 1000,
      reconnectionDelayGrowFactor: 2,
    },
  });
  return { transport, stderrTail: () => "" };
}

/** What a new session needs besides the server params. */
export interface OpenSessionOptions {
  readonly clientInfo: { name: string; version: string };
  readonly clientOptions: ClientOptions;
  /** Registers request and notification handlers on the fresh client before it connects. */
  readonly configure: (client: Client, session: McpSession) => void;
  readonly signal?: AbortSignal;
}

/**
 * Starts the transport (spawning the process for stdio) and runs the handshake. The SDK offers the newest
 * protocol revision it speaks and accepts any older one the server answers with.
 *
 * @throws ToolError when the server cannot be started or the handshake fails, with the stderr tail of a
 *   stdio server in the message.
 */
export async function openSession(params: McpServerParams, options: OpenSessionOptions): Promise<McpSession> {
  try {
    return await openOnce(params, options);
  } catch (error) {
    // A pooled keep-alive socket to a server that has since restarted fails the first request; the
    // handshake is safe to send again on a new connection.
    if (!isStaleSocket(error) || options.signal?.aborted) throw error;
    await new Promise((resolve) => setTimeout(resolve, 20));
    return openOnce(params, options);
  }
}

/**
 * True when a request failed because the pooled connection it went out on had already been closed by
 * the server (no answer came back at all), as happens after a server restarts.
 */
export function isStaleSocket(error: unknown): boolean {
  let cause: unknown = error;
  for (let depth = 0; depth < 4 && cause instanceof Error; depth++) {
    const code = (cause as { code?: unknown }).code;
    if (code === "UND_ERR_SOCKET" || code === "ECONNRESET") return true;
    cause = cause.cause;
  }
  return false;
}

async function openOnce(params: McpServerParams, options: OpenSessionOptions): Promise<McpSession> {
  const { transport: inner, stderrTail } = await makeTransport(params);
  const transport = new RecordingTransport(inner);
  const client = new Client(options.clientInfo, options.clientOptions);
  const session: McpSession = {
    client,
    transport,
    protocolVersion: undefined,
    closed: false,
    stderrTail,
  };
  options.configure(client, session);
  const previousOnClose = client.onclose;
  client.onclose = () => {
    session.closed = true;
    previousOnClose?.();
  };
  try {
    await client.connect(transport, {
      timeout: params.timeout ?? DEFAULT_MCP_TIMEOUT_MS,
      ...(options.signal ? { signal: options.signal } : {}),
    });
  } catch (error) {
    session.closed = true;
    await client.close().catch(() => {});
    if (options.signal?.aborted) throw error;
    throw new ToolError(
      `Could not start the MCP server ${describeServer(params)}: ${errorText(error)}${stderrSuffix(session)}`,
      { cause: error, details: { server: describeServer(params) } },
    );
  }
  session.protocolVersion = transport.protocolVersion ?? session.protocolVersion;
  return session;
}

/** Closes a session, ending the server-side session of Streamable HTTP when asked. Never throws. */
export async function closeSession(session: McpSession, terminate: boolean): Promise<void> {
  session.closed = true;
  const inner = (session.transport as RecordingTransport).inner;
  if (terminate && inner instanceof StreamableHTTPClientTransport && inner.sessionId !== undefined) {
    await inner.terminateSession().catch(() => {});
  }
  await session.client.close().catch(() => {});
}

/**
 * True when the server no longer knows our session: HTTP 404 (the spec's answer), or a 400 whose text
 * names the session (what several servers, the reference server among them, send instead).
 */
export function isSessionLost(error: unknown): boolean {
  if (!(error instanceof StreamableHTTPError)) return false;
  return error.code === 404 || (error.code === 400 && /session/i.test(error.message));
}

/**
 * True when the error came from the server's answer (a JSON-RPC error), so the session is still good.
 * Everything else (a closed connection, a refused fetch, a broken stream) means the session is gone.
 */
export function isServerAnswer(error: unknown): boolean {
  return (
    error instanceof McpError &&
    error.code !== ErrorCode.ConnectionClosed &&
    error.code !== ErrorCode.RequestTimeout
  );
}

/** True for the SDK's request timeout. */
export function isRequestTimeout(error: unknown): boolean {
  return error instanceof McpError && error.code === ErrorCode.RequestTimeout;
}

/** The message of an error without the stack. */
export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** ` (stderr: ...)` with the server's last stderr output, or nothing. */
export function stderrSuffix(session: McpSession): string {
  const tail = session.stderrTail().trim();
  return tail ? `\nServer stderr (last lines):\n${tail.split("\n").slice(-10).join("\n")}` : "";
}
