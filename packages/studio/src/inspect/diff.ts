/**
 * A structural diff of two JSON values (two checkpoints' states): each changed leaf as a JSON pointer with
 * its value before and after. Arrays are compared by index, which is how team state grows (messages are
 * appended), so an appended message shows as one `add`.
 */
import type { JsonValue } from "@autogen-ts/core";

/** One difference. */
export interface JsonChange {
  readonly op: "add" | "remove" | "replace";
  readonly pointer: string;
  readonly before?: JsonValue;
  readonly after?: JsonValue;
}

const escapeKey = (key: string) => key.replace(/~/g, "~0").replace(/\//g, "~1");

function isObject(value: unknown): value is Record<string, JsonValue> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The changes from `before` to `after`, at most `limit` of them (default 1000). */
export function diffJson(before: JsonValue, after: JsonValue, limit = 1000): JsonChange[] {
  const out: JsonChange[] = [];
  const walk = (a: JsonValue | undefined, b: JsonValue | undefined, pointer: string) => {
    if (out.length >= limit) return;
    if (a === undefined && b !== undefined) return void out.push({ op: "add", pointer, after: b });
    if (b === undefined && a !== undefined) return void out.push({ op: "remove", pointer, before: a });
    if (Array.isArray(a) && Array.isArray(b)) {
      for (let i = 0; i < Math.max(a.length, b.length); i++) walk(a[i], b[i], `${pointer}/${i}`);
      return;
    }
    if (isObject(a) && isObject(b)) {
      for (const key of new Set([...Object.keys(a), ...Object.keys(b)]))
        walk(a[key], b[key], `${pointer}/${escapeKey(key)}`);
      return;
    }
    if (JSON.stringify(a) !== JSON.stringify(b))
      out.push({ op: "replace", pointer, before: a as JsonValue, after: b as JsonValue });
  };
  walk(before, after, "");
  return out;
}
