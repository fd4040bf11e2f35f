/**
 * `GuardrailError`: a guardrail stopped a run. It says which guardrail, at which stage and why, and
 * carries the run's messages so far; the run can be continued (a team keeps its state; a durable run
 * resumes from its last checkpoint).
 */
import { AutogenError, type AutogenErrorOptions, errorMarker, isErrorInstance } from "@autogen-ts/core";
import type { BaseAgentMessage } from "../messages/base.js";

/** Where a guardrail acted. */
export type GuardrailStage = "input" | "output" | "model" | "tool";

/** Options of {@link GuardrailError}. */
export interface GuardrailErrorOptions extends AutogenErrorOptions {
  /** The run's messages up to the stop (filled by {@link withGuardrails} when the error passes it). */
  readonly messages?: readonly BaseAgentMessage[];
}

/** A guardrail stopped the run (code `guardrail_tripped`). */
export class GuardrailError extends AutogenError {
  /** The marker of {@link GuardrailError} instances. */
  static override readonly marker: symbol = errorMarker("GuardrailError");
  /** The run's messages up to the stop (empty where no runner wrapper saw the run). */
  messages: readonly BaseAgentMessage[];

  constructor(
    /** The guardrail's name (`token_budget`, `pii`, your own). */
    readonly guardrail: string,
    readonly stage: GuardrailStage,
    /** Why it stopped, in words a person reads. */
    readonly reason: string,
    options: GuardrailErrorOptions = {},
  ) {
    super("guardrail_tripped", `Guardrail ${guardrail} stopped the run at the ${stage} stage: ${reason}`, {
      ...options,
      details: { ...options.details, guardrail, stage, reason },
    });
    this.messages = options.messages ?? [];
  }

  /** True for a {@link GuardrailError} from any copy of this package. */
  static override isInstance(value: unknown): value is GuardrailError {
    return isErrorInstance(value, this ?? GuardrailError);
  }
}

/** The {@link GuardrailError} somewhere in an error's cause chain (a team wraps a participant's failure). */
export function findGuardrailError(error: unknown): GuardrailError | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 10 && current !== undefined && current !== null; depth++) {
    if (GuardrailError.isInstance(current)) return current;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}
