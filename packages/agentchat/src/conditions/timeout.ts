/** The termination condition on elapsed time. */
import { ValidationError } from "@autogen-ts/core";
import type { StopMessage } from "../messages/index.js";
import { stopMessage, TerminationCondition, type TerminationInput } from "./base.js";

/** Options of {@link TimeoutTermination}. */
export interface TimeoutTerminationOptions {
  /** Stop at the first check this many seconds after the run's first check. */
  timeoutSeconds: number;
  /** The clock, in milliseconds; `Date.now` by default (replace it in tests). */
  now?: () => number;
}

/**
 * Stops at the first check made `timeoutSeconds` or more after the first check of the run. The clock
 * starts at that first check (a team checks the task as the run starts), not when the condition is made,
 * so a condition created early, or reset when the previous run ended, does not count the idle time between.
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
  private startedAt: number | undefined;
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
  }

  /** True once a check found the time up. */
  get terminated(): boolean {
    return this.fired;
  }

  protected async evaluate(_messages: TerminationInput): Promise<StopMessage | undefined> {
    const now = this.now();
    this.startedAt ??= now;
    const elapsed = (now - this.startedAt) / 1000;
    if (elapsed < this.timeoutSeconds) return undefined;
    this.fired = true;
    return stopMessage("TimeoutTermination", `Timeout of ${this.timeoutSeconds} seconds reached`);
  }

  /** Stops the clock; the next check starts it again. */
  async reset(): Promise<void> {
    this.startedAt = undefined;
    this.fired = false;
  }
}
