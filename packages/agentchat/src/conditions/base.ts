/**
 * The termination-condition protocol: a condition is fed each new batch of messages and events of a run
 * and answers with a {@link StopMessage} once the run should stop. Conditions combine with `.and()` and
 * `.or()`. Mirrors AutoGen's `TerminationCondition`, with `check(delta)` for Python's `__call__`.
 *
 * The combinators live in this file because `and`/`or` construct them and they extend the base class; in
 * separate modules the two would import each other and one would see the other's class uninitialised.
 */
import { AutogenError, type AutogenErrorOptions, errorMarker, isErrorInstance } from "@autogen-ts/core";
import type { BaseAgentMessage } from "../messages/index.js";
import { StopMessage } from "../messages/index.js";

/** What a condition is fed: the chat messages and agent events produced since the last check. */
export type TerminationInput = readonly BaseAgentMessage[];

/**
 * A condition was checked again after it had fired, without `reset()` in between.
 * Check for it with `TerminatedError.isInstance(e)`.
 */
export class TerminatedError extends AutogenError {
  /** The marker of {@link TerminatedError} instances. */
  static override readonly marker: symbol = errorMarker("TerminatedError");

  /** True for a {@link TerminatedError} from any copy of this package. */
  static override isInstance(value: unknown): value is TerminatedError {
    return isErrorInstance(value, this ?? TerminatedError);
  }
  declare readonly code: "invalid_state";

  constructor(message: string, options: AutogenErrorOptions = {}) {
    super("invalid_state", message, options);
  }
}

/**
 * Base class of every termination condition.
 *
 * A team calls {@link check} with the delta of new messages and events after each agent's turn; when it
 * returns a {@link StopMessage} (whose `content` is the stop reason) the run ends, and the condition
 * stays `terminated` until {@link reset}.
 *
 * @example
 * ```ts
 * const stop = new TextMentionTermination("APPROVE").or(new MaxMessageTermination(10));
 * ```
 */
export abstract class TerminationCondition {
  /** True once the condition has fired, until {@link reset}. */
  abstract get terminated(): boolean;

  /**
   * Looks at the messages and events produced since the last check.
   *
   * @returns a {@link StopMessage} with a readable reason when the run should stop, else `undefined`.
   * @throws {@link TerminatedError} when the condition has already fired and was not reset.
   */
  async check(messages: TerminationInput): Promise<StopMessage | undefined> {
    if (this.terminated) {
      throw new TerminatedError(
        `${this.constructor.name} has already fired; call reset() before checking it again`,
      );
    }
    return this.evaluate(messages);
  }

  /** The condition's own logic, called by {@link check} only while not yet terminated. */
  protected abstract evaluate(messages: TerminationInput): Promise<StopMessage | undefined>;

  /** Makes the condition ready for a new run. */
  abstract reset(): Promise<void>;

  /** A condition that fires once this one and `other` have both fired (in any order, across checks). */
  and(other: TerminationCondition): AndTerminationCondition {
    return new AndTerminationCondition([this, other]);
  }

  /** A condition that fires as soon as this one or `other` fires. */
  or(other: TerminationCondition): OrTerminationCondition {
    return new OrTerminationCondition([this, other]);
  }
}

/** Builds the stop message of a built-in condition: its class name as source, the reason as content. */
export function stopMessage(source: string, reason: string): StopMessage {
  return new StopMessage({ source, content: reason });
}

function combine(stops: readonly StopMessage[]): StopMessage {
  if (stops.length === 1) return stops[0]!;
  return stopMessage(stops.map((s) => s.source).join(", "), stops.map((s) => s.content).join(", "));
}

/**
 * Fires once every part has fired; parts may fire in different checks and in any order. A part that has
 * fired is not checked again until {@link reset}. The stop reason joins the parts' reasons with `", "` (as AutoGen does).
 */
export class AndTerminationCondition extends TerminationCondition {
  /** The parts, in the order they were combined. */
  readonly conditions: readonly TerminationCondition[];
  private fired: (StopMessage | undefined)[];

  constructor(conditions: readonly TerminationCondition[]) {
    super();
    this.conditions = conditions;
    this.fired = conditions.map(() => undefined);
  }

  /** True once every part has fired. */
  get terminated(): boolean {
    return this.conditions.every((c) => c.terminated);
  }

  protected async evaluate(messages: TerminationInput): Promise<StopMessage | undefined> {
    await Promise.all(
      this.conditions.map(async (condition, i) => {
        if (condition.terminated) return;
        const stop = await condition.check(messages);
        if (stop !== undefined) this.fired[i] = stop;
      }),
    );
    if (!this.terminated) return undefined;
    return combine(this.fired.filter((s): s is StopMessage => s !== undefined));
  }

  /** Resets every part. */
  async reset(): Promise<void> {
    this.fired = this.conditions.map(() => undefined);
    await Promise.all(this.conditions.map((c) => c.reset()));
  }
}

/**
 * Fires as soon as any part fires. Every part sees every check (so counters stay right); when several fire
 * in the same check, the stop reason joins their reasons with `", "`.
 */
export class OrTerminationCondition extends TerminationCondition {
  /** The parts, in the order they were combined. */
  readonly conditions: readonly TerminationCondition[];

  constructor(conditions: readonly TerminationCondition[]) {
    super();
    this.conditions = conditions;
  }

  /** True once any part has fired. */
  get terminated(): boolean {
    return this.conditions.some((c) => c.terminated);
  }

  protected async evaluate(messages: TerminationInput): Promise<StopMessage | undefined> {
    const stops = await Promise.all(this.conditions.map((c) => c.check(messages)));
    const fired = stops.filter((s): s is StopMessage => s !== undefined);
    return fired.length === 0 ? undefined : combine(fired);
  }

  /** Resets every part. */
  async reset(): Promise<void> {
    await Promise.all(this.conditions.map((c) => c.reset()));
  }
}
