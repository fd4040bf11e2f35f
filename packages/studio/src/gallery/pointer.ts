/**
 * JSON pointers (RFC 6901) for the studio's error locations: the component loader names a problem by a
 * dotted path (`config.participants[1].config.model_client`); the page marks the field by its pointer.
 */

/** `config.participants[1].name` to `/config/participants/1/name` (the root is `""`). */
export function pathToPointer(path: string): string {
  if (path === "") return "";
  const parts: string[] = [];
  for (const match of path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) parts.push(match[1] ?? match[2] ?? "");
  return parts.map((p) => `/${p.replace(/~/g, "~0").replace(/\//g, "~1")}`).join("");
}

/** The parts of a pointer, unescaped. */
export function pointerParts(pointer: string): string[] {
  if (pointer === "") return [];
  return pointer
    .slice(1)
    .split("/")
    .map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~"));
}

/** The value at a pointer, or undefined. */
export function valueAt(doc: unknown, pointer: string): unknown {
  let current: unknown = doc;
  for (const part of pointerParts(pointer)) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}
