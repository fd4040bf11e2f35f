/**
 * Intervention handlers see every message the runtime routes and may inspect, rewrite or drop it:
 * the place for logging, policy checks and test probes.
 */
import { DeliveryError } from "../errors.js";
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

type Hook = "onSend" | "onPublish" | "onResponse";

/** Runs one kind of hook in registration order: the (possibly rewritten) message, or DropMessage. */
async function chain<C>(
  handlers: readonly InterventionHandler[],
  hook: Hook,
  message: unknown,
  context: C,
): Promise<unknown> {
  let current = message;
  for (const handler of handlers) {
    const run = handler[hook] as ((m: unknown, c: C) => unknown) | undefined;
    if (run === undefined) continue;
    const result = await run.call(handler, current, context);
    if (result === DropMessage) return DropMessage;
    current = result;
  }
  return current;
}

/**
 * Runs every `onSend` hook in order and returns the (possibly rewritten) message; a drop is a
 * `DeliveryError` (`message_dropped`). Shared by every runtime, on whichever side it applies them.
 */
export async function interveneOnSend(
  handlers: readonly InterventionHandler[],
  message: unknown,
  context: SendInterventionContext,
): Promise<unknown> {
  const result = await chain(handlers, "onSend", message, context);
  if (result !== DropMessage) return result;
  throw new DeliveryError(
    "message_dropped",
    `An intervention handler dropped the message to ${context.recipient.type}/${context.recipient.key}`,
  );
}

/** Runs every `onPublish` hook in order: the (possibly rewritten) message, or {@link DropMessage}. */
export function interveneOnPublish(
  handlers: readonly InterventionHandler[],
  message: unknown,
  context: PublishInterventionContext,
): Promise<unknown> {
  return chain(handlers, "onPublish", message, context);
}

/** Runs every `onResponse` hook in order; a drop is a `DeliveryError` (`message_dropped`). */
export async function interveneOnResponse(
  handlers: readonly InterventionHandler[],
  reply: unknown,
  context: ResponseInterventionContext,
): Promise<unknown> {
  const result = await chain(handlers, "onResponse", reply, context);
  if (result !== DropMessage) return result;
  throw new DeliveryError(
    "message_dropped",
    `An intervention handler dropped the reply of ${context.sender.type}/${context.sender.key}`,
  );
}
