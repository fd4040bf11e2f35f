/**
 * Reply triggers: which senders a reply function answers (AG2's `_match_trigger`).
 */
import { ValidationError } from "@autogen-ts/core";
import { ConversableAgent } from "./conversable-agent.js";
import type { ReplyTrigger } from "./reply-types.js";

/** Whether a reply function's trigger matches `sender`. */
export function matchTrigger(trigger: ReplyTrigger, sender: ConversableAgent | undefined): boolean {
  if (trigger === null || trigger === undefined) return sender === undefined;
  if (typeof trigger === "string") return sender?.name === trigger;
  if (Array.isArray(trigger)) return trigger.some((t) => matchTrigger(t, sender));
  if (trigger instanceof ConversableAgent) return trigger === sender;
  if (typeof trigger === "function") {
    if (isAgentClass(trigger)) return sender instanceof trigger;
    return sender !== undefined && (trigger as (s: ConversableAgent) => boolean)(sender) === true;
  }
  throw new ValidationError(`Unsupported reply trigger: ${String(trigger)}`);
}

function isAgentClass(value: unknown): value is abstract new (...args: never[]) => ConversableAgent {
  return (
    value === ConversableAgent ||
    (typeof value === "function" && (value as { prototype?: unknown }).prototype instanceof ConversableAgent)
  );
}

export function checkTrigger(trigger: unknown): void {
  const ok = (t: unknown): boolean =>
    t === null ||
    t === undefined ||
    typeof t === "string" ||
    typeof t === "function" ||
    t instanceof ConversableAgent ||
    (Array.isArray(t) && t.every(ok));
  if (!ok(trigger)) {
    throw new ValidationError(
      `Unsupported reply trigger ${JSON.stringify(trigger)}: use a name, an agent, an agent class, a predicate, null or a list`,
    );
  }
}
