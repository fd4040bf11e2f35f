/**
 * The A2A endpoint as a Hono app, for `serveA2A` and for mounting beside other routes: the agent card at
 * `/.well-known/agent-card.json` and JSON-RPC at `path`, speaking v1.0 to requests that carry
 * `A2A-Version: 1.0` and v0.3 (through the SDK's compatibility layer) to the rest, on the guard of
 * `@autogen-ts/ext/http` with the card's authentication enforced.
 */
import { A2A_VERSION_HEADER, type AgentCard, TaskState } from "@a2a-js/sdk";
import { LegacyJsonRpcTransportHandler, LegacyRestTransportHandler } from "@a2a-js/sdk/compat/v0_3/server";
import { TaskNotCancelableError } from "@a2a-js/sdk/errors";
import {
  DefaultRequestHandler,
  defaultServerCallContextBuilder,
  InMemoryTaskStore,
  JsonRpcTransportHandler,
  type ServerCallContext,
  type TaskStore,
  UnauthenticatedUser,
  validateVersion,
} from "@a2a-js/sdk/server";
import { ValidationError } from "@autogen-ts/core";
import type { Hono } from "hono";
import {
  type GuardedEnv,
  guardedApp,
  JSON_RPC_ERRORS,
  jsonRpcErrorResponse,
  jsonRpcIdOf,
  jsonRpcRejection,
} from "../http/index.js";
import { type A2AAuthOptions, type A2APrincipal, A2AUser, a2aAuth } from "./auth.js";
import { type A2ASkill, cardJson, makeCard } from "./card.js";
import { type A2AServable, type A2AServableFactory, Contexts, RunExecutor } from "./executor.js";
import { type A2APushOptions, pushNotifications } from "./push.js";
import { handleRest, restError } from "./rest.js";
import { handleLegacyRest } from "./rest-v03.js";
import { sseResponse } from "./sse.js";

/** The path of the agent card, per the A2A specification. */
export const AGENT_CARD_PATH = "/.well-known/agent-card.json";

/** Options of {@link a2aApp} (and of `serveA2A`). */
export interface A2AAppOptions {
  /** The card's name (default: the agent's name, else `autogen-ts agent`). */
  readonly name?: string;
  /** The card's description (default: the agent's description). */
  readonly description?: string;
  /** The card's skills (default: one skill named after the agent). */
  readonly skills?: readonly A2ASkill[];
  /**
   * The public base URL clients reach this server at, for a server behind a proxy. Default: the origin
   * each card request came to. The card advertises `<url><path>`.
   */
  readonly url?: string;
  /** The JSON-RPC endpoint's path (default `/a2a`). */
  readonly path?: string;
  /**
   * The base path of the HTTP+JSON (REST) binding, v1.0 (default `<path>/rest`: `POST /a2a/rest/message:send`,
   * `GET /a2a/rest/tasks/{id}`, ...); `false` serves JSON-RPC only.
   */
  readonly restPath?: string | false;
  /** The card's version of the agent (default `0.1.0`). */
  readonly version?: string;
  /** The answer is the run's last chat message (default) or all its chat messages (`"all"`). */
  readonly answer?: "last" | "all";
  /** With a factory: the most conversations kept; the least recently used idle one goes first (default 100). */
  readonly maxContexts?: number;
  /** `Host` headers accepted (default: the loopback names, against DNS rebinding); `"*"` for any. */
  readonly allowedHosts?: readonly string[] | "*";
  /** Authentication, declared in the card and enforced: API keys, bearer tokens. Needed beyond loopback. */
  readonly auth?: A2AAuthOptions;
  /** The largest request body in bytes (default 4 MiB). */
  readonly maxBodyBytes?: number;
  /**
   * Where tasks are kept (default: in memory). Any `TaskStore` of the SDK; `runStoreTaskStore(store)` keeps
   * them in a durable run store, so a restarted server still answers `GetTask`.
   */
  readonly taskStore?: TaskStore;
  /**
   * Push notifications: clients may register webhooks that get every task update. Webhook URLs pass the
   * fetch guard's address policy (no private addresses unless allowed), checked when registered and at
   * every delivery. Default: off (the card says so, and registering fails with -32003).
   */
  readonly pushNotifications?: A2APushOptions | boolean;
}

/** A mountable A2A app and its lifecycle. */
export interface A2AApp {
  /** The Hono app: the card at `/.well-known/agent-card.json`, JSON-RPC at `path`; mount it at `/`. */
  readonly app: Hono<GuardedEnv<A2APrincipal>>;
  /** The JSON-RPC endpoint's path. */
  readonly path: string;
  /** The REST binding's base path, or `undefined` when it is off. */
  readonly restPath: string | undefined;
  /** The card, as advertised for `baseUrl` (default: the `url` option, else `http://localhost`). */
  card(baseUrl?: string): AgentCard;
  /** Aborts the runs in progress. Idempotent. */
  close(): Promise<void>;
}

/** The SDK's handler, with the spec's answer to cancelling a task that is already cancelled: -32002. */
class SpecRequestHandler extends DefaultRequestHandler {
  constructor(
    card: AgentCard,
    private readonly store: TaskStore,
    executor: RunExecutor,
    push: ReturnType<typeof pushNotifications>,
  ) {
    super(card, store, executor, undefined, push?.store, push?.sender);
    this.push = push;
  }

  private readonly push: ReturnType<typeof pushNotifications>;

  override async createTaskPushNotificationConfig(
    ...args: Parameters<DefaultRequestHandler["createTaskPushNotificationConfig"]>
  ) {
    // The webhook must pass the URL policy before it is stored, not only when it is called.
    await this.push?.check(args[0].url);
    return super.createTaskPushNotificationConfig(...args);
  }

  override async cancelTask(...args: Parameters<DefaultRequestHandler["cancelTask"]>) {
    const [params, context] = args;
    const task = await this.store.load(params.id, context);
    if (task?.status?.state === TaskState.TASK_STATE_CANCELED) {
      throw new TaskNotCancelableError(`Task not cancelable: ${params.id} is already canceled`);
    }
    return super.cancelTask(...args);
  }
}

/**
 * An A2A server as a Hono app: mount it on another app (`parent.route("/", app)`), or serve it with
 * `listen` from `@autogen-ts/ext/http` (which `serveA2A` does).
 *
 * @throws ValidationError for bad options.
 */
export function a2aApp(agentOrTeam: A2AServable | A2AServableFactory, options: A2AAppOptions = {}): A2AApp {
  const sample = typeof agentOrTeam === "function" ? undefined : agentOrTeam;
  const path = options.path ?? "/a2a";
  if (!path.startsWith("/") || path === AGENT_CARD_PATH) {
    throw new ValidationError(`serveA2A: 'path' must start with "/" and differ from ${AGENT_CARD_PATH}`);
  }
  const maxContexts = options.maxContexts ?? 100;
  if (!Number.isInteger(maxContexts) || maxContexts < 1) {
    throw new ValidationError("serveA2A: 'maxContexts' must be a positive integer");
  }
  const restPath = options.restPath === false ? undefined : (options.restPath ?? `${path}/rest`);
  if (restPath !== undefined && (!restPath.startsWith("/") || restPath === path)) {
    throw new ValidationError(`serveA2A: 'restPath' must start with "/" and differ from 'path'`);
  }
  const push = pushNotifications(options.pushNotifications);
  const auth = a2aAuth(options.auth);
  const security = {
    ...(auth?.apiKeyHeader ? { apiKeyHeader: auth.apiKeyHeader } : {}),
    bearer: auth?.bearer ?? false,
  };
  const name = options.name ?? sample?.name ?? "autogen-ts agent";
  const description =
    options.description ?? sample?.description ?? "An autogen-ts agent team. Send it a task in plain words.";
  const cardFor = (baseUrl: string) =>
    makeCard({
      name,
      description,
      endpoint: `${baseUrl.replace(/\/+$/, "")}${path}`,
      ...(restPath !== undefined ? { restEndpoint: `${baseUrl.replace(/\/+$/, "")}${restPath}` } : {}),
      pushNotifications: push !== undefined,
      version: options.version ?? "0.1.0",
      skills: options.skills,
      security,
    });
  const card = cardFor(options.url ?? "http://localhost");
  const executor = new RunExecutor(new Contexts(agentOrTeam, maxContexts), options.answer ?? "last");
  const handler = new SpecRequestHandler(card, options.taskStore ?? new InMemoryTaskStore(), executor, push);
  const v1 = new JsonRpcTransportHandler(handler);
  const v03 = new LegacyJsonRpcTransportHandler(handler);
  const v03Rest = new LegacyRestTransportHandler(handler);

  const app = guardedApp<A2APrincipal>({
    ...(options.allowedHosts !== undefined ? { allowedHosts: options.allowedHosts } : {}),
    ...(options.maxBodyBytes !== undefined ? { maxBodyBytes: options.maxBodyBytes } : {}),
    reject: jsonRpcRejection,
    ...(auth
      ? {
          authenticate: auth.authenticate,
          challenge: auth.bearer ? 'Bearer realm="a2a"' : `ApiKey header="${auth.apiKeyHeader}"`,
          isPublic: (request: Request) => new URL(request.url).pathname === AGENT_CARD_PATH,
        }
      : {}),
  });

  app.on(["GET", "HEAD"], AGENT_CARD_PATH, (c) =>
    c.json(cardJson(cardFor(options.url ?? new URL(c.req.url).origin), security)),
  );
  app.all(AGENT_CARD_PATH, () =>
    Response.json({ error: "Use GET for the agent card" }, { status: 405, headers: { allow: "GET, HEAD" } }),
  );
  app.post(path, async (c) => {
    const request = c.req.raw;
    const type = (request.headers.get("content-type") ?? "").split(";")[0]?.trim().toLowerCase();
    if (type !== "application/json" && type !== "application/a2a+json") {
      return jsonRpcErrorResponse(-32005, "Content type not supported: send application/json", {
        status: 415,
      });
    }
    let body: unknown;
    try {
      body = await request.json();
    } catch {
      return jsonRpcErrorResponse(JSON_RPC_ERRORS.parseError, "Parse error: the body is not JSON");
    }
    const id = jsonRpcIdOf(body);
    if (!isJsonRpcRequest(body)) {
      return jsonRpcErrorResponse(
        JSON_RPC_ERRORS.invalidRequest,
        "Invalid Request: not a JSON-RPC 2.0 request",
        { id },
      );
    }
    // No version header means v0.3, the last revision without one.
    const version = request.headers.get(A2A_VERSION_HEADER) ?? "0.3";
    const context = callContext(request, c.get("principal"), version);
    const legacy = version.startsWith("0.");
    const mapError = legacy
      ? LegacyJsonRpcTransportHandler.mapToLegacyJSONRPCError
      : JsonRpcTransportHandler.mapToJSONRPCError;
    let result: unknown;
    try {
      validateVersion(version, card, "JSONRPC");
      result = await (legacy ? v03 : v1).handle(
        body as Record<string, unknown>,
        context as ServerCallContext,
      );
    } catch (error) {
      return Response.json({ jsonrpc: "2.0", id, error: mapError(error) });
    }
    if (!isAsyncIterable(result)) return Response.json(result);
    return sseResponse(result, {
      event: (envelope) => envelope,
      error: (error) => ({ jsonrpc: "2.0", id, error: mapError(error) }),
      before: (error) => Response.json({ jsonrpc: "2.0", id, error: mapError(error) }),
    });
  });
  app.all(path, () =>
    jsonRpcErrorResponse(JSON_RPC_ERRORS.invalidRequest, "Use POST for JSON-RPC", {
      status: 405,
      headers: { allow: "POST" },
    }),
  );

  if (restPath !== undefined) {
    app.all(`${restPath}/*`, async (c) => {
      const request = c.req.raw;
      const subpath = new URL(request.url).pathname.slice(restPath.length);
      // v0.3 clients prefix every route with /v1/ and send no version header; v1.0 clients send one.
      const legacy = subpath.startsWith("/v1/");
      const version = request.headers.get(A2A_VERSION_HEADER) ?? (legacy ? "0.3" : "1.0");
      const context = callContext(request, c.get("principal"), version) as ServerCallContext;
      try {
        validateVersion(version, card, "HTTP+JSON");
      } catch (error) {
        return restError(error);
      }
      return legacy
        ? handleLegacyRest(request, subpath, v03Rest, context)
        : handleRest(request, subpath, v1, context);
    });
  }

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= Promise.resolve().then(() => executor.abortAll());
    return closing;
  };
  return {
    app,
    path,
    restPath,
    card: (baseUrl) => cardFor(baseUrl ?? options.url ?? "http://localhost"),
    close,
  };
}

function isJsonRpcRequest(body: unknown): boolean {
  if (typeof body !== "object" || body === null || Array.isArray(body)) return false;
  const r = body as { jsonrpc?: unknown; method?: unknown; id?: unknown };
  const idOk = r.id === undefined || r.id === null || typeof r.id === "string" || typeof r.id === "number";
  return r.jsonrpc === "2.0" && typeof r.method === "string" && idOk;
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof (value as { [Symbol.asyncIterator]?: unknown })?.[Symbol.asyncIterator] === "function";
}

/** The SDK's call context for a request: its principal as the user, its headers, the version asked for. */
function callContext(request: Request, principal: A2APrincipal | undefined, version: string) {
  return defaultServerCallContextBuilder({
    extensions: [],
    user: principal ? new A2AUser(principal) : new UnauthenticatedUser(),
    headers: Object.fromEntries(request.headers),
    requestedVersion: version,
  });
}
