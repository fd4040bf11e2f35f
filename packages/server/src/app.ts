/**
 * `createServerApp`: the HTTP API as one Hono app (web-standard: Node through `@hono/node-server`, or
 * Deno, Bun and edge hosts), behind the shared guard of `@autogen-ts/ext/http` (Host allowlist, body
 * limit, authentication). Routes are defined with zod, and `/openapi.json` is generated from them.
 */

import type { JsonObject, JsonValue, RunStore } from "@autogen-ts/core";
import { ValidationError } from "@autogen-ts/core";
import { type GuardedEnv, guardedApp, type Rejection } from "@autogen-ts/ext/http";
import { OpenAPIHono } from "@hono/zod-openapi";
import type { Hono } from "hono";
import { cors } from "hono/cors";
import { HTTPException } from "hono/http-exception";
import {
  ANONYMOUS,
  type AuthenticateHook,
  type AuthorizeHook,
  apiKeyAuthenticator,
  ownerOnly,
  type Principal,
} from "./auth.js";
import { errorResponseOf, ServerError } from "./errors.js";
import * as routes from "./http/routes.js";
import { parseLastEventId, sseResponse } from "./http/sse.js";
import { mountOpenAI } from "./openai/routes.js";
import { RunManager } from "./runs/manager.js";
import { checkpointView, eventView, runView, threadView } from "./runs/views.js";
import { indexTeams, type ServerTeam } from "./teams.js";
import { VERSION } from "./version.js";

/** Options of {@link createServerApp}. */
export interface ServerAppOptions {
  /**
   * What the server runs; clients name them. A map is used live, as it stands at each request (the
   * studio adds and changes teams while it serves); an array is checked and fixed at start.
   */
  readonly teams: readonly ServerTeam[] | ReadonlyMap<string, ServerTeam>;
  /** Where threads, runs, events, checkpoints and input requests live. */
  readonly store: RunStore;
  /** Bearer API keys: each is its own principal (`api-key-1`, `api-key-2`, ...). */
  readonly apiKeys?: readonly string[];
  /** Your own authentication (replaces `apiKeys`): a principal, or undefined to answer 401. */
  readonly authenticate?: AuthenticateHook;
  /** Who may do what (default: each principal acts on what it owns). */
  readonly authorize?: AuthorizeHook;
  /** `Host` headers accepted (default: the loopback names); list a public server's names. */
  readonly allowedHosts?: readonly string[] | "*";
  /** Largest request body in bytes (default 1 MiB). */
  readonly maxBodyBytes?: number;
  /** Origins allowed to call from a browser page (default none: CORS off). */
  readonly corsOrigins?: readonly string[];
  /** Readers one run's stream takes at once (default 10,000); more answer 503. */
  readonly maxStreamsPerRun?: number;
  /**
   * Other apps served beside the API (the MCP and A2A apps of `@autogen-ts/ext`), behind the same guard:
   * a request whose path starts with `path` goes to `app`, with the URL unchanged.
   */
  readonly mounts?: readonly ServerMount[];
  /** Where unexpected errors are reported (default: nowhere). Never given secrets by the server. */
  readonly onError?: (error: unknown) => void;
}

/** An app served beside the API; `fetch` is a web-standard handler (a Hono app's `fetch` will do). */
export interface ServerMount {
  /** The path prefix it owns (`/mcp`, `/a2a`); also any exact paths it answers (an agent card). */
  readonly path: string;
  /** More paths it answers outside `path` (A2A's `/.well-known/agent-card.json`). */
  readonly paths?: readonly string[];
  /** Paths of its own served without authentication (discovery documents, such as an agent card). */
  readonly publicPaths?: readonly string[];
  /** Serves a request (a foreign app: MCP, A2A), when `app` is not given. */
  readonly fetch?: (request: Request) => Response | Promise<Response>;
  /**
   * A Hono app routed under `path` on the server's own app, so its handlers see what the guard set (the
   * caller's `principal`): for apps that extend the API, as the Studio's do.
   */
  // biome-ignore lint/suspicious/noExplicitAny: route() takes a sub-app of any env, schema and base path.
  readonly app?: Hono<any, any, any>;
}

/** A built server app. */
export interface ServerApp {
  /** The Hono app: `app.fetch` serves a `Request`. */
  readonly app: Hono<GuardedEnv<Principal>>;
  /** Threads and runs (what the routes call). */
  readonly manager: RunManager;
  /** The store the server keeps its record in. */
  readonly store: RunStore;
  /** The authenticate hook in force (undefined: every caller is anonymous, loopback only). */
  readonly authenticate: AuthenticateHook | undefined;
  /** Whether requests are authenticated (a server on a non-loopback address needs it). */
  readonly authenticated: boolean;
  /** The OpenAPI 3.1 document. */
  document(): unknown;
  /** Stops taking runs and interrupts the live ones (recorded as `interrupted`, resumable). */
  shutdown(): Promise<void>;
}

const PUBLIC_PATHS = new Set(["/health", "/ready", "/openapi.json"]);

const rejection: Rejection = (status, message, headers) =>
  new Response(
    JSON.stringify({
      error: {
        code: status === 401 ? "unauthorized" : status === 413 ? "payload_too_large" : "forbidden",
        message,
      },
    }),
    {
      status,
      headers: { "content-type": "application/json", ...headers },
    },
  );

/** Builds the API app. */
export function createServerApp(options: ServerAppOptions): ServerApp {
  const teams = options.teams instanceof Map ? options.teams : indexTeams(options.teams as ServerTeam[]);
  const authenticate =
    options.authenticate ??
    (options.apiKeys && options.apiKeys.length > 0 ? apiKeyAuthenticator(options.apiKeys) : undefined);
  const onError = options.onError ?? (() => {});
  const manager = new RunManager({
    store: options.store,
    teams,
    authorize: options.authorize ?? ownerOnly,
    onError,
  });
  const maxStreams = options.maxStreamsPerRun ?? 10_000;
  const publicPaths = new Set([
    ...PUBLIC_PATHS,
    ...(options.mounts ?? []).flatMap((m) => m.publicPaths ?? []),
  ]);
  const root = guardedApp<Principal>({
    ...(options.allowedHosts !== undefined ? { allowedHosts: options.allowedHosts } : {}),
    maxBodyBytes: options.maxBodyBytes ?? 1024 * 1024,
    ...(authenticate !== undefined ? { authenticate } : {}),
    isPublic: (request) => publicPaths.has(new URL(request.url).pathname),
    reject: rejection,
  });
  if (options.corsOrigins && options.corsOrigins.length > 0) {
    root.use(
      "*",
      cors({
        origin: [...options.corsOrigins],
        allowHeaders: ["authorization", "content-type", "last-event-id"],
      }),
    );
  }
  const api = new OpenAPIHono<GuardedEnv<Principal>>({
    defaultHook: (result) => {
      if (!result.success) {
        const issue = result.error.issues[0];
        const where = issue?.path.length ? `${issue.path.join(".")}: ` : "";
        throw new ServerError(400, "bad_request", `${result.target}: ${where}${issue?.message ?? "invalid"}`);
      }
    },
  });
  const who = (c: { get(key: "principal"): Principal | undefined }): Principal =>
    c.get("principal") ?? ANONYMOUS;

  api.openapi(routes.listTeams, (c) =>
    c.json(
      {
        items: [...teams.values()].map((t) => ({
          name: t.name,
          ...(t.description ? { description: t.description } : {}),
        })),
      },
      200,
    ),
  );

  api.openapi(routes.createThread, async (c) => {
    const body = (c.req.valid("json") ?? {}) as { metadata?: JsonObject };
    const thread = await manager.createThread(who(c), body.metadata ?? {});
    return c.json(threadView(thread, "idle"), 201);
  });

  api.openapi(routes.listThreads, async (c) => {
    const { limit, cursor } = c.req.valid("query");
    const page = await options.store.listThreads({
      owner: who(c).id,
      ...(limit ? { limit } : {}),
      ...(cursor ? { cursor } : {}),
    });
    const items = await Promise.all(
      page.items.map(async (t) => threadView(t, await manager.threadStatus(t.id))),
    );
    return c.json({ items, ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) }, 200);
  });

  api.openapi(routes.getThread, async (c) => {
    const thread = await manager.thread(who(c), c.req.valid("param").threadId);
    return c.json(threadView(thread, await manager.threadStatus(thread.id)), 200);
  });

  api.openapi(routes.deleteThread, async (c) => {
    await manager.deleteThread(who(c), c.req.valid("param").threadId);
    return c.body(null, 204);
  });

  api.openapi(routes.threadHistory, async (c) => {
    const thread = await manager.thread(who(c), c.req.valid("param").threadId);
    const { limit, cursor, state } = c.req.valid("query");
    const page = await options.store.listCheckpoints(thread.id, {
      ...(limit ? { limit } : {}),
      ...(cursor ? { cursor } : {}),
    });
    const items = page.items.map((cp) => checkpointView(cp, state !== "false"));
    return c.json({ items, ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) }, 200);
  });

  api.openapi(routes.createRun, async (c) => {
    const principal = who(c);
    const body = c.req.valid("json");
    const run = await manager.startRun(principal, c.req.valid("param").threadId, body);
    if (body.mode === "background") return c.json(runView(run, []), 201);
    if (body.mode === "wait") {
      await manager.settled(run.id);
      const settled = await manager.run(principal, run.id);
      const pending = await options.store.listInputRequests(run.id, { pending: true });
      const events = await options.store.readEvents(run.id);
      return c.json({ run: runView(settled, pending), events: events.map(eventView) }, 200);
    }
    const cancelOnDrop = body.onDisconnect === "cancel";
    return sseResponse(await manager.feed(run), 0, {
      signal: c.req.raw.signal,
      headers: { "x-run-id": run.id, "x-thread-id": run.threadId },
      onClose: (dropped) => {
        if (dropped && cancelOnDrop)
          void manager.cancel(principal, run.id, "the client disconnected").catch(() => {});
      },
    }) as never;
  });

  api.openapi(routes.getRun, async (c) => {
    const run = await manager.run(who(c), c.req.valid("param").runId);
    return c.json(runView(run, await options.store.listInputRequests(run.id, { pending: true })), 200);
  });

  api.openapi(routes.streamRun, async (c) => {
    const run = await manager.run(who(c), c.req.valid("param").runId, "stream");
    const feed = await manager.feed(run);
    const cursor = parseLastEventId(
      c.req.header("last-event-id") ?? c.req.query("lastEventId"),
      Math.max(run.lastSeq, feed.lastSeq),
    );
    if (feed.readers >= maxStreams) {
      throw new ServerError(
        503,
        "bad_request",
        `Run ${run.id} has ${feed.readers} readers already (the limit)`,
      );
    }
    return sseResponse(feed, cursor, { signal: c.req.raw.signal }) as never;
  });

  api.openapi(routes.cancelRun, async (c) => {
    const run = await manager.cancel(who(c), c.req.valid("param").runId);
    return c.json(runView(run, []), 200);
  });

  api.openapi(routes.answerInput, async (c) => {
    const { requestId, value } = c.req.valid("json");
    const run = await manager.answer(
      who(c),
      c.req.valid("param").runId,
      requestId,
      (value ?? null) as JsonValue,
    );
    return c.json(runView(run, await options.store.listInputRequests(run.id, { pending: true })), 202);
  });

  api.openapi(routes.health, (c) => c.json({ status: "ok" as const }, 200));
  api.openapi(routes.ready, (c) =>
    manager.accepting ? c.json({ ready: true }, 200) : c.json({ ready: false, reason: "shutting down" }, 503),
  );

  mountOpenAI(api, { manager, who });

  api.openAPIRegistry.registerComponent("securitySchemes", "bearer", { type: "http", scheme: "bearer" });
  const documentConfig = {
    openapi: "3.1.0",
    info: {
      title: "autogen-ts server",
      version: VERSION,
      description: "Threads and runs of autogen-ts teams.",
    },
  };
  api.get("/openapi.json", (c) => c.json(api.getOpenAPI31Document(documentConfig)));

  const onAppError = (error: unknown, c: { json: (body: unknown, status: number) => Response }) => {
    if (error instanceof HTTPException) {
      const status = error.status;
      const code = status === 413 ? "payload_too_large" : "bad_request";
      return new Response(JSON.stringify({ error: { code, message: error.message || "Bad request" } }), {
        status,
        headers: { "content-type": "application/json" },
      });
    }
    const { status, body } = errorResponseOf(error);
    if (status >= 500) onError(error);
    return c.json(body, status);
  };
  api.onError((error, c) => onAppError(error, c as never));
  root.onError((error, c) => onAppError(error, c as never));
  api.notFound((c) =>
    c.json({ error: { code: "not_found", message: `No route ${c.req.method} ${c.req.path}` } }, 404),
  );

  for (const mount of options.mounts ?? []) {
    if (mount.app !== undefined) {
      root.route(mount.path, mount.app);
      continue;
    }
    const fetchMount = mount.fetch;
    if (fetchMount === undefined)
      throw new ValidationError(`The mount at ${mount.path} needs 'app' or 'fetch'`);
    const serveMount = (c: { req: { raw: Request } }) => fetchMount(c.req.raw);
    root.all(mount.path, serveMount);
    root.all(`${mount.path}/*`, serveMount);
    for (const path of mount.paths ?? []) root.all(path, serveMount);
  }
  root.route("/", api);

  return {
    app: root,
    manager,
    store: options.store,
    authenticate,
    authenticated: authenticate !== undefined,
    document: () => api.getOpenAPI31Document(documentConfig),
    shutdown: () => manager.shutdown(),
  };
}
