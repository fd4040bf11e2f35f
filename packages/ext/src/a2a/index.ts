/**
 * @autogen-ts/ext/a2a: the Agent2Agent protocol both ways, on the official `@a2a-js/sdk`. `serveA2A`
 * serves any agent or team as an A2A server (v1.0, and v0.3 through the SDK's compatibility layer), and
 * `a2aApp` is the same server as a mountable Hono app; `A2AAgent` is a remote A2A agent as a local chat
 * agent.
 *
 * @packageDocumentation
 */
export type { A2AAgentOptions, A2AAgentState } from "./agent.js";
export { A2AAgent } from "./agent.js";
export type { A2AApp, A2AAppOptions } from "./app.js";
export { AGENT_CARD_PATH, a2aApp } from "./app.js";
export type { A2AAuthOptions, A2APrincipal } from "./auth.js";
export type { A2ASkill } from "./card.js";
export type { A2AServable, A2AServableFactory } from "./executor.js";
export type { A2APushOptions } from "./push.js";
export type { A2AServerHandle, ServeA2AOptions } from "./serve.js";
export { serveA2A } from "./serve.js";
export type { RunStoreTaskStoreOptions } from "./task-store.js";
export { runStoreTaskStore } from "./task-store.js";
