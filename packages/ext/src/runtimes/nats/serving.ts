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
  type MessageContext,
  TopicId,
  ValidationError,
} from "@autogen-ts/core";
import { describeMessage, handlerFailure, reportPublishFailure } from "@autogen-ts/core/runtime-kit";
import {
  type Msg,
  type MsgHdrs,
  type Subscription as NatsSubscription,
  headers as natsHeaders,
} from "@nats-io/transport-node";
import type { NatsContext } from "./context.js";
import { answerLiveness } from "./liveness.js";
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
    const h = msg.headers as MsgHdrs;
    const typeName = h.get(H.type);
    let message: unknown;
    try {
      message = decodePayload(this.#ctx.serializers, typeName, h.get(H.contentType), msg.data);
    } catch (cause) {
      this.#ctx.logger.warn(
        `Dropped a published "${typeName}" message for ${type}/${key}: ${undecodable(typeName, cause).message}`,
      );
      return;
    }
    const sender = parseSender(h.get(H.sender));
    const ctx: MessageContext = {
      sender: sender === undefined ? undefined : AgentId.from(sender),
      topicId: topic,
      isRpc: false,
      signal: NEVER,
      messageId: h.get(H.id),
    };
    this.#active += 1;
    const agent = this.#ctx.agents.get(type, key);
    const run =
      agent instanceof Promise
        ? agent.then((a) => a.onMessage(message, ctx))
        : callHandler(() => agent.onMessage(message, ctx));
    run.then(
      () => this.#done(),
      (error: unknown) => {
        reportPublishFailure(this.#ctx.logger, error, message, { type, key }, topic);
        this.#done();
      },
    );
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
    if (kind === "event") {
      const topicType = h.get(H.topicType);
      const topic =
        topicType === ""
          ? undefined
          : new TopicId({ type: topicType, source: decodeURIComponent(h.get(H.topicSource)) });
      this.deliverEvent(type, key, msg, topic);
      return;
    }
    if (!msg.reply) return;
    const reply = msg.reply;
    const requestId = h.get(H.request);
    const controller = new AbortController();
    if (this.#recentCancels.delete(requestId)) controller.abort(new CancelledError());
    this.#handling.set(requestId, controller);
    this.#active += 1;
    if (kind === "rpc") {
      const ack = natsHeaders();
      ack.set(H.status, "ack");
      ack.set(H.worker, this.#ctx.workerId);
      this.#ctx.nc.publish(reply, EMPTY, { headers: ack });
    }
    this.#handle(kind, type, key, msg, controller.signal)
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
        return agent.onMessage(message, ctx);
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

/** Runs a handler call, turning a synchronous throw into a rejection. */
export function callHandler(call: () => Promise<unknown>): Promise<unknown> {
  try {
    return call();
  } catch (error) {
    return Promise.reject(error);
  }
}
