/**
 * What a guardrail decides about a piece of text (a task, a message an agent said, text sent to a
 * model): let it through, rewrite it, or stop the run.
 */
import type { GuardrailStage } from "./errors.js";

/** A guardrail's decision. */
export type GuardrailVerdict =
  | { readonly action: "allow" }
  | { readonly action: "rewrite"; readonly text: string; readonly reason?: string }
  | { readonly action: "stop"; readonly reason: string };

/** What a text guardrail is told besides the text. */
export interface GuardrailContext {
  readonly stage: GuardrailStage;
  /** Who wrote the text (an agent's name, `user`), where known. */
  readonly source?: string;
  readonly signal?: AbortSignal;
}

/** A guardrail over text: input (the task), output (each chat message) or model (text sent to a model). */
export interface TextGuardrail {
  readonly name: string;
  check(text: string, context: GuardrailContext): GuardrailVerdict | Promise<GuardrailVerdict>;
}

/** Allow. */
export const ALLOW: GuardrailVerdict = Object.freeze({ action: "allow" });
