/**
 * Elicitation answers completed from the form's schema: a field the user left out that has a `default`
 * in the requested schema is sent with that default (SEP-1034), so servers get every field they gave a
 * default for.
 */
import type { JsonSchema } from "@autogen-ts/core";

type FieldValue = string | number | boolean | string[];

/** `content` with the schema's defaults for the fields it lacks. */
export function withSchemaDefaults(
  content: Readonly<Record<string, unknown>> | undefined,
  schema: JsonSchema,
): Record<string, FieldValue> {
  const out = structuredClone((content ?? {}) as Record<string, FieldValue>);
  const properties = (schema.properties ?? {}) as Record<string, { default?: unknown } | undefined>;
  for (const [name, property] of Object.entries(properties)) {
    if (out[name] !== undefined || property?.default === undefined) continue;
    const value = property.default;
    if (
      ["string", "number", "boolean"].includes(typeof value) ||
      (Array.isArray(value) && value.every((v) => typeof v === "string"))
    ) {
      out[name] = structuredClone(value) as FieldValue;
    }
  }
  return out;
}
