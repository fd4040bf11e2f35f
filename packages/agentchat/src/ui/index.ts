/**
 * Terminal rendering of runs.
 *
 * @module
 */
export type { ConsoleOptions, ConsoleOutput } from "./console.js";
export { Console } from "./console.js";
