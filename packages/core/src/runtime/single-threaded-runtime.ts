/**
 * `SingleThreadedAgentRuntime`: the in-process runtime.
 *
 * Delivery model (AutoGen's): every send and publish becomes an envelope on one FIFO queue. While the
 * runtime runs, a drain step takes envelopes off the queue in order and starts each handler without
 * waiting for it, so handlers interleave at their awaits. (A direct message with nothing queued ahead
 * of it, sent from outside any handler's synchronous part, starts at once, like a direct async call;
 * that changes no ordering and saves a scheduling hop.) Hence:
 * - envelopes start processing in the order they were queued, so one agent sees published messages in
 *   publish order (including when it had to be created first);
 * - an RPC cycle (A asks B, B asks A) does not deadlock, because A can take B's request while it awaits;
 * - a handler that needs exclusive processing uses `RoutedAgent`'s `sequential` option.
 * Messages are passed by reference: in-process delivery never serializes.
 */
import type { Context, Span, TracerProvider } from "@opentelemetry/api";
import { DeliveryError, toCancelledError } from "../errors.js";
import type { Agent, AgentFactory, MessageContext } from "./agent.js";
import { AgentDirectory } from "./agent-directory.js";
import type {
  AgentRuntime,
  PublishMessageOptions,
  RuntimeState,
  RuntimeStatus,
  SendMessageOptions,
} from "./agent-runtime.js";
import { handlerFailure, reportPublishFailure } from "./delivery-failures.js";
import {
  AgentId,
  type AgentIdLike,
  type AgentMetadata,
  type AgentType,
  TopicId,
  type TopicIdLike,
} from "./ids.js";
import {
  DropMessage,
  type InterventionHandler,
  interveneOnPublish,
  interveneOnResponse,
  interveneOnSend,
} from "./intervention.js";
import { consoleLogger, type Logger } from "./logger.js";
import { describeMessage } from "./message-type.js";
import { type MessageSerializer, SerializationRegistry } from "./serialization.js";
import { SubscriptionIndex } from "./subscription-index.js";
import type { Subscription } from "./subscriptions.js";
import { RuntimeTelemetry, recordError } from "./telemetry.js";
import { Waiters } from "./waiters.js";

/** Options of {@link SingleThreadedAgentRuntime}. */
export interface SingleThreadedAgentRuntimeOptions {
  /** Hooks that see, rewrite or drop every message (in this order). */
  readonly interventionHandlers?: readonly InterventionHandler[];
  /** Where spans go; by default the globally registered provider (no spans when there is none). */
  readonly tracerProvider?: TracerProvider;
  /** Where handler failures of published messages are logged (default: warnings and errors to the console). */
  readonly logger?: Logger;
  /**
   * When false, the first exception thrown by a handler of a published message is re-thrown by
   * `stop()`, `stopWhenIdle()` and `stopWhen()` (it is always logged). Default true.
   */
  readonly ignoreUnhandledExceptions?: boolean;
}

interface SendEnvelope {
  readonly kind: "send";
  message: unknown;
  readonly recipient: AgentIdLike;
  readonly sender: AgentId | undefined;
  readonly signal: AbortSignal | undefined;
  readonly messageId: string;
  readonly resolve: (value: unknown) => void;
  readonly reject: (reason: unknown) => void;
  readonly trace: Context | undefined;
}

interface PublishEnvelope {
  readonly kind: "publish";
  message: unknown;
  readonly topicId: TopicId;
  readonly sender: AgentId | undefined;
  readonly signal: AbortSignal | undefined;
  readonly messageId: string;
  readonly trace: Context | undefined;
  /** The handlers' context, made at the first delivery. */
  ctx?: MessageContext;
}

type Envelope = SendEnvelope | PublishEnvelope;

const RESOLVED: Promise<void> = Promise.resolve();

/** A signal that never aborts, shared by every delivery that was given none. */
const NEVER: AbortSignal = new AbortController().signal;

/** The in-process agent runtime. See the module documentation for its delivery guarantees. */
export class SingleThreadedAgentRuntime implements AgentRuntime {
  readonly #agents = new AgentDirectory({ runtime: this });
  readonly #subscriptions = new SubscriptionIndex();
  readonly #serializers = new SerializationRegistry();
  readonly #interventions: readonly InterventionHandler[];
  readonly #telemetry: RuntimeTelemetry;
  readonly #logger: Logger;
  readonly #ignoreUnhandled: boolean;

  #queue: Envelope[] = [];
  #head = 0;
  #status: RuntimeStatus = "idle";
  #drainScheduled = false;
  /** True while a handler's synchronous part runs under a dispatch (sends made then are queued). */
  #dispatching = false;
  #inFlight = 0;
  readonly #waiters = new Waiters();
  #firstUnhandled: unknown;
  #nextMessageId = 0;
  readonly #idPrefix = `${Math.random().toString(36).slice(2, 8)}-`;

  constructor(options: SingleThreadedAgentRuntimeOptions = {}) {
    this.#interventions = options.interventionHandlers ?? [];
    this.#telemetry = new RuntimeTelemetry(options.tracerProvider);
    this.#logger = options.logger ?? consoleLogger;
    this.#ignoreUnhandled = options.ignoreUnhandledExceptions ?? true;
  }

  /** `idle` before the first `start()`, `running`, `stopped`, or `closed` after `close()`. */
  get status(): RuntimeStatus {
    return this.#status;
  }

  /** Envelopes queued and not yet started. */
  get unprocessedMessageCount(): number {
    return this.#queue.length - this.#head;
  }

  /** The codecs for messages that cross a process boundary. */
  get serializers(): SerializationRegistry {
    return this.#serializers;
  }

  // ---- lifecycle ------------------------------------------------------------------------------------

  /**
   * Starts processing; messages sent before this wait in the queue. Calling it twice is a no-op; after
   * `close()` it throws a `DeliveryError` (`not_running`).
   */
  start(): void {
    if (this.#status === "running") return;
    if (this.#status === "closed") throw new DeliveryError("not_running", "The runtime is closed");
    this.#status = "running";
    this.#telemetry.refresh();
    this.#scheduleDrain();
  }

  /**
   * Stops taking messages off the queue (they stay queued for a later `start()`). Handlers already
   * running finish on their own. Rejects with the first handler failure of a publish when
   * `ignoreUnhandledExceptions` is false.
   */
  async stop(): Promise<void> {
    if (this.#status !== "closed") this.#status = "stopped";
    this.#rethrowUnhandled();
  }

  /** Resolves once the queue is empty and no handler is running, then stops. */
  async stopWhenIdle(): Promise<void> {
    if (this.#status !== "running")
      throw new DeliveryError("not_running", "The runtime is not running: call start() first");
    await this.#waiters.until(() => this.#isIdle());
    await this.stop();
  }

  /** Resolves once the queue is empty and no handler is running; the runtime keeps running. */
  idle(): Promise<void> {
    return this.#waiters.until(() => this.#isIdle());
  }

  /** Resolves once `condition` holds (checked after each message is processed), then stops. */
  async stopWhen(condition: () => boolean): Promise<void> {
    if (this.#status !== "running")
      throw new DeliveryError("not_running", "The runtime is not running: call start() first");
    await this.#waiters.until(condition);
    await this.stop();
  }

  /** Stops for good, then closes every instantiated agent. Calling it again is a no-op. */
  async close(): Promise<void> {
    if (this.#status === "closed") return;
    await this.stop().catch(() => undefined);
    this.#status = "closed";
    await this.#agents.closeAll();
  }

  // ---- registration ---------------------------------------------------------------------------------

  async registerFactory<A extends Agent>(
    type: string | AgentType,
    factory: AgentFactory<A>,
    options: { expectedClass?: abstract new (...args: never[]) => A } = {},
  ): Promise<AgentType> {
    return this.#agents.registerFactory(type, factory, options);
  }

  async registerAgentInstance(agent: Agent, agentId: AgentIdLike): Promise<AgentId> {
    return this.#agents.registerInstance(agent, agentId);
  }

  async addSubscription(subscription: Subscription): Promise<void> {
    this.#subscriptions.add(subscription);
  }

  async removeSubscription(id: string): Promise<void> {
    this.#subscriptions.remove(id);
  }

  /** Every subscription, in the order added. */
  get subscriptions(): readonly Subscription[] {
    return this.#subscriptions.all;
  }

  addMessageSerializer(serializer: MessageSerializer | readonly MessageSerializer[]): void {
    this.#serializers.add(serializer);
  }

  // ---- lookup ---------------------------------------------------------------------------------------

  async getAgent(
    idOrType: AgentIdLike | AgentType | string,
    options: { key?: string; lazy?: boolean } = {},
  ): Promise<AgentId> {
    const id = AgentId.resolve(idOrType, options.key);
    if (!this.#agents.hosts(id.type)) throw undeliverable(id);
    if (options.lazy === false) await this.#agents.get(id.type, id.key);
    return id;
  }

  async getAgentInstance<A extends Agent = Agent>(id: AgentIdLike): Promise<A> {
    return (await this.#agents.get(id.type, id.key)) as A;
  }

  async agentMetadata(id: AgentIdLike): Promise<AgentMetadata> {
    return (await this.#agents.get(id.type, id.key)).metadata;
  }

  // ---- state ----------------------------------------------------------------------------------------

  saveState(): Promise<RuntimeState> {
    return this.#agents.saveState();
  }

  loadState(state: RuntimeState): Promise<void> {
    return this.#agents.loadState(state);
  }

  async agentSaveState(id: AgentIdLike): Promise<Record<string, unknown>> {
    return (await this.#agents.get(id.type, id.key)).saveState();
  }

  async agentLoadState(id: AgentIdLike, state: Record<string, unknown>): Promise<void> {
    await (await this.#agents.get(id.type, id.key)).loadState(state);
  }

  // ---- messaging ------------------------------------------------------------------------------------

  sendMessage<R = unknown>(
    message: unknown,
    recipient: AgentIdLike,
    options: SendMessageOptions = {},
  ): Promise<R> {
    const { signal } = options;
    if (signal?.aborted) return Promise.reject(toCancelledError(signal.reason));
    if (!this.#agents.hosts(recipient.type)) return Promise.reject(undeliverable(recipient));
    const sender = options.sender === undefined ? undefined : AgentId.from(options.sender);
    const messageId = options.messageId ?? this.#newMessageId();

    let span: Span | undefined;
    let traceContext: Context | undefined;
    if (this.#telemetry.enabled) {
      span = this.#telemetry.startProducer("send", recipient.type, {
        "autogen.agent.recipient": `${recipient.type}/${recipient.key}`,
        "autogen.message.id": messageId,
        "autogen.message.type": describeMessage(message),
      });
      traceContext = this.#telemetry.withSpan(this.#telemetry.active(), span);
    }

    const reply = new Promise<R>((resolve, reject) => {
      let settle = resolve as (value: unknown) => void;
      let fail = reject;
      if (signal !== undefined) {
        // The caller's promise rejects as soon as it cancels; the handler sees the same signal.
        const onAbort = (): void => reject(toCancelledError(signal.reason));
        signal.addEventListener("abort", onAbort, { once: true });
        settle = (value) => {
          signal.removeEventListener("abort", onAbort);
          resolve(value as R);
        };
        fail = (reason) => {
          signal.removeEventListener("abort", onAbort);
          reject(reason);
        };
      }
      const envelope: SendEnvelope = {
        kind: "send",
        message,
        recipient,
        sender,
        signal,
        messageId,
        resolve: settle,
        reject: fail,
        trace: traceContext,
      };
      // Nothing queued ahead and no handler on the stack: start now, as a direct async call would.
      // Otherwise queue it, which keeps FIFO order and keeps nested sends off the call stack.
      if (this.#status === "running" && !this.#dispatching && this.#head === this.#queue.length) {
        this.#dispatching = true;
        try {
          this.#processSend(envelope);
        } finally {
          this.#dispatching = false;
        }
      } else {
        this.#enqueue(envelope);
      }
    });
    if (span === undefined) return reply;
    const s = span;
    return reply.then(
      (value) => {
        s.end();
        return value;
      },
      (error: unknown) => {
        recordError(s, error);
        s.end();
        throw error;
      },
    );
  }

  publishMessage(message: unknown, topicId: TopicIdLike, options?: PublishMessageOptions): Promise<void> {
    let topic: TopicId;
    try {
      topic = TopicId.from(topicId);
    } catch (error) {
      return Promise.reject(error);
    }
    const sender = options?.sender === undefined ? undefined : AgentId.from(options.sender);
    const messageId = options?.messageId ?? this.#newMessageId();
    let traceContext: Context | undefined;
    if (this.#telemetry.enabled) {
      const span = this.#telemetry.startProducer("publish", topic.type, {
        "autogen.topic": topic.toString(),
        "autogen.message.id": messageId,
        "autogen.message.type": describeMessage(message),
      });
      traceContext = this.#telemetry.withSpan(this.#telemetry.active(), span);
      span.end();
    }
    this.#enqueue({
      kind: "publish",
      message,
      topicId: topic,
      sender,
      signal: options?.signal,
      messageId,
      trace: traceContext,
    });
    return RESOLVED;
  }

  // ---- internals ------------------------------------------------------------------------------------

  #newMessageId(): string {
    this.#nextMessageId += 1;
    return this.#idPrefix + this.#nextMessageId;
  }

  #enqueue(envelope: Envelope): void {
    this.#queue.push(envelope);
    this.#scheduleDrain();
  }

  #scheduleDrain(): void {
    if (this.#drainScheduled || this.#status !== "running") return;
    this.#drainScheduled = true;
    queueMicrotask(() => this.#drain());
  }

  #drain(): void {
    this.#drainScheduled = false;
    const queue = this.#queue;
    this.#dispatching = true;
    try {
      while (this.#status === "running" && this.#head < queue.length) {
        const envelope = queue[this.#head] as Envelope;
        (queue as unknown[])[this.#head] = undefined;
        this.#head += 1;
        if (envelope.kind === "send") this.#processSend(envelope);
        else this.#processPublish(envelope);
      }
    } finally {
      this.#dispatching = false;
    }
    if (this.#head === queue.length) {
      this.#queue = [];
      this.#head = 0;
    } else if (this.#head > 1024 && this.#head * 2 > queue.length) {
      this.#queue = queue.slice(this.#head);
      this.#head = 0;
    }
    this.#waiters.check();
  }

  #processSend(envelope: SendEnvelope): void {
    if (envelope.signal?.aborted) {
      envelope.reject(toCancelledError(envelope.signal.reason));
      return;
    }
    this.#inFlight += 1;
    const run =
      this.#interventions.length === 0 && envelope.trace === undefined
        ? this.#deliverSend(envelope)
        : this.#deliverSendSlow(envelope);
    run.then(
      (value) => this.#finishSend(envelope, value),
      (error: unknown) => this.#failSend(envelope, error),
    );
  }

  /** The common path: no interventions, no tracing. */
  #deliverSend(envelope: SendEnvelope): Promise<unknown> {
    const ctx: MessageContext = {
      sender: envelope.sender,
      topicId: undefined,
      isRpc: true,
      signal: envelope.signal ?? NEVER,
      messageId: envelope.messageId,
    };
    const agent = this.#agents.get(envelope.recipient.type, envelope.recipient.key);
    if (agent instanceof Promise) return agent.then((a) => a.onMessage(envelope.message, ctx));
    try {
      return agent.onMessage(envelope.message, ctx);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  async #deliverSendSlow(envelope: SendEnvelope): Promise<unknown> {
    if (this.#interventions.length > 0) {
      envelope.message = await interveneOnSend(this.#interventions, envelope.message, {
        sender: envelope.sender,
        recipient: AgentId.from(envelope.recipient),
        messageId: envelope.messageId,
      });
    }
    if (envelope.trace === undefined) return this.#deliverSend(envelope);
    return this.#telemetry.process(
      envelope.trace,
      envelope.recipient.type,
      { "autogen.agent": `${envelope.recipient.type}/${envelope.recipient.key}` },
      () => this.#deliverSend(envelope),
    );
  }

  #finishSend(envelope: SendEnvelope, value: unknown): void {
    if (this.#interventions.length === 0) {
      envelope.resolve(value);
      this.#settled();
      return;
    }
    this.#applyOnResponse(envelope, value).then(
      (reply) => {
        envelope.resolve(reply);
        this.#settled();
      },
      (error: unknown) => this.#failSend(envelope, error),
    );
  }

  #applyOnResponse(envelope: SendEnvelope, value: unknown): Promise<unknown> {
    return interveneOnResponse(this.#interventions, value, {
      sender: AgentId.from(envelope.recipient),
      recipient: envelope.sender,
      messageId: envelope.messageId,
    });
  }

  #failSend(envelope: SendEnvelope, error: unknown): void {
    envelope.reject(handlerFailure(error, envelope.recipient, envelope.signal));
    this.#settled();
  }

  #processPublish(envelope: PublishEnvelope): void {
    if (envelope.signal?.aborted) return;
    if (this.#interventions.length === 0) {
      this.#deliverPublish(envelope);
      return;
    }
    this.#inFlight += 1;
    this.#interveneOnPublish(envelope).then(
      (deliver) => {
        if (deliver) this.#deliverPublish(envelope);
        this.#settled();
      },
      (error: unknown) => {
        this.#reportUnhandled(error, envelope, undefined);
        this.#settled();
      },
    );
  }

  async #interveneOnPublish(envelope: PublishEnvelope): Promise<boolean> {
    const result = await interveneOnPublish(this.#interventions, envelope.message, {
      sender: envelope.sender,
      topicId: envelope.topicId,
      messageId: envelope.messageId,
    });
    if (result === DropMessage) return false;
    envelope.message = result;
    return true;
  }

  /** Starts one handler per subscribed agent (except the sender), in subscription order. */
  #deliverPublish(envelope: PublishEnvelope): void {
    this.#subscriptions.forEachRecipient(envelope.topicId, envelope.sender, this.#deliverOne, envelope);
  }

  readonly #deliverOne = (envelope: PublishEnvelope, type: string, key: string): void => {
    this.#inFlight += 1;
    // One context per publish, shared by its deliveries.
    const ctx = envelope.ctx ?? publishContext(envelope);
    let run: Promise<unknown>;
    if (envelope.trace !== undefined) {
      run = this.#telemetry.process(envelope.trace, type, { "autogen.agent": `${type}/${key}` }, async () =>
        (await this.#agents.get(type, key)).onMessage(envelope.message, ctx),
      );
    } else {
      const agent = this.#agents.get(type, key);
      if (agent instanceof Promise) run = agent.then((a) => a.onMessage(envelope.message, ctx));
      else {
        try {
          run = agent.onMessage(envelope.message, ctx);
        } catch (error) {
          run = Promise.reject(error);
        }
      }
    }
    run.then(this.#onDelivered, (error: unknown) => {
      this.#reportUnhandled(error, envelope, { type, key });
      this.#settled();
    });
  };

  #reportUnhandled(error: unknown, envelope: PublishEnvelope, recipient: AgentIdLike | undefined): void {
    const failure = reportPublishFailure(this.#logger, error, envelope.message, recipient, envelope.topicId);
    if (failure !== undefined && this.#firstUnhandled === undefined) this.#firstUnhandled = failure;
  }

  #rethrowUnhandled(): void {
    if (this.#ignoreUnhandled || this.#firstUnhandled === undefined) return;
    const error = this.#firstUnhandled;
    this.#firstUnhandled = undefined;
    throw error;
  }

  readonly #onDelivered = (): void => this.#settled();

  #settled(): void {
    this.#inFlight -= 1;
    if (this.#waiters.waiting) this.#waiters.check();
  }

  #isIdle(): boolean {
    return this.#inFlight === 0 && this.#head === this.#queue.length && !this.#drainScheduled;
  }
}

function publishContext(envelope: PublishEnvelope): MessageContext {
  const ctx: MessageContext = {
    sender: envelope.sender,
    topicId: envelope.topicId,
    isRpc: false,
    signal: envelope.signal ?? NEVER,
    messageId: envelope.messageId,
  };
  envelope.ctx = ctx;
  return ctx;
}

function undeliverable(id: AgentIdLike): DeliveryError {
  return new DeliveryError(
    "undeliverable",
    `No agent type "${id.type}" is registered in this runtime (recipient ${id.type}/${id.key})`,
  );
}
