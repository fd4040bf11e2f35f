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
import { CancelledError, DeliveryError, toCancelledError, ValidationError } from "../errors.js";
import type { Agent, AgentFactory, MessageContext } from "./agent.js";
import {
  type AgentRuntime,
  assertRuntimeState,
  type PublishMessageOptions,
  type RuntimeState,
  type SendMessageOptions,
} from "./agent-runtime.js";
import {
  AgentId,
  type AgentIdLike,
  type AgentMetadata,
  type AgentType,
  TopicId,
  type TopicIdLike,
  validateAgentType,
} from "./ids.js";
import { DropMessage, type InterventionHandler } from "./intervention.js";
import { consoleLogger, type Logger } from "./logger.js";
import { describeMessage } from "./message-type.js";
import { type MessageSerializer, SerializationRegistry } from "./serialization.js";
import { type Subscription, TypeSubscription } from "./subscriptions.js";
import { RuntimeTelemetry, recordError } from "./telemetry.js";

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
}

type Envelope = SendEnvelope | PublishEnvelope;

interface Waiter {
  readonly ready: () => boolean;
  readonly resolve: () => void;
}

const RESOLVED: Promise<void> = Promise.resolve();

/** A signal that never aborts, shared by every delivery that was given none. */
const NEVER: AbortSignal = new AbortController().signal;

/** The runtime's lifecycle. */
export type RuntimeStatus = "idle" | "running" | "stopped";

/** The in-process agent runtime. See the module documentation for its delivery guarantees. */
export class SingleThreadedAgentRuntime implements AgentRuntime {
  readonly #factories = new Map<string, { factory: AgentFactory; expectedClass: Function | undefined }>();
  readonly #instances = new Map<string, Map<string, Agent>>();
  readonly #pending = new Map<string, Promise<Agent>>();
  readonly #typeSubscriptions = new Map<string, TypeSubscription[]>();
  readonly #otherSubscriptions: Subscription[] = [];
  readonly #subscriptionIds = new Map<string, Subscription>();
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
  #waiters: Waiter[] = [];
  #firstUnhandled: unknown;
  #nextMessageId = 0;
  readonly #idPrefix = `${Math.random().toString(36).slice(2, 8)}-`;

  constructor(options: SingleThreadedAgentRuntimeOptions = {}) {
    this.#interventions = options.interventionHandlers ?? [];
    this.#telemetry = new RuntimeTelemetry(options.tracerProvider);
    this.#logger = options.logger ?? consoleLogger;
    this.#ignoreUnhandled = options.ignoreUnhandledExceptions ?? true;
  }

  /** `idle` before the first `start()`, `running`, or `stopped`. */
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

  /** Starts processing; messages sent before this wait in the queue. Calling it twice is a no-op. */
  start(): void {
    if (this.#status === "running") return;
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
    this.#status = "stopped";
    this.#rethrowUnhandled();
  }

  /** Resolves once the queue is empty and no handler is running, then stops. */
  async stopWhenIdle(): Promise<void> {
    if (this.#status !== "running")
      throw new DeliveryError("not_running", "The runtime is not running: call start() first");
    await this.#until(() => this.#isIdle());
    await this.stop();
  }

  /** Resolves once the queue is empty and no handler is running; the runtime keeps running. */
  idle(): Promise<void> {
    return this.#until(() => this.#isIdle());
  }

  /** Resolves once `condition` holds (checked after each message is processed), then stops. */
  async stopWhen(condition: () => boolean): Promise<void> {
    if (this.#status !== "running")
      throw new DeliveryError("not_running", "The runtime is not running: call start() first");
    await this.#until(condition);
    await this.stop();
  }

  /** Stops, then closes every instantiated agent. */
  async close(): Promise<void> {
    await this.stop().catch(() => undefined);
    const agents = [...this.#instances.values()].flatMap((byKey) => [...byKey.values()]);
    await Promise.allSettled(agents.map((agent) => agent.close()));
  }

  // ---- registration ---------------------------------------------------------------------------------

  async registerFactory<A extends Agent>(
    type: string | AgentType,
    factory: AgentFactory<A>,
    options: { expectedClass?: abstract new (...args: never[]) => A } = {},
  ): Promise<AgentType> {
    const name = validateAgentType(typeof type === "string" ? type : type.type);
    if (this.#factories.has(name)) throw new ValidationError(`Agent type "${name}" is already registered`);
    if (this.#instances.has(name)) {
      throw new ValidationError(
        `Agent type "${name}" already has registered instances; it cannot also have a factory`,
      );
    }
    this.#factories.set(name, { factory, expectedClass: options.expectedClass });
    return { type: name };
  }

  async registerAgentInstance(agent: Agent, agentId: AgentIdLike): Promise<AgentId> {
    const id = AgentId.from(agentId);
    if (this.#factories.has(id.type)) {
      throw new ValidationError(
        `Agent type "${id.type}" is registered with a factory; pick another type for instances`,
      );
    }
    if (this.#instances.get(id.type)?.has(id.key)) {
      throw new ValidationError(`An agent with id ${id.toString()} is already registered`);
    }
    agent.bindIdAndRuntime(id, this);
    this.#store(id, agent);
    return id;
  }

  async addSubscription(subscription: Subscription): Promise<void> {
    if (this.#subscriptionIds.has(subscription.id)) {
      throw new ValidationError(`A subscription with id "${subscription.id}" already exists`);
    }
    for (const existing of this.#subscriptionIds.values()) if (existing.equals(subscription)) return;
    this.#subscriptionIds.set(subscription.id, subscription);
    if (subscription instanceof TypeSubscription) {
      const list = this.#typeSubscriptions.get(subscription.topicType);
      if (list) list.push(subscription);
      else this.#typeSubscriptions.set(subscription.topicType, [subscription]);
    } else {
      this.#otherSubscriptions.push(subscription);
    }
  }

  async removeSubscription(id: string): Promise<void> {
    const subscription = this.#subscriptionIds.get(id);
    if (!subscription) throw new ValidationError(`No subscription with id "${id}"`);
    this.#subscriptionIds.delete(id);
    if (subscription instanceof TypeSubscription) {
      const list = this.#typeSubscriptions.get(subscription.topicType) ?? [];
      const rest = list.filter((s) => s !== subscription);
      if (rest.length > 0) this.#typeSubscriptions.set(subscription.topicType, rest);
      else this.#typeSubscriptions.delete(subscription.topicType);
    } else {
      this.#otherSubscriptions.splice(this.#otherSubscriptions.indexOf(subscription), 1);
    }
  }

  /** Every subscription, in the order added. */
  get subscriptions(): readonly Subscription[] {
    return [...this.#subscriptionIds.values()];
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
    if (!this.#knowsType(id.type)) throw undeliverable(id);
    if (options.lazy === false) await this.#agent(id.type, id.key);
    return id;
  }

  async getAgentInstance<A extends Agent = Agent>(id: AgentIdLike): Promise<A> {
    return (await this.#agent(id.type, id.key)) as A;
  }

  async agentMetadata(id: AgentIdLike): Promise<AgentMetadata> {
    return (await this.#agent(id.type, id.key)).metadata;
  }

  // ---- state ----------------------------------------------------------------------------------------

  async saveState(): Promise<RuntimeState> {
    await Promise.allSettled(this.#pending.values());
    const agents: Record<string, Record<string, unknown>> = {};
    for (const [type, byKey] of this.#instances) {
      for (const [key, agent] of byKey) agents[`${type}/${key}`] = await agent.saveState();
    }
    return { version: 1, agents };
  }

  async loadState(state: RuntimeState): Promise<void> {
    assertRuntimeState(state);
    for (const [idText, agentState] of Object.entries(state.agents)) {
      const id = AgentId.parse(idText);
      if (!this.#knowsType(id.type)) {
        throw new ValidationError(
          `The state names agent ${idText}, whose type is not registered in this runtime`,
          {
            code: "invalid_state",
          },
        );
      }
      await (await this.#agent(id.type, id.key)).loadState(agentState);
    }
  }

  async agentSaveState(id: AgentIdLike): Promise<Record<string, unknown>> {
    return (await this.#agent(id.type, id.key)).saveState();
  }

  async agentLoadState(id: AgentIdLike, state: Record<string, unknown>): Promise<void> {
    await (await this.#agent(id.type, id.key)).loadState(state);
  }

  // ---- messaging ------------------------------------------------------------------------------------

  sendMessage<R = unknown>(
    message: unknown,
    recipient: AgentIdLike,
    options: SendMessageOptions = {},
  ): Promise<R> {
    const { signal } = options;
    if (signal?.aborted) return Promise.reject(toCancelledError(signal.reason));
    if (!this.#knowsType(recipient.type)) return Promise.reject(undeliverable(recipient));
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

  #knowsType(type: string): boolean {
    return this.#factories.has(type) || this.#instances.has(type);
  }

  #store(id: AgentId, agent: Agent): void {
    let byKey = this.#instances.get(id.type);
    if (byKey === undefined) {
      byKey = new Map();
      this.#instances.set(id.type, byKey);
    }
    byKey.set(id.key, agent);
  }

  /** The agent for type/key: the live instance, or a lazily created one (created once, however many ask). */
  #agent(type: string, key: string): Agent | Promise<Agent> {
    // While an agent is being created, every message waits on the creation promise, so that none
    // overtakes an earlier one that was queued behind the factory.
    if (this.#pending.size !== 0) {
      const pending = this.#pending.get(`${type}/${key}`);
      if (pending !== undefined) return pending;
    }
    const live = this.#instances.get(type)?.get(key);
    if (live !== undefined) return live;
    const slot = `${type}/${key}`;
    const registration = this.#factories.get(type);
    if (registration === undefined) return Promise.reject(undeliverable({ type, key }));
    const id = new AgentId({ type, key });
    const creation = (async () => {
      try {
        const agent = await registration.factory({ id, runtime: this });
        if (registration.expectedClass !== undefined && !(agent instanceof registration.expectedClass)) {
          throw new ValidationError(
            `The factory for "${type}" returned a ${describeMessage(agent)}, not the expected class`,
          );
        }
        agent.bindIdAndRuntime(id, this);
        this.#store(id, agent);
        return agent;
      } catch (cause) {
        throw new DeliveryError(
          "undeliverable",
          `Could not create agent ${id.toString()}: ${errorMessage(cause)}`,
          { cause },
        );
      }
    })();
    // Registered before anyone else awaits the creation, so it runs first when the agent is ready.
    const done = (): void => {
      this.#pending.delete(slot);
    };
    creation.then(done, done);
    this.#pending.set(slot, creation);
    return creation;
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
    this.#checkWaiters();
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
    const agent = this.#agent(envelope.recipient.type, envelope.recipient.key);
    if (agent instanceof Promise) return agent.then((a) => a.onMessage(envelope.message, ctx));
    try {
      return agent.onMessage(envelope.message, ctx);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  async #deliverSendSlow(envelope: SendEnvelope): Promise<unknown> {
    for (const handler of this.#interventions) {
      if (handler.onSend === undefined) continue;
      const result = await handler.onSend(envelope.message, {
        sender: envelope.sender,
        recipient: AgentId.from(envelope.recipient),
        messageId: envelope.messageId,
      });
      if (result === DropMessage) {
        throw new DeliveryError(
          "message_dropped",
          `An intervention handler dropped the message to ${envelope.recipient.type}/${envelope.recipient.key}`,
        );
      }
      envelope.message = result;
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

  async #applyOnResponse(envelope: SendEnvelope, value: unknown): Promise<unknown> {
    let reply = value;
    for (const handler of this.#interventions) {
      if (handler.onResponse === undefined) continue;
      const result = await handler.onResponse(reply, {
        sender: AgentId.from(envelope.recipient),
        recipient: envelope.sender,
        messageId: envelope.messageId,
      });
      if (result === DropMessage) {
        throw new DeliveryError(
          "message_dropped",
          `An intervention handler dropped the reply of ${envelope.recipient.type}/${envelope.recipient.key}`,
        );
      }
      reply = result;
    }
    return reply;
  }

  #failSend(envelope: SendEnvelope, error: unknown): void {
    envelope.reject(asDeliveryFailure(error, envelope.recipient, envelope.signal));
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
    for (const handler of this.#interventions) {
      if (handler.onPublish === undefined) continue;
      const result = await handler.onPublish(envelope.message, {
        sender: envelope.sender,
        topicId: envelope.topicId,
        messageId: envelope.messageId,
      });
      if (result === DropMessage) return false;
      envelope.message = result;
    }
    return true;
  }

  /** Starts one handler per subscribed agent (except the sender), in subscription order. */
  #deliverPublish(envelope: PublishEnvelope): void {
    const topic = envelope.topicId;
    const ctx: MessageContext = {
      sender: envelope.sender,
      topicId: topic,
      isRpc: false,
      signal: envelope.signal ?? NEVER,
      messageId: envelope.messageId,
    };
    const typeSubs = this.#typeSubscriptions.get(topic.type);
    const key = topic.source;
    const sender = envelope.sender;
    let delivered: Set<string> | undefined;
    if (typeSubs !== undefined) {
      for (let i = 0; i < typeSubs.length; i++) {
        const agentType = (typeSubs[i] as TypeSubscription).agentType;
        if (sender !== undefined && sender.type === agentType && sender.key === key) continue;
        this.#deliverOne(envelope, ctx, agentType, key);
      }
    }
    for (const sub of this.#otherSubscriptions) {
      if (!sub.isMatch(topic)) continue;
      const id = sub.mapToAgent(topic);
      if (sender !== undefined && sender.type === id.type && sender.key === id.key) continue;
      // A prefix or custom subscription may overlap a type subscription: deliver once per agent.
      if (delivered === undefined) {
        delivered = new Set();
        for (const s of typeSubs ?? []) delivered.add(`${s.agentType}/${key}`);
      }
      const slot = `${id.type}/${id.key}`;
      if (delivered.has(slot)) continue;
      delivered.add(slot);
      this.#deliverOne(envelope, ctx, id.type, id.key);
    }
  }

  #deliverOne(envelope: PublishEnvelope, ctx: MessageContext, type: string, key: string): void {
    this.#inFlight += 1;
    let run: Promise<unknown>;
    if (envelope.trace !== undefined) {
      run = this.#telemetry.process(envelope.trace, type, { "autogen.agent": `${type}/${key}` }, async () =>
        (await this.#agent(type, key)).onMessage(envelope.message, ctx),
      );
    } else {
      const agent = this.#agent(type, key);
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
  }

  #reportUnhandled(error: unknown, envelope: PublishEnvelope, recipient: AgentIdLike | undefined): void {
    const where = recipient ? `${recipient.type}/${recipient.key}` : "an intervention handler";
    if (DeliveryError.isInstance(error) && error.code === "cant_handle") {
      this.#logger.info(
        `Dropped a ${describeMessage(envelope.message)} published to ${envelope.topicId.toString()}: ${error.message}`,
      );
      return;
    }
    if (CancelledError.isInstance(error)) {
      this.#logger.debug(`A handler in ${where} was cancelled`);
      return;
    }
    this.#logger.error(
      `The handler of ${where} failed on a ${describeMessage(envelope.message)} published to ${envelope.topicId.toString()}`,
      error,
    );
    if (this.#firstUnhandled === undefined) {
      this.#firstUnhandled = new DeliveryError(
        "handler_failed",
        `Handler of ${where} failed on a published message`,
        {
          cause: error,
        },
      );
    }
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
    if (this.#waiters.length > 0) this.#checkWaiters();
  }

  #isIdle(): boolean {
    return this.#inFlight === 0 && this.#head === this.#queue.length && !this.#drainScheduled;
  }

  #until(ready: () => boolean): Promise<void> {
    if (ready()) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push({ ready, resolve }));
  }

  #checkWaiters(): void {
    const waiters = this.#waiters;
    for (let i = 0; i < waiters.length; i++) {
      const waiter = waiters[i] as Waiter;
      if (!waiter.ready()) continue;
      waiters.splice(i, 1);
      i -= 1;
      waiter.resolve();
    }
  }
}

function undeliverable(id: AgentIdLike): DeliveryError {
  return new DeliveryError(
    "undeliverable",
    `No agent type "${id.type}" is registered in this runtime (recipient ${id.type}/${id.key})`,
  );
}

/** Turns a handler's failure into what the sender sees: a typed error with the original as `cause`. */
function asDeliveryFailure(error: unknown, recipient: AgentIdLike, signal: AbortSignal | undefined): unknown {
  if (CancelledError.isInstance(error)) return error;
  if (signal?.aborted) return toCancelledError(signal.reason);
  if (DeliveryError.isInstance(error)) return error;
  return new DeliveryError(
    "handler_failed",
    `The handler of ${recipient.type}/${recipient.key} failed: ${errorMessage(error)}`,
    {
      cause: error,
    },
  );
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
