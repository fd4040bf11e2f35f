/** The termination condition given as a function. */
import { ValidationError } from "@autogen-ts/core";
import type { StopMessage } from "../messages/index.js";
import { stopMessage, TerminationCondition, type TerminationInput } from "./base.js";

/** A predicate over the latest messages and events: true (or a promise of true) to stop. */
export type TerminationPredicate = (messages: TerminationInput) => boolean | Promise<boolean>;

/** Options of {@link FunctionalTermination}. */
export interface FunctionalTerminationOptions {
  /** Decides, for each delta of messages and events, whether to stop. */
  func: TerminationPredicate;
  /** The stop reason shown when it fires; a generic one by default. */
  reason?: string;
}

/**
 * Stops when a function of the latest messages and events returns true. The function is not saved with a
 * team's config.
 *
 * @example
 * ```ts
 * new FunctionalTermination((delta) => delta.some((m) => m.type === "StructuredMessage"));
 * ```
 */
export class FunctionalTermination extends TerminationCondition {
  private readonly func: TerminationPredicate;
  private readonly reason: string;
  private fired = false;

  constructor(options: TerminationPredicate | FunctionalTerminationOptions) {
    super();
    const opts = typeof options === "function" ? { func: options } : options;
    if (typeof opts?.func !== "function") {
      throw new ValidationError("FunctionalTermination needs a function");
    }
    this.func = opts.func;
    this.reason = opts.reason ?? "Functional termination condition met";
  }

  /** True once the function returned true. */
  get terminated(): boolean {
    return this.fired;
  }

  protected async evaluate(messages: TerminationInput): Promise<StopMessage | undefined> {
    if (!(await this.func(messages))) return undefined;
    this.fired = true;
    return stopMessage("FunctionalTermination", this.reason);
  }

  /** Forgets that the function returned true. */
  async reset(): Promise<void> {
    this.fired = false;
  }
}
