/** The termination condition a program or a person sets from outside the run. */
import type { StopMessage } from "../messages/index.js";
import { stopMessage, TerminationCondition, type TerminationInput } from "./base.js";

/**
 * Stops at the next check after {@link set} is called: a "stop" button for a UI. The run finishes the
 * turn in progress first (abort the run's signal to stop at once).
 *
 * @example
 * ```ts
 * const stop = new ExternalTermination();
 * const team = new RoundRobinGroupChat({ participants, terminationCondition: stop.or(new MaxMessageTermination(20)) });
 * button.onclick = () => stop.set();
 * ```
 */
export class ExternalTermination extends TerminationCondition {
  private requested = false;
  private fired = false;

  /** Asks the run to stop at its next check. */
  set(): void {
    this.requested = true;
  }

  /** True once a check has seen the request. */
  get terminated(): boolean {
    return this.fired;
  }

  protected async evaluate(_messages: TerminationInput): Promise<StopMessage | undefined> {
    if (!this.requested) return undefined;
    this.fired = true;
    return stopMessage("ExternalTermination", "External termination requested");
  }

  /** Clears the request. */
  async reset(): Promise<void> {
    this.requested = false;
    this.fired = false;
  }
}
