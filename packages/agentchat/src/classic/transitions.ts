/**
 * The speaker transition graph of a group chat: per speaker, who may speak next. Built from
 * `allowRepeatSpeaker` (a complete graph, with self-loops for repeat speakers) or from an explicit graph
 * of allowed or disallowed transitions (AG2's `allowed_or_disallowed_speaker_transitions`).
 */
import { ValidationError } from "@autogen-ts/core";
import type { ConversableAgent } from "./conversable-agent.js";

/** A transition graph: a map from agent to agents, or a record from name to names. */
export type SpeakerTransitions =
  | ReadonlyMap<ConversableAgent, readonly ConversableAgent[]>
  | Readonly<Record<string, readonly string[]>>;

function toMap(
  graph: SpeakerTransitions,
  agents: readonly ConversableAgent[],
): Map<ConversableAgent, ConversableAgent[]> {
  if (graph instanceof Map) return new Map([...graph].map(([k, v]) => [k, [...v]]));
  const byName = new Map(agents.map((a) => [a.name, a]));
  const find = (name: string) => {
    const agent = byName.get(name);
    if (agent === undefined) {
      throw new ValidationError(`GroupChat: the speaker transitions name '${name}', who is not in the group`);
    }
    return agent;
  };
  return new Map(
    Object.entries(graph as Record<string, readonly string[]>).map(([k, v]) => [find(k), v.map(find)]),
  );
}

/** The allowed transitions, after checking the options the way AG2 does. */
export function buildTransitions(
  agents: readonly ConversableAgent[],
  options: {
    readonly repeat: boolean | readonly ConversableAgent[] | null;
    readonly graph: SpeakerTransitions | undefined;
    readonly type: string | undefined;
  },
): Map<ConversableAgent, ConversableAgent[]> {
  const { repeat, graph, type } = options;
  if (graph === undefined) {
    const repeaters = repeat === null || repeat === true ? agents : repeat === false ? [] : repeat;
    return new Map(agents.map((a) => [a, agents.filter((b) => b !== a || repeaters.includes(a))]));
  }
  if (repeat !== null) {
    throw new ValidationError(
      "GroupChat: give allowedOrDisallowedSpeakerTransitions or allowRepeatSpeaker, not both (the graph says who may repeat)",
    );
  }
  if (type === undefined) {
    throw new ValidationError(
      'GroupChat: say whether the transitions are "allowed" or "disallowed" (speakerTransitionsType)',
    );
  }
  if (type.toLowerCase() !== "allowed" && type.toLowerCase() !== "disallowed") {
    throw new ValidationError(
      `GroupChat: speakerTransitionsType must be "allowed" or "disallowed", not "${type}"`,
    );
  }
  const given = toMap(graph, agents);
  for (const [from, tos] of given) {
    for (const agent of [from, ...tos]) {
      if (!agents.includes(agent)) {
        throw new ValidationError(
          `GroupChat: the speaker transitions name '${agent.name}', who is not in the group`,
        );
      }
    }
  }
  if (type.toLowerCase() === "allowed") return given;
  return new Map(agents.map((a) => [a, agents.filter((b) => !(given.get(a) ?? []).includes(b))]));
}
