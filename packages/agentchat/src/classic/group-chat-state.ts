/**
 * Saved state of a classic group chat: the shared messages and each participant's state, by name.
 */
import { ValidationError } from "@autogen-ts/core";
import { checkAgentState } from "../base/state.js";
import type { AgentState } from "../base/types.js";
import type { GroupChat } from "./group-chat.js";

/** The `type` of a saved classic group chat. */
export const CLASSIC_GROUP_CHAT_STATE_TYPE = "ClassicGroupChatState";
/** The version of the saved classic group chat document. */
export const CLASSIC_GROUP_CHAT_STATE_VERSION = 1;

/** The state document of a group chat. */
export async function saveGroupChatState(groupchat: GroupChat): Promise<AgentState> {
  const agents: Record<string, AgentState> = {};
  for (const agent of groupchat.agents) agents[agent.name] = await agent.saveState();
  return {
    type: CLASSIC_GROUP_CHAT_STATE_TYPE,
    version: CLASSIC_GROUP_CHAT_STATE_VERSION,
    messages: structuredClone(groupchat.messages),
    agents,
  };
}

/** Restores a group chat from its document; a participant missing from the document is left as it is. */
export async function loadGroupChatState(groupchat: GroupChat, state: unknown): Promise<void> {
  const owner = "GroupChat";
  const doc = checkAgentState(state, CLASSIC_GROUP_CHAT_STATE_TYPE, CLASSIC_GROUP_CHAT_STATE_VERSION, owner);
  if (!Array.isArray(doc.messages) || typeof doc.agents !== "object" || doc.agents === null) {
    throw new ValidationError(`${owner}: the saved state has no messages or agents`, {
      code: "invalid_state",
    });
  }
  const agents = doc.agents as Record<string, unknown>;
  // Check every participant's document before changing anything.
  for (const agent of groupchat.agents) {
    if (agents[agent.name] !== undefined)
      checkAgentState(agents[agent.name], "ClassicConversableAgentState", 1, owner);
  }
  for (const agent of groupchat.agents) {
    if (agents[agent.name] !== undefined) await agent.loadState(agents[agent.name]);
  }
  groupchat.messages.splice(0, groupchat.messages.length, ...structuredClone(doc.messages));
}
