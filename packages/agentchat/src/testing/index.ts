/**
 * Test doubles for applications and packages built on agentchat (`@autogen-ts/agentchat/testing`).
 */
export type { ScriptedAgentOptions } from "./scripted-agent.js";
export { ScriptedAgent } from "./scripted-agent.js";
