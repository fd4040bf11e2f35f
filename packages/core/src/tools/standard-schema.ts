/**
 * Tool parameters as any Standard Schema (https://standardschema.dev): zod 3 and 4, valibot, ArkType and
 * the rest validate through the one `~standard.validate` interface, so the caller's own library and
 * version is used and core loads none. A provider still needs JSON Schema: it comes from the schema's
 * Standard JSON Schema converter (`~standard.jsonSchema`: zod 4, ArkType, valibot through
 * `toStandardJsonSchema`), from zod 4's own `toJSONSchema`, or from an explicit `jsonSchema` option.
 */
import type { StandardJSONSchemaV1, StandardSchemaV1 } from "@standard-schema/spec";
import { isZodSchema, tidy, zodToJsonSchema } from "./json-schema.js";
import type { JsonSchema } from "./types.js";

export type { StandardJSONSchemaV1, StandardSchemaV1 };

/** True when `value` implements Standard Schema v1 (ArkType's schemas are functions, hence both kinds). */
export function isStandardSchema(value: unknown): value is StandardSchemaV1 {
  if ((typeof value !== "object" && typeof value !== "function") || value === null) return false;
  const props = (value as { "~standard"?: { validate?: unknown } })["~standard"];
  return typeof props === "object" && props !== null && typeof props.validate === "function";
}

/**
 * The JSON Schema of what a Standard Schema accepts as input, or undefined when the schema cannot say
 * (zod 3, a plain valibot schema): then the caller must give one.
 */
export function standardJsonSchema(schema: StandardSchemaV1): JsonSchema | undefined {
  // zod 4's own converter first: it is told to render what JSON Schema cannot say (dates) as "any"
  // instead of failing.
  if (isZodSchema(schema)) return zodToJsonSchema(schema);
  const converter = (schema["~standard"] as Partial<StandardJSONSchemaV1.Props>).jsonSchema;
  if (typeof converter?.input === "function") {
    let out: Record<string, unknown>;
    try {
      out = converter.input({ target: "draft-2020-12" });
    } catch {
      // A library may implement only draft-07.
      out = converter.input({ target: "draft-07" });
    }
    return tidy(out) as JsonSchema;
  }
  return undefined;
}

/** The outcome of validating with a Standard Schema. */
export type StandardValidation<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly issues: readonly StandardSchemaV1.Issue[] };

/** Validates `value` with `schema` (awaiting a library that validates asynchronously). */
export async function validateStandard<T>(
  schema: StandardSchemaV1<unknown, T>,
  value: unknown,
): Promise<StandardValidation<T>> {
  let result = schema["~standard"].validate(value);
  if (result instanceof Promise) result = await result;
  return result.issues ? { ok: false, issues: result.issues } : { ok: true, value: result.value };
}
