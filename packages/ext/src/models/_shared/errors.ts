/**
 * Mapping what a provider SDK (or a raw HTTP call) throws to autogen-ts errors: `ModelError` with a
 * code and status for provider failures, `CancelledError` for the caller's own cancellation. Messages
 * are redacted, and the SDK error (whose fields may echo request details) is not kept as `cause`: a
 * redacted copy of its name and message is.
 */
import { CancelledError, ModelError, toCancelledError } from "@autogen-ts/core";
import { redactText, redactUrl } from "./redact.js";

/** Facts about the failed call, for the message. */
export interface ErrorContext {
  /** The provider's display name, such as "OpenAI". */
  readonly provider: string;
  /** Secret values to mask wherever they appear. */
  readonly secrets?: readonly (string | undefined)[];
  /** The caller's signal: when it has aborted, the failure is a cancellation. */
  readonly signal?: AbortSignal | undefined;
  /** True when the call's own time limit fired. */
  readonly timedOut?: boolean;
  /** The per-call time limit, for the message. */
  readonly timeoutMs?: number | undefined;
  /** The endpoint called, named in connection failures (credentials are removed). */
  readonly url?: string | undefined;
}

/** Where the failed call went: the error's own request URL (the AI SDK's carry one), else the client's. */
function endpointOf(error: unknown, context: ErrorContext): string | undefined {
  const own = (error as { url?: unknown } | null)?.url;
  const url = typeof own === "string" && own.length > 0 ? own : context.url;
  return url === undefined ? undefined : redactUrl(url);
}

/** The HTTP status an SDK error carries, if any. */
export function errorStatus(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === "number" ? status : undefined;
}

/** A header value from an SDK error's response headers (a `Headers` or a plain record). */
export function errorHeader(error: unknown, name: string): string | undefined {
  const headers = (error as { headers?: unknown } | null)?.headers;
  if (!headers) return undefined;
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  if (typeof headers === "object") {
    for (const [k, v] of Object.entries(headers as Record<string, unknown>)) {
      if (k.toLowerCase() === name && typeof v === "string") return v;
    }
  }
  return undefined;
}

function isAbortLike(error: unknown): boolean {
  const name = (error as { name?: unknown } | null)?.name;
  return name === "AbortError" || name === "APIUserAbortError" || CancelledError.isInstance(error);
}

function isTimeoutLike(error: unknown): boolean {
  const name = (error as { name?: unknown } | null)?.name;
  return name === "TimeoutError" || name === "APIConnectionTimeoutError";
}

/** Copies an error's name and message, redacted, without its other fields. */
function sanitizedCause(error: unknown, secrets: readonly (string | undefined)[]): Error {
  const message = error instanceof Error ? error.message : String(error);
  const copy = new Error(redactText(message, secrets));
  copy.name = error instanceof Error ? error.name : "Error";
  return copy;
}

/** The provider's own error message from an SDK error, without the SDK's status prefix. */
function providerMessage(error: unknown): string {
  const body = (error as { error?: unknown } | null)?.error;
  const inner =
    (body as { message?: unknown; error?: { message?: unknown } } | null | undefined) ?? undefined;
  const message = inner?.message ?? inner?.error?.message;
  if (typeof message === "string" && message) return message;
  return error instanceof Error ? error.message : String(error);
}

/**
 * The autogen-ts error for a failed provider call: a `CancelledError` when the caller aborted, a
 * `ModelError` otherwise (`timeout`, `rate_limited` for 429, `provider_error` for other statuses and
 * connection failures). Already-mapped autogen-ts errors pass through.
 */
export function toModelError(error: unknown, context: ErrorContext): Error {
  const secrets = context.secrets ?? [];
  if (context.signal?.aborted) return toCancelledError(context.signal.reason);
  if (ModelError.isInstance(error)) return error;
  if (CancelledError.isInstance(error) && !context.timedOut) return error;
  const cause = sanitizedCause(error, secrets);
  const url = endpointOf(error, context);
  const at = url === undefined ? "" : ` at ${url}`;
  if (context.timedOut || isTimeoutLike(error)) {
    const limit = context.timeoutMs !== undefined ? ` after ${context.timeoutMs} ms` : "";
    return new ModelError("timeout", `${context.provider}${at} did not answer${limit}`, {
      cause,
      ...(url !== undefined ? { details: { url } } : {}),
    });
  }
  if (isAbortLike(error)) return toCancelledError(error);
  const status = errorStatus(error);
  const text = redactText(providerMessage(error), secrets);
  const requestId = errorHeader(error, "x-request-id") ?? errorHeader(error, "request-id");
  const details = requestId ? { requestId } : undefined;
  if (status === 429) {
    return new ModelError("rate_limited", `${context.provider} rate limit (429): ${text}`, {
      status,
      cause,
      ...(details ? { details } : {}),
    });
  }
  if (status !== undefined) {
    return new ModelError("provider_error", `${context.provider} error ${status}: ${text}`, {
      status,
      cause,
      ...(details ? { details } : {}),
    });
  }
  // No status: the connection failed (refused, reset, DNS, TLS), so say where it was going.
  const where = url === undefined ? "" : ` to ${url}`;
  return new ModelError("provider_error", `${context.provider} request${where} failed: ${text}`, {
    cause,
    ...(url !== undefined ? { details: { url } } : {}),
  });
}

/**
 * A non-2xx HTTP answer from a client that calls `fetch` itself, shaped like the SDKs' errors (`status`,
 * `headers`, `error` body) so that {@link toModelError} and the retry policy treat it the same way.
 */
export class HttpStatusError extends Error {
  readonly status: number;
  readonly headers: Headers;
  readonly error: unknown;

  constructor(status: number, headers: Headers, body: unknown) {
    const inner = (body as { error?: { message?: unknown } | string } | null)?.error;
    const text = typeof inner === "string" ? inner : typeof inner?.message === "string" ? inner.message : "";
    super(text || `HTTP ${status}`);
    this.name = "HttpStatusError";
    this.status = status;
    this.headers = headers;
    this.error = body;
  }

  /** Throws an {@link HttpStatusError} for a non-2xx `response` (reading its body); returns it otherwise. */
  static async check(response: Response): Promise<Response> {
    if (response.ok) return response;
    const text = await response.text().catch(() => "");
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // A plain-text error body stays as text.
    }
    throw new HttpStatusError(response.status, response.headers, body);
  }
}
