/**
 * The MCP endpoint as a Hono app, for `serveMcp` and for mounting beside other routes. Both eras of the
 * protocol on one path: 2026-07-28 requests (stateless, version in `_meta`) go to the SDK's per-request
 * handler; an `initialize` opens a 2025-era session on the SDK's Streamable HTTP transport with an event
 * store, so its SSE streams carry event ids and a `retry` hint, and a client that reconnects with
 * `Last-Event-ID` gets what it missed.
 */
import { randomUUID } from "node:crypto";
import {
  type AuthInfo,
  createMcpHandler,
  isInitializeRequest,
  isLegacyRequest,
  type McpHttpHandler,
  type Server,
  WebStandardStreamableHTTPServerTransport,
} from "@modelcontextprotocol/server";
import type { Hono } from "hono";
import {
  DEFAULT_MAX_BODY_BYTES,
  type GuardedEnv,
  guardedApp,
  JSON_RPC_ERRORS,
  jsonRpcErrorResponse,
  jsonRpcRejection,
} from "../../http/index.js";
import { type McpAuthOptions, mcpAuth } from "./auth.js";
import { type McpServeInput, normalizeEntries } from "./definitions.js";
import { InMemoryEventStore } from "./event-store.js";
import { buildServer, makeShared } from "./server.js";

/** Options of {@link mcpApp} (and of `serveMcp` over HTTP). */
export interface McpAppOptions {
  /** The endpoint's path (default `/mcp`). */
  readonly path?: string;
  /**
   * `Host` headers accepted (names, or `name:port`; `"*"` for any). Default: the loopback names, a guard
   * against DNS rebinding; a server on a public address lists its public names.
   */
  readonly allowedHosts?: readonly string[] | "*";
  /** Authentication: bearer tokens, or an OAuth resource server. Required to listen beyond loopback. */
  readonly auth?: McpAuthOptions;
  /** The largest request body in bytes (default 4 MiB). */
  readonly maxBodyBytes?: number;
  /** The server's name in the handshake (default `autogen-ts`). */
  readonly serverName?: string;
  /** The server's version in the handshake (default: this package's version). */
  readonly serverVersion?: string;
  /** Instructions for the client's model, sent in the handshake. */
  readonly instructions?: string;
  /** For a single agent: the tool's name (default: the agent's name, else `run_task`). */
  readonly toolName?: string;
  /** For a single agent: the tool's description (default: the agent's description). */
  readonly toolDescription?: string;
  /** For a single agent: the last chat message (default) or all of them as the answer. */
  readonly answer?: "last" | "all";
  /** The `retry` hint (ms) sent on 2025-era SSE streams, the wait before a client reconnects (default 1000). */
  readonly retryIntervalMs?: number;
  /** The most finished runs whose transcripts stay readable (default 100). */
  readonly maxRuns?: number;
  /** The most open 2025-era sessions; the oldest is closed past it (default 1000). */
  readonly maxSessions?: number;
}

/** A mountable MCP app and its lifecycle. */
export interface McpApp {
  /** The Hono app: routes at `path` and, with OAuth, `/.well-known/...`; mount it at `/`. */
  readonly app: Hono<GuardedEnv<AuthInfo>>;
  /** The endpoint's path. */
  readonly path: string;
  /** Ends every session and aborts the runs in progress. Idempotent. */
  close(): Promise<void>;
}

interface LegacySession {
  readonly server: Server;
  readonly transport: WebStandardStreamableHTTPServerTransport;
}

/**
 * An MCP server over Streamable HTTP as a Hono app: mount it on another app (`parent.route("/", app)`),
 * or serve it with `listen` from `@autogen-ts/ext/http` (which `serveMcp` does).
 *
 * @throws ValidationError for bad entries or options.
 */
export function mcpApp(input: McpServeInput, options: McpAppOptions = {}): McpApp {
  const path = options.path ?? "/mcp";
  const entries = normalizeEntries(input, options);
  const shared = makeShared(entries, options);
  const auth = mcpAuth(options.auth);
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const app = guardedApp<AuthInfo>({
    ...(options.allowedHosts !== undefined ? { allowedHosts: options.allowedHosts } : {}),
    maxBodyBytes,
    reject: jsonRpcRejection,
    ...(auth
      ? {
          authenticate: auth.authenticate,
          isPublic: (request: Request) => new URL(request.url).pathname.startsWith("/.well-known/"),
        }
      : {}),
  });
  if (auth?.metadataPath) {
    app.get(auth.metadataPath, (c) => c.json(auth.metadata as object));
    if (auth.authorizationServerMetadata) {
      app.get("/.well-known/oauth-authorization-server", (c) =>
        c.json(auth.authorizationServerMetadata as object),
      );
    }
  }

  const modern: McpHttpHandler = createMcpHandler(() => buildServer(shared, "modern"), {
    legacy: "reject",
    maxRequestBodySize: maxBodyBytes,
  });
  const sessions = new Map<string, LegacySession>();
  const maxSessions = options.maxSessions ?? 1000;

  const openSession = async (): Promise<LegacySession> => {
    const server = buildServer(shared, "legacy");
    const transport: WebStandardStreamableHTTPServerTransport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      eventStore: new InMemoryEventStore(),
      retryInterval: options.retryIntervalMs ?? 1000,
      maxRequestBodySize: maxBodyBytes,
      onsessioninitialized: (id) => {
        sessions.set(id, session);
        for (const [oldest, old] of sessions) {
          if (sessions.size <= maxSessions) break;
          sessions.delete(oldest);
          void old.server.close().catch(() => {});
        }
      },
      onsessionclosed: (id) => {
        sessions.delete(id);
      },
    });
    const session: LegacySession = { server, transport };
    transport.onclose = () => {
      if (transport.sessionId) sessions.delete(transport.sessionId);
    };
    await server.connect(transport);
    return session;
  };

  app.all(path, async (c) => {
    const request = c.req.raw;
    const authInfo = c.get("principal");
    const extra = authInfo ? { authInfo } : {};
    const sessionId = request.headers.get("mcp-session-id");
    if (sessionId) {
      const session = sessions.get(sessionId);
      // 404 tells a client to start a new session (the spec's answer to an unknown session).
      if (!session) return jsonRpcErrorResponse(-32001, "Session not found", { status: 404 });
      return session.transport.handleRequest(request, extra);
    }
    if (request.method !== "POST") {
      return jsonRpcErrorResponse(-32000, "Bad Request: no session; start one with an initialize request", {
        status: request.method === "GET" || request.method === "DELETE" ? 400 : 405,
        ...(request.method === "GET" || request.method === "DELETE"
          ? {}
          : { headers: { allow: "GET, POST, DELETE" } }),
      });
    }
    let body: unknown;
    try {
      body = await request.clone().json();
    } catch {
      return jsonRpcErrorResponse(JSON_RPC_ERRORS.parseError, "Parse error: the body is not JSON", {
        status: 400,
      });
    }
    if (isInitializeRequest(body)) {
      const session = await openSession();
      return session.transport.handleRequest(request, { parsedBody: body, ...extra });
    }
    if (await isLegacyRequest(request, body, { maxRequestBodySize: maxBodyBytes })) {
      return jsonRpcErrorResponse(-32000, "Bad Request: no session; start one with an initialize request", {
        status: 400,
      });
    }
    return modern.fetch(request, { parsedBody: body, ...extra });
  });

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      for (const runner of shared.runners.values()) runner.abortAll();
      const all = [...sessions.values()];
      sessions.clear();
      await Promise.all(all.map(({ server }) => server.close().catch(() => {})));
      await modern.close().catch(() => {});
    })();
    return closing;
  };
  return { app, path, close };
}
