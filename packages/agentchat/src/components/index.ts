/**
 * Agentchat's components: agents, teams and termination conditions as AutoGen's component JSON, on top
 * of core's registry.
 *
 * @module
 */
import type { ComponentModel, DumpComponentOptions, LoadComponentOptions } from "@autogen-ts/core";
import {
  ComponentRegistry,
  coreComponentRegistry,
  dumpComponentWith,
  loadComponentWith,
} from "@autogen-ts/core";
import { AGENT_DEFINITIONS } from "./agents.js";
import { TERMINATION_DEFINITIONS } from "./conditions.js";
import { TEAM_DEFINITIONS } from "./teams.js";

export { AGENT_DEFINITIONS } from "./agents.js";
export { TERMINATION_DEFINITIONS } from "./conditions.js";
export { TEAM_DEFINITIONS } from "./teams.js";

/** Agentchat's components and core's: load documents of agents, teams and conditions with it. */
export const agentchatComponentRegistry: ComponentRegistry = new ComponentRegistry({
  parent: coreComponentRegistry,
})
  .register(...AGENT_DEFINITIONS, ...TERMINATION_DEFINITIONS, ...TEAM_DEFINITIONS)
  .registerUnsupported(
    {
      provider: "autogen_agentchat.teams.SelectorGroupChat",
      componentType: "team",
      reason: "SelectorGroupChat has not landed in autogen-ts yet",
    },
    {
      provider: "autogen_agentchat.teams.Swarm",
      componentType: "team",
      reason: "Swarm has not landed in autogen-ts yet",
    },
    {
      provider: "autogen_agentchat.teams.MagenticOneGroupChat",
      componentType: "team",
      reason: "MagenticOneGroupChat has not landed in autogen-ts yet",
    },
    {
      provider: "autogen_agentchat.agents.SocietyOfMindAgent",
      componentType: "agent",
      reason: "SocietyOfMindAgent has not landed in autogen-ts yet",
    },
    {
      provider: "autogen_agentchat.agents.CodeExecutorAgent",
      componentType: "agent",
      reason: "CodeExecutorAgent has no component definition yet",
    },
    {
      provider: "autogen_core.memory.ListMemory",
      componentType: "memory",
      reason: "memory components have no definition yet",
    },
  );

/**
 * Loads a component document (AutoGen's JSON, parsed) with agentchat's registry: agents, termination
 * conditions, model contexts, `StaticWorkbench`, JavaScript `FunctionTool`s. Model clients and other
 * integrations load with `loadComponent` from `@autogen-ts/ext/components`.
 *
 * @throws {@link ValidationError} (`invalid_config`) naming the JSON path of the first problem.
 */
export function loadComponent<T = unknown>(doc: unknown, options: LoadComponentOptions = {}): Promise<T> {
  return loadComponentWith<T>(agentchatComponentRegistry, doc, options);
}

/** Dumps an agent, team, condition or other component with agentchat's registry. */
export function dumpComponent(value: unknown, options: DumpComponentOptions = {}): Promise<ComponentModel> {
  return dumpComponentWith(agentchatComponentRegistry, value, options);
}
