/** Component definitions of the teams, under AutoGen's provider names. */
import type { ComponentDefinition } from "@autogen-ts/core";
import { componentSlot } from "@autogen-ts/core";
import type { TerminationCondition } from "../conditions/base.js";
import { RoundRobinGroupChat } from "../teams/round-robin.js";
import type { Participant } from "../teams/team.js";

const roundRobin: ComponentDefinition<RoundRobinGroupChat> = {
  provider: "autogen_agentchat.teams.RoundRobinGroupChat",
  ownName: "autogen_ts.agentchat.RoundRobinGroupChat",
  componentType: "team",
  componentVersion: 1,
  description: "A team whose participants speak in turn.",
  label: "RoundRobinGroupChat",
  schema: {
    type: "object",
    required: ["participants"],
    properties: {
      participants: { type: "array", items: { anyOf: [componentSlot("agent"), componentSlot("team")] } },
      termination_condition: componentSlot("termination"),
      max_turns: { type: ["integer", "null"], minimum: 1 },
      emit_team_events: { type: "boolean" },
      name: { type: "string" },
      description: { type: "string" },
    },
  },
  classes: [RoundRobinGroupChat],
  async load(config, context) {
    const list = config.participants as readonly unknown[];
    const participants = await Promise.all(
      list.map((p, i) => context.load<Participant>(p, ["participants", i])),
    );
    const termination =
      config.termination_condition === undefined || config.termination_condition === null
        ? undefined
        : await context.load<TerminationCondition>(
            config.termination_condition,
            "termination_condition",
            "termination",
          );
    return new RoundRobinGroupChat({
      participants,
      ...(termination ? { terminationCondition: termination } : {}),
      ...(typeof config.max_turns === "number" ? { maxTurns: config.max_turns } : {}),
      ...(typeof config.emit_team_events === "boolean" ? { emitTeamEvents: config.emit_team_events } : {}),
      ...(typeof config.name === "string" ? { name: config.name } : {}),
      ...(typeof config.description === "string" ? { description: config.description } : {}),
    });
  },
  async dump(team, context) {
    const loaded = context.loadedFrom ?? {};
    const out: Record<string, unknown> = {
      participants: await Promise.all(team.participants.map((p) => context.dump(p))),
    };
    if (team.terminationCondition) out.termination_condition = await context.dump(team.terminationCondition);
    if (team.maxTurns !== undefined) out.max_turns = team.maxTurns;
    for (const key of ["emit_team_events", "name", "description"]) {
      if (loaded[key] !== undefined) out[key] = loaded[key];
    }
    return out;
  },
};

/** The teams that can be written as components. */
export const TEAM_DEFINITIONS: readonly ComponentDefinition<never>[] = [
  roundRobin,
] as unknown as readonly ComponentDefinition<never>[];
