/**
 * JSON Schemas of component documents, and the small checker that validates configs against them with
 * errors that name the JSON path. Definitions use a subset of JSON Schema (type, properties, required,
 * items, enum, const, minimum, exclusiveMinimum, anyOf, additionalProperties); a property that holds a
 * nested component is `componentSlot(type)`.
 */
import type { JsonSchema } from "../tools/types.js";
import type { ComponentDefinition, ComponentType } from "./types.js";

/** The schema of a nested component of the given type (its own config is checked when it is loaded). */
export function componentSlot(type: ComponentType): JsonSchema {
  return {
    type: "object",
    required: ["provider", "config"],
    properties: { provider: { type: "string" }, component_type: { const: type }, config: { type: "object" } },
    "x-component-type": type,
  };
}

/** The schema of an `{"$env": "NAME"}` reference. */
export const ENV_REFERENCE_SCHEMA: JsonSchema = {
  type: "object",
  required: ["$env"],
  properties: { $env: { type: "string", pattern: "^[A-Za-z_][A-Za-z0-9_]*$" } },
  additionalProperties: false,
};

/** A string, or an `{"$env": "NAME"}` reference to one. */
export const SECRET_SCHEMA: JsonSchema = { anyOf: [{ type: "string" }, ENV_REFERENCE_SCHEMA] };

/** One problem found by {@link checkSchema}. */
export interface SchemaIssue {
  /** Path segments below the checked value. */
  readonly path: readonly (string | number)[];
  readonly message: string;
}

function typeOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}

function hasType(value: unknown, type: string): boolean {
  const actual = typeOf(value);
  return actual === type || (type === "number" && actual === "integer");
}

/** Checks `value` against `schema`; returns every problem, each with its path. */
export function checkSchema(
  value: unknown,
  schema: JsonSchema,
  path: readonly (string | number)[] = [],
): SchemaIssue[] {
  const issues: SchemaIssue[] = [];
  const anyOf = schema.anyOf as readonly JsonSchema[] | undefined;
  if (anyOf !== undefined) {
    const fits = anyOf.some((option) => checkSchema(value, option, path).length === 0);
    if (!fits) {
      const kinds = anyOf.map((o) =>
        o.type === "object" && o.required ? `{${o.required}}` : String(o.type),
      );
      issues.push({ path, message: `expected ${kinds.join(" or ")}, got ${typeOf(value)}` });
    }
    return issues;
  }
  if ("const" in schema && value !== schema.const) {
    issues.push({ path, message: `expected ${JSON.stringify(schema.const)}, got ${JSON.stringify(value)}` });
    return issues;
  }
  const types = schema.type === undefined ? [] : ([] as string[]).concat(schema.type as string | string[]);
  if (types.length > 0 && !types.some((t) => hasType(value, t))) {
    issues.push({ path, message: `expected ${types.join(" or ")}, got ${typeOf(value)}` });
    return issues;
  }
  const enumValues = schema.enum as readonly unknown[] | undefined;
  if (enumValues !== undefined && !enumValues.includes(value)) {
    issues.push({
      path,
      message: `expected one of ${enumValues.map((v) => JSON.stringify(v)).join(", ")}, got ${JSON.stringify(value)}`,
    });
  }
  if (typeof value === "number") {
    if (typeof schema.minimum === "number" && value < schema.minimum) {
      issues.push({ path, message: `must be at least ${schema.minimum}, got ${value}` });
    }
    if (typeof schema.exclusiveMinimum === "number" && value <= schema.exclusiveMinimum) {
      issues.push({ path, message: `must be greater than ${schema.exclusiveMinimum}, got ${value}` });
    }
  }
  if (
    typeof value === "string" &&
    typeof schema.pattern === "string" &&
    !new RegExp(schema.pattern).test(value)
  ) {
    issues.push({ path, message: `"${value}" does not match ${schema.pattern}` });
  }
  if (Array.isArray(value) && schema.items !== undefined) {
    value.forEach((item, i) => {
      issues.push(...checkSchema(item, schema.items as JsonSchema, [...path, i]));
    });
  }
  if (typeOf(value) === "object") {
    const record = value as Record<string, unknown>;
    for (const key of (schema.required as readonly string[] | undefined) ?? []) {
      if (record[key] === undefined) issues.push({ path: [...path, key], message: "is required" });
    }
    const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
    for (const [key, item] of Object.entries(record)) {
      const sub = properties[key];
      if (sub !== undefined) {
        // AutoGen writes `null` for unset optional fields; treat it as absent.
        if (item !== null || (schema.required as string[] | undefined)?.includes(key)) {
          issues.push(...checkSchema(item, sub, [...path, key]));
        }
      } else if (schema.additionalProperties === false) {
        issues.push({ path: [...path, key], message: "is not a known field" });
      } else if (typeof schema.additionalProperties === "object") {
        issues.push(...checkSchema(item, schema.additionalProperties as JsonSchema, [...path, key]));
      }
    }
  }
  return issues;
}

/** The edit distance between two short strings (insertions, deletions, substitutions). */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(
        previous[j]! + 1,
        current[j - 1]! + 1,
        previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    previous = current;
  }
  return previous[b.length]!;
}

/**
 * The candidate closest to `name`, when it is close enough to be a likely typo (`temprature` for
 * `temperature`): at most a third of the name's letters apart, compared case-insensitively.
 */
export function closestName(name: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  const lower = name.toLowerCase();
  for (const candidate of candidates) {
    const distance = editDistance(lower, candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best !== undefined && bestDistance <= Math.max(1, Math.floor(name.length / 3)) ? best : undefined;
}

/**
 * The first field of a component's config that its schema does not name, with a suggestion when one is
 * close. Schemas that leave extra fields open (`additionalProperties`) accept any.
 */
export function unknownField(
  config: Readonly<Record<string, unknown>>,
  schema: JsonSchema,
): { field: string; suggestion: string | undefined } | undefined {
  const properties = schema.properties as Record<string, unknown> | undefined;
  if (
    properties === undefined ||
    (schema.additionalProperties !== undefined && schema.additionalProperties !== false)
  ) {
    return undefined;
  }
  for (const field of Object.keys(config)) {
    if (!(field in properties)) return { field, suggestion: closestName(field, Object.keys(properties)) };
  }
  return undefined;
}

/** Appends path segments to a JSON path string (`config.participants` + `[1]`). */
export function joinPath(base: string, segments: readonly (string | number)[]): string {
  let out = base;
  for (const segment of segments) {
    if (typeof segment === "number") out += `[${segment}]`;
    else out += out === "" ? segment : `.${segment}`;
  }
  return out;
}

/** The JSON Schema of the document envelope, with `config` left open. */
export const COMPONENT_MODEL_SCHEMA: JsonSchema = {
  $schema: "https://json-schema.org/draft/2020-12/schema",
  title: "ComponentModel",
  type: "object",
  required: ["provider", "config"],
  properties: {
    provider: { type: "string", description: "The class that loads the component." },
    component_type: { type: "string" },
    version: { type: "integer", minimum: 1 },
    component_version: { type: "integer", minimum: 1 },
    description: { type: ["string", "null"] },
    label: { type: ["string", "null"] },
    config: { type: "object" },
  },
};

/**
 * A JSON Schema for documents of one component type: the envelope, with `config` one of the given
 * definitions' config schemas, chosen by `provider`.
 */
export function componentTypeSchema(
  type: ComponentType | string,
  definitions: readonly ComponentDefinition<unknown>[],
): JsonSchema {
  const ofType = definitions.filter((d) => d.componentType === type);
  return {
    ...COMPONENT_MODEL_SCHEMA,
    title: `${type} component`,
    properties: { ...(COMPONENT_MODEL_SCHEMA.properties as object), component_type: { const: type } },
    oneOf: ofType.map((d) => ({
      properties: {
        provider: { enum: [d.provider, ...(d.aliases ?? [])] },
        component_version: { maximum: d.componentVersion },
        config: d.schema,
      },
    })),
  };
}
