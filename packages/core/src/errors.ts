/**
 * The error hierarchy shared by every autogen-ts package.
 *
 * One base class ({@link AutogenError}) carries a string `code` and the standard `cause`. A few subclasses
 * group the codes a caller is likely to branch on. `isInstance` checks use a global symbol, so they keep
 * working when two copies of this package end up in one program (a common npm situation where
 * `instanceof` silently fails).
 */

const MARKER = Symbol.for("autogen-ts.error");

/** Every error code autogen-ts throws, so that callers can switch on it exhaustively. */
export type ErrorCode =
  // Validation of names, arguments, configs and documents.
  | "invalid_argument"
  | "invalid_state"
  | "invalid_config"
  // Message delivery in the runtime.
  | "undeliverable"
  | "cant_handle"
  | "message_dropped"
  | "handler_failed"
  | "not_running"
  | "worker_lost"
  // Serving over HTTP.
  | "bad_request"
  | "unauthorized"
  | "unknown_team"
  | "thread_busy"
  | "already_answered"
  // Cancellation and time limits.
  | "cancelled"
  | "timeout"
  // Models and providers.
  | "model_capability"
  | "model_output"
  | "provider_error"
  | "rate_limited"
  | "replay_exhausted"
  // Tools and code execution.
  | "tool_error"
  | "unknown_tool"
  | "execution_error"
  // Run stores, checkpoints and durable runs.
  | "store_conflict"
  | "store_unavailable"
  | "store_full"
  | "store_schema"
  | "not_found"
  | "run_busy"
  | "checkpoint_corrupt"
  | "checkpoint_format"
  | "definition_changed"
  | "input_required"
  // Anything else, with a more specific message.
  | "internal";

/** Options accepted by every autogen-ts error constructor. */
export interface AutogenErrorOptions {
  /** The underlying error, kept as the standard `cause`. */
  cause?: unknown;
  /** Extra structured facts about the failure (never secrets). */
  details?: Record<string, unknown>;
}

/**
 * Base class of all autogen-ts errors.
 *
 * @example
 * ```ts
 * try { await runtime.sendMessage(msg, id); }
 * catch (e) { if (AutogenError.isInstance(e) && e.code === "cant_handle") ... }
 * ```
 */
export class AutogenError extends Error {
  /** A stable, machine-readable error code. */
  readonly code: ErrorCode;
  /** Extra structured facts about the failure. */
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, options: AutogenErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.details = options.details;
    Object.defineProperty(this, MARKER, { value: true });
  }

  /** True for any autogen-ts error, even one created by another copy of this package. */
  static isInstance(value: unknown): value is AutogenError {
    return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[MARKER] === true;
  }
}

/** A name, argument, config or document failed validation. */
export class ValidationError extends AutogenError {
  constructor(message: string, options: AutogenErrorOptions & { code?: ErrorCode } = {}) {
    super(options.code ?? "invalid_argument", message, options);
  }

  /** True for a {@link ValidationError} from any copy of this package. */
  static override isInstance(value: unknown): value is ValidationError {
    return AutogenError.isInstance(value) && value.name === "ValidationError";
  }
}

/** An operation was cancelled through its `AbortSignal`, or ran out of time (`code: "timeout"`). */
export class CancelledError extends AutogenError {
  constructor(
    message = "The operation was cancelled",
    options: AutogenErrorOptions & { code?: ErrorCode } = {},
  ) {
    super(options.code ?? "cancelled", message, options);
  }

  /** True for a {@link CancelledError} from any copy of this package. */
  static override isInstance(value: unknown): value is CancelledError {
    return AutogenError.isInstance(value) && value.name === "CancelledError";
  }
}

/**
 * A message could not be delivered or handled: unknown recipient (`undeliverable`), no handler for its
 * type (`cant_handle`), dropped by an intervention handler (`message_dropped`), or the handler threw
 * (`handler_failed`, with the handler's error as `cause`), or, in a distributed runtime, the worker
 * handling a request disappeared before answering (`worker_lost`).
 */
export class DeliveryError extends AutogenError {
  constructor(
    code:
      | "undeliverable"
      | "cant_handle"
      | "message_dropped"
      | "handler_failed"
      | "not_running"
      | "worker_lost",
    message: string,
    options: AutogenErrorOptions = {},
  ) {
    super(code, message, options);
  }

  /** True for a {@link DeliveryError} from any copy of this package. */
  static override isInstance(value: unknown): value is DeliveryError {
    return AutogenError.isInstance(value) && value.name === "DeliveryError";
  }
}

/**
 * A model client failed: the provider answered with an error (`provider_error`, with `status`), kept
 * rate-limiting past the retries (`rate_limited`), produced output that could not be parsed
 * (`model_output`), was asked for something the model cannot do (`model_capability`), or a replay client
 * ran out of scripted responses (`replay_exhausted`).
 */
export class ModelError extends AutogenError {
  /** The HTTP status of the provider's last answer, where there was one. */
  readonly status: number | undefined;

  constructor(code: ErrorCode, message: string, options: AutogenErrorOptions & { status?: number } = {}) {
    super(code, message, options);
    this.status = options.status;
  }

  /** True for a {@link ModelError} from any copy of this package. */
  static override isInstance(value: unknown): value is ModelError {
    return AutogenError.isInstance(value) && value.name === "ModelError";
  }
}

/** A tool or code execution failed in a way the caller (not the model) must handle. */
export class ToolError extends AutogenError {
  constructor(message: string, options: AutogenErrorOptions & { code?: ErrorCode } = {}) {
    super(options.code ?? "tool_error", message, options);
  }

  /** True for a {@link ToolError} from any copy of this package. */
  static override isInstance(value: unknown): value is ToolError {
    return AutogenError.isInstance(value) && value.name === "ToolError";
  }
}

/** Throws a {@link CancelledError} when `signal` is aborted; use at await points in long work. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw toCancelledError(signal.reason);
}

/** Turns an abort reason (whatever the aborter passed) into a {@link CancelledError}. */
export function toCancelledError(reason: unknown): CancelledError {
  if (CancelledError.isInstance(reason)) return reason;
  const isTimeout = reason instanceof Error && reason.name === "TimeoutError";
  return new CancelledError(isTimeout ? "The operation timed out" : "The operation was cancelled", {
    code: isTimeout ? "timeout" : "cancelled",
    cause: reason,
  });
}
