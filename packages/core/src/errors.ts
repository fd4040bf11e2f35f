/**
 * The error hierarchy shared by every autogen-ts package.
 *
 * One base class ({@link AutogenError}) carries a string `code` and the standard `cause`. A few subclasses
 * group the codes a caller is likely to branch on; each is bound to its own codes.
 *
 * Identity: every class has its own marker, a `Symbol.for` key, and an instance carries the marker of its
 * class and of every ancestor. `X.isInstance(e)` checks X's marker, so it holds for subclasses of X and
 * across two copies of this package in one program (a common npm situation where `instanceof` silently
 * fails), and it never depends on `name` (which a minifier or a subclass may change).
 */

import type { CheckpointErrorCode, StoreErrorCode } from "./stores/errors.js";

const BASE_MARKER = Symbol.for("autogen-ts.error");

/** The `Symbol.for` marker of the error class registered under `name` (the AutogenError family's key space). */
export function errorMarker(name: string): symbol {
  return Symbol.for(`autogen-ts.error.${name}`);
}

/** A class of the AutogenError family, as `isInstance` sees it. */
interface ErrorClass {
  readonly marker?: symbol;
  readonly name: string;
}

// A subclass that declares no `marker` of its own (a user's subclass, say) still gets an identity of its
// own: a private symbol, valid within this copy of its module.
const privateMarkers = new WeakMap<object, symbol>();

function markerOf(cls: ErrorClass): symbol {
  if (Object.hasOwn(cls, "marker") && typeof cls.marker === "symbol") return cls.marker;
  let marker = privateMarkers.get(cls);
  if (marker === undefined) {
    marker = Symbol(`autogen-ts.error.${cls.name}`);
    privateMarkers.set(cls, marker);
  }
  return marker;
}

function mark(target: object, marker: symbol): void {
  Object.defineProperty(target, marker, { value: true, configurable: true });
}

// The markers of a class and its ancestors up to AutogenError, computed once per class.
const chains = new WeakMap<object, readonly symbol[]>();
// The same by class name, for rebuilding an error that crossed a wire (see restoreErrorIdentity).
const chainsByName = new Map<string, readonly symbol[]>();

function chainOf(target: ErrorClass): readonly symbol[] {
  let chain = chains.get(target);
  if (chain === undefined) {
    const markers: symbol[] = [];
    for (let cls: unknown = target; typeof cls === "function"; cls = Object.getPrototypeOf(cls)) {
      markers.push(markerOf(cls as ErrorClass));
      if ((cls as ErrorClass).marker === BASE_MARKER && Object.hasOwn(cls, "marker")) break;
    }
    chain = markers;
    chains.set(target, chain);
    if (!chainsByName.has(target.name)) chainsByName.set(target.name, chain);
  }
  return chain;
}

/** Every error code autogen-ts throws, so that callers can switch on it exhaustively. */
export type ErrorCode =
  | ValidationErrorCode
  | DeliveryErrorCode
  | CancelledErrorCode
  | ModelErrorCode
  | ToolErrorCode
  | StoreErrorCode
  | CheckpointErrorCode
  | ServerErrorCode
  // A durable run stopped to wait for a person (agentchat's InputRequiredError).
  | "input_required"
  // A guardrail stopped a run (agentchat's GuardrailError).
  | "guardrail_tripped"
  // Anything else, with a more specific message.
  | "internal";

/** Codes of the HTTP server's errors (`@autogen-ts/server`). */
export type ServerErrorCode =
  | "bad_request"
  | "unauthorized"
  | "unknown_team"
  | "thread_busy"
  | "already_answered";

/** Codes of a {@link ValidationError}: names, arguments, configs, documents and object state. */
export type ValidationErrorCode = "invalid_argument" | "invalid_state" | "invalid_config";

/** Codes of a {@link DeliveryError}: message delivery in the runtime. */
export type DeliveryErrorCode =
  | "undeliverable"
  | "cant_handle"
  | "message_dropped"
  | "handler_failed"
  | "not_running"
  | "worker_lost";

/** Codes of a {@link CancelledError}: cancellation and time limits. */
export type CancelledErrorCode = "cancelled" | "timeout";

/** Codes of a {@link ModelError}: models and providers. */
export type ModelErrorCode =
  | "model_capability"
  | "model_output"
  | "provider_error"
  | "rate_limited"
  | "replay_exhausted"
  | "timeout";

/**
 * Codes of a {@link ToolError}: tools and code execution, including the failures of a service a tool
 * calls (`provider_error`, `rate_limited`, `timeout`) and a tool that is not set up (`invalid_config`).
 */
export type ToolErrorCode =
  | "tool_error"
  | "unknown_tool"
  | "execution_error"
  | "invalid_argument"
  | "invalid_config"
  | "provider_error"
  | "rate_limited"
  | "timeout";

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
 * A subclass declares `static override readonly marker = errorMarker("MyError")`, so that its
 * `isInstance` recognises it across copies of its package (without one, `isInstance` still tells it
 * apart from its parent within one copy), and its own `isInstance` (see {@link isErrorInstance}) so that
 * the method narrows to it and works unbound.
 *
 * @example
 * ```ts
 * try { await runtime.sendMessage(msg, id); }
 * catch (e) { if (AutogenError.isInstance(e) && e.code === "cant_handle") ... }
 * ```
 */
export class AutogenError extends Error {
  /** The marker every instance of this class (and of its subclasses) carries. */
  static readonly marker: symbol = BASE_MARKER;

  /** A stable, machine-readable error code. */
  readonly code: ErrorCode;
  /** Extra structured facts about the failure. */
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, options: AutogenErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.details = options.details;
    for (const marker of chainOf(new.target)) mark(this, marker);
  }

  /**
   * True when `value` is an instance of this class or of a subclass, even one created by another copy of
   * this package. Works unbound too (`errors.filter(ModelError.isInstance)`).
   */
  static isInstance(value: unknown): value is AutogenError {
    return isErrorInstance(value, this ?? AutogenError);
  }
}

/**
 * True when `value` carries the marker of `errorClass` (see {@link AutogenError}): the check behind every
 * `isInstance`. A subclass's own `isInstance` is `return isErrorInstance(value, this ?? MyError);`, where
 * `this` is undefined when the method is called unbound.
 */
export function isErrorInstance(value: unknown, errorClass: { readonly name: string }): boolean {
  if (typeof value !== "object" || value === null) return false;
  return (value as Record<symbol, unknown>)[markerOf(errorClass as ErrorClass)] === true;
}

/**
 * Gives an error rebuilt from plain data (a message that crossed a process boundary) the identity of the
 * class named `name`: it takes that name and, when it is an {@link AutogenError}, the markers of that
 * class's chain, so `X.isInstance` holds for it as for the original. A class not known in this process
 * gets its conventional `Symbol.for` marker ({@link errorMarker}).
 */
export function restoreErrorIdentity<E extends Error>(error: E, name: string): E {
  Object.defineProperty(error, "name", { value: name, configurable: true, writable: true });
  if (AutogenError.isInstance(error)) {
    for (const marker of chainsByName.get(name) ?? [errorMarker(name)]) mark(error, marker);
  }
  return error;
}

/** A name, argument, config or document failed validation, or an object was used in the wrong state. */
export class ValidationError extends AutogenError {
  /** The marker of {@link ValidationError} instances. */
  static override readonly marker: symbol = errorMarker("ValidationError");

  /** True for a {@link ValidationError} (or a subclass) from any copy of this package. */
  static override isInstance(value: unknown): value is ValidationError {
    return isErrorInstance(value, this ?? ValidationError);
  }
  declare readonly code: ValidationErrorCode;

  constructor(message: string, options: AutogenErrorOptions & { code?: ValidationErrorCode } = {}) {
    super(options.code ?? "invalid_argument", message, options);
  }
}

/** An operation was cancelled through its `AbortSignal`, or ran out of time (`code: "timeout"`). */
export class CancelledError extends AutogenError {
  /** The marker of {@link CancelledError} instances. */
  static override readonly marker: symbol = errorMarker("CancelledError");

  /** True for a {@link CancelledError} (or a subclass) from any copy of this package. */
  static override isInstance(value: unknown): value is CancelledError {
    return isErrorInstance(value, this ?? CancelledError);
  }
  declare readonly code: CancelledErrorCode;

  constructor(
    message = "The operation was cancelled",
    options: AutogenErrorOptions & { code?: CancelledErrorCode } = {},
  ) {
    super(options.code ?? "cancelled", message, options);
  }
}

/**
 * A message could not be delivered or handled: unknown recipient (`undeliverable`), no handler for its
 * type (`cant_handle`), dropped by an intervention handler (`message_dropped`), or the handler threw
 * (`handler_failed`, with the handler's error as `cause`), or, in a distributed runtime, the worker
 * handling a request disappeared before answering (`worker_lost`).
 */
export class DeliveryError extends AutogenError {
  /** The marker of {@link DeliveryError} instances. */
  static override readonly marker: symbol = errorMarker("DeliveryError");

  /** True for a {@link DeliveryError} (or a subclass) from any copy of this package. */
  static override isInstance(value: unknown): value is DeliveryError {
    return isErrorInstance(value, this ?? DeliveryError);
  }
  declare readonly code: DeliveryErrorCode;

  constructor(code: DeliveryErrorCode, message: string, options: AutogenErrorOptions = {}) {
    super(code, message, options);
  }
}

/**
 * A model client failed: the provider answered with an error (`provider_error`, with `status`), kept
 * rate-limiting past the retries (`rate_limited`), did not answer in time (`timeout`), produced output
 * that could not be parsed (`model_output`), was asked for something the model cannot do
 * (`model_capability`), or a replay client ran out of scripted responses (`replay_exhausted`).
 */
export class ModelError extends AutogenError {
  /** The marker of {@link ModelError} instances. */
  static override readonly marker: symbol = errorMarker("ModelError");

  /** True for a {@link ModelError} (or a subclass) from any copy of this package. */
  static override isInstance(value: unknown): value is ModelError {
    return isErrorInstance(value, this ?? ModelError);
  }
  declare readonly code: ModelErrorCode;
  /** The HTTP status of the provider's last answer, where there was one. */
  readonly status: number | undefined;

  constructor(
    code: ModelErrorCode,
    message: string,
    options: AutogenErrorOptions & { status?: number } = {},
  ) {
    super(code, message, options);
    this.status = options.status;
  }
}

/** A tool or code execution failed in a way the caller (not the model) must handle. */
export class ToolError extends AutogenError {
  /** The marker of {@link ToolError} instances. */
  static override readonly marker: symbol = errorMarker("ToolError");

  /** True for a {@link ToolError} (or a subclass) from any copy of this package. */
  static override isInstance(value: unknown): value is ToolError {
    return isErrorInstance(value, this ?? ToolError);
  }
  declare readonly code: ToolErrorCode;

  constructor(message: string, options: AutogenErrorOptions & { code?: ToolErrorCode } = {}) {
    super(options.code ?? "tool_error", message, options);
  }
}

// Known before any instance is made, so that restoreErrorIdentity rebuilds them with their full chain.
for (const cls of [AutogenError, ValidationError, CancelledError, DeliveryError, ModelError, ToolError]) {
  chainOf(cls);
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
