/** JSON-RPC 2.0 error responses, the one shape the MCP and A2A endpoints answer a refused request with. */

/** The id of a JSON-RPC request, or `null` when it has none (or could not be read). */
export type JsonRpcId = string | number | null;

/** Standard JSON-RPC 2.0 error codes. */
export const JSON_RPC_ERRORS = {
  parseError: -32700,
  invalidRequest: -32600,
  methodNotFound: -32601,
  invalidParams: -32602,
  internalError: -32603,
} as const;

/** Options of {@link jsonRpcErrorResponse}. */
export interface JsonRpcErrorOptions {
  /** The request's id (default `null`). */
  readonly id?: JsonRpcId;
  /** The HTTP status (default 200, as JSON-RPC over HTTP answers in-band). */
  readonly status?: number;
  /** The error's `data` member. */
  readonly data?: unknown;
  /** Extra response headers (`www-authenticate`, `allow`, ...). */
  readonly headers?: Readonly<Record<string, string>>;
}

/** A JSON-RPC 2.0 error as an HTTP response. */
export function jsonRpcErrorResponse(
  code: number,
  message: string,
  options: JsonRpcErrorOptions = {},
): Response {
  const error: { code: number; message: string; data?: unknown } = { code, message };
  if (options.data !== undefined) error.data = options.data;
  return new Response(JSON.stringify({ jsonrpc: "2.0", id: options.id ?? null, error }), {
    status: options.status ?? 200,
    headers: { "content-type": "application/json", ...options.headers },
  });
}

/** The `id` of a parsed JSON-RPC request, or `null`. */
export function jsonRpcIdOf(request: unknown): JsonRpcId {
  const id = (request as { id?: unknown } | null)?.id;
  return typeof id === "string" || typeof id === "number" ? id : null;
}

/**
 * The refusal writer for a JSON-RPC endpoint's guard: HTTP status as given, body a JSON-RPC error
 * (-32000, the server-defined range, as the MCP SDK answers transport-level refusals).
 */
export function jsonRpcRejection(
  status: number,
  message: string,
  headers?: Record<string, string>,
): Response {
  return jsonRpcErrorResponse(-32000, message, { status, ...(headers ? { headers } : {}) });
}
