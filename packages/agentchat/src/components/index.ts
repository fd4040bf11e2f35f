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
import { GUARDRAIL_DEFINITIONS } from "../guardrails/components.js";
import { AGENT_DEFINITIONS } from "./agents.js";
import { TERMINATION_DEFINITIONS } from "./conditions.js";
import { TEAM_DEFINITIONS } from "./teams.js";

export { AGENT_DEFINITIONS } from "./agents.js";
export { TERMINATION_DEFINITIONS } from "./conditions.js";
export { DIGRAPH_SCHEMA, dumpDiGraph, loadDiGraph } from "./digraph.js";
export { TEAM_DEFINITIONS } from "./teams.js";

/** Agentchat's components and core's: load documents of agents, teams and conditions with it. */
export const agentchatComponentRegistry: ComponentRegistry = new ComponentRegistry({
  parent: coreComponentRegistry,
}).register(...AGENT_DEFINITIONS, ...TERMINATION_DEFINITIONS, ...TEAM_DEFINITIONS, ...GUARDRAIL_DEFINITIONS);

/**
 * Loads a component document (AutoGen's JSON, parsed) with agentchat's registry: agents, teams
 * (`RoundRobinGroupChat`, `SelectorGroupChat`, `Swarm`, `MagenticOneGroupChat`, `GraphFlow`), termination
 * conditions, model contexts, `ListMemory`, `StaticWorkbench`, JavaScript `FunctionTool`s. Model clients and other
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
