/**
 * One live connection to an MCP server: the SDK (v2) client, its transport, and what we learned while
 * connecting. {@link openSession} starts the transport and settles the protocol revision: the client
 * probes with `server/discover` and speaks the stateless 2026-07-28 revision to a server that answers it,
 * and falls back to the `initialize` handshake (2025-11-25 and older) otherwise. The workbench decides when
 * to open, reuse and replace sessions.
 */
import { ToolError } from "@autogen-ts/core";
import {
  type AuthProvider,
  Client,
  type ClientOptions,
  type McpSubscription,
  type OAuthClientProvider,
  ProtocolError,
  SdkError,
  SdkErrorCode,
  SdkHttpError,
  SSEClientTransport,
  StreamableHTTPClientTransport,
  type Transport,
  UnauthorizedError,
} from "@modelcontextprotocol/client";
import { StdioClientTransport } from "@modelcontextprotocol/client/stdio";
import { McpOAuth } from "./oauth.js";
import {
  DEFAULT_MCP_TIMEOUT_MS,
  describeServer,
  type McpServerParams,
  type StdioServerParams,
  transportKind,
} from "./params.js";

/** Credentials for an HTTP server: any of the SDK's auth providers, or {@link McpOAuth}. */
export type McpAuth = AuthProvider | OAuthClientProvider;

/** How many authorizations one connect may go through (a first one, then scope step-ups): clients should bound them. */
const MAX_AUTHORIZATIONS = 3;

/** How much of a stdio server's stderr is kept for error messages. */
const STDERR_TAIL_CHARS = 2000;

/** The stateless protocol revision, spoken when the server answers `server/discover`. */
export const MODERN_PROTOCOL_VERSION = "2026-07-28";

/**
 * Which protocol revisions to try: `"auto"` probes for 2026-07-28 and falls back to the `initialize`
 * handshake; `"modern"` insists on 2026-07-28; `"legacy"` skips the probe (2025-11-25 and older).
 */
export type McpProtocolMode = "auto" | "modern" | "legacy";

/**
 * How long a stdio server may take to answer the `server/discover` probe before it is taken for an older
 * server that ignores unknown requests (an HTTP server that stays silent is an outage instead).
 */
const STDIO_PROBE_TIMEOUT_MS = 10_000;

/** A connected MCP session. `closed` turns true when the transport goes away (process exit, close). */
export interface McpSession {
  readonly client: Client;
  readonly transport: Transport;
  /** The protocol revision agreed on (2026-07-28 on a stateless connection). */
  protocolVersion: string | undefined;
  /** `"modern"` for 2026-07-28 (stateless, no session), `"legacy"` for the `initialize` handshake. */
  era: "modern" | "legacy" | undefined;
  closed: boolean;
  /**
   * On a 2026-07-28 connection, the open `subscriptions/listen` stream that carries tool-list changes
   * (servers of that revision send no unsolicited notifications); undefined when none is open.
   */
  subscription: McpSubscription | undefined;
  /** The last few kilobytes the server wrote to stderr (stdio with `stderr: "pipe"`). */
  stderrTail(): string;
}

async function makeTransport(
  params: McpServerParams,
  auth: McpAuth | undefined,
): Promise<{ transport: Transport; stderrTail: () => string }> {
  const kind = transportKind(params);
  if (kind === "stdio") {
    const p = params as StdioServerParams;
    const mode = p.stderr ?? "pipe";
    // A subclass, so the SDK probes in place: the server is started once. (With its own class it probes
    // on a throwaway sibling process first, starting every server twice per connect.) A server that exits
    // on the unknown first request is an older one; openSession starts it again for the handshake.
    const transport = new InPlaceStdioClientTransport({
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
  const authProvider = auth ? { authProvider: auth } : {};
  if (kind === "sse") {
    // The SDK sends these headers on the event stream and on the POSTs alike.
    return {
      transport: new SSEClientTransport(new URL(url), { requestInit, ...authProvider }),
      stderrTail: () => "",
    };
  }
  // A lost stream is re-opened at most once: a dead server must surface as an error, not a long wait.
  const transport = new StreamableHTTPClientTransport(new URL(url), {
    requestInit,
    ...authProvider,
    reconnectionOptions: {
      maxRetries: 1,
      initialReconnectionDelay: 200,
      maxReconnectionDelay: 1000,
      reconnectionDelayGrowFactor: 2,
    },
  });
  return { transport, stderrTail: () => "" };
}

/**
 * Settles responses a microtask late. The SDK runs notification handlers a microtask late but settles
 * responses at once, so progress notifications read in the same chunk as their response would find the
 * request gone; delaying responses keeps the wire order.
 */
function keepWireOrder(transport: Transport): void {
  const deliver = transport.onmessage;
  if (!deliver) return;
  transport.onmessage = (message, extra) => {
    if ("id" in message && ("result" in message || "error" in message)) {
      queueMicrotask(() => deliver(message, extra));
    } else {
      deliver(message, extra);
    }
  };
}

/** What a new session needs besides the server params. */
export interface OpenSessionOptions {
  readonly clientInfo: { name: string; version: string };
  readonly clientOptions: ClientOptions;
  /** Which revisions to try (default `"auto"`). */
  readonly protocol?: McpProtocolMode;
  /** Registers request and notification handlers on the fresh client before it connects. */
  readonly configure: (client: Client, session: McpSession) => void;
  readonly signal?: AbortSignal;
  /** Credentials for an HTTP server. */
  readonly auth?: McpAuth;
}

/**
 * After a request failed for want of authorization: when an {@link McpOAuth} has just sent the user to
 * the authorization page, waits for the code it brings back and exchanges it on the session's transport.
 * True when the request may be sent again.
 */
export async function finishAuthorization(
  transport: Transport,
  auth: McpAuth | undefined,
  error: unknown,
): Promise<boolean> {
  if (!(auth instanceof McpOAuth) || !isUnauthorized(error)) return false;
  const pending = auth.takeAuthorization();
  if (!pending) return false;
  const answer = await pending;
  const http = transport as StreamableHTTPClientTransport;
  if (typeof http.finishAuth !== "function") return false;
  if (typeof answer === "string") await http.finishAuth(answer);
  else await http.finishAuth(answer);
  return true;
}

function isUnauthorized(error: unknown): boolean {
  let cause: unknown = error;
  for (let depth = 0; depth < 4 && cause instanceof Error; depth++) {
    if (UnauthorizedError.isInstance(cause)) return true;
    cause = (cause as Error).cause;
  }
  return false;
}

/**
 * Starts the transport (spawning the process for stdio) and settles the protocol revision: 2026-07-28 when
 * the server answers `server/discover`, else the `initialize` handshake, where the SDK offers 2025-11-25 and
 * accepts any older revision the server answers with.
 *
 * @throws ToolError when the server cannot be started or the handshake fails, with the stderr tail of a
 *   stdio server in the message.
 */
export async function openSession(params: McpServerParams, options: OpenSessionOptions): Promise<McpSession> {
  try {
    return await openOnce(params, options);
  } catch (error) {
    if (closedDuringProbe(error, params, options) && !options.signal?.aborted) {
      return openOnce(params, { ...options, protocol: "legacy" });
    }
    // A pooled keep-alive socket to a server that has since restarted fails the first request; the
    // handshake is safe to send again on a new connection.
    if (!isStaleSocket(error) || options.signal?.aborted) throw error;
    await new Promise((resolve) => setTimeout(resolve, 20));
    return openOnce(params, options);
  }
}

/** The stdio transport of the SDK, as a subclass so that the SDK probes `server/discover` in place. */
class InPlaceStdioClientTransport extends StdioClientTransport {}

/** True when an auto-negotiating stdio server went away on the `server/discover` probe (an older server). */
function closedDuringProbe(error: unknown, params: McpServerParams, options: OpenSessionOptions): boolean {
  if (!("command" in params) || (options.protocol ?? "auto") !== "auto") return false;
  return /closed during the server\/discover probe/.test(errorText(error));
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

function negotiation(params: McpServerParams, mode: McpProtocolMode): ClientOptions["versionNegotiation"] {
  if (mode === "legacy") return { mode: "legacy" };
  if (mode === "modern") return { mode: { pin: MODERN_PROTOCOL_VERSION } };
  const timeout = params.timeout ?? DEFAULT_MCP_TIMEOUT_MS;
  // On stdio a silent probe means an older server: do not make it wait the whole request timeout.
  const probeTimeout = "command" in params ? Math.min(timeout, STDIO_PROBE_TIMEOUT_MS) : timeout;
  return { mode: "auto", probe: { timeoutMs: probeTimeout } };
}

async function openOnce(
  params: McpServerParams,
  options: OpenSessionOptions,
  authorizations = 0,
): Promise<McpSession> {
  const { transport, stderrTail } = await makeTransport(params, options.auth);
  // The legacy SSE transport predates the stateless revision: no probe there.
  const mode = transportKind(params) === "sse" ? "legacy" : (options.protocol ?? "auto");
  const client = new Client(options.clientInfo, {
    ...options.clientOptions,
    versionNegotiation: negotiation(params, mode),
  });
  const session: McpSession = {
    client,
    transport,
    protocolVersion: undefined,
    era: undefined,
    closed: false,
    subscription: undefined,
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
    if (
      authorizations + 1 < MAX_AUTHORIZATIONS &&
      (await finishAuthorization(transport, options.auth, error))
    ) {
      await client.close().catch(() => {});
      return openOnce(params, options, authorizations + 1);
    }
    await client.close().catch(() => {});
    if (options.signal?.aborted) throw error;
    throw new ToolError(
      `Could not start the MCP server ${describeServer(params)}: ${errorText(error)}${stderrSuffix(session)}`,
      { cause: error, details: { server: describeServer(params) } },
    );
  }
  keepWireOrder(transport);
  session.protocolVersion = client.getNegotiatedProtocolVersion();
  session.era = client.getProtocolEra();
  if (session.era === "modern" && client.getServerCapabilities()?.tools?.listChanged) {
    await listenForToolChanges(session, params);
  }
  return session;
}

/**
 * Opens the `subscriptions/listen` stream of a 2026-07-28 connection for tool-list changes; their
 * notifications reach the same handler as the unsolicited ones of older revisions. A server that refuses
 * leaves the session without one, and the workbench then lists tools afresh each time.
 */
async function listenForToolChanges(session: McpSession, params: McpServerParams): Promise<void> {
  try {
    const subscription = await session.client.listen(
      { toolsListChanged: true },
      { timeout: params.timeout ?? DEFAULT_MCP_TIMEOUT_MS },
    );
    if (!subscription.honoredFilter.toolsListChanged) {
      await subscription.close();
      return;
    }
    session.subscription = subscription;
    void subscription.closed.then(() => {
      if (session.subscription === subscription) session.subscription = undefined;
    });
  } catch {
    session.subscription = undefined;
  }
}

/**
 * True while the server promises to announce tool-list changes on this session, so a listing may be
 * cached: a 2025-era server advertising `tools.listChanged`, or a live listen stream on a 2026-07-28 one.
 */
export function announcesToolChanges(session: McpSession): boolean {
  if (session.closed) return false;
  if (session.era === "modern") return session.subscription !== undefined;
  return session.client.getServerCapabilities()?.tools?.listChanged === true;
}

/** Closes a session, ending the server-side session of Streamable HTTP when asked. Never throws. */
export async function closeSession(session: McpSession, terminate: boolean): Promise<void> {
  session.closed = true;
  const subscription = session.subscription;
  session.subscription = undefined;
  await subscription?.close().catch(() => {});
  const transport = session.transport;
  if (terminate && transport instanceof StreamableHTTPClientTransport && transport.sessionId !== undefined) {
    await transport.terminateSession().catch(() => {});
  }
  await session.client.close().catch(() => {});
}

/**
 * True when the server no longer knows our session: HTTP 404 (the spec's answer), or a 400 whose text
 * names the session (what several servers, the reference server among them, send instead). Only a
 * 2025-era connection has a session to lose.
 */
export function isSessionLost(error: unknown): boolean {
  if (!SdkHttpError.isInstance(error)) return false;
  return error.status === 404 || (error.status === 400 && /session/i.test(error.message));
}

/**
 * True when the error came from the server's answer (a JSON-RPC error), so the session is still good.
 * Everything else (a closed connection, a refused fetch, a broken stream) means the session is gone.
 */
export function isServerAnswer(error: unknown): boolean {
  return ProtocolError.isInstance(error);
}

/** True for the SDK's request timeout. */
export function isRequestTimeout(error: unknown): boolean {
  return SdkError.isInstance(error) && error.code === SdkErrorCode.RequestTimeout;
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
