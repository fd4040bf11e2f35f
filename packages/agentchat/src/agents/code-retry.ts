/**
 * The `CodeExecutorAgent`'s self-debugging step, as AutoGen's: after code fails and retries are left, the
 * model is asked whether to retry and why (a `RetryDecision`: `retry`, `reason`) before it writes new code.
 * The texts are AutoGen's, so prompts and programs ported from it read the same.
 */
import type {
  ChatCompletionClient,
  JsonSchema,
  LLMMessage,
  RequestUsage,
  StructuredOutputSchema,
} from "@autogen-ts/core";
import { planOutputContent, readOutputContent } from "./output-content.js";

/** The model's decision after a failed run. */
export interface RetryDecision {
  readonly retry: boolean;
  readonly reason: string;
}

const RETRY_DECISION_JSON_SCHEMA: JsonSchema = {
  type: "object",
  properties: { retry: { type: "boolean" }, reason: { type: "string" } },
  required: ["retry", "reason"],
  additionalProperties: false,
};

/** A boolean, or the strings "true"/"false" (pydantic reads those as booleans, and models send them). */
function lenientBoolean(value: unknown): boolean | undefined {
  if (typeof value === "boolean") return value;
  if (typeof value === "string" && /^(true|false)$/i.test(value.trim()))
    return value.trim().toLowerCase() === "true";
  return undefined;
}

/** AutoGen's `RetryDecision` as an output schema: `safeParse`, and the JSON Schema a client sends. */
export const retryDecisionSchema: StructuredOutputSchema<RetryDecision> & {
  readonly jsonSchema: JsonSchema;
} = {
  jsonSchema: RETRY_DECISION_JSON_SCHEMA,
  safeParse(value: unknown) {
    const v = value as { retry?: unknown; reason?: unknown } | null;
    const retry = lenientBoolean(v?.retry);
    if (typeof v !== "object" || v === null || retry === undefined || typeof v.reason !== "string") {
      return {
        success: false as const,
        error: new Error('expected {"retry": boolean, "reason": string}'),
      };
    }
    return { success: true as const, data: { retry, reason: v.reason } };
  },
};

/** AutoGen's question after a failed run, with the run's output. */
export function retryPrompt(output: string): string {
  return (
    `The most recent code execution resulted in an error:\n${output}\n\n` +
    "Should we attempt to resolve it? Please respond with:\n" +
    "- A boolean value for 'retry' indicating whether it should be retried.\n" +
    "- A detailed explanation in 'reason' that identifies the issue, justifies your decision to retry or not, " +
    "and outlines how you would resolve the error if a retry is attempted."
  );
}

/** The text of the `CodeGenerationEvent` that announces a retry (AutoGen's words). */
export function retryAnnouncement(attempt: number, reason: string): string {
  return `Attempt number: ${attempt}\nProposed correction: ${reason}`;
}

/**
 * Asks the model whether to retry after a failed run. The conversation so far, then the question; the
 * question is not kept in the conversation. A reply that is not a decision is a `ModelError` (`model_output`).
 */
export async function askRetryDecision(
  agent: string,
  client: ChatCompletionClient,
  history: readonly LLMMessage[],
  output: string,
  signal: AbortSignal | undefined,
): Promise<{ decision: RetryDecision; usage: RequestUsage }> {
  const plan = planOutputContent(retryDecisionSchema, client.modelInfo);
  const messages: LLMMessage[] = [
    ...(plan.instruction === undefined ? [] : [plan.instruction]),
    ...history,
    { type: "UserMessage", content: retryPrompt(output), source: agent },
  ];
  const result = await client.create(messages, {
    ...(plan.jsonOutput === undefined ? {} : { jsonOutput: plan.jsonOutput }),
    ...(signal === undefined ? {} : { signal }),
  });
  const text = typeof result.content === "string" ? result.content : "";
  const decision = readOutputContent(
    `CodeExecutorAgent '${agent}' (retry decision)`,
    text,
    result.parsed,
    retryDecisionSchema,
  );
  return { decision, usage: result.usage };
}
