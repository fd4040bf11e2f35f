/**
 * `@autogen-ts/server/node`: the API served on Node (`serve`), with AutoGen Studio's run WebSocket at
 * `/ws/runs/{runId}` (`attachRunSocket`).
 *
 * @packageDocumentation
 */
export type { RunningServer, ServeOptions } from "./serve.js";
export { serve } from "./serve.js";
export type { RunSocketOptions } from "./ws.js";
export { attachRunSocket } from "./ws.js";
