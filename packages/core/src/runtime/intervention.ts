/**
 * Intervention handlers see every message the runtime routes and may inspect, rewrite or drop it:
 * the place for logging, policy checks and test probes.
 */
import type { AgentId, TopicId } from "./ids.js";

/** Returned by an intervention handler to drop the message. */
export const DropMessage: unique symbol = Symbol.for("autogen-ts.dropMessage");
/** The type of {@link DropMessage}. */
export type DropMessage = typeof DropMessage;

/** What an intervention handler returns: the message (possibly rewritten), or {@link DropMessage}. */
export type InterventionResult = unknown | DropMessage;

/** Facts about a direct message, for `onSend`. */
export interface SendInterventionContext {
  readonly sender: AgentId | undefined;
  readonly recipient: AgentId;
  readonly messageId: string;
}

/** Facts about a publish, for `onPublish`. */
export interface PublishInterventionContext {
  readonly sender: AgentId | undefined;
  readonly topicId: TopicId;
  readonly messageId: string;
}

/** Facts about a reply, for `onResponse`. */
export interface ResponseInterventionContext {
  /** The agent that replied. */
  readonly sender: AgentId;
  /** The agent the reply goes to, if the request came from one. */
  readonly recipient: AgentId | undefined;
  readonly messageId: string;
}

/**
 * Hooks called in registration order before a message is delivered. Dropping a direct message rejects
 * the sender's promise with a `DeliveryError` (`message_dropped`); dropping a publish or a reply skips it.
 */
export interface InterventionHandler {
  onSend?(
    message: unknown,
    context: SendInterventionContext,
  ): InterventionResult | Promise<InterventionResult>;
  onPublish?(
    message: unknown,
    context: PublishInterventionContext,
  ): InterventionResult | Promise<InterventionResult>;
  onResponse?(
    message: unknown,
    context: ResponseInterventionContext,
  ): InterventionResult | Promise<InterventionResult>;
}
