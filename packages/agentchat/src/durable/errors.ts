/**
 * The errors of durable runs that are not store or checkpoint failures.
 */
import { AutogenError, type AutogenErrorOptions, errorMarker, isErrorInstance } from "@autogen-ts/core";

/**
 * A durable run needs a person's answer: the request is persisted and the run ends as `interrupted`.
 * Answer it with `resume(runId, { input: { requestId, value } })`. Thrown inside the run; the runner turns
 * it into the run's result, so callers of a durable run see it only as `status: "interrupted"`.
 */
export class InputRequiredError extends AutogenError {
  /** The marker of {@link InputRequiredError} instances. */
  static override readonly marker: symbol = errorMarker("InputRequiredError");

  constructor(
    readonly requestId: string,
    readonly prompt: string,
    options: AutogenErrorOptions = {},
  ) {
    super("input_required", `The run is waiting for input: ${requestId}`, {
      ...options,
      details: { ...options.details, requestId, prompt },
    });
  }

  /** True for an {@link InputRequiredError} from any copy of this package. */
  static override isInstance(value: unknown): value is InputRequiredError {
    return isErrorInstance(value, this ?? InputRequiredError);
  }
}

/** The first error in an error's cause chain that `is` accepts (a participant's failure wraps its cause). */
export function findCause<T>(error: unknown, is: (value: unknown) => value is T): T | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 10 && current !== undefined && current !== null; depth++) {
    if (is(current)) return current;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** The {@link InputRequiredError} somewhere in an error's cause chain (a participant's failure wraps it). */
export function findInputRequired(error: unknown): InputRequiredError | undefined {
  return findCause(error, (value): value is InputRequiredError => InputRequiredError.isInstance(value));
}
