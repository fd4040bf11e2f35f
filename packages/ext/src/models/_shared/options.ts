/**
 * The one option vocabulary of the model clients: every client's options type extends
 * {@link ModelClientOptions} (and an HTTP client's {@link HttpModelClientOptions}), so `contextWindow`,
 * `timeoutMs`, `maxRetries`, `price`, `headers` and the rest mean the same everywhere. The spellings of
 * earlier releases stay as deprecated aliases ({@link LegacyModelClientOptions}), read in
 * {@link resolveLegacyOptions} and nowhere else.
 */
import type { ModelInfo, ModelPrice, PriceTable } from "@autogen-ts/core";
import type { ModelLogger } from "./log.js";

/** Options every model client takes. */
export interface ModelClientOptions {
  /** Capabilities, over the built-in table's entry (or the defaults, for an unknown model). */
  readonly modelInfo?: Partial<ModelInfo>;
  /** The model's context window in tokens, for `remainingTokens()` (default: the table's, else the client's). */
  readonly contextWindow?: number;
  /** Retries after the first attempt, on 408/409/429/5xx and connection failures (default 2). */
  readonly maxRetries?: number;
  /** Time limit of each attempt in milliseconds, streaming included (default 600,000; 0 for none). */
  readonly timeoutMs?: number;
  /** First backoff delay in milliseconds (default 500); doubles each retry. */
  readonly initialDelayMs?: number;
  /** Largest backoff delay, and the cap on a provider's `Retry-After` (default 30,000). */
  readonly maxDelayMs?: number;
  /**
   * Your own price in USD per million tokens: one price for this model, or a table by model name,
   * consulted before the built-in table (and pricing models it does not know).
   */
  readonly price?: ModelPrice | PriceTable;
  /** Arguments sent with every call (temperature, seed, ...); a call's `extraCreateArgs` win. */
  readonly defaultCreateArgs?: Readonly<Record<string, unknown>>;
  /** Receives redacted log records (retries, failures). */
  readonly logger?: ModelLogger;
}

/** Options of a client that talks HTTP to its provider itself. */
export interface HttpModelClientOptions extends ModelClientOptions {
  /** The API key (default: the provider's environment variable). Never logged or put in errors. */
  readonly apiKey?: string;
  /** The endpoint (a proxy, a gateway, a compatible server, a test server). */
  readonly baseURL?: string;
  /** Extra HTTP headers on every request; their values are masked like keys. */
  readonly headers?: Readonly<Record<string, string>>;
}

/** The option names of earlier releases, kept working. */
export interface LegacyModelClientOptions {
  /** @deprecated Use `contextWindow`. */
  readonly contextSize?: number;
  /** @deprecated Use `timeoutMs`. */
  readonly timeout?: number;
  /** @deprecated Use `price`. */
  readonly prices?: ModelPrice | PriceTable;
  /** @deprecated Use `headers`. */
  readonly defaultHeaders?: Readonly<Record<string, string>>;
  /** @deprecated Use `initialDelayMs`. */
  readonly retryInitialDelayMs?: number;
  /** @deprecated Use `baseURL`. */
  readonly host?: string;
}

/** `options` in today's vocabulary: each deprecated alias moved to its new name (the new name wins). */
export function resolveLegacyOptions(
  options: HttpModelClientOptions & LegacyModelClientOptions,
): HttpModelClientOptions {
  const {
    contextSize,
    timeout,
    prices,
    defaultHeaders,
    retryInitialDelayMs,
    host,
    ...current
  }: HttpModelClientOptions & LegacyModelClientOptions = options;
  const contextWindow = current.contextWindow ?? contextSize;
  const timeoutMs = current.timeoutMs ?? timeout;
  const price = current.price ?? prices;
  const headers = current.headers ?? defaultHeaders;
  const initialDelayMs = current.initialDelayMs ?? retryInitialDelayMs;
  const baseURL = current.baseURL ?? host;
  return {
    ...current,
    ...(contextWindow !== undefined ? { contextWindow } : {}),
    ...(timeoutMs !== undefined ? { timeoutMs } : {}),
    ...(price !== undefined ? { price } : {}),
    ...(headers !== undefined ? { headers } : {}),
    ...(initialDelayMs !== undefined ? { initialDelayMs } : {}),
    ...(baseURL !== undefined ? { baseURL } : {}),
  };
}
