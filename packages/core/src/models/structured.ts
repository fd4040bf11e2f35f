/**
 * Structured output: checking a model's JSON reply against the caller's schema, with an error message a
 * person (or the model, on a retry) can act on.
 */
import { ModelError } from "../errors.js";
import { dropNullOptionals } from "../tools/json-schema.js";
import type { JsonSchema } from "../tools/types.js";
import { describeValidationError } from "../tools/validation.js";
import type { StructuredOutputSchema } from "./types.js";

/**
 * Parses `text` as JSON and validates it with `schema`. When the provider was sent the strict-mode form
 * of a schema, pass the original JSON Schema as `strictFrom`: the `null`s that strict mode makes the
 * model send for absent optional fields are then removed before validating.
 *
 * @throws {@link ModelError} with code `model_output` when the text is not JSON or does not match; the
 * message names the failing fields, and `details.content` keeps the raw reply.
 */
export function parseStructuredOutput<T>(
  text: string,
  schema: StructuredOutputSchema<T>,
  options: { readonly strictFrom?: JsonSchema } = {},
): T {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new ModelError("model_output", `The model's reply is not valid JSON: ${(cause as Error).message}`, {
      cause,
      details: { content: text },
    });
  }
  if (options.strictFrom) value = dropNullOptionals(value, options.strictFrom);
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new ModelError(
    "model_output",
    `The model's reply does not match the output schema: ${describeValidationError(result.error)}`,
    { cause: result.error, details: { content: text } },
  );
}

/** True when `value` is a schema (for structured output) rather than the `true` of plain JSON mode. */
export function isStructuredOutputSchema(value: unknown): value is StructuredOutputSchema {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as { safeParse?: unknown }).safeParse === "function"
  );
}
