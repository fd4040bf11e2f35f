/**
 * Secrets in component documents: the studio keeps and exports references (`{"$env": "NAME"}`), never
 * values. A literal key in an imported document is dropped on the way in, and the import says where.
 */
import { isEnvReference } from "@autogen-ts/core";

/** Config fields that hold a credential. */
const SECRET_FIELD = /(^|_)(api_key|key|token|secret|password|azure_ad_token)$/i;
/** Header names that carry one. */
const SECRET_HEADER = /^(authorization|x-api-key|api-key|proxy-authorization)$/i;
/** AutoGen writes a masked secret as stars: not a value. */
const MASKED = /^\*+$/;

/** A copy of `doc` with literal secrets removed, and the JSON pointers of what was removed. */
export function stripSecrets(doc: unknown): { doc: unknown; dropped: string[] } {
  const dropped: string[] = [];
  const walk = (value: unknown, pointer: string, inHeaders: boolean): unknown => {
    if (Array.isArray(value)) return value.map((v, i) => walk(v, `${pointer}/${i}`, false));
    if (value === null || typeof value !== "object") return value;
    if (isEnvReference(value)) return value;
    const out: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
      const at = `${pointer}/${key.replace(/~/g, "~0").replace(/\//g, "~1")}`;
      const secret = inHeaders ? SECRET_HEADER.test(key) : SECRET_FIELD.test(key);
      if (secret && typeof child === "string" && child !== "" && !MASKED.test(child)) {
        dropped.push(at);
        continue;
      }
      out[key] = walk(child, at, key === "headers" || key === "default_headers");
    }
    return out;
  };
  return { doc: walk(doc, "", false), dropped };
}
