/**
 * Published messages on plain NATS subjects (at most once). A subscription added to a runtime listens to
 * its topics' subjects in a queue group named after what it routes, so equal subscriptions added on
 * several workers deliver each message once; the subscribed agent is served here when this runtime hosts
 * its type, else the message is forwarded to the type's subject as an event.
 */
import {
  AgentId,
  type PublishMessageOptions,
  type Subscription,
  TopicId,
  type TopicIdLike,
  TypePrefixSubscription,
  TypeSubscription,
} from "@autogen-ts/core";
import {
  type Msg,
  type Subscription as NatsSubscription,
  headers as natsHeaders,
  nuid,
} from "@nats-io/transport-node";
import type { NatsContext } from "./context.js";
import type { AgentServer } from "./serving.js";
import { encodePayload, H, messageHeaders, parseSender, subjectToken } from "./wire.js";

/** Publishes to a topic's subject. Resolves once handed to the connection. */
export function publishPlain(
  ctx: NatsContext,
  message: unknown,
  topicId: TopicIdLike,
  options: PublishMessageOptions,
): void {
  const topic = TopicId.from(topicId);
  const payload = encodePayload(ctx.serializers, message);
  const h = messageHeaders(payload, options.messageId ?? nuid.next(), options.sender);
  h.set(H.topicType, topic.type);
  h.set(H.topicSource, encodeURIComponent(topic.source));
  ctx.nc.publish(ctx.subjects.topic(topic.type, topic.source), payload.data, { headers: h });
}

/** The NATS subscriptions behind a runtime's subscriptions, by subscription id. */
export class TopicListeners {
  readonly #ctx: NatsContext;
  readonly #server: AgentServer;
  readonly #subs = new Map<string, NatsSubscription>();

  constructor(ctx: NatsContext, server: AgentServer) {
    this.#ctx = ctx;
    this.#server = server;
  }

  /** Listens to a subscription's topics (a no-op when already listening). */
  listen(sub: Subscription): void {
    if (this.#subs.has(sub.id)) return;
    let subject: string;
    let queue: string | undefined;
    const { subjects } = this.#ctx;
    if (sub instanceof TypePrefixSubscription) {
      subject = subjects.allTopics();
      queue = `prefix.${subjectToken(sub.agentType)}.${subjectToken(sub.topicTypePrefix)}`;
    } else if (sub instanceof TypeSubscription) {
      subject = subjects.topicType(sub.topicType);
      queue = `type.${subjectToken(sub.agentType)}.${subjectToken(sub.topicType)}`;
    } else {
      // A custom subscription cannot be compared across workers: it delivers from this runtime alone.
      subject = subjects.allTopics();
      queue = undefined;
    }
    this.#subs.set(
      sub.id,
      this.#ctx.nc.subscribe(subject, {
        ...(queue === undefined ? {} : { queue }),
        callback: (_err, msg) => this.#onTopicMessage(sub, msg),
      }),
    );
  }

  /** Stops listening for one subscription. */
  unlisten(id: string): void {
    this.#subs.get(id)?.unsubscribe();
    this.#subs.delete(id);
  }

  /** Stops listening for all (messages already received are still handled). */
  async stopAll(): Promise<void> {
    const subs = [...this.#subs.values()];
    this.#subs.clear();
    await Promise.allSettled(subs.map((s) => s.drain()));
  }

  #onTopicMessage(sub: Subscription, msg: Msg): void {
    const h = msg.headers;
    if (h === undefined) return;
    let topic: TopicId;
    let target: AgentId;
    try {
      topic = new TopicId({ type: h.get(H.topicType), source: decodeURIComponent(h.get(H.topicSource)) });
      if (!sub.isMatch(topic)) return;
      target = sub.mapToAgent(topic);
    } catch (error) {
      this.#ctx.logger.warn(`Dropped a message on ${msg.subject}: bad topic headers`, error);
      return;
    }
    const sender = parseSender(h.get(H.sender));
    if (sender !== undefined && AgentId.equals(sender, target)) return;
    if (this.#ctx.agents.hosts(target.type)) {
      this.#server.deliverEvent(target.type, target.key, msg, topic);
      return;
    }
    // The agent lives on another worker: hand the message on to its type's subject.
    const forward = natsHeaders();
    for (const [name, values] of h) for (const value of values) forward.append(name, value);
    forward.set(H.kind, "event");
    forward.set(H.key, encodeURIComponent(target.key));
    this.#ctx.nc.publish(this.#ctx.subjects.agent(target.type), msg.data, { headers: forward });
  }
}
