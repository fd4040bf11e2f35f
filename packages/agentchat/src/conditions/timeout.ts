/** The termination condition on elapsed time. */
import { ValidationError } from "@autogen-ts/core";
import type { StopMessage } from "../messages/index.js";
import { stopMessage, TerminationCondition, type TerminationInput } from "./base.js";

/** Options of {@link TimeoutTermination}. */
export interface TimeoutTerminationOptions {
  /** Stop at the first check this many seconds after the condition was made or reset. */
  timeoutSeconds: number;
  /** The clock, in milliseconds; `Date.now` by default (replace it in tests). */
  now?: () => number;
}

/**
 * Stops at the first check made `timeoutSeconds` or more after the condition was created or last reset.
 * It is a check between turns, not a timer: a turn in progress finishes first (cancel with an
 * `AbortSignal` to cut one short).
 *
 * @example
 * ```ts
 * new TimeoutTermination(120);
 * ```
 */
export class TimeoutTermination extends TerminationCondition {
  /** The time limit in seconds. */
  readonly timeoutSeconds: number;
  private readonly now: () => number;
  private startedAt: number;
  private fired = false;

  constructor(options: number | TimeoutTerminationOptions) {
    super();
    const opts = typeof options === "number" ? { timeoutSeconds: options } : options;
    const seconds = opts?.timeoutSeconds;
    if (typeof seconds !== "number" || !Number.isFinite(seconds) || seconds <= 0) {
      throw new ValidationError(
        `TimeoutTermination: timeoutSeconds must be a positive number, got ${String(seconds)}`,
      );
    }
    this.timeoutSeconds = seconds;
    this.now = opts.now ?? Date.now;
    this.startedAt = this.now();
  }

  /** True once a check found the time up. */
  get terminated(): boolean {
    return this.fired;
  }

  protected async evaluate(_messages: TerminationInput): Promise<StopMessage | undefined> {
    const elapsed = (this.now() - this.startedAt) / 1000;
    if (elapsed < this.timeoutSeconds) return undefined;
    this.fired = true;
    return stopMessage(
      "TimeoutTermination",
      `Ran for ${elapsed.toFixed(1)} s, past the limit of ${this.timeoutSeconds} s`,
    );
  }

  /** Restarts the clock. */
  async reset(): Promise<void> {
    this.startedAt = this.now();
    this.fired = false;
  }
}
