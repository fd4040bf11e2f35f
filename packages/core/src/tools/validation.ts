/**
 * Readable messages for failed argument validation, from Standard Schema issues (zod, valibot, ArkType,
 * the JSON Schema checker) or any error.
 * Models read these messages and fix their arguments, so each names the field and what was wrong.
 */

interface IssueLike {
  readonly path?: readonly (PropertyKey | { readonly key: PropertyKey })[];
  readonly message?: string;
}

/**
 * Renders a path such as `["items", 0, "name"]` as `items[0].name` (or `(root)` when empty). Segments
 * may also be Standard Schema path segments (`{ key }`, as valibot gives).
 */
export function formatPath(path: readonly (PropertyKey | { readonly key: PropertyKey })[]): string {
  if (path.length === 0) return "(root)";
  let out = "";
  for (const segment of path) {
    const key = typeof segment === "object" && segment !== null ? segment.key : segment;
    if (typeof key === "number") out += `[${key}]`;
    else out += out === "" ? String(key) : `.${String(key)}`;
  }
  return out;
}

/**
 * One line per problem, `field: what was wrong`, for a zod error (anything with an `issues` list) or
 * any other error.
 */
export function describeValidationError(error: unknown): string {
  const issues = (error as { issues?: unknown } | null)?.issues;
  if (Array.isArray(issues) && issues.length > 0) {
    return (issues as IssueLike[])
      .map((issue) => `${formatPath(issue.path ?? [])}: ${issue.message ?? "invalid value"}`)
      .join("; ");
  }
  return error instanceof Error ? error.message : String(error);
}
