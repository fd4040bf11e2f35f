/**
 * What the OpenAI clients share: options, the SDK instance, model info, usage and cost books, the retry
 * loop and redacted logging.
 */
import {
  CancelledError,
  type CreateOptions,
  lookupModel,
  type ModelInfo,
  type ModelPrice,
  type PriceTable,
  type RequestUsage,
  resolveModelInfo,
  toCancelledError,
  ValidationError,
  withCost,
} from "@autogen-ts/core";
import type OpenAI from "openai";
import { toModelError } from "../_shared/errors.js";
import { type ModelLogger, redactingLogger } from "../_shared/log.js";
import { redactUrl } from "../_shared/redact.js";
import { type RetryOptions, withRetries } from "../_shared/retry.js";
import { OPENAI_MODEL_INFO, OPENAI_MODELS, OPENAI_PRICES } from "./models.js";

/** Options shared by the OpenAI clients. */
export interface OpenAIBaseOptions {
  /** The model name (for Azure: the model behind the deployment, used for capabilities and prices). */
  readonly model: string;
  /** The API key; defaults to `OPENAI_API_KEY`. Never logged or put in errors. */
  readonly apiKey?: string;
  /** An OpenAI-compatible endpoint (Ollama, vLLM, LM Studio, llama.cpp, OpenRouter, Gemini, ...). */
  readonly baseURL?: string;
  readonly organization?: string;
  readonly project?: string;
  /** Extra headers on every request. */
  readonly defaultHeaders?: Readonly<Record<string, string>>;
  /** Capabilities, over the built-in table's entry (or the defaults, for an unknown model). */
  readonly modelInfo?: Partial<ModelInfo>;
  /** The context window in tokens, for `remainingTokens` (default: the table's, else 128,000). */
  readonly contextSize?: number;
  /** Retries on 408/409/429/5xx and connection failures (default 2). */
  readonly maxRetries?: number;
  /** Time limit of each attempt in milliseconds, streaming included (default 600,000). */
  readonly timeout?: number;
  /** Arguments sent with every call (temperature, seed, ...); a call's `extraCreateArgs` win. */
  readonly defaultCreateArgs?: Readonly<Record<string, unknown>>;
  /** Your own prices in USD per million tokens: one price for this model, or a table by model name. */
  readonly prices?: ModelPrice | PriceTable;
  /** Receives redacted log records (retries, failures). */
  readonly logger?: ModelLogger;
  /** First backoff delay in milliseconds (default 500). */
  readonly retryInitialDelayMs?: number;
}

/** Reads an environment variable where there is a `process` (Node, Bun, Deno); undefined elsewhere. */
export function env(name: string): string | undefined {
  const p = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process;
  const value = p?.env?.[name];
  return value === "" ? undefined : value;
}

/** The parts of a client that do not depend on which OpenAI API it calls. */
export class OpenAIClientCore {
  readonly model: string;
  readonly modelInfo: ModelInfo;
  readonly contextSize: number;
  readonly sdk: OpenAI;
  readonly log: ReturnType<typeof redactingLogger>;
  readonly #retry: RetryOptions;
  readonly #prices: ModelPrice | PriceTable | undefined;
  readonly #secrets: () => (string | undefined)[];
  readonly #provider: string;
  readonly #defaults: Readonly<Record<string, unknown>>;

  constructor(
    options: OpenAIBaseOptions,
    makeSdk: (settings: { apiKey: string | undefined; timeout: number }) => OpenAI,
    provider: string,
    clientName: string,
  ) {
    if (!options.model)
      throw new ValidationError(`${clientName}: "model" is required`, { code: "invalid_config" });
    this.model = options.model;
    this.#provider = provider;

    this.contextSize =
      options.contextSize ?? lookupModel(options.model, OPENAI_MODELS)?.contextSize ?? 128_000;
    const timeout = options.timeout ?? 600_000;
    this.#retry = {
      maxRetries: options.maxRetries ?? 2,
      timeoutMs: timeout,
      ...(options.retryInitialDelayMs !== undefined ? { initialDelayMs: options.retryInitialDelayMs } : {}),
    };
    this.#prices = options.prices;
    this.#defaults = options.defaultCreateArgs ?? {};
    const apiKey = options.apiKey;
    this.#secrets = () => [apiKey, env("OPENAI_API_KEY"), env("AZURE_OPENAI_API_KEY")];
    this.log = redactingLogger(options.logger, this.#secrets);
    // The unknown-model warning goes to the client's logger when there is one, else to the console.
    this.modelInfo = resolveModelInfo(options.model, OPENAI_MODEL_INFO, options.modelInfo, {
      clientName,
      ...(options.logger
        ? { warn: (message: string) => this.log("warn", message, { model: options.model }) }
        : {}),
    });
    try {
      this.sdk = makeSdk({ apiKey, timeout });
    } catch (cause) {
      throw new ValidationError(
        `${clientName}: ${toModelError(cause, { provider, secrets: this.#secrets() }).message}`,
        {
          code: "invalid_config",
        },
      );
    }
  }

  /** Secret values to mask. */
  secrets(): (string | undefined)[] {
    return this.#secrets();
  }

  /** The create arguments for one call: defaults, then the call's own. */
  extraArgs(options: CreateOptions): Record<string, unknown> {
    return { ...this.#defaults, ...options.extraCreateArgs };
  }

  /** `usage` with the cost filled in where a price is known. */
  priced(usage: RequestUsage): RequestUsage {
    return withCost(usage, this.model, OPENAI_PRICES, this.#prices);
  }

  /** Runs one provider request under the retry policy. */
  request<T>(attempt: (signal: AbortSignal) => Promise<T>, signal: AbortSignal | undefined) {
    return withRetries(attempt, this.#retry, {
      provider: this.#provider,
      signal,
      secrets: this.secrets(),
      onRetry: (info) =>
        this.log("warn", `${this.#provider} call failed; retrying in ${info.delayMs} ms`, {
          model: this.model,
          attempt: info.attempt,
          status: info.status,
          delayMs: info.delayMs,
          reason: info.reason,
          url: redactUrl(this.sdk.baseURL),
        }),
    });
  }

  /**
   * Maps an error thrown while reading a stream: the caller's cancellation, the attempt's time limit,
   * or a provider/connection failure.
   */
  streamError(error: unknown, callerSignal: AbortSignal | undefined, attemptSignal: AbortSignal): Error {
    if (callerSignal?.aborted) return toCancelledError(callerSignal.reason);
    const timedOut = attemptSignal.aborted;
    const mapped = toModelError(error, {
      provider: this.#provider,
      secrets: this.secrets(),
      timedOut,
      timeoutMs: this.#retry.timeoutMs,
    });
    this.log("error", `${this.#provider} stream failed: ${mapped.message}`, { model: this.model });
    return mapped;
  }

  /** Throws when the caller has cancelled. */
  checkCancelled(signal: AbortSignal | undefined): void {
    if (signal?.aborted) throw toCancelledError(signal.reason);
  }
}

/** True for a {@link CancelledError} (re-exported for the clients' catch blocks). */
export const isCancelled = CancelledError.isInstance;
