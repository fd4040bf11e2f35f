/**
 * The `Team` contract: a group of agents that runs tasks together. Every group chat implements it, and a
 * team can itself be a participant of another team.
 */
import type { AgentState, ChatAgent, TaskRunner } from "../base/types.js";

/** A team of agents. */
export interface Team extends TaskRunner {
  /** The team's name (unique among the participants of an enclosing team). */
  readonly name: string;
  /** What the team does, for selectors and enclosing teams. */
  readonly description: string;
  /** Forgets every conversation: the participants', the manager's and the termination condition's. */
  reset(): Promise<void>;
  /** Holds the run after the current turn and tells every participant to pause. */
  pause(): Promise<void>;
  /** Lets a paused run go on. */
  resume(): Promise<void>;
  /** A JSON-safe, versioned snapshot of the whole team, taken between turns. */
  saveState(): Promise<AgentState>;
  /** Restores a snapshot into this team (built with the same participants). */
  loadState(state: unknown): Promise<void>;
  /** Releases the team's runtime and its participants' resources. */
  close(): Promise<void>;
}

/** A participant of a team: a chat agent or another team. */
export type Participant = ChatAgent | Team;

/** True when a participant is a team rather than a chat agent. */
export function isTeam(participant: Participant): participant is Team {
  return (
    typeof (participant as Team).reset === "function" &&
    typeof (participant as ChatAgent).onMessages !== "function"
  );
}
