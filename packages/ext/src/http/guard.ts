/**
 * `guardedApp`: a Hono app with the checks every autogen-ts server puts before its routes: the `Host`
 * header allowlist (against DNS rebinding), a request body limit, and an authentication hook whose
 * principal the routes read from the context.
 */
import { ValidationError } from "@autogen-ts/core";
import { Hono, type MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { hostMatcher, LOOPBACK_HOSTNAMES } from "./hosts.js";

/** The default largest request body: 4 MiB. */
export const DEFAULT_MAX_BODY_BYTES = 4 * 1024 * 1024;

/**
 * Decides who sent a request: a principal (any value the routes understand: a user id, the token's
 * claims, ...), `undefined` to refuse it with 401, or a `Response` to refuse it with that answer (an
 * OAuth `insufficient_scope` 403, say). It may read the request's headers, never its body.
 */
export type Authenticate<P> = (
  request: Request,
) => P | undefined | Response | Promise<P | undefined | Response>;

/** Writes the response for a refused request (status 401, 403, 413). */
export type Rejection = (status: number, message: string, headers?: Record<string, string>) => Response;

/** Options of {@link guardedApp}. */
export interface GuardOptions<P = unknown> {
  /**
   * `Host` headers accepted: names (any port) or `name:port`, or `"*"` for any. Default: the loopback
   * names `127.0.0.1`, `localhost` and `[::1]`. A server on a public address lists its public names.
   */
  readonly allowedHosts?: readonly string[] | "*";
  /** The largest request body in bytes (default {@link DEFAULT_MAX_BODY_BYTES}). */
  readonly maxBodyBytes?: number;
  /** Authentication: without it every request is anonymous (and {@link listen} keeps to loopback). */
  readonly authenticate?: Authenticate<P>;
  /**
   * The `WWW-Authenticate` header of a 401 (default `Bearer`), or a function of the request (the MCP
   * authorization spec points it at the protected resource metadata).
   */
  readonly challenge?: string | ((request: Request) => string);
  /** Requests served without authentication (discovery documents: an agent card, OAuth metadata). */
  readonly isPublic?: (request: Request) => boolean;
  /** How refusals are written (default: a JSON body `{ "error": message }`). */
  readonly reject?: Rejection;
}

/** The Hono environment of a guarded app: `c.get("principal")` is who sent the request. */
export interface GuardedEnv<P = unknown> {
  Variables: {
    /** The authenticated principal; `undefined` on an app without authentication or on a public request. */
    principal: P | undefined;
  };
}

/** What {@link listen} needs to know of an app it serves. */
interface GuardFacts {
  readonly authenticated: boolean;
}

const facts = new WeakMap<object, GuardFacts>();

/** Whether `app` was built by {@link guardedApp} with an `authenticate` hook. */
export function isAuthenticatedApp(app: object): boolean {
  return facts.get(app)?.authenticated === true;
}

/** The default refusal: JSON `{ "error": message }`. */
export const jsonRejection: Rejection = (status, message, headers) =>
  new Response(JSON.stringify({ error: message }), {
    status,
    headers: { "content-type": "application/json", ...headers },
  });

/**
 * A Hono app whose every request first passes the guard: a `Host` header on the allowlist (else 403),
 * a body within the limit (else 413), and, when `authenticate` is set, a principal (else 401 with a
 * `WWW-Authenticate` challenge). Add routes to it, or mount other apps on it with `app.route`.
 *
 * @example
 * ```ts
 * const app = guardedApp({ authenticate: bearerTokens(["s3cret"]) });
 * app.get("/whoami", (c) => c.json({ principal: c.get("principal") }));
 * const server = await listen(app, { port: 8080 });
 * ```
 * @throws ValidationError for a bad body limit or an empty host list.
 */
export function guardedApp<P = unknown>(options: GuardOptions<P> = {}): Hono<GuardedEnv<P>> {
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  if (!Number.isInteger(maxBodyBytes) || maxBodyBytes < 1) {
    throw new ValidationError("guardedApp: 'maxBodyBytes' must be a positive integer");
  }
  if (Array.isArray(options.allowedHosts) && options.allowedHosts.length === 0) {
    throw new ValidationError("guardedApp: 'allowedHosts' is empty; list at least one name, or use \"*\"");
  }
  const reject = options.reject ?? jsonRejection;
  const hostAllowed = hostMatcher(options.allowedHosts ?? LOOPBACK_HOSTNAMES);
  const app = new Hono<GuardedEnv<P>>();
  app.use("*", async (c, next) => {
    if (!hostAllowed(c.req.header("host"))) return reject(403, "Forbidden: Host header not allowed");
    await next();
  });
  app.use("*", bodyLimit({ maxSize: maxBodyBytes, onError: () => reject(413, "Request body too large") }));
  if (options.authenticate) app.use("*", authMiddleware(options.authenticate, options, reject));
  facts.set(app, { authenticated: options.authenticate !== undefined });
  return app;
}

function authMiddleware<P>(
  authenticate: Authenticate<P>,
  options: GuardOptions<P>,
  reject: Rejection,
): MiddlewareHandler<GuardedEnv<P>> {
  return async (c, next) => {
    if (options.isPublic?.(c.req.raw)) {
      c.set("principal", undefined);
      await next();
      return;
    }
    let principal: P | undefined | Response;
    try {
      principal = await authenticate(c.req.raw);
    } catch {
      // A failing check is a refusal, never a way in; its message may hold what the client sent.
      principal = undefined;
    }
    if (principal instanceof Response) return principal;
    if (principal === undefined) {
      const challenge =
        typeof options.challenge === "function"
          ? options.challenge(c.req.raw)
          : (options.challenge ?? "Bearer");
      return reject(401, "Unauthorized", { "www-authenticate": challenge });
    }
    c.set("principal", principal);
    await next();
  };
}

/**
 * An `authenticate` hook accepting `Authorization: Bearer <token>` for any of `tokens` (compared in
 * constant time). The principal is `{ tokenIndex }`, the position of the matching token, so no secret
 * reaches the routes or the logs.
 */
export function bearerTokens(tokens: readonly string[]): Authenticate<{ readonly tokenIndex: number }> {
  if (tokens.length === 0 || tokens.some((t) => t.length === 0)) {
    throw new ValidationError("bearerTokens: give at least one non-empty token");
  }
  return (request) => {
    const header = request.headers.get("authorization") ?? "";
    const match = /^Bearer\s+(.+)$/i.exec(header.trim());
    const given = match?.[1];
    if (!given) return undefined;
    const index = tokens.findIndex((token) => constantTimeEqual(token, given));
    return index < 0 ? undefined : { tokenIndex: index };
  };
}

/** Whether two secrets are equal, in time that does not depend on where they first differ. */
export function constantTimeEqual(expected: string, given: string): boolean {
  const a = new TextEncoder().encode(expected);
  const b = new TextEncoder().encode(given);
  let diff = a.length ^ b.length;
  for (let i = 0; i < a.length; i++) diff |= (a[i] ?? 0) ^ (b[i % Math.max(b.length, 1)] ?? 0);
  return diff === 0;
}
