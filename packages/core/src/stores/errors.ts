/**
 * The errors of run stores and checkpoints. Each message names the store (never its credentials), so an
 * operator can tell which database is full, gone or from a newer release.
 */
import { AutogenError, type AutogenErrorOptions, errorMarker, isErrorInstance } from "../errors.js";

/** The codes a {@link StoreError} carries. */
export type StoreErrorCode =
  /** A compare-and-set lost (the thread's head moved, an id was taken, a sequence number was used). */
  | "store_conflict"
  /** The store cannot be reached (a database that went away); the run can resume once it is back. */
  | "store_unavailable"
  /** The store is out of space. */
  | "store_full"
  /** The store's schema is from a newer release, or is not a run store's. */
  | "store_schema"
  /** The thread, run or request does not exist. */
  | "not_found"
  /** Another process holds the run. */
  | "run_busy";

/**
 * A run store failed or refused a write. `details.store` is the store's name.
 *
 * @example
 * ```ts
 * try { await store.write(batch); }
 * catch (e) { if (StoreError.isInstance(e) && e.code === "store_conflict") ... }
 * ```
 */
export class StoreError extends AutogenError {
  /** The marker of {@link StoreError} instances. */
  static override readonly marker: symbol = errorMarker("StoreError");
  override readonly code: StoreErrorCode;

  constructor(code: StoreErrorCode, store: string, message: string, options: AutogenErrorOptions = {}) {
    super(code, `${store}: ${message}`, { ...options, details: { ...options.details, store } });
    this.code = code;
  }

  /** True for a {@link StoreError} (or a subclass) from any copy of this package. */
  static override isInstance(value: unknown): value is StoreError {
    return isErrorInstance(value, this ?? StoreError);
  }
}

/** The codes a {@link CheckpointError} carries. */
export type CheckpointErrorCode =
  /** The checkpoint document is not valid JSON of the expected shape. */
  | "checkpoint_corrupt"
  /** The checkpoint was written by a newer release (a format version this one cannot read). */
  | "checkpoint_format"
  /** The team (or agent) definition differs from the one that wrote the checkpoint. */
  | "definition_changed";

/** A checkpoint cannot be restored; the message says why (for `definition_changed`: what changed). */
export class CheckpointError extends AutogenError {
  /** The marker of {@link CheckpointError} instances. */
  static override readonly marker: symbol = errorMarker("CheckpointError");
  override readonly code: CheckpointErrorCode;

  constructor(code: CheckpointErrorCode, message: string, options: AutogenErrorOptions = {}) {
    super(code, message, options);
    this.code = code;
  }

  /** True for a {@link CheckpointError} (or a subclass) from any copy of this package. */
  static override isInstance(value: unknown): value is CheckpointError {
    return isErrorInstance(value, this ?? CheckpointError);
  }
}
