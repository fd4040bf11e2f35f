/**
 * @autogen-ts/agentchat: agents, teams, termination conditions and the console view.
 *
 * @packageDocumentation
 */

/** The version of this package. */
export const VERSION = "0.1.0";
