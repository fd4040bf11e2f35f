/**
 * Checking values against a plain JSON Schema (a tool's hand-written parameters, a ledger's format),
 * with `@cfworker/json-schema`: no code generation and no Node built-ins, so it runs in browsers and
 * edge runtimes. The checker is loaded at the first check, so loading core does not load it.
 */
import type { StandardSchemaV1 } from "@standard-schema/spec";
import type { StructuredOutputSchema } from "../models/types.js";
import type { JsonSchema } from "./types.js";

/** A validator made from a JSON Schema: both a Standard Schema and a structured-output schema. */
export type JsonSchemaValidator<T = unknown> = StandardSchemaV1<unknown, T> & StructuredOutputSchema<T>;

interface OutputUnit {
  readonly keyword: string;
  readonly instanceLocation: string;
  readonly error: string;
}

/** `#/items/0/name` as `["items", 0, "name"]`. */
function pathOf(location: string): PropertyKey[] {
  return location
    .replace(/^#\/?/, "")
    .split("/")
    .filter((part) => part !== "")
    .map((part) => {
      const key = decodeURIComponent(part.replace(/~1/g, "/").replace(/~0/g, "~"));
      return /^\d+$/.test(key) ? Number(key) : key;
    });
}

/** Keywords whose failure only says that something inside failed (reported on its own). */
const WRAPPERS = new Set([
  "properties",
  "patternProperties",
  "additionalProperties",
  "items",
  "prefixItems",
  "allOf",
  "$ref",
]);

/** The failures that say what is wrong: "property x does not match" adds nothing to x's own failure. */
function issuesOf(errors: readonly OutputUnit[]): StandardSchemaV1.Issue[] {
  const leaves = errors.filter(
    (e) =>
      !WRAPPERS.has(e.keyword) ||
      !errors.some((o) => o !== e && o.instanceLocation.startsWith(`${e.instanceLocation}/`)),
  );
  return (leaves.length > 0 ? leaves : errors).map((e) => ({
    message: e.error,
    path: pathOf(e.instanceLocation),
  }));
}

/**
 * A validator for `schema`, or undefined when the checker cannot read the schema (the caller then
 * applies only its own basic checks).
 */
export async function jsonSchemaValidator<T = unknown>(
  schema: JsonSchema,
): Promise<JsonSchemaValidator<T> | undefined> {
  const { Validator } = await import("@cfworker/json-schema");
  let checker: InstanceType<typeof Validator>;
  try {
    checker = new Validator(schema as ConstructorParameters<typeof Validator>[0], "2020-12", false);
  } catch {
    return undefined;
  }
  const check = (value: unknown): { value: T } | { issues: StandardSchemaV1.Issue[] } => {
    let result: { valid: boolean; errors: OutputUnit[] };
    try {
      result = checker.validate(value);
    } catch {
      // A schema the checker reads but cannot apply (an unresolvable $ref): the value stands.
      return { value: value as T };
    }
    return result.valid ? { value: value as T } : { issues: issuesOf(result.errors) };
  };
  return {
    "~standard": { version: 1, vendor: "autogen-ts", validate: check },
    safeParse(value: unknown) {
      const result = check(value);
      return "issues" in result
        ? { success: false, error: { issues: result.issues } }
        : { success: true, data: result.value };
    },
  };
}
