/**
 * AG2's "clear history" command in group chats (`enableClearHistory`): a reply containing
 * `clear history [agent] [n]` empties the history of that agent (or of the group and every agent),
 * keeping the last `n` messages, and the command words are dropped from the reply.
 */
import type { ConversableAgent } from "./conversable-agent.js";
import type { GroupChat } from "./group-chat.js";
import type { ClassicMessage } from "./types.js";

/** Applies a "clear history" command found in `reply`; returns the reply's text without it. */
export function clearAgentsHistory(reply: ClassicMessage, groupchat: GroupChat): string {
  const words = String(reply.content ?? "")
    .split(/\s+/)
    .filter((w) => w !== "");
  let at = -1;
  for (let i = words.length - 1; i >= 0; i--) {
    if (words[i]?.toUpperCase() === "CLEAR") {
      at = i;
      break;
    }
  }
  if (at < 0) return String(reply.content ?? "");
  let preserve: number | undefined;
  let target: ConversableAgent | undefined;
  // The two words after "clear history" may name an agent and a count, either followed by a stop or a comma.
  for (const word of words.slice(at + 2, at + 4)) {
    const bare = /^\d+$/.test(word) ? word : word.slice(0, -1);
    if (/^\d+$/.test(bare)) preserve = Number(bare);
    else target = groupchat.agents.find((a) => a.name === word || a.name === word.slice(0, -1)) ?? target;
  }
  const counted = preserve !== undefined;
  // A tool result must not lose the call it answers.
  if (reply.toolResponses !== undefined && !preserve) preserve = 1;
  if (target !== undefined) target.clearHistory(undefined, preserve);
  else {
    const kept = preserve ? groupchat.messages.slice(-preserve) : [];
    groupchat.messages.splice(0, groupchat.messages.length, ...kept);
    for (const agent of groupchat.agents) agent.clearHistory(undefined, preserve);
  }
  const skip = 2 + (target !== undefined ? 1 : 0) + (counted ? 1 : 0);
  return [...words.slice(0, at), ...words.slice(at + skip)].join(" ");
}
