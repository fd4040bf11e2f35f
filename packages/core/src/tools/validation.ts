/**
 * Readable messages for failed argument validation, from zod issues or from the JSON Schema checker.
 * Models read these messages and fix their arguments, so each names the field and what was wrong.
 */

interface IssueLike {
  readonly path?: readonly PropertyKey[];
  readonly message?: string;
}

/** Renders a path such as `["items", 0, "name"]` as `items[0].name` (or `(root)` when empty). */
export function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return "(root)";
  let out = "";
  for (const key of path) {
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
