/**
 * Saved state of classic agents: each conversation keyed by the peer's name (agents are objects, a saved
 * document is JSON), the counters, and what the person typed.
 */
import { ValidationError } from "@autogen-ts/core";
import { checkAgentState } from "../base/state.js";
import type { AgentState } from "../base/types.js";
import type { ConversableAgent } from "./conversable-agent.js";
import type { ClassicMessage } from "./types.js";

/** The `type` of a saved classic agent. */
export const CLASSIC_AGENT_STATE_TYPE = "ClassicConversableAgentState";
/** The version of the saved classic agent document. */
export const CLASSIC_AGENT_STATE_VERSION = 1;

/** What a saved classic agent holds. */
export interface ClassicAgentState extends AgentState {
  readonly chatMessages: Record<string, ClassicMessage[]>;
  readonly consecutiveAutoReplyCounter: Record<string, number>;
  readonly replyAtReceive: Record<string, boolean>;
  readonly maxConsecutiveAutoReply: number;
  readonly humanInput: string[];
  readonly systemMessage: string;
}

function byName<T>(map: ReadonlyMap<ConversableAgent | undefined, T>): Record<string, T> {
  const out: Record<string, T> = {};
  for (const [agent, value] of map) if (agent !== undefined) out[agent.name] = value;
  return out;
}

/** The state document of `agent`. */
export function saveAgentState(
  agent: ConversableAgent,
  maxConsecutiveAutoReply: number,
  _perSender: ReadonlyMap<ConversableAgent | undefined, number>,
): ClassicAgentState {
  return {
    type: CLASSIC_AGENT_STATE_TYPE,
    version: CLASSIC_AGENT_STATE_VERSION,
    chatMessages: structuredClone(byName(agent.chatMessages)),
    consecutiveAutoReplyCounter: byName(agent.consecutiveAutoReplyCounter),
    replyAtReceive: byName(agent.replyAtReceive),
    maxConsecutiveAutoReply,
    humanInput: [...agent.humanInput],
    systemMessage: agent.systemMessage,
  };
}

/** Checks a saved document before an agent loads it. */
export function loadAgentState(state: unknown, owner: string): ClassicAgentState {
  const doc = checkAgentState(state, CLASSIC_AGENT_STATE_TYPE, CLASSIC_AGENT_STATE_VERSION, owner);
  const bad = (field: string) =>
    new ValidationError(`${owner}: the saved state's ${field} is missing or malformed`, {
      code: "invalid_state",
    });
  const isRecord = (v: unknown) => typeof v === "object" && v !== null && !Array.isArray(v);
  if (!isRecord(doc.chatMessages) || !Object.values(doc.chatMessages as object).every(Array.isArray)) {
    throw bad("chatMessages");
  }
  if (!isRecord(doc.consecutiveAutoReplyCounter)) throw bad("consecutiveAutoReplyCounter");
  if (!isRecord(doc.replyAtReceive)) throw bad("replyAtReceive");
  if (typeof doc.maxConsecutiveAutoReply !== "number") throw bad("maxConsecutiveAutoReply");
  if (!Array.isArray(doc.humanInput)) throw bad("humanInput");
  if (typeof doc.systemMessage !== "string") throw bad("systemMessage");
  return doc as ClassicAgentState;
}
