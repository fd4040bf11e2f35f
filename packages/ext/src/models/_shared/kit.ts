/**
 * The model-client kit: what every provider client in `@autogen-ts/ext/models/*` shares, so that each
 * client file holds only its provider's wire format. One {@link ModelClientKit} per client instance
 * resolves the options (deprecated aliases included), the model's capabilities, context window and
 * prices, the API key and endpoint (environment variables through `env.ts` only), the secrets to mask
 * and the redacting logger; it runs requests under the shared retry policy, refuses what the model
 * cannot do before any network call (core's `assertModelCanHandle`), maps failures to typed errors that
 * name the endpoint, and assembles the final `CreateResult`.
 */
import {
  assertModelCanHandle,
  type CreateOptions,
  type CreateResult,
  type FinishReason,
  type FunctionCall,
  isStructuredOutputSchema,
  type LLMMessage,
  lookupModel,
  ModelError,
  type ModelInfo,
  type PriceTable,
  parseStructuredOutput,
  type RequestUsage,
  resolveModelInfo,
  type StructuredOutputSchema,
  type ToolSchema,
  toCancelledError,
  type UsageTracker,
  ValidationError,
  withCost,
} from "@autogen-ts/core";
import { envApiKeys, readEnv } from "./env.js";
import { toModelError } from "./errors.js";
import { redactingLogger } from "./log.js";
import {
  type HttpModelClientOptions,
  type LegacyModelClientOptions,
  resolveLegacyOptions,
} from "./options.js";
import { redactUrl } from "./redact.js";
import { type RetryOptions, withRetries } from "./retry.js";

/** What a provider's built-in tables know about its models. */
export interface ModelCatalog {
  /** Capabilities by model name (looked up leniently: a dated snapshot finds its alias). */
  readonly models: Readonly<Record<string, ModelInfo>>;
  /** List prices by model name, in USD per million tokens. */
  readonly prices?: PriceTable;
  /** Context windows by model name. */
  readonly contextWindows?: Readonly<Record<string, number>>;
  /** The context window of a model the table does not know. */
  readonly defaultContextWindow: number;
}

/** What a client tells its kit about itself. */
export interface ModelClientKitSettings {
  /** The provider's display name, for messages ("OpenAI", "Anthropic"). */
  readonly provider: string;
  /** The client class's name, for messages. */
  readonly clientName: string;
  /** The model name used for capabilities, prices and messages. */
  readonly model: string;
  readonly catalog: ModelCatalog;
  /** The environment variables of the API key and the endpoint (names from `MODEL_ENV`). */
  readonly env?: { readonly apiKey?: string; readonly baseURL?: string };
  /** The endpoint the client calls, once known (an SDK may compute it), for logs and error messages. */
  readonly endpoint?: () => string | undefined;
  /** More secret values to mask (the AI SDK client's `secrets`). */
  readonly secrets?: readonly (string | undefined)[];
}

/** The parts of a finished reply, before usage is priced and recorded. */
export interface ReplyParts {
  readonly text: string;
  readonly calls: readonly FunctionCall[];
  readonly thought?: string | undefined;
  /** The reason for a text reply (a reply with calls always finishes with `function_calls`). */
  readonly finishReason: FinishReason;
  readonly usage: RequestUsage;
  /** Parses a structured reply (default: core's `parseStructuredOutput`). */
  readonly parse?: (text: string, schema: StructuredOutputSchema) => unknown;
}

/** The per-instance toolkit of a model client; see the module comment. */
export class ModelClientKit {
  /** The provider's display name. */
  readonly provider: string;
  /** The model name. */
  readonly model: string;
  /** What the model can do. */
  readonly modelInfo: ModelInfo;
  /** The context window in tokens. */
  readonly contextWindow: number;
  /** The options in today's vocabulary (deprecated aliases resolved). */
  readonly options: HttpModelClientOptions;
  /** The API key: the option, else the provider's environment variable. */
  readonly apiKey: string | undefined;
  /** The endpoint: the option, else the provider's environment variable (unredacted: for the SDK). */
  readonly baseURL: string | undefined;
  /** Logs through the client's logger with every secret masked. */
  readonly log: ReturnType<typeof redactingLogger>;
  /** The retry and time-limit settings. */
  readonly retry: RetryOptions & { readonly timeoutMs: number };
  readonly #secrets: readonly (string | undefined)[];
  readonly #endpoint: () => string | undefined;
  readonly #prices: PriceTable;
  readonly #clientName: string;

  constructor(options: HttpModelClientOptions & LegacyModelClientOptions, settings: ModelClientKitSettings) {
    if (!settings.model) {
      throw new ValidationError(`${settings.clientName}: "model" is required`, { code: "invalid_config" });
    }
    const resolved = resolveLegacyOptions(options);
    this.options = resolved;
    this.provider = settings.provider;
    this.model = settings.model;
    this.#clientName = settings.clientName;
    this.apiKey = resolved.apiKey ?? readEnv(settings.env?.apiKey);
    this.baseURL = resolved.baseURL ?? readEnv(settings.env?.baseURL);
    this.#endpoint = settings.endpoint ?? (() => this.baseURL);
    this.#secrets = [
      this.apiKey,
      ...Object.values(resolved.headers ?? {}),
      ...(settings.secrets ?? []),
      ...envApiKeys(),
    ].filter((s): s is string => typeof s === "string" && s.length > 0);
    this.log = redactingLogger(resolved.logger, () => this.#secrets);
    const { catalog } = settings;
    this.#prices = catalog.prices ?? {};
    this.contextWindow =
      resolved.contextWindow ??
      (catalog.contextWindows ? lookupModel(settings.model, catalog.contextWindows) : undefined) ??
      catalog.defaultContextWindow;
    this.retry = {
      maxRetries: resolved.maxRetries ?? 2,
      timeoutMs: resolved.timeoutMs ?? 600_000,
      ...(resolved.initialDelayMs !== undefined ? { initialDelayMs: resolved.initialDelayMs } : {}),
      ...(resolved.maxDelayMs !== undefined ? { maxDelayMs: resolved.maxDelayMs } : {}),
    };
    // The unknown-model warning goes to the client's logger when there is one, else to the console.
    this.modelInfo = resolveModelInfo(settings.model, catalog.models, resolved.modelInfo, {
      clientName: settings.clientName,
      ...(resolved.logger
        ? { warn: (message: string) => this.log("warn", message, { model: settings.model }) }
        : {}),
    });
  }

  /** Secret values to mask: the key, header values, the providers' key variables, the client's own. */
  secrets(): readonly (string | undefined)[] {
    return this.#secrets;
  }

  /** The endpoint with any credentials removed, for messages; undefined when it is not known. */
  endpoint(): string | undefined {
    const url = this.#endpoint();
    return url === undefined ? undefined : redactUrl(url);
  }

  /** A typed `invalid_config` error for a client that cannot be built, its message redacted. */
  configError(cause: unknown): ValidationError {
    const mapped = toModelError(cause, { provider: this.provider, secrets: this.#secrets });
    return new ValidationError(`${this.#clientName}: ${mapped.message}`, { code: "invalid_config" });
  }

  /**
   * Refuses what the model cannot do (images, tools, JSON or structured output) before any network
   * call, and a call whose signal has already aborted.
   */
  check(messages: readonly LLMMessage[], options: CreateOptions): void {
    if (options.signal?.aborted) throw toCancelledError(options.signal.reason);
    assertModelCanHandle(this.model, this.modelInfo, messages, options);
  }

  /** The create arguments of one call: the client's defaults, then the call's own. */
  extraArgs(options: CreateOptions): Record<string, unknown> {
    return { ...this.options.defaultCreateArgs, ...options.extraCreateArgs };
  }

  /** `usage` with the cost filled in where a price is known (the client's own first). */
  priced(usage: RequestUsage): RequestUsage {
    return withCost(usage, this.model, this.#prices, this.options.price);
  }

  /**
   * Runs one provider request under the retry policy. The returned `signal` stays under the attempt's
   * time limit until `release()`: a stream reads under it.
   */
  request<T>(attempt: (signal: AbortSignal) => Promise<T>, signal: AbortSignal | undefined) {
    const url = this.endpoint();
    return withRetries(attempt, this.retry, {
      provider: this.provider,
      signal,
      secrets: this.#secrets,
      ...(url !== undefined ? { url } : {}),
      onRetry: (info) =>
        this.log("warn", `${this.provider} call failed; retrying in ${info.delayMs} ms: ${info.reason}`, {
          model: this.model,
          attempt: info.attempt,
          status: info.status,
          delayMs: info.delayMs,
          reason: info.reason,
          url,
        }),
    });
  }

  /**
   * Maps an error thrown while reading a stream (or a body): the caller's cancellation, the attempt's
   * time limit, or a provider or connection failure. Logged at `error`.
   */
  streamError(error: unknown, callerSignal: AbortSignal | undefined, attemptSignal: AbortSignal): Error {
    if (callerSignal?.aborted) return toCancelledError(callerSignal.reason);
    const url = this.endpoint();
    const mapped = toModelError(error, {
      provider: this.provider,
      secrets: this.#secrets,
      timedOut: attemptSignal.aborted,
      timeoutMs: this.retry.timeoutMs,
      ...(url !== undefined ? { url } : {}),
    });
    this.log("error", `${this.provider} stream failed: ${mapped.message}`, { model: this.model });
    return mapped;
  }

  /**
   * Checks a stream that has ended: the caller's cancellation throws a `CancelledError`; a stream
   * without its final event (`complete` false) throws `timeout` when the attempt's time limit stopped
   * it (an SDK ends its iteration quietly then), else `provider_error` (a truncated stream, or an answer
   * that is not a stream at all).
   */
  endStream(
    complete: boolean,
    callerSignal: AbortSignal | undefined,
    attemptSignal: AbortSignal,
    details: Record<string, unknown> = {},
  ): void {
    if (callerSignal?.aborted) throw toCancelledError(callerSignal.reason);
    if (complete) return;
    if (attemptSignal.aborted) {
      throw new ModelError(
        "timeout",
        `${this.provider} did not finish its stream within ${this.retry.timeoutMs} ms`,
        { details },
      );
    }
    throw new ModelError(
      "provider_error",
      `${this.provider}'s stream ended before its final event (a truncated stream, or an answer that is not a stream)`,
      { details },
    );
  }

  /**
   * Refuses a stream request answered with a document (JSON, HTML, plain text) instead of a stream, for
   * a client whose SDK would read such an answer as an empty stream that finished.
   */
  checkStreamContentType(contentType: string | undefined): void {
    if (contentType === undefined || !/^\s*(application\/json|text\/html|text\/plain)\b/i.test(contentType))
      return;
    throw new ModelError(
      "provider_error",
      `${this.provider} answered a stream request with ${contentType.split(";")[0]?.trim()}, not a stream`,
      { details: { contentType } },
    );
  }

  /** The error for a successful answer of the wrong shape (not JSON, or not the API's object). */
  unexpected(what: string, got: unknown): ModelError {
    const kind = typeof got === "string" ? `text (${got.slice(0, 40).replace(/\s+/g, " ")}...)` : typeof got;
    return new ModelError("provider_error", `${this.provider} answered with something that is not ${what}`, {
      details: { received: got === null ? "null" : kind },
    });
  }

  /**
   * The final result of a call: usage priced and recorded in `tracker`; function calls, or the text
   * with `parsed` for a structured request.
   */
  result(tracker: UsageTracker, parts: ReplyParts, options: CreateOptions): CreateResult {
    const usage = this.priced(parts.usage);
    tracker.record(usage);
    const thought = parts.thought ? { thought: parts.thought } : {};
    if (parts.calls.length > 0) {
      return { finishReason: "function_calls", content: [...parts.calls], usage, cached: false, ...thought };
    }
    const schema = options.jsonOutput;
    const parsed = isStructuredOutputSchema(schema)
      ? (parts.parse ?? parseStructuredOutput)(parts.text, schema)
      : undefined;
    return {
      finishReason: parts.finishReason,
      content: parts.text,
      usage,
      cached: false,
      ...thought,
      ...(parsed !== undefined ? { parsed } : {}),
    };
  }

  /** A description safe to log: provider, model and endpoint, never a key. */
  describe(provider: string): Record<string, unknown> {
    const url = this.endpoint();
    return { provider, model: this.model, ...(url !== undefined ? { baseURL: url } : {}) };
  }
}

/**
 * Usage estimated from the text when the provider reports none: the prompt by `countTokens`, the reply
 * at about four characters a token.
 */
export function estimateUsage(
  countTokens: (messages: readonly LLMMessage[], options: { tools?: readonly ToolSchema[] }) => number,
  messages: readonly LLMMessage[],
  options: CreateOptions,
  text: string,
  calls: readonly FunctionCall[],
): RequestUsage {
  const out = text.length + calls.reduce((n, c) => n + c.name.length + c.arguments.length, 0);
  return {
    promptTokens: countTokens(messages, { tools: options.tools ?? [] }),
    completionTokens: Math.ceil(out / 4),
  };
}
