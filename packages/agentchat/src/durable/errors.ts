/**
 * The errors of durable runs that are not store or checkpoint failures.
 */
import { AutogenError, type AutogenErrorOptions } from "@autogen-ts/core";

const INPUT_MARKER = Symbol.for("autogen-ts.error.InputRequiredError");

/**
 * A durable run needs a person's answer: the request is persisted and the run ends as `interrupted`.
 * Answer it with `resume(runId, { input: { requestId, value } })`. Thrown inside the run; the runner turns
 * it into the run's result, so callers of a durable run see it only as `status: "interrupted"`.
 */
export class InputRequiredError extends AutogenError {
  constructor(
    readonly requestId: string,
    readonly prompt: string,
    options: AutogenErrorOptions = {},
  ) {
    super("input_required", `The run is waiting for input: ${requestId}`, {
      ...options,
      details: { ...options.details, requestId, prompt },
    });
    Object.defineProperty(this, INPUT_MARKER, { value: true });
  }

  /** True for an {@link InputRequiredError} from any copy of this package. */
  static override isInstance(value: unknown): value is InputRequiredError {
    return (
      AutogenError.isInstance(value) && (value as unknown as Record<symbol, unknown>)[INPUT_MARKER] === true
    );
  }
}

/** The {@link InputRequiredError} somewhere in an error's cause chain (a participant's failure wraps it). */
export function findInputRequired(error: unknown): InputRequiredError | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 10 && current !== undefined && current !== null; depth++) {
    if (InputRequiredError.isInstance(current)) return current;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}
