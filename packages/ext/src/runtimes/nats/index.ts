/**
 * `@autogen-ts/ext/runtimes/nats`: the distributed agent runtime over NATS. Needs the optional peer
 * dependency `@nats-io/transport-node`.
 *
 * @packageDocumentation
 */
export type { NatsAgentRuntimeConnectOptions, NatsAgentRuntimeOptions } from "./options.js";
export type { NatsRuntimeStatus } from "./runtime.js";
export { NatsAgentRuntime } from "./runtime.js";
export type { ErrorJSON, WireKind } from "./wire.js";
export { H as NATS_HEADERS, JSON_TYPE, Subjects, subjectToken, VOID_TYPE } from "./wire.js";
