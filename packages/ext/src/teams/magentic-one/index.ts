/**
 * `MagenticOne`: the Magentic-One team (orchestrator, web surfer, file surfer, coder, executor) in one call.
 *
 * @module
 */
export type { MagenticOneOptions } from "./magentic-one.js";
export { CODER_SYSTEM_MESSAGE, MagenticOne } from "./magentic-one.js";
