/**
 * @autogen-ts/ext/a2a: the Agent2Agent protocol both ways, on the official `@a2a-js/sdk`. `serveA2A`
 * serves any agent or team as an A2A server; `A2AAgent` is a remote A2A agent as a local chat agent.
 *
 * @packageDocumentation
 */
export type { A2AAgentOptions, A2AAgentState } from "./agent.js";
export { A2AAgent } from "./agent.js";
export type {
  A2AServable,
  A2AServableFactory,
  A2AServerHandle,
  A2ASkill,
  ServeA2AOptions,
} from "./serve.js";
export { AGENT_CARD_PATH, serveA2A } from "./serve.js";
