/**
 * `@autogen-ts/ext/code-executors/docker`: run code blocks in a Docker container through the docker CLI.
 *
 * @packageDocumentation
 */
export type { DockerCommandLineCodeExecutorOptions } from "./docker-executor.js";
export { DockerCommandLineCodeExecutor } from "./docker-executor.js";
