/** Editing a component document by JSON pointer; every edit returns a new document (React state). */
import type { Component } from "./api.ts";

export function parts(pointer: string): string[] {
  if (pointer === "") return [];
  return pointer
    .slice(1)
    .split("/")
    .map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~"));
}

export function join(pointer: string, ...keys: (string | number)[]): string {
  return pointer + keys.map((k) => `/${String(k).replace(/~/g, "~0").replace(/\//g, "~1")}`).join("");
}

export function get(doc: unknown, pointer: string): unknown {
  let current = doc;
  for (const p of parts(pointer)) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<string, unknown>)[p];
  }
  return current;
}

/** A copy of `doc` with `value` at `pointer` (undefined removes it). */
export function set<T>(doc: T, pointer: string, value: unknown): T {
  const keys = parts(pointer);
  if (keys.length === 0) return value as T;
  const copy = (node: unknown, i: number): unknown => {
    const key = keys[i] as string;
    const container: Record<string, unknown> | unknown[] = Array.isArray(node)
      ? [...node]
      : { ...((node as Record<string, unknown>) ?? {}) };
    const next = i === keys.length - 1 ? value : copy((container as Record<string, unknown>)[key], i + 1);
    if (Array.isArray(container)) {
      if (next === undefined) container.splice(Number(key), 1);
      else container[Number(key)] = next;
    } else if (next === undefined) delete container[key];
    else container[key] = next;
    return container;
  };
  return copy(doc, 0) as T;
}

/** True for an object that looks like a component document. */
export function isComponent(value: unknown): value is Component {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as Component).provider === "string" &&
    typeof (value as Component).config === "object"
  );
}

/** The last part of a provider name (`RoundRobinGroupChat`). */
export function shortName(provider: string): string {
  return provider.split(".").pop() ?? provider;
}
