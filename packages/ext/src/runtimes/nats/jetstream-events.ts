/**
 * Published messages on JetStream (at least once). Publishes go to the network's events stream with the
 * message id as JetStream's `Nats-Msg-Id`, so the server's duplicate window drops a retried publish. Each
 * type or prefix subscription is a durable consumer shared by every runtime that adds the subscription
 * (so equal subscriptions on several workers deliver each message once, and the consumer keeps the
 * messages published while its agents' workers are all down). A runtime that consumes a message for an
 * agent type it does not host forwards it to one that does, as a request, and acknowledges it when that
 * worker answers. A message is acknowledged after its handler finished, redelivered (with backoff)
 * when the handler failed or its worker died, and moved to the dead-letter stream, with the error, once
 * it failed `maxDeliveries` times.
 */
import {
  type AgentId,
  type PublishMessageOptions,
  type Subscription,
  TopicId,
  type TopicIdLike,
  TypePrefixSubscription,
  TypeSubscription,
} from "@autogen-ts/core";
import { errorMessage, reportPublishFailure } from "@autogen-ts/core/runtime-kit";
import {
  AckPolicy,
  type ConsumerConfig,
  type ConsumerMessages,
  DeliverPolicy,
  type JetStreamClient,
  type JetStreamManager,
  type JsMsg,
  jetstream,
  jetstreamManager,
  RetentionPolicy,
  StorageType,
} from "@nats-io/jetstream";
import { headers as natsHeaders, nuid } from "@nats-io/transport-node";
import type { NatsContext } from "./context.js";
import type { AgentServer } from "./serving.js";
import { tracePublish } from "./tracing.js";
import { encodePayload, errorToJSON, H, messageHeaders, parseSender, subjectToken } from "./wire.js";

/** Options of {@link JetStreamEvents}. */
export interface JetStreamEventsOptions {
  /** Hands a message for an agent type not hosted here to a worker that hosts it; settles when handled. */
  readonly forward: (target: AgentId, m: JsMsg) => Promise<unknown>;
  /** Deliveries of one message before it goes to the dead-letter stream. */
  readonly maxDeliveries: number;
  /** How long the server waits for an ack before redelivering (running handlers extend it). */
  readonly ackWaitMs: number;
}

/** The JetStream names of one runtime network. */
export interface JetStreamNames {
  /** The stream of published messages (subjects `<prefix>.topic.>`). */
  readonly events: string;
  /** The dead-letter stream (subjects `<prefix>.dead.>`). */
  readonly dead: string;
}

/** The stream names for a subject prefix. */
export function jetStreamNames(prefix: string): JetStreamNames {
  const base = `AUTOGEN_${subjectToken(prefix)}`;
  return { events: `${base}_EVENTS`, dead: `${base}_DEAD` };
}

const NANOS_PER_MS = 1_000_000;

interface Listening {
  readonly sub: Subscription;
  readonly durable: string;
  messages: ConsumerMessages | undefined;
}

/** A runtime's JetStream events: the streams, its consumers and the messages its handlers run. */
export class JetStreamEvents {
  readonly #ctx: NatsContext;
  readonly #server: AgentServer;
  readonly #o: JetStreamEventsOptions;
  readonly #names: JetStreamNames;
  readonly #js: JetStreamClient;
  readonly #listening = new Map<string, Listening>();
  readonly #inFlight = new Set<JsMsg>();
  #jsm: Promise<JetStreamManager> | undefined;
  #ticker: ReturnType<typeof setInterval> | undefined;

  constructor(ctx: NatsContext, server: AgentServer, options: JetStreamEventsOptions) {
    this.#ctx = ctx;
    this.#server = server;
    this.#o = options;
    this.#names = jetStreamNames(ctx.subjects.prefix);
    this.#js = jetstream(ctx.nc);
  }

  /** Whether JetStream can carry this subscription (custom ones cannot be shared across workers). */
  static carries(sub: Subscription): boolean {
    return sub instanceof TypeSubscription || sub instanceof TypePrefixSubscription;
  }

  /** Publishes to the events stream and resolves once the server stored it. */
  async publish(message: unknown, topicId: TopicIdLike, options: PublishMessageOptions): Promise<void> {
    const topic = TopicId.from(topicId);
    const payload = encodePayload(this.#ctx.serializers, message);
    const messageId = options.messageId ?? nuid.next();
    const h = messageHeaders(payload, messageId, options.sender);
    h.set(H.topicType, topic.type);
    h.set(H.topicSource, encodeURIComponent(topic.source));
    tracePublish(this.#ctx.telemetry, h, topic, messageId);
    await this.#streams();
    await this.#js.publish(this.#ctx.subjects.topic(topic.type, topic.source), payload.data, {
      headers: h,
      msgID: messageId,
    });
  }

  /**
   * Makes sure the subscription's durable consumer exists (so messages wait for its agents), and consumes
   * from it when this runtime hosts the agent type.
   */
  async listen(sub: Subscription): Promise<void> {
    if (this.#listening.has(sub.id)) return;
    const { durable, config } = this.#consumerConfig(sub);
    const entry: Listening = { sub, durable, messages: undefined };
    this.#listening.set(sub.id, entry);
    const jsm = await this.#streams();
    try {
      await jsm.consumers.add(this.#names.events, config);
    } catch {
      // It exists with other settings (another version of this network): bring it to these.
      await jsm.consumers.update(this.#names.events, durable, config);
    }
    await this.refresh();
  }

  /** Starts consuming for every listened subscription. */
  async refresh(): Promise<void> {
    for (const entry of this.#listening.values()) {
      if (entry.messages !== undefined) continue;
      const consumer = await this.#js.consumers.get(this.#names.events, entry.durable);
      if (entry.messages !== undefined || !this.#listening.has(entry.sub.id)) continue;
      entry.messages = await consumer.consume({
        max_messages: 256,
        callback: (m) => this.#onMessage(entry.sub, m),
      });
      this.#tick();
    }
  }

  /** Stops consuming for one subscription (its durable consumer stays for the other workers). */
  async unlisten(id: string): Promise<void> {
    const entry = this.#listening.get(id);
    this.#listening.delete(id);
    await entry?.messages?.close();
  }

  /** Stops consuming; handlers already running still finish and acknowledge. */
  async stopAll(): Promise<void> {
    const entries = [...this.#listening.values()];
    this.#listening.clear();
    await Promise.allSettled(entries.map((e) => e.messages?.close()));
  }

  /** Messages whose handlers run now. */
  get inFlight(): number {
    return this.#inFlight.size;
  }

  #streams(): Promise<JetStreamManager> {
    this.#jsm ??= (async () => {
      const jsm = await jetstreamManager(this.#ctx.nc);
      const { prefix } = this.#ctx.subjects;
      await ensureStream(jsm, {
        name: this.#names.events,
        subjects: [`${prefix}.topic.>`],
        retention: RetentionPolicy.Interest,
        storage: StorageType.File,
        duplicate_window: 120_000 * NANOS_PER_MS,
      });
      await ensureStream(jsm, {
        name: this.#names.dead,
        subjects: [`${prefix}.dead.>`],
        retention: RetentionPolicy.Limits,
        storage: StorageType.File,
      });
      return jsm;
    })();
    this.#jsm.catch(() => {
      this.#jsm = undefined;
    });
    return this.#jsm;
  }

  #consumerConfig(sub: Subscription): { durable: string; config: Partial<ConsumerConfig> } {
    const { subjects } = this.#ctx;
    let durable: string;
    let filter: string;
    if (sub instanceof TypePrefixSubscription) {
      durable = `p--${subjectToken(sub.agentType)}--${subjectToken(sub.topicTypePrefix)}`;
      filter = subjects.allTopics();
    } else {
      const typed = sub as TypeSubscription;
      durable = `t--${subjectToken(typed.agentType)}--${subjectToken(typed.topicType)}`;
      filter = subjects.topicType(typed.topicType);
    }
    return {
      durable,
      config: {
        durable_name: durable,
        filter_subject: filter,
        ack_policy: AckPolicy.Explicit,
        deliver_policy: DeliverPolicy.New,
        ack_wait: this.#o.ackWaitMs * NANOS_PER_MS,
        // Counted here, not by the server: past the limit the message goes to the dead-letter stream.
        max_deliver: -1,
        max_ack_pending: 1000,
      },
    };
  }

  #onMessage(sub: Subscription, m: JsMsg): void {
    const h = m.headers;
    let topic: TopicId;
    let target: AgentId;
    try {
      if (h === undefined) throw new Error("no headers");
      topic = new TopicId({ type: h.get(H.topicType), source: decodeURIComponent(h.get(H.topicSource)) });
      if (!sub.isMatch(topic)) {
        m.ack();
        return;
      }
      target = sub.mapToAgent(topic);
    } catch (error) {
      this.#ctx.logger.warn(`Dropped a message on ${m.subject}: bad topic headers`, error);
      m.term();
      return;
    }
    const sender = parseSender(h.get(H.sender));
    if (sender !== undefined && sender.type === target.type && sender.key === target.key) {
      m.ack();
      return;
    }
    const count = m.info.deliveryCount;
    if (count > this.#o.maxDeliveries) {
      // Its earlier deliveries never came back (their workers died): a poison message.
      this.#deadLetter(sub, m, new Error(`${count - 1} deliveries were not acknowledged`));
      return;
    }
    let message: unknown;
    const local = this.#ctx.agents.hosts(target.type);
    if (local) {
      try {
        message = this.#server.decodeEvent(m);
      } catch (error) {
        // No codec here: a deployment error that redelivery will not mend.
        this.#ctx.logger.warn(
          `Dropped a published "${h.get(H.type)}" message for ${target.toString()}: ${errorMessage(error)} (moved to the dead-letter stream)`,
        );
        this.#deadLetter(sub, m, error);
        return;
      }
    }
    this.#inFlight.add(m);
    const run = local
      ? this.#server.runEvent(target.type, target.key, message, h, topic, count)
      : this.#o.forward(target, m);
    run.then(
      () => {
        this.#inFlight.delete(m);
        m.ack();
        this.#ctx.changed();
      },
      (error: unknown) => {
        this.#inFlight.delete(m);
        this.#ctx.changed();
        const failure = reportPublishFailure(this.#ctx.logger, error, message, target, topic);
        if (failure === undefined) {
          m.ack(); // no handler for it, or cancelled: retrying would not help
        } else if (count >= this.#o.maxDeliveries) {
          this.#deadLetter(sub, m, error);
        } else {
          m.nak(Math.min(100 * 2 ** (count - 1), 5000));
        }
      },
    );
  }

  /** Moves a message to the dead-letter stream with its error, then tells the server to stop on it. */
  #deadLetter(sub: Subscription, m: JsMsg, error: unknown): void {
    const h = natsHeaders();
    for (const [name, values] of m.headers ?? []) for (const value of values) h.append(name, value);
    h.set(H.error, JSON.stringify(errorToJSON(error)));
    h.set(H.deliveries, String(m.info.deliveryCount));
    h.set(H.subscription, sub.id);
    const durable = this.#listening.get(sub.id)?.durable ?? "unknown";
    // A fresh message id: the original's is within the events stream's duplicate window, not this one's.
    this.#js.publish(`${this.#ctx.subjects.prefix}.dead.${durable}`, m.data, { headers: h }).then(
      () => m.term(`dead-lettered: ${errorMessage(error)}`),
      (cause: unknown) => {
        this.#ctx.logger.error(
          `Could not dead-letter a message of ${durable}; it will be redelivered`,
          cause,
        );
        m.nak(5000);
      },
    );
  }

  /** Tells the server that long handlers are still at work, so it does not redeliver their messages. */
  #tick(): void {
    if (this.#ticker !== undefined) return;
    this.#ticker = setInterval(
      () => {
        if (this.#listening.size === 0 && this.#inFlight.size === 0) {
          clearInterval(this.#ticker);
          this.#ticker = undefined;
          return;
        }
        for (const m of this.#inFlight) m.working();
      },
      Math.max(50, this.#o.ackWaitMs / 3),
    );
    this.#ticker.unref?.();
  }
}

async function ensureStream(
  jsm: JetStreamManager,
  config: Parameters<JetStreamManager["streams"]["add"]>[0],
): Promise<void> {
  try {
    await jsm.streams.info(config.name as string);
  } catch {
    try {
      await jsm.streams.add(config);
    } catch (error) {
      // Another runtime made it at the same moment.
      await jsm.streams.info(config.name as string).catch(() => {
        throw error;
      });
    }
  }
}
