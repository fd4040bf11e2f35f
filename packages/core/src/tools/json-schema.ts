/**
 * Turning tool parameter schemas into the JSON Schema that model providers accept: from zod (v4) or from
 * a hand-written JSON Schema, in normal or strict mode. Strict mode (OpenAI's `strict: true`, which
 * Anthropic also accepts) wants every object closed (`additionalProperties: false`) with every property
 * required, so an optional property becomes a required one that may be `null`.
 */
import { ValidationError } from "../errors.js";
import type { JsonSchema } from "./types.js";

type Mutable = { [key: string]: unknown };

/**
 * A zod 4 schema, as far as core reads one: core never imports zod (the caller's own copy, of whatever
 * version, made the schema), so the type is structural.
 */
export interface ZodSchemaLike {
  readonly _zod: unknown;
  safeParse(value: unknown): { success: true; data: unknown } | { success: false; error: unknown };
}

/** True when `value` is a zod (v4) schema. */
export function isZodSchema(value: unknown): value is ZodSchemaLike {
  return typeof value === "object" && value !== null && "_zod" in value;
}

const SAFE_MAX = Number.MAX_SAFE_INTEGER;

/** Removes noise that providers do not need: `$schema`, and the safe-integer bounds of zod's `.int()`. */
export function tidy(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(tidy);
  if (typeof node !== "object" || node === null) return node;
  const out: Mutable = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === "$schema") continue;
    if (key === "minimum" && value === -SAFE_MAX) continue;
    if (key === "maximum" && value === SAFE_MAX) continue;
    out[key] = tidy(value);
  }
  return out;
}

/** The JSON Schema of a zod schema's input (what the model must send), tidied for providers. */
export function zodToJsonSchema(schema: ZodSchemaLike): JsonSchema {
  // The schema's own method, so that core never loads zod itself (zod is ~60 ms of a cold start); the
  // caller who made the schema has loaded it already.
  const convert = (schema as { toJSONSchema?: (params: object) => unknown }).toJSONSchema;
  if (typeof convert !== "function") {
    throw new ValidationError(
      "This zod schema has no toJSONSchema() method (zod/mini?): pass a classic zod 4 schema, or a JSON Schema",
    );
  }
  return tidy(convert.call(schema, { io: "input", unrepresentable: "any" })) as JsonSchema;
}

function allowsNull(schema: Mutable): boolean {
  const type = schema.type;
  if (type === "null" || (Array.isArray(type) && type.includes("null"))) return true;
  for (const key of ["anyOf", "oneOf"] as const) {
    const list = schema[key];
    if (
      Array.isArray(list) &&
      list.some((s) => typeof s === "object" && s !== null && allowsNull(s as Mutable))
    )
      return true;
  }
  return false;
}

/** The same schema, accepting `null` as well. */
function nullable(schema: Mutable): Mutable {
  if (allowsNull(schema)) return schema;
  const type = schema.type;
  if (typeof type === "string" && !("anyOf" in schema) && !("oneOf" in schema)) {
    const out: Mutable = { ...schema, type: [type, "null"] };
    if (Array.isArray(schema.enum)) out.enum = [...schema.enum, null];
    return out;
  }
  if (Array.isArray(type)) return { ...schema, type: [...type, "null"] };
  if (Array.isArray(schema.anyOf)) return { ...schema, anyOf: [...schema.anyOf, { type: "null" }] };
  const { description, ...rest } = schema;
  return {
    ...(description !== undefined ? { description } : {}),
    anyOf: [rest, { type: "null" }],
  };
}

function strictNode(node: unknown, path: string): unknown {
  if (Array.isArray(node)) return node.map((n, i) => strictNode(n, `${path}[${i}]`));
  if (typeof node !== "object" || node === null) return node;
  const schema = node as Mutable;
  const out: Mutable = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === "properties" && typeof value === "object" && value !== null) {
      const props: Mutable = {};
      for (const [name, sub] of Object.entries(value)) props[name] = strictNode(sub, `${path}.${name}`);
      out.properties = props;
    } else if (
      ["items", "prefixItems", "anyOf", "oneOf", "allOf", "not"].includes(key) ||
      ((key === "$defs" || key === "definitions") && typeof value === "object")
    ) {
      if (key === "$defs" || key === "definitions") {
        const defs: Mutable = {};
        for (const [name, sub] of Object.entries(value as Mutable)) defs[name] = strictNode(sub, `#${name}`);
        out[key] = defs;
      } else {
        out[key] = strictNode(value, path);
      }
    } else {
      out[key] = value;
    }
  }
  const isObject = schema.type === "object" || (Array.isArray(schema.type) && schema.type.includes("object"));
  if (isObject || "properties" in schema) {
    const extra = schema.additionalProperties;
    if (extra !== undefined && extra !== false) {
      throw new ValidationError(
        `Strict mode cannot express an open object (a record or extra properties) at ${path || "(root)"}; ` +
          "give it fixed properties or turn strict off",
      );
    }
    const props = (out.properties ?? {}) as Mutable;
    const required = new Set(Array.isArray(schema.required) ? (schema.required as string[]) : []);
    for (const name of Object.keys(props)) {
      if (!required.has(name)) props[name] = nullable(props[name] as Mutable);
    }
    out.properties = props;
    out.required = Object.keys(props);
    out.additionalProperties = false;
  }
  return out;
}

/**
 * The strict-mode form of an object schema: every object closed and every property required, optional
 * ones made nullable.
 *
 * @throws {@link ValidationError} when the schema has an open object (such as `z.record`), which strict
 * mode cannot express.
 */
export function toStrictJsonSchema(schema: JsonSchema): JsonSchema {
  return strictNode(schema, "") as JsonSchema;
}

/**
 * Undoes strict mode's nullable optionals on the model's arguments: a `null` given for a property that
 * the original schema lets be absent (and does not allow to be null) is removed, so that the original
 * schema validates the arguments.
 */
export function dropNullOptionals(value: unknown, schema: JsonSchema): unknown {
  if (Array.isArray(value)) {
    const items = schema.items;
    if (typeof items !== "object" || items === null || Array.isArray(items)) return value;
    return value.map((v) => dropNullOptionals(v, items as JsonSchema));
  }
  if (typeof value !== "object" || value === null) return value;
  const props = schema.properties as Record<string, JsonSchema> | undefined;
  if (!props) return value;
  const required = new Set(Array.isArray(schema.required) ? (schema.required as string[]) : []);
  const out: Mutable = {};
  for (const [key, v] of Object.entries(value)) {
    const sub = props[key];
    if (v === null && sub && !required.has(key) && !allowsNull(sub as Mutable)) continue;
    out[key] = sub ? dropNullOptionals(v, sub) : v;
  }
  return out;
}
