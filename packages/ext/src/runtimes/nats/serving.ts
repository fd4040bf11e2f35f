/**
 * The serving side: a worker listens on the subject of every agent type it hosts, in the queue group
 * that all workers of the type share, so NATS hands each request to one of them. A request is
 * acknowledged at once (so the caller can tell a crashed worker from a slow one), handled, and answered
 * on its reply subject; events (published messages routed to this type) are handled without a reply.
 */
import {
  AgentId,
  CancelledError,
  DeliveryError,
  DropMessage,
  type MessageContext,
  TopicId,
  ValidationError,
} from "@autogen-ts/core";
import {
  describeMessage,
  handlerFailure,
  interveneOnPublish,
  interveneOnResponse,
  interveneOnSend,
  reportPublishFailure,
} from "@autogen-ts/core/runtime-kit";
import {
  type Msg,
  type MsgHdrs,
  type Subscription as NatsSubscription,
  headers as natsHeaders,
} from "@nats-io/transport-node";
import type { NatsContext } from "./context.js";
import { answerLiveness } from "./liveness.js";
import { traceHandler } from "./tracing.js";
import {
  decodePayload,
  EMPTY,
  type EncodedPayload,
  encodePayload,
  errorToJSON,
  H,
  parseSender,
  undecodable,
  utf8,
  type WireKind,
} from "./wire.js";

const NEVER: AbortSignal = new AbortController().signal;
const RECENT_CANCELS = 1024;

/** A worker's subscriptions to its agent types, and the handlers it runs. */
export class AgentServer {
  readonly #ctx: NatsContext;
  readonly #typeSubs = new Map<string, NatsSubscription>();
  readonly #control: NatsSubscription[] = [];
  // Handlers running, and cancellations that arrived before their request.
  readonly #handling = new Map<string, AbortController>();
  readonly #recentCancels = new Set<string>();
  #active = 0;

  constructor(ctx: NatsContext) {
    this.#ctx = ctx;
  }

  /** Handlers (requests and events) running now. */
  get active(): number {
    return this.#active;
  }

  /** Answers liveness checks and hears cancellations (once). */
  openControl(): void {
    if (this.#control.length > 0) return;
    const { nc, subjects, workerId } = this.#ctx;
    this.#control.push(
      answerLiveness(nc, subjects, workerId),
      nc.subscribe(subjects.cancel(), { callback: (_err, msg) => this.#onCancel(msg) }),
    );
  }

  /** Stops answering liveness checks and cancellations. */
  closeControl(): void {
    for (const sub of this.#control) sub.unsubscribe();
    this.#control.length = 0;
  }

  /** Listens on a type's subject, in the queue group every worker of the type shares. */
  serveType(type: string): void {
    if (this.#typeSubs.has(type)) return;
    this.#typeSubs.set(
      type,
      this.#ctx.nc.subscribe(this.#ctx.subjects.agent(type), {
        queue: "workers",
        callback: (_err, msg) => {
          try {
            this.#onAgentMessage(type, msg);
          } catch (error) {
            // Malformed headers from a foreign publisher: never let them escape into the client.
            this.#ctx.logger.warn(`Dropped a malformed message on ${msg.subject}`, error);
          }
        },
      }),
    );
  }

  /** Leaves every type's subject; messages already received are still handled. */
  async stopServing(): Promise<void> {
    const subs = [...this.#typeSubs.values()];
    this.#typeSubs.clear();
    await Promise.allSettled(subs.map((s) => s.drain()));
  }

  /** Aborts every running request handler. */
  abortAll(reason: unknown): void {
    for (const controller of this.#handling.values()) controller.abort(reason);
  }

  /** Handles a published message for type/key here (no reply); failures are logged. */
  deliverEvent(type: string, key: string, msg: Msg, topic: TopicId | undefined): void {
    let message: unknown;
    try {
      message = this.decodeEvent(msg);
    } catch (error) {
      this.#ctx.logger.warn(
        `Dropped a published "${msg.headers?.get(H.type)}" message for ${type}/${key}: ${(error as Error).message}`,
      );
      return;
    }
    this.runEvent(type, key, message, msg.headers as MsgHdrs, topic, undefined).catch((error: unknown) => {
      reportPublishFailure(this.#ctx.logger, error, message, { type, key }, topic);
    });
  }

  /** A published message's payload; a `ValidationError` when its type has no codec here. */
  decodeEvent(msg: { readonly headers?: MsgHdrs; readonly data: Uint8Array }): unknown {
    const h = msg.headers as MsgHdrs;
    const typeName = h.get(H.type);
    try {
      return decodePayload(this.#ctx.serializers, typeName, h.get(H.contentType), msg.data);
    } catch (cause) {
      throw undecodable(typeName, cause);
    }
  }

  /** Runs a published message's handler for type/key here; settles when it finished, as it did. */
  async runEvent(
    type: string,
    key: string,
    message: unknown,
    h: MsgHdrs,
    topic: TopicId | undefined,
    deliveryCount: number | undefined,
  ): Promise<void> {
    const sender = parseSender(h.get(H.sender));
    const ctx: MessageContext = {
      sender: sender === undefined ? undefined : AgentId.from(sender),
      topicId: topic,
      isRpc: false,
      signal: NEVER,
      messageId: h.get(H.id),
      ...(deliveryCount === undefined ? {} : { deliveryCount }),
    };
    this.#active += 1;
    try {
      let delivered = message;
      const { interventions } = this.#ctx;
      if (interventions.length > 0 && topic !== undefined) {
        delivered = await interveneOnPublish(interventions, message, {
          sender: ctx.sender,
          topicId: topic,
          messageId: ctx.messageId,
        });
        if (delivered === DropMessage) return;
      }
      await traceHandler(this.#ctx.telemetry, h, type, key, async () => {
        const agent = this.#ctx.agents.get(type, key);
        await (agent instanceof Promise
          ? (await agent).onMessage(delivered, ctx)
          : agent.onMessage(delivered, ctx));
      });
    } finally {
      this.#done();
    }
  }

  #done(): void {
    this.#active -= 1;
    this.#ctx.changed();
  }

  #onAgentMessage(type: string, msg: Msg): void {
    const h = msg.headers;
    if (h === undefined) return;
    const kind = h.get(H.kind) as WireKind;
    const key = decodeURIComponent(h.get(H.key));
    if (kind === "event" && !msg.reply) {
      this.deliverEvent(type, key, msg, topicOf(h));
      return;
    }
    if (!msg.reply) return;
    const reply = msg.reply;
    const requestId = h.get(H.request);
    // Cancelled before it got here, or past its ack window (the caller has already failed it as
    // undeliverable, promising it did not run): skip it.
    const ackBy = Number(h.get(H.ackBy));
    if (this.#recentCancels.delete(requestId) || (ackBy > 0 && Date.now() > ackBy)) return;
    const controller = new AbortController();
    this.#handling.set(requestId, controller);
    this.#active += 1;
    // The ack goes out before the handler starts (the client flushes it in a microtask queued now), so
    // even a handler that blocks the event loop at once has been acknowledged.
    const ack = natsHeaders();
    ack.set(H.status, "ack");
    ack.set(H.worker, this.#ctx.workerId);
    this.#ctx.nc.publish(reply, EMPTY, { headers: ack });
    traceHandler(this.#ctx.telemetry, h, type, key, () =>
      this.#handle(kind, type, key, msg, controller.signal),
    )
      .then(
        (value) => this.#respond(reply, value, type, key),
        (error: unknown) => this.#respondError(reply, handlerFailure(error, { type, key })),
      )
      .then(() => {
        // Counted done once the reply is handed to the connection.
        this.#handling.delete(requestId);
        this.#done();
      });
  }

  async #handle(kind: WireKind, type: string, key: string, msg: Msg, signal: AbortSignal): Promise<unknown> {
    const h = msg.headers as MsgHdrs;
    let message: unknown;
    try {
      message = decodePayload(this.#ctx.serializers, h.get(H.type), h.get(H.contentType), msg.data);
    } catch (cause) {
      throw new DeliveryError(
        "cant_handle",
        `Agent ${type}/${key} on worker ${this.#ctx.workerId} cannot read a "${h.get(H.type)}" message`,
        { cause: undecodable(h.get(H.type), cause) },
      );
    }
    if (kind === "event") {
      // A JetStream message forwarded by the runtime that consumed it: it acks once this settles.
      const count = Number(h.get(H.deliveries)) || undefined;
      await this.runEvent(type, key, message, h, topicOf(h), count);
      return undefined;
    }
    const agent = await this.#ctx.agents.get(type, key);
    switch (kind) {
      case "rpc": {
        const sender = parseSender(h.get(H.sender));
        const ctx: MessageContext = {
          sender: sender === undefined ? undefined : AgentId.from(sender),
          topicId: undefined,
          isRpc: true,
          signal,
          messageId: h.get(H.id),
        };
        const { interventions } = this.#ctx;
        if (interventions.length === 0) return agent.onMessage(message, ctx);
        // This runtime's hooks see what arrives, as the in-process runtime's see what it delivers.
        const recipient = new AgentId({ type, key });
        const facts = { sender: ctx.sender, recipient, messageId: ctx.messageId };
        const reply = await agent.onMessage(await interveneOnSend(interventions, message, facts), ctx);
        return interveneOnResponse(interventions, reply, {
          sender: recipient,
          recipient: ctx.sender,
          messageId: ctx.messageId,
        });
      }
      case "save":
        return agent.saveState();
      case "load":
        await agent.loadState(message as Record<string, unknown>);
        return undefined;
      case "meta":
        return { ...agent.metadata };
      default:
        throw new ValidationError(`Unknown request kind "${String(kind)}"`);
    }
  }

  #respond(reply: string, value: unknown, type: string, key: string): void {
    let payload: EncodedPayload;
    try {
      payload = encodePayload(this.#ctx.serializers, value);
    } catch (cause) {
      this.#respondError(
        reply,
        new DeliveryError(
          "handler_failed",
          `The reply of ${type}/${key} (a ${describeMessage(value)}) cannot be sent: register its codec`,
          { cause },
        ),
      );
      return;
    }
    const h = natsHeaders();
    h.set(H.status, "ok");
    h.set(H.worker, this.#ctx.workerId);
    h.set(H.type, payload.typeName);
    h.set(H.contentType, payload.contentType);
    this.#publishReply(reply, payload.data, h);
  }

  #respondError(reply: string, error: unknown): void {
    const h = natsHeaders();
    h.set(H.status, "error");
    h.set(H.worker, this.#ctx.workerId);
    this.#publishReply(reply, utf8(JSON.stringify(errorToJSON(error))), h);
  }

  #publishReply(reply: string, data: Uint8Array, h: MsgHdrs): void {
    if (this.#ctx.nc.isClosed()) return;
    this.#ctx.nc.publish(reply, data, { headers: h });
  }

  #onCancel(msg: Msg): void {
    const requestId = msg.headers?.get(H.request) ?? "";
    const controller = this.#handling.get(requestId);
    if (controller !== undefined) {
      controller.abort(new CancelledError("The caller cancelled the request"));
      return;
    }
    // The cancel may overtake its request (they travel on different subjects): remember it briefly.
    if (this.#recentCancels.size >= RECENT_CANCELS) {
      const oldest = this.#recentCancels.values().next().value;
      if (oldest !== undefined) this.#recentCancels.delete(oldest);
    }
    this.#recentCancels.add(requestId);
  }
}

function topicOf(h: MsgHdrs): TopicId | undefined {
  const topicType = h.get(H.topicType);
  if (topicType === "") return undefined;
  return new TopicId({ type: topicType, source: decodeURIComponent(h.get(H.topicSource)) });
}

/** Runs a handler call, turning a synchronous throw into a rejection. */
export function callHandler(call: () => Promise<unknown>): Promise<unknown> {
  try {
    return call();
  } catch (error) {
    return Promise.reject(error);
  }
}
