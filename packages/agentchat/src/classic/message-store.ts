/**
 * How a sent or received message is stored in a conversation (AG2's `_append_oai_message`): only the
 * OpenAI fields are kept, the role is the owner's view, and a message without a name gets one.
 */
import type { ClassicMessage, MessageInput } from "./types.js";
import { isSendable } from "./types.js";

/**
 * The message to store for `input`, in `role` (`"assistant"` when sending, `"user"` when receiving), or
 * undefined when it has nothing to send. `defaultName` names a message that has no name: the sender.
 */
export function toStoredMessage(
  input: MessageInput,
  role: string,
  defaultName: string,
): ClassicMessage | undefined {
  const m = typeof input === "string" ? { content: input } : input;
  if (typeof m !== "object" || m === null || !isSendable(m)) return undefined;
  const stored: ClassicMessage = { role, content: m.content ?? null };
  if (m.name !== undefined) stored.name = m.name;
  if (m.toolCalls !== undefined && m.toolCalls.length > 0) stored.toolCalls = m.toolCalls;
  if (m.toolResponses !== undefined) stored.toolResponses = m.toolResponses;
  if (m.functionCall !== undefined) stored.functionCall = m.functionCall;
  if (m.context !== undefined) stored.context = m.context;
  if (m.role === "function" || m.role === "tool") stored.role = m.role;
  else if (m.overrideRole !== undefined) stored.role = m.overrideRole;
  // Only an assistant message can carry calls; a message with calls keeps no default name (as in AG2).
  if (stored.toolCalls !== undefined || stored.functionCall !== undefined) stored.role = "assistant";
  else if (stored.name === undefined) stored.name = defaultName;
  return structuredClone(stored);
}

/** Drops all but the last `preserve` messages of `list` (all of them without a count), in place. */
export function trimHistory(list: ClassicMessage[], preserve: number | undefined): void {
  let n = preserve ?? 0;
  // Keeping a tool result without the call it answers would be refused by providers: keep the call too.
  if (n > 0 && n < list.length && list[list.length - n]?.toolResponses !== undefined) n++;
  list.splice(0, Math.max(0, list.length - n));
}
