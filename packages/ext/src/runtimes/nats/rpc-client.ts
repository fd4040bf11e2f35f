/**
 * The caller side of direct messages and state requests: a request goes to the recipient type's subject
 * with a reply subject under this runtime's inbox; the serving worker acknowledges, runs the handler and
 * replies. Calls wait for the reply, a cancellation, the time limit, or the loss of the worker that took
 * them (see liveness.ts).
 */
import {
  AgentId,
  type AgentIdLike,
  CancelledError,
  DeliveryError,
  type SendMessageOptions,
  toCancelledError,
} from "@autogen-ts/core";
import {
  createInbox,
  type Msg,
  type Subscription as NatsSubscription,
  headers as natsHeaders,
  nuid,
} from "@nats-io/transport-node";
import type { NatsContext } from "./context.js";
import { LivenessMonitor } from "./liveness.js";
import {
  decodePayload,
  EMPTY,
  type EncodedPayload,
  encodePayload,
  errorFromJSON,
  H,
  messageHeaders,
  readErrorBody,
  undecodable,
  type WireKind,
} from "./wire.js";

interface PendingCall {
  readonly recipient: AgentIdLike;
  readonly resolve: (value: unknown) => void;
  readonly reject: (reason: unknown) => void;
  worker: string | undefined;
}

/** Options of {@link RpcClient}. */
export interface RpcClientOptions {
  readonly livenessIntervalMs: number;
  readonly livenessTimeoutMs: number;
  readonly requestTimeoutMs: number | undefined;
}

/** A runtime's outstanding requests and their inbox. */
export class RpcClient {
  readonly #ctx: NatsContext;
  readonly #requestTimeoutMs: number | undefined;
  readonly #calls = new Map<string, PendingCall>();
  readonly #inbox = createInbox();
  readonly #liveness: LivenessMonitor;
  #inboxSub: NatsSubscription | undefined;

  constructor(ctx: NatsContext, options: RpcClientOptions) {
    this.#ctx = ctx;
    this.#requestTimeoutMs = options.requestTimeoutMs;
    this.#liveness = new LivenessMonitor({
      nc: ctx.nc,
      subjects: ctx.subjects,
      intervalMs: options.livenessIntervalMs,
      timeoutMs: options.livenessTimeoutMs,
      workers: () => this.#workers(),
      lost: (worker, why) => this.#workerLost(worker, why),
    });
  }

  /** How many calls wait for a reply. */
  get pending(): number {
    return this.#calls.size;
  }

  /** Subscribes to the inbox (once); called before the first request and on `start()`. */
  open(): void {
    if (this.#inboxSub !== undefined) return;
    const prefixLength = this.#inbox.length + 1;
    this.#inboxSub = this.#ctx.nc.subscribe(`${this.#inbox}.*`, {
      callback: (_err, msg) => this.#onReply(msg.subject.slice(prefixLength), msg),
    });
  }

  /** Fails every waiting call with `reason(call)`, stops liveness checks and leaves the inbox. */
  close(reason: (recipient: AgentIdLike) => unknown): void {
    for (const [id, call] of this.#calls) {
      this.#calls.delete(id);
      call.reject(reason(call.recipient));
    }
    this.#liveness.stop();
    this.#inboxSub?.unsubscribe();
    this.#inboxSub = undefined;
  }

  /** Sends one request of `kind` and resolves with the decoded reply. */
  request(
    kind: WireKind,
    message: unknown,
    recipient: AgentIdLike,
    options: SendMessageOptions,
  ): Promise<unknown> {
    const { signal } = options;
    if (signal?.aborted) return Promise.reject(toCancelledError(signal.reason));
    let payload: EncodedPayload;
    let target: AgentId;
    try {
      target = AgentId.from(recipient);
      payload = encodePayload(this.#ctx.serializers, message);
    } catch (error) {
      return Promise.reject(error);
    }
    this.open();
    const requestId = nuid.next();
    const h = messageHeaders(payload, options.messageId ?? requestId, options.sender);
    h.set(H.kind, kind);
    h.set(H.key, encodeURIComponent(target.key));
    h.set(H.request, requestId);
    return new Promise((resolve, reject) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const onAbort = (): void => this.#cancel(requestId, toCancelledError(signal?.reason));
      const cleanup = (): void => {
        signal?.removeEventListener("abort", onAbort);
        if (timer !== undefined) clearTimeout(timer);
      };
      this.#calls.set(requestId, {
        recipient: target,
        worker: undefined,
        resolve: (value) => {
          cleanup();
          resolve(value);
        },
        reject: (reason) => {
          cleanup();
          reject(reason);
        },
      });
      signal?.addEventListener("abort", onAbort, { once: true });
      if (this.#requestTimeoutMs !== undefined) {
        const ms = this.#requestTimeoutMs;
        timer = setTimeout(
          () =>
            this.#cancel(
              requestId,
              new CancelledError(`No reply from ${target.toString()} within ${ms} ms`, { code: "timeout" }),
            ),
          ms,
        );
      }
      this.#ctx.nc.publish(this.#ctx.subjects.agent(target.type), payload.data, {
        headers: h,
        reply: `${this.#inbox}.${requestId}`,
      });
    });
  }

  /** Fails a waiting request and tells the worker (whichever it is) to abort the handler. */
  #cancel(requestId: string, reason: CancelledError): void {
    const call = this.#calls.get(requestId);
    if (call === undefined) return;
    this.#calls.delete(requestId);
    call.reject(reason);
    const h = natsHeaders();
    h.set(H.request, requestId);
    if (!this.#ctx.nc.isClosed()) this.#ctx.nc.publish(this.#ctx.subjects.cancel(), EMPTY, { headers: h });
    this.#ctx.changed();
  }

  #onReply(requestId: string, msg: Msg): void {
    const call = this.#calls.get(requestId);
    if (call === undefined) return;
    const h = msg.headers;
    if (h?.hasError && h.code === 503) {
      this.#finish(requestId).reject(
        new DeliveryError(
          "undeliverable",
          `No worker serves agent type "${call.recipient.type}" (recipient ${call.recipient.type}/${call.recipient.key})`,
        ),
      );
      return;
    }
    const status = h?.get(H.status) ?? "";
    const worker = h?.get(H.worker) ?? "";
    if (status === "ack") {
      call.worker = worker;
      this.#liveness.watch();
      return;
    }
    const done = this.#finish(requestId);
    if (status === "error") {
      done.reject(errorFromJSON(readErrorBody(msg.data), { worker }));
      return;
    }
    try {
      done.resolve(
        decodePayload(this.#ctx.serializers, h?.get(H.type) ?? "", h?.get(H.contentType) ?? "", msg.data),
      );
    } catch (cause) {
      done.reject(
        new DeliveryError(
          "handler_failed",
          `The reply of ${call.recipient.type}/${call.recipient.key} could not be decoded here`,
          { cause: undecodable(h?.get(H.type) ?? "", cause), details: { worker } },
        ),
      );
    }
  }

  #finish(requestId: string): PendingCall {
    const call = this.#calls.get(requestId) as PendingCall;
    this.#calls.delete(requestId);
    queueMicrotask(this.#ctx.changed);
    return call;
  }

  *#workers(): IterableIterator<string> {
    for (const call of this.#calls.values()) if (call.worker !== undefined) yield call.worker;
  }

  #workerLost(worker: string, why: string): void {
    for (const [id, call] of this.#calls) {
      if (call.worker !== worker) continue;
      this.#calls.delete(id);
      call.reject(
        new DeliveryError(
          "worker_lost",
          `No reply from ${call.recipient.type}/${call.recipient.key}: ${why}. The handler may have run in part`,
          { details: { worker } },
        ),
      );
    }
    this.#ctx.changed();
  }
}
