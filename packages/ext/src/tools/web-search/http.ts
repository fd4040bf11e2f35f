/**
 * The HTTP call every provider makes: a time limit, cancellation, and errors turned into `ToolError`s a
 * model can read, with every secret removed from the text.
 */
import { CancelledError, ToolError, toCancelledError } from "@autogen-ts/core";

/** The longest provider error text kept in a message. */
const MAX_DETAIL = 300;

/** Replaces every secret in `text` with `***`. */
export function redact(text: string, secrets: readonly (string | undefined)[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret !== undefined && secret.length > 0) out = out.split(secret).join("***");
  }
  return out;
}

/** Reads a required key from `env`, or throws a ToolError naming the variable (never a value). */
export function requireEnv(
  env: Readonly<Record<string, string | undefined>>,
  names: readonly string[],
  provider: string,
): string {
  for (const name of names) {
    const value = env[name];
    if (value !== undefined && value !== "") return value;
  }
  throw new ToolError(`${provider} is not configured: set ${names.join(" or ")} in the environment`, {
    code: "invalid_config",
  });
}

/** The default environment (`process.env`). */
export function processEnv(): Readonly<Record<string, string | undefined>> {
  return process.env;
}

/** A request to a provider's API. */
export interface ProviderRequest {
  readonly provider: string;
  readonly url: URL;
  readonly init: RequestInit;
  readonly timeoutMs: number;
  readonly signal: AbortSignal | undefined;
  /** Values to strip from any text that reaches an error. */
  readonly secrets: readonly (string | undefined)[];
  /** Reads the provider's own error text out of an error body. */
  readonly describeError: (body: unknown) => string | undefined;
}

/** Sends the request and returns the parsed JSON body of a 2xx answer; throws a readable ToolError otherwise. */
export async function requestJson(request: ProviderRequest): Promise<unknown> {
  const { provider, url, timeoutMs, secrets } = request;
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = request.signal ? AbortSignal.any([request.signal, timeout]) : timeout;
  // The URL may carry the key (Google puts it in the query), so messages name only origin and path.
  const where = `${url.origin}${url.pathname}`;
  let response: Response;
  try {
    response = await fetch(url, { ...request.init, signal, redirect: "follow" });
  } catch (error) {
    if (request.signal?.aborted) throw toCancelledError(request.signal.reason);
    if (timeout.aborted) {
      throw new ToolError(`${provider} did not answer within ${timeoutMs} ms`, { code: "timeout" });
    }
    const reason =
      error instanceof Error ? ((error.cause as Error | undefined)?.message ?? error.message) : String(error);
    throw new ToolError(`${provider} could not be reached at ${where}: ${redact(reason, secrets)}`, {
      code: "provider_error",
    });
  }
  let text: string;
  try {
    text = await response.text();
  } catch (error) {
    if (CancelledError.isInstance(error) || request.signal?.aborted)
      throw toCancelledError(request.signal?.reason);
    throw new ToolError(`${provider} closed the connection before its answer was complete`, {
      code: "provider_error",
    });
  }
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // Not JSON: keep the text for the error message.
  }
  if (!response.ok) {
    const detail = request.describeError(body) ?? (typeof body === "string" ? body.trim() : undefined);
    const shortDetail = detail ? `: ${redact(detail, secrets).slice(0, MAX_DETAIL)}` : "";
    if (response.status === 429) {
      const retryAfter = response.headers.get("retry-after");
      throw new ToolError(
        `${provider} rate limit reached (HTTP 429)${shortDetail}${retryAfter ? `; retry after ${retryAfter} s` : ""}`,
        { code: "rate_limited", details: { status: 429 } },
      );
    }
    const hint = response.status === 401 || response.status === 403 ? " (check the API key)" : "";
    throw new ToolError(`${provider} answered HTTP ${response.status}${hint}${shortDetail}`, {
      code: "provider_error",
      details: { status: response.status },
    });
  }
  if (typeof body === "string") {
    throw new ToolError(`${provider} answered with something that is not JSON`, { code: "provider_error" });
  }
  return body;
}

/** `value` as a record, or an empty one. */
export function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

/** `value` as an array, or an empty one. */
export function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** `value` as a string, or `""`. */
export function asString(value: unknown): string {
  return typeof value === "string" ? value : "";
}

/** Clamps the requested result count into `[1, max]`, default 5. */
export function clampCount(value: number | undefined, max: number): number {
  const n = value === undefined || !Number.isFinite(value) ? 5 : Math.floor(value);
  return Math.min(Math.max(n, 1), max);
}

/** Drops HTML tags and decodes the few entities search engines put in snippets. */
export function stripTags(text: string): string {
  return text
    .replace(/<[^>]*>/g, "")
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&#x27;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&nbsp;/g, " ")
    .replace(/&amp;/g, "&");
}
