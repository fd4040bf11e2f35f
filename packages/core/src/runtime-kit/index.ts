/**
 * `@autogen-ts/core/runtime-kit`: the parts every agent runtime shares, for people writing one (the
 * in-process runtime and the NATS runtime are built on them). A runtime built from these keeps only its
 * transport and liveness; hosting agents, indexing subscriptions, intervention hooks and the error rules
 * for failed handlers are the same everywhere. See docs/runtime-kit.md.
 *
 * @packageDocumentation
 */
export type { AgentDirectoryOptions } from "../runtime/agent-directory.js";
export { AgentDirectory, errorMessage } from "../runtime/agent-directory.js";
export { handlerFailure, reportPublishFailure } from "../runtime/delivery-failures.js";
export { interveneOnPublish, interveneOnResponse, interveneOnSend } from "../runtime/intervention.js";
export { describeMessage } from "../runtime/message-type.js";
export { SubscriptionIndex } from "../runtime/subscription-index.js";
export { Waiters } from "../runtime/waiters.js";
