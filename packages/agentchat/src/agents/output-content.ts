/**
 * `outputContentType` on every model: a model that claims structured output gets the schema itself; one
 * that only has JSON mode gets JSON mode and the schema as an instruction; one with neither gets the
 * instruction alone. Either way the agent parses the reply and validates it with the schema, so the
 * result is the same typed `StructuredMessage`, or a `ModelError` naming what did not fit.
 */
import type {
  CreateOptions,
  JsonSchema,
  ModelInfo,
  StructuredOutputSchema,
  SystemMessage,
} from "@autogen-ts/core";
import {
  describeValidationError,
  isStandardSchema,
  isZodSchema,
  ModelError,
  standardJsonSchema,
  zodToJsonSchema,
} from "@autogen-ts/core";

/** How one agent asks its model for structured output. */
export interface OutputContentPlan {
  /** The `jsonOutput` create option: the schema, `true` (JSON mode), or none. */
  readonly jsonOutput: CreateOptions["jsonOutput"];
  /** For a model without structured output: the system message that describes the reply's shape. */
  readonly instruction: SystemMessage | undefined;
}

/** The JSON Schema of an output schema, where one can be read from it. */
function jsonSchemaOf(schema: StructuredOutputSchema): JsonSchema | undefined {
  if (isZodSchema(schema)) return zodToJsonSchema(schema);
  const given = (schema as { jsonSchema?: JsonSchema }).jsonSchema;
  if (given !== undefined) return given;
  return isStandardSchema(schema) ? standardJsonSchema(schema) : undefined;
}

/** Plans the model calls of an agent with this output schema on a model with these capabilities. */
export function planOutputContent(schema: StructuredOutputSchema, info: ModelInfo): OutputContentPlan {
  if (info.structuredOutput) return { jsonOutput: schema, instruction: undefined };
  const shape = jsonSchemaOf(schema);
  const content =
    "Reply with a single JSON object and nothing else (no prose, no code fence)" +
    (shape === undefined ? "." : `, matching this JSON Schema:\n${JSON.stringify(shape)}`);
  return {
    jsonOutput: info.jsonOutput ? true : undefined,
    instruction: { type: "SystemMessage", content },
  };
}

/** The JSON text of a reply: a model asked by instruction often wraps it in a code fence or a sentence. */
function jsonText(text: string): string {
  const trimmed = text.trim();
  if (trimmed.startsWith("{") || trimmed.startsWith("[")) return trimmed;
  const fence = /```(?:json)?\s*\n([\s\S]*?)```/i.exec(trimmed);
  if (fence?.[1] !== undefined) return fence[1].trim();
  const start = trimmed.indexOf("{");
  const end = trimmed.lastIndexOf("}");
  return start >= 0 && end > start ? trimmed.slice(start, end + 1) : trimmed;
}

/**
 * The reply's content checked by `schema` (`who` names the caller in the error): `parsed` when the client parsed it already, else the reply's
 * JSON (found in a code fence or prose when the model was asked by instruction).
 *
 * @throws {@link ModelError} `model_output` when the reply is not JSON or does not match; the message names
 * the failing fields and `details.content` keeps the reply.
 */
export function readOutputContent<T>(
  who: string,
  text: string,
  parsed: unknown,
  schema: StructuredOutputSchema<T>,
): T {
  let value = parsed;
  if (value === undefined) {
    try {
      value = JSON.parse(jsonText(text));
    } catch (cause) {
      throw new ModelError(
        "model_output",
        `${who}: the model's reply is not valid JSON: ${(cause as Error).message}`,
        { cause, details: { content: text } },
      );
    }
  }
  const checked = schema.safeParse(value);
  if (!checked.success) {
    throw new ModelError(
      "model_output",
      `${who}: the model's reply does not match the output schema: ` + describeValidationError(checked.error),
      { cause: checked.error, details: { content: text } },
    );
  }
  return checked.data;
}
