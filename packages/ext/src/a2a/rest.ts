/**
 * The A2A v1.0 HTTP+JSON (REST) binding, on the same request handler as JSON-RPC: each route is turned
 * into the JSON-RPC call it stands for and answered by the SDK's v1.0 JSON-RPC transport, so both
 * bindings share one set of encoders, one task store and one error mapping; only the envelope differs
 * (an HTTP status and the REST error body instead of a JSON-RPC error).
 */
import {
  fromJsonRpcErrorResponse,
  RequestMalformedError,
  restStatusFor,
  toRestErrorBody,
} from "@a2a-js/sdk/errors";
import type { JsonRpcTransportHandler, ServerCallContext } from "@a2a-js/sdk/server";
import { sseResponse } from "./sse.js";

/** A REST route resolved to the JSON-RPC method and params it stands for. */
interface Call {
  readonly method: string;
  readonly params: Record<string, unknown>;
  /** The success status (default 200). */
  readonly status?: number;
  readonly stream?: boolean;
}

type Route = (match: RegExpExecArray, body: Record<string, unknown>, query: URLSearchParams) => Call;

const TASK = "([^/:]+)";
const ROUTES: ReadonlyArray<readonly [string, RegExp, Route]> = [
  ["GET", /^\/extendedAgentCard$/, () => ({ method: "GetExtendedAgentCard", params: {} })],
  ["POST", /^\/message:send$/, (_, body) => ({ method: "SendMessage", params: body })],
  [
    "POST",
    /^\/message:stream$/,
    (_, body) => ({ method: "SendStreamingMessage", params: body, stream: true }),
  ],
  [
    "GET",
    re(`/tasks/${TASK}:subscribe`),
    (m) => ({ method: "SubscribeToTask", params: { id: m[1] }, stream: true }),
  ],
  [
    "POST",
    re(`/tasks/${TASK}:subscribe`),
    (m) => ({ method: "SubscribeToTask", params: { id: m[1] }, stream: true }),
  ],
  [
    "POST",
    re(`/tasks/${TASK}:cancel`),
    (m, body) => ({ method: "CancelTask", params: { ...body, id: m[1] } }),
  ],
  [
    "GET",
    re(`/tasks/${TASK}`),
    (m, _, q) => ({ method: "GetTask", params: { id: m[1], ...queryObject(q) } }),
  ],
  ["GET", /^\/tasks$/, (_, __, q) => ({ method: "ListTasks", params: queryObject(q) })],
  [
    "POST",
    re(`/tasks/${TASK}/pushNotificationConfigs`),
    (m, body) => ({
      method: "CreateTaskPushNotificationConfig",
      params: { ...body, taskId: m[1] },
      status: 201,
    }),
  ],
  [
    "GET",
    re(`/tasks/${TASK}/pushNotificationConfigs`),
    (m, _, q) => ({ method: "ListTaskPushNotificationConfigs", params: { ...queryObject(q), taskId: m[1] } }),
  ],
  [
    "GET",
    re(`/tasks/${TASK}/pushNotificationConfigs/([^/]+)`),
    (m) => ({ method: "GetTaskPushNotificationConfig", params: { taskId: m[1], id: m[2] } }),
  ],
  [
    "DELETE",
    re(`/tasks/${TASK}/pushNotificationConfigs/([^/]+)`),
    (m) => ({ method: "DeleteTaskPushNotificationConfig", params: { taskId: m[1], id: m[2] }, status: 204 }),
  ],
];

function re(path: string): RegExp {
  return new RegExp(`^${path}$`);
}

function queryObject(query: URLSearchParams): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of query) out[key] = value === "true" ? true : value === "false" ? false : value;
  return out;
}

/** The REST body of an error, with its HTTP status (the spec's mapping, as the SDK's Express binding has it). */
export function restError(error: unknown): Response {
  const status = restStatusFor(error);
  return Response.json(toRestErrorBody(error, status), { status });
}

function fromRpcError(error: { code: number; message: string; data?: unknown }): unknown {
  // The SDK maps A2A's own codes; the reserved JSON-RPC ones it leaves generic.
  if (error.code === -32602 || error.code === -32600 || error.code === -32700) {
    return new RequestMalformedError(error.message);
  }
  return fromJsonRpcErrorResponse({ jsonrpc: "2.0", id: null, error } as never);
}

/**
 * Answers one REST request. `subpath` is the path below the binding's base (`/message:send`, ...),
 * `context` the call context the JSON-RPC endpoint would build for the same request.
 */
export async function handleRest(
  request: Request,
  subpath: string,
  handler: JsonRpcTransportHandler,
  context: ServerCallContext,
): Promise<Response> {
  const url = new URL(request.url);
  const found = ROUTES.map(
    ([method, pattern, route]) => [method, pattern.exec(subpath), route] as const,
  ).filter(([, match]) => match !== null);
  const hit = found.find(([method]) => method === request.method);
  if (!hit) {
    if (found.length > 0) {
      return Response.json(toRestErrorBody(new RequestMalformedError("Method not allowed"), 405), {
        status: 405,
        headers: { allow: [...new Set(found.map(([m]) => m))].join(", ") },
      });
    }
    return Response.json(toRestErrorBody(new Error(`No A2A route ${subpath}`), 404), { status: 404 });
  }
  let body: Record<string, unknown> = {};
  if (request.method === "POST") {
    const text = await request.text();
    if (text.trim() !== "") {
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        return restError(new RequestMalformedError("Invalid JSON payload."));
      }
      if (parsed !== null && (typeof parsed !== "object" || Array.isArray(parsed))) {
        return restError(new RequestMalformedError("The body must be a JSON object."));
      }
      body = (parsed ?? {}) as Record<string, unknown>;
    }
  }
  const [, match, route] = hit;
  const call = route(match as RegExpExecArray, body, url.searchParams);
  const answer = (await handler.handle(
    { jsonrpc: "2.0", id: 0, method: call.method, params: call.params },
    context,
  )) as
    | AsyncIterable<{ result?: unknown; error?: { code: number; message: string } }>
    | { result?: unknown; error?: { code: number; message: string } };
  if (Symbol.asyncIterator in answer) {
    return sseResponse(answer, {
      event: (envelope) =>
        unwrap(envelope as { result?: unknown; error?: { code: number; message: string } }),
      error: (error) => toRestErrorBody(error, restStatusFor(error)),
      before: restError,
    });
  }
  if (answer.error) return restError(fromRpcError(answer.error));
  if (call.status === 204) return new Response(null, { status: 204 });
  return Response.json(answer.result ?? {}, { status: call.status ?? 200 });
}

function unwrap(envelope: { result?: unknown; error?: { code: number; message: string } }): unknown {
  if (envelope.error) throw fromRpcError(envelope.error);
  return envelope.result;
}
