/**
 * What the parts of one `NatsAgentRuntime` (caller side, serving side, topic listeners) share.
 */
import type { Logger, SerializationRegistry } from "@autogen-ts/core";
import type { AgentDirectory } from "@autogen-ts/core/runtime-kit";
import type { NatsConnection } from "@nats-io/transport-node";
import type { Subjects } from "./wire.js";

/** The runtime's connection, naming, codecs and agents, as its parts see them. */
export interface NatsContext {
  readonly nc: NatsConnection;
  readonly subjects: Subjects;
  readonly serializers: SerializationRegistry;
  readonly logger: Logger;
  readonly workerId: string;
  readonly agents: AgentDirectory;
  /** Called when a handler or a call finishes, so that `idle()` waiters check again. */
  readonly changed: () => void;
}
