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
  ValidationError,
} from "@autogen-ts/core";
import {
  createInbox,
  type Msg,
  type MsgHdrs,
  type Subscription as NatsSubscription,
  headers as natsHeaders,
  nuid,
} from "@nats-io/transport-node";
import type { NatsContext } from "./context.js";
import { LivenessMonitor } from "./liveness.js";
import { traceSend } from "./tracing.js";
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
  /** When (performance.now()) the ack window closes; cleared by the worker's acknowledgement. */
  ackDeadline: number | undefined;
  /** When the overall limit passes, if the call has one. */
  readonly deadline: number | undefined;
  readonly limitMs: number | undefined;
}

/** Options of {@link RpcClient}. */
export interface RpcClientOptions {
  readonly livenessIntervalMs: number;
  readonly livenessTimeoutMs: number;
  readonly ackTimeoutMs: number;
  /** The default overall limit; undefined for none. */
  readonly requestTimeoutMs: number | undefined;
  /** Logs liveness checks that went unanswered (a busy worker, not a lost one). */
  readonly logger: { debug(message: string): void };
}

/** `SendMessageOptions` with the distributed runtime's per-call time limit. */
export interface NatsSendMessageOptions extends SendMessageOptions {
  /**
   * The overall time limit of this call in ms, overriding the runtime's `requestTimeoutMs`; `null` turns
   * the limit off for this call (it then waits as long as its worker lives).
   */
  readonly timeoutMs?: number | null;
}

/** A runtime's outstanding requests and their inbox. */
export class RpcClient {
  readonly #ctx: NatsContext;
  readonly #requestTimeoutMs: number | undefined;
  readonly #ackTimeoutMs: number;
  readonly #calls = new Map<string, PendingCall>();
  readonly #inbox = createInbox();
  readonly #liveness: LivenessMonitor;
  #inboxSub: NatsSubscription | undefined;
  #sweeper: ReturnType<typeof setInterval> | undefined;
  #sweepPeriod = 0;

  constructor(ctx: NatsContext, options: RpcClientOptions) {
    this.#ctx = ctx;
    this.#requestTimeoutMs = options.requestTimeoutMs;
    this.#ackTimeoutMs = options.ackTimeoutMs;
    this.#liveness = new LivenessMonitor({
      nc: ctx.nc,
      subjects: ctx.subjects,
      intervalMs: options.livenessIntervalMs,
      timeoutMs: options.livenessTimeoutMs,
      workers: () => this.#workers(),
      lost: (worker, why) => this.#workerLost(worker, why),
      busy: (worker) =>
        options.logger.debug(`Worker ${worker} is slow to answer liveness checks (a busy event loop?)`),
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
    clearInterval(this.#sweeper);
    this.#sweeper = undefined;
    this.#inboxSub?.unsubscribe();
    this.#inboxSub = undefined;
  }

  /** Sends one request of `kind` and resolves with the decoded reply. */
  request(
    kind: WireKind,
    message: unknown,
    recipient: AgentIdLike,
    options: NatsSendMessageOptions,
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
    const requestId = nuid.next();
    const h = messageHeaders(payload, options.messageId ?? requestId, options.sender);
    h.set(H.kind, kind);
    return traceSend(this.#ctx.telemetry, h, target.toString(), target.type, () =>
      this.send(target, payload.data, h, requestId, options),
    );
  }

  /**
   * Sends a prepared request (headers with kind, id, type and sender; the payload encoded) to the
   * target's type and resolves with the decoded reply. How a published message is forwarded to the
   * worker that hosts its agent, with the forwarder learning when the handler finished.
   */
  send(
    target: AgentId,
    data: Uint8Array,
    h: MsgHdrs,
    requestId: string,
    options: NatsSendMessageOptions,
  ): Promise<unknown> {
    const { signal } = options;
    this.open();
    h.set(H.key, encodeURIComponent(target.key));
    h.set(H.request, requestId);
    // The worker skips a request it receives after this (the caller has failed it as undeliverable).
    h.set(H.ackBy, String(Date.now() + this.#ackTimeoutMs));
    const started = performance.now();
    const limit = options.timeoutMs === undefined ? this.#requestTimeoutMs : options.timeoutMs;
    if (limit !== null && limit !== undefined && !(Number.isFinite(limit) && limit > 0)) {
      return Promise.reject(
        new ValidationError(`timeoutMs must be a positive number of milliseconds or null, got ${limit}`),
      );
    }
    return new Promise((resolve, reject) => {
      const onAbort = (): void => this.#cancel(requestId, toCancelledError(signal?.reason));
      const limitMs = limit ?? undefined;
      const call: PendingCall = {
        recipient: target,
        worker: undefined,
        ackDeadline: started + this.#ackTimeoutMs,
        deadline: limitMs === undefined ? undefined : started + limitMs,
        limitMs,
        resolve:
          signal === undefined
            ? resolve
            : (value) => {
                signal.removeEventListener("abort", onAbort);
                resolve(value);
              },
        reject:
          signal === undefined
            ? reject
            : (reason) => {
                signal.removeEventListener("abort", onAbort);
                reject(reason);
              },
      };
      this.#calls.set(requestId, call);
      signal?.addEventListener("abort", onAbort, { once: true });
      // One sweep over the waiting calls checks every ack window and time limit: two timers per call
      // cost more than the round trip's own work (bench/RESULTS.md, distributed).
      this.#sweep(limitMs);
      this.#ctx.nc.publish(this.#ctx.subjects.agent(target.type), data, {
        headers: h,
        reply: `${this.#inbox}.${requestId}`,
      });
    });
  }

  /** Starts the sweep (if it is not running) at a period fine enough for `limitMs` and the ack window. */
  #sweep(limitMs: number | undefined): void {
    const wanted = Math.max(5, Math.min(250, this.#ackTimeoutMs / 4, (limitMs ?? Infinity) / 4));
    if (this.#sweeper !== undefined && this.#sweepPeriod <= wanted) return;
    if (this.#sweeper !== undefined) clearInterval(this.#sweeper);
    this.#sweepPeriod = wanted;
    this.#sweeper = setInterval(() => this.#check(), wanted);
    this.#sweeper.unref?.();
  }

  #check(): void {
    if (this.#calls.size === 0) {
      clearInterval(this.#sweeper);
      this.#sweeper = undefined;
      return;
    }
    const t = performance.now();
    for (const [requestId, call] of this.#calls) {
      if (call.deadline !== undefined && t >= call.deadline) {
        this.#cancel(
          requestId,
          new CancelledError(
            `No reply from ${call.recipient.type}/${call.recipient.key} within ${call.limitMs} ms`,
            { code: "timeout" },
          ),
        );
      } else if (call.ackDeadline !== undefined && t >= call.ackDeadline) {
        this.#unacknowledged(requestId);
      }
    }
  }

  /** No worker took the request in time: it fails as undeliverable, and a late worker skips it. */
  #unacknowledged(requestId: string): void {
    const call = this.#calls.get(requestId);
    if (call === undefined || call.worker !== undefined) return;
    this.#cancel(
      requestId,
      new DeliveryError(
        "undeliverable",
        `No worker serving "${call.recipient.type}" acknowledged the message to ${call.recipient.type}/${call.recipient.key} within ${this.#ackTimeoutMs} ms; it did not run`,
        { details: { ackTimeoutMs: this.#ackTimeoutMs } },
      ),
    );
  }

  /** Fails a waiting request and tells the worker (whichever it is) to abort or skip the handler. */
  #cancel(requestId: string, reason: unknown): void {
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
      call.ackDeadline = undefined;
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
