/**
 * Retries with exponential backoff and jitter, a per-attempt time limit and cancellation, shared by the
 * provider clients. The SDKs' own retries are turned off (`maxRetries: 0`) so that every client follows
 * one policy: retry 408, 409, 429, 5xx and connection failures; honour `Retry-After` (seconds or an HTTP
 * date) and `retry-after-ms`; never retry after the caller cancels; for streams, only before the first
 * chunk (the caller wraps just the request that opens the stream).
 */
import { sleep, toCancelledError } from "@autogen-ts/core";
import { errorHeader, errorStatus, toModelError } from "./errors.js";

/** Retry and time-limit settings of a client. */
export interface RetryOptions {
  /** Retries after the first attempt (default 2). */
  readonly maxRetries?: number;
  /** Time limit of each attempt in milliseconds (default 600,000; 0 for none). */
  readonly timeoutMs?: number;
  /** First backoff delay in milliseconds (default 500); doubles each retry. */
  readonly initialDelayMs?: number;
  /** Largest backoff delay, and the cap on a provider's `Retry-After` (default 30,000). */
  readonly maxDelayMs?: number;
}

/** What {@link withRetries} needs besides the settings. */
export interface RetryContext {
  readonly provider: string;
  readonly signal?: AbortSignal | undefined;
  readonly secrets?: readonly (string | undefined)[];
  /** The endpoint, named in connection failures. */
  readonly url?: string;
  /** Called before each wait, for logging. */
  readonly onRetry?: (info: {
    attempt: number;
    delayMs: number;
    status: number | undefined;
    reason: string;
  }) => void;
}

/** True for a failure worth another attempt. */
export function isRetryable(error: unknown): boolean {
  const status = errorStatus(error);
  if (status !== undefined) return status === 408 || status === 409 || status === 429 || status >= 500;
  const name = (error as { name?: unknown } | null)?.name;
  // Connection failures (refused, reset, truncated before the response) carry no status.
  return (
    name === "APIConnectionError" ||
    name === "APIConnectionTimeoutError" ||
    name === "TimeoutError" ||
    (error instanceof TypeError && /fetch|network|socket/i.test(error.message))
  );
}

/** The wait a provider asked for, in milliseconds, from `retry-after-ms` or `Retry-After`. */
export function retryAfterMs(error: unknown, now = Date.now()): number | undefined {
  const ms = errorHeader(error, "retry-after-ms");
  if (ms !== undefined && Number.isFinite(Number(ms))) return Math.max(0, Number(ms));
  const after = errorHeader(error, "retry-after");
  if (after === undefined) return undefined;
  const seconds = Number(after);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(after);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** The backoff before retry number `attempt` (1-based): exponential, with up to 50% jitter downwards. */
export function backoffMs(attempt: number, initial: number, max: number, random = Math.random): number {
  const base = Math.min(max, initial * 2 ** (attempt - 1));
  return Math.round(base * (0.5 + random() * 0.5));
}

/**
 * Runs `attempt` until it succeeds, a failure is not retryable, or the retries run out; the last
 * failure is thrown as a mapped `ModelError` (or `CancelledError` when the caller aborted).
 *
 * `attempt` receives a signal that aborts on the caller's cancellation or the attempt's time limit. A
 * result that keeps using that signal afterwards (a stream) stays under the time limit until
 * `release()` of the returned handle is called.
 */
export async function withRetries<T>(
  attempt: (signal: AbortSignal, attemptNumber: number) => Promise<T>,
  options: RetryOptions,
  context: RetryContext,
): Promise<{ value: T; signal: AbortSignal; release: () => void }> {
  const maxRetries = options.maxRetries ?? 2;
  const timeoutMs = options.timeoutMs ?? 600_000;
  const initial = options.initialDelayMs ?? 500;
  const maxDelay = options.maxDelayMs ?? 30_000;
  const outer = context.signal;
  for (let n = 1; ; n++) {
    if (outer?.aborted) throw toCancelledError(outer.reason);
    const timer = new AbortController();
    const handle =
      timeoutMs > 0
        ? setTimeout(() => timer.abort(new DOMException("timed out", "TimeoutError")), timeoutMs)
        : undefined;
    const signal = outer ? AbortSignal.any([outer, timer.signal]) : timer.signal;
    const release = () => clearTimeout(handle);
    try {
      const value = await attempt(signal, n);
      return { value, signal, release };
    } catch (error) {
      release();
      const timedOut = timer.signal.aborted && !outer?.aborted;
      const mapped = toModelError(error, {
        provider: context.provider,
        secrets: context.secrets ?? [],
        signal: outer,
        timedOut,
        timeoutMs,
        url: context.url,
      });
      const retryable = !outer?.aborted && (timedOut || isRetryable(error));
      if (!retryable || n > maxRetries) throw mapped;
      const asked = retryAfterMs(error);
      const delayMs = asked !== undefined ? Math.min(asked, maxDelay) : backoffMs(n, initial, maxDelay);
      context.onRetry?.({ attempt: n, delayMs, status: errorStatus(error), reason: mapped.message });
      await sleep(delayMs, outer);
    }
  }
}
