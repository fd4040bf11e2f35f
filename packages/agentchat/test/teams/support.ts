/**
 * Helpers of the team tests (the agent they script is `ScriptedAgent`, from `@autogen-ts/agentchat/testing`).
 */
import type { BaseAgentMessage, TaskResult } from "../../src/index.js";

/** `source:text` of every message of a result. */
export const texts = (result: TaskResult) => result.messages.map((m) => `${m.source}:${m.toText()}`);

/** Waits until `condition` holds, polling on the event loop. */
export async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((r) => setTimeout(r, 1));
}

/** The messages a failed or cancelled run kept, from its error's details. */
export function messagesOf(error: unknown): BaseAgentMessage[] {
  const details = (error as { details?: { messages?: BaseAgentMessage[] } } | undefined)?.details;
  return details?.messages ?? [];
}
