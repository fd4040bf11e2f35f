/**
 * Approvals as persisted requests: the schema a request for an approval carries, and how an answer (from
 * `resume(runId, { input })`, the CLI's `--input`, or an approval function) reads as a verdict. Refusal is
 * the default for anything that is not clearly a yes, so that a garbled answer never runs code.
 */
import type { ApprovalResponse, JsonObject, JsonValue } from "@autogen-ts/core";

/** The JSON Schema of an approval answer (also accepted: `true`/`false`, or text such as "yes"). */
export const APPROVAL_SCHEMA: JsonObject = {
  type: "object",
  properties: { approved: { type: "boolean" }, reason: { type: "string" } },
  required: ["approved"],
};

const YES = new Set(["y", "yes", "approve", "approved", "ok", "true"]);
const NO = new Set(["n", "no", "deny", "denied", "refuse", "refused", "false"]);

/**
 * The verdict an answer gives: `{ approved, reason? }`, a boolean, or text (`yes`, `approve`, `ok` approve;
 * any other text refuses, and is the reason unless it is a plain `no`).
 */
export function approvalFromAnswer(value: JsonValue): ApprovalResponse {
  if (typeof value === "boolean") {
    return { approved: value, reason: value ? "approved by a person" : "refused by a person" };
  }
  if (typeof value === "string") {
    const word = value.trim().toLowerCase();
    if (YES.has(word)) return { approved: true, reason: "approved by a person" };
    return { approved: false, reason: NO.has(word) || word === "" ? "refused by a person" : value.trim() };
  }
  if (typeof value === "object" && value !== null && !Array.isArray(value)) {
    const { approved, reason } = value as { approved?: unknown; reason?: unknown };
    if (typeof approved === "boolean") {
      const why = typeof reason === "string" && reason !== "" ? reason : undefined;
      return { approved, reason: why ?? (approved ? "approved by a person" : "refused by a person") };
    }
  }
  return { approved: false, reason: `the answer was not an approval: ${JSON.stringify(value)}` };
}
