/**
 * "auto" speaker selection: the selector's model reads the participants, the conversation and a prompt,
 * and names the next speaker. An answer naming several participants or none is sent back with a retry
 * prompt; when the retries run out, the next eligible agent in order speaks, so a selector that never
 * names anyone cannot stop the chat or pick a speaker the transitions forbid.
 */
import type { ConversableAgent } from "./conversable-agent.js";
import type { GroupChat } from "./group-chat.js";
import type { ClassicMessage } from "./types.js";
import { contentText } from "./types.js";

/** Asks the selector's model for the next speaker among `eligible`. */
export async function autoSelectSpeaker(
  groupchat: GroupChat,
  lastSpeaker: ConversableAgent,
  selector: ConversableAgent,
  eligible: readonly ConversableAgent[],
  signal: AbortSignal | undefined,
): Promise<ConversableAgent> {
  // Without a model there is nobody to ask: AG2's selector then answers empty every time and falls back.
  if (!selector.hasModel) return groupchat.nextAgent(lastSpeaker, eligible);
  const role = groupchat.roleForSelectSpeakerMessages;
  const conversation: ClassicMessage[] = groupchat.messages.map((m) => ({
    role: "user",
    name: m.name,
    // The selector reads calls and results as text: a provider would refuse a dangling tool call.
    content:
      m.toolCalls !== undefined
        ? `(calls ${m.toolCalls.map((c) => c.name).join(", ")})`
        : contentText(m.content),
  }));
  const prompt = groupchat.selectSpeakerPrompt(eligible);
  if (prompt !== undefined) conversation.push({ role, content: prompt });
  const attempts = 1 + groupchat.maxRetriesForSelectingSpeaker;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const reply = await selector.callModel(conversation, {
      signal,
      systemMessage: groupchat.selectSpeakerMsg(eligible),
    });
    const text = typeof reply === "string" ? reply : contentText(reply.content ?? null);
    const mentions = Object.keys(groupchat.mentionedAgents(text, eligible));
    if (mentions.length === 1) {
      const chosen = eligible.find((a) => a.name === mentions[0]);
      if (chosen !== undefined) return chosen;
    }
    conversation.push(
      { role: "assistant", content: text },
      {
        role,
        content: groupchat.selectSpeakerRetryPrompt(mentions.length > 1 ? "multiple" : "none", eligible),
      },
    );
  }
  return groupchat.nextAgent(lastSpeaker, eligible);
}
