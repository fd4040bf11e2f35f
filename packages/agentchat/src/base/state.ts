/**
 * Checking saved agent documents before loading them, so that a corrupt, foreign or outdated document
 * fails with a clear `invalid_state` error and leaves the agent unchanged.
 */
import { ValidationError } from "@autogen-ts/core";
import type { AgentState } from "./types.js";

/**
 * Returns `state` as an {@link AgentState} of `type` at `version`, or throws a ValidationError with code
 * `invalid_state` saying what is wrong.
 */
export function checkAgentState(state: unknown, type: string, version: number, owner: string): AgentState {
  if (typeof state !== "object" || state === null || Array.isArray(state)) {
    throw new ValidationError(`${owner}: the saved state is not an object`, { code: "invalid_state" });
  }
  const doc = state as Record<string, unknown>;
  if (doc.type !== type) {
    throw new ValidationError(
      `${owner}: the saved state is of type ${JSON.stringify(doc.type)}, expected ${JSON.stringify(type)}`,
      { code: "invalid_state", details: { type: doc.type } },
    );
  }
  if (doc.version !== version) {
    const older = typeof doc.version === "number" && doc.version < version;
    throw new ValidationError(
      `${owner}: the saved state has version ${JSON.stringify(doc.version)}; this release reads version ` +
        `${version}${older ? " (the document comes from an older release and must be migrated)" : ""}`,
      { code: "invalid_state", details: { version: doc.version, expected: version } },
    );
  }
  return doc as AgentState;
}
