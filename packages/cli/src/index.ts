/**
 * autogen-ts: the command line. Its programmatic entry exposes {@link main} for tests and embedding.
 *
 * @packageDocumentation
 */
export { main } from "./main.js";
