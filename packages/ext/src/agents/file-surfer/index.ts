/**
 * `FileSurfer`: an agent that reads, searches and (opt-in) edits the files under one directory.
 *
 * @module
 */
export type { FileSurferOptions } from "./file-surfer.js";
export { FileSurfer } from "./file-surfer.js";
