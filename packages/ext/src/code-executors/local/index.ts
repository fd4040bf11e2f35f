/**
 * `@autogen-ts/ext/code-executors/local`: run code blocks as local processes, optionally in a bubblewrap
 * sandbox.
 *
 * @packageDocumentation
 */
export type { LocalCommandLineCodeExecutorOptions } from "./local-executor.js";
export { LocalCommandLineCodeExecutor } from "./local-executor.js";
export type { SandboxOptions } from "./sandbox.js";
export { checkSandbox } from "./sandbox.js";
