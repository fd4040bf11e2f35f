/**
 * `@autogen-ts/ext/http`: the one HTTP skeleton under every autogen-ts server (the MCP and A2A servers,
 * the HTTP API): a guarded Hono app (Host allowlist, body limit, authentication), a listener that keeps
 * to loopback unless the app authenticates, JSON-RPC error responses, and the queue that keeps a shared
 * agent's runs one at a time.
 *
 * @packageDocumentation
 */
export type { Authenticate, GuardedEnv, GuardOptions, Rejection } from "./guard.js";
export {
  bearerTokens,
  constantTimeEqual,
  DEFAULT_MAX_BODY_BYTES,
  guardedApp,
  isAuthenticatedApp,
  jsonRejection,
} from "./guard.js";
export { hostMatcher, isLoopbackHost, LOOPBACK_HOSTNAMES } from "./hosts.js";
export type { JsonRpcErrorOptions, JsonRpcId } from "./json-rpc.js";
export { JSON_RPC_ERRORS, jsonRpcErrorResponse, jsonRpcIdOf, jsonRpcRejection } from "./json-rpc.js";
export type { ClosableApp, FetchApp, HttpListener, ListenOptions } from "./listen.js";
export { listen, listenApp } from "./listen.js";
export { RunQueue } from "./run-queue.js";
