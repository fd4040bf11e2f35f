/**
 * `NatsAgentRuntime`: one worker process's agent runtime on a NATS network. Every worker connects to the
 * same NATS server (or cluster); there is no host process and no home-made broker.
 *
 * Routing (subjects under a prefix, `autogen` by default; see docs/distributed-runtime.md):
 * - a direct message to agent type T goes to `<prefix>.agent.<T>` as a request. Every worker that
 *   registered T listens there in one queue group, so each request is served by one of them (load
 *   sharing); with none, NATS answers "no responders" and the caller fails fast (`undeliverable`);
 * - a publish goes to `<prefix>.topic.<topicType>.<source>`. A subscription added to a runtime listens
 *   to its topics in a queue group named after the subscription, so equal subscriptions added on several
 *   workers deliver each message once; the subscribed agent is served where the subscription is when that
 *   runtime hosts its type, else the message is forwarded to the type's subject as an event;
 * - agent keys, senders and topics travel in headers; payloads are the serialization registry's JSON
 *   with the type name in a header.
 *
 * Keys: each worker keeps one instance per key of the types it serves. With several workers of one type,
 * consecutive messages to one key may be served by different workers (NATS queue groups have no
 * affinity), so such agents should keep their state outside the instance or be served by one worker;
 * see the guide.
 *
 * Failures: a worker acknowledges each request before running it; the caller then checks that worker's
 * liveness while it waits, so a crashed worker's requests fail with `worker_lost` instead of hanging.
 */
import {
  type Agent,
  type AgentFactory,
  AgentId,
  type AgentIdLike,
  type AgentMetadata,
  type AgentRuntime,
  type AgentType,
  assertRuntimeState,
  CancelledError,
  consoleLogger,
  DeliveryError,
  type Logger,
  type MessageContext,
  type MessageSerializer,
  type PublishMessageOptions,
  type RuntimeState,
  type SendMessageOptions,
  SerializationRegistry,
  type Subscription,
  TopicId,
  type TopicIdLike,
  TypePrefixSubscription,
  TypeSubscription,
  toCancelledError,
  ValidationError,
  validateAgentType,
} from "@autogen-ts/core";
import {
  connect,
  createInbox,
  type Msg,
  type MsgHdrs,
  type NatsConnection,
  type Subscription as NatsSubscription,
  type NodeConnectionOptions,
  headers as natsHeaders,
  nuid,
  RequestError,
} from "@nats-io/transport-node";
import {
  decodePayload,
  EMPTY,
  type EncodedPayload,
  encodePayload,
  errorFromJSON,
  errorToJSON,
  H,
  parseSender,
  readErrorBody,
  Subjects,
  subjectToken,
  undecodable,
  utf8,
  type WireKind,
} from "./wire.js";

/** Options of {@link NatsAgentRuntime}. */
export interface NatsAgentRuntimeOptions {
  /** An open NATS connection (see {@link NatsAgentRuntime.connect} to make one). */
  readonly connection: NatsConnection;
  /** Whether `close()` also closes the connection (default false; `connect()` sets it). */
  readonly closeConnection?: boolean;
  /** The subject prefix that separates runtime networks on one server (default `autogen`). */
  readonly subjectPrefix?: string;
  /** This worker's id, unique in the network (default: a random one). */
  readonly workerId?: string;
  /** Where failures of published messages and dropped messages are logged (default: the console). */
  readonly logger?: Logger;
  /** How often a caller checks the workers holding its requests (default 1000 ms). */
  readonly livenessIntervalMs?: number;
  /** How long a worker may take to answer a liveness check before its requests fail (default 5000 ms). */
  readonly livenessTimeoutMs?: number;
  /** A time limit for every `sendMessage` (none by default; a `signal` can set one per call). */
  readonly requestTimeoutMs?: number;
}

/** Options of {@link NatsAgentRuntime.connect}. */
export interface NatsAgentRuntimeConnectOptions extends Omit<NatsAgentRuntimeOptions, "connection"> {
  /** The server URL(s) (default `NATS_URL` or `nats://127.0.0.1:4222`). */
  readonly servers?: string | readonly string[];
  /** Further connection options (credentials, TLS, reconnect policy). */
  readonly connectionOptions?: Omit<NodeConnectionOptions, "servers">;
}

/** The runtime's lifecycle. */
export type NatsRuntimeStatus = "idle" | "running" | "stopped" | "closed";

interface PendingCall {
  readonly recipient: AgentIdLike;
  readonly resolve: (value: unknown) => void;
  readonly reject: (reason: unknown) => void;
  worker: string | undefined;
}

interface SubscriptionEntry {
  readonly subscription: Subscription;
  nats: NatsSubscription | undefined;
}

const NEVER: AbortSignal = new AbortController().signal;
const RECENT_CANCELS = 1024;

/** A worker's agent runtime over NATS. See the module documentation for routing and guarantees. */
export class NatsAgentRuntime implements AgentRuntime {
  readonly #nc: NatsConnection;
  readonly #closeConnection: boolean;
  readonly #subjects: Subjects;
  readonly #logger: Logger;
  readonly #livenessIntervalMs: number;
  readonly #livenessTimeoutMs: number;
  readonly #requestTimeoutMs: number | undefined;
  readonly #serializers = new SerializationRegistry();
  /** This worker's id. */
  readonly workerId: string;

  readonly #factories = new Map<string, { factory: AgentFactory; expectedClass: Function | undefined }>();
  readonly #instances = new Map<string, Map<string, Agent>>();
  readonly #creating = new Map<string, Promise<Agent>>();
  readonly #agentSubs = new Map<string, NatsSubscription>();
  readonly #subscriptions = new Map<string, SubscriptionEntry>();
  readonly #controlSubs: NatsSubscription[] = [];

  // Caller side: requests waiting for a reply, by request id.
  readonly #calls = new Map<string, PendingCall>();
  readonly #inbox: string;
  #inboxSub: NatsSubscription | undefined;
  #livenessTimer: ReturnType<typeof setInterval> | undefined;
  readonly #checking = new Set<string>();

  // Worker side: handlers running, and cancellations that arrived before their request.
  readonly #handling = new Map<string, AbortController>();
  readonly #recentCancels = new Set<string>();
  #active = 0;
  #idleWaiters: (() => void)[] = [];

  #status: NatsRuntimeStatus = "idle";

  constructor(options: NatsAgentRuntimeOptions) {
    if (options?.connection === undefined) {
      throw new ValidationError("NatsAgentRuntime needs a connection (or use NatsAgentRuntime.connect())");
    }
    this.#nc = options.connection;
    this.#closeConnection = options.closeConnection ?? false;
    const prefix = options.subjectPrefix ?? "autogen";
    if (!/^[\w-]+(\.[\w-]+)*$/.test(prefix)) {
      throw new ValidationError(`Invalid subject prefix ${JSON.stringify(prefix)}: use dot-separated words`);
    }
    this.#subjects = new Subjects(prefix);
    this.workerId = options.workerId ?? nuid.next();
    this.#logger = options.logger ?? consoleLogger;
    this.#livenessIntervalMs = positive(options.livenessIntervalMs, 1000, "livenessIntervalMs");
    this.#livenessTimeoutMs = positive(options.livenessTimeoutMs, 5000, "livenessTimeoutMs");
    this.#requestTimeoutMs =
      options.requestTimeoutMs === undefined
        ? undefined
        : positive(options.requestTimeoutMs, 0, "requestTimeoutMs");
    this.#inbox = createInbox();
  }

  /** Connects to NATS and makes a runtime that closes the connection when it closes. */
  static async connect(options: NatsAgentRuntimeConnectOptions = {}): Promise<NatsAgentRuntime> {
    const { servers, connectionOptions, ...rest } = options;
    const nc = await connect({
      ...connectionOptions,
      servers: (servers as string | string[] | undefined) ?? process.env.NATS_URL ?? "nats://127.0.0.1:4222",
    });
    return new NatsAgentRuntime({ closeConnection: true, ...rest, connection: nc });
  }

  /** `idle` before `start()`, `running`, `stopped` after `stop()`, `closed` after `close()`. */
  get status(): NatsRuntimeStatus {
    return this.#status;
  }

  /** The NATS connection. */
  get connection(): NatsConnection {
    return this.#nc;
  }

  /** The codecs for messages that cross the network. */
  get serializers(): SerializationRegistry {
    return this.#serializers;
  }

  /** Requests this worker is handling now. */
  get activeHandlers(): number {
    return this.#active;
  }

  // ---- lifecycle ------------------------------------------------------------------------------------

  /**
   * Starts serving: subscribes to the subjects of every registered type and subscription (and those
   * added later), and resolves once the server has them. Sending works before `start()` too.
   */
  async start(): Promise<void> {
    if (this.#status === "closed") throw notRunning("The runtime is closed");
    if (this.#status === "running") return;
    this.#status = "running";
    this.#ensureInbox();
    if (this.#controlSubs.length === 0) {
      this.#controlSubs.push(
        this.#nc.subscribe(this.#subjects.worker(this.workerId), {
          callback: (_err, msg) => {
            if (msg.reply) msg.respond(EMPTY);
          },
        }),
        this.#nc.subscribe(this.#subjects.cancel(), { callback: (_err, msg) => this.#onCancel(msg) }),
      );
    }
    for (const type of new Set([...this.#factories.keys(), ...this.#instances.keys()])) this.#serveType(type);
    for (const entry of this.#subscriptions.values()) this.#listen(entry);
    await this.#nc.flush();
  }

  /**
   * Stops taking new messages: unsubscribes from agent and topic subjects (messages already received
   * are still handled, and running handlers still reply). Requests this runtime sent keep waiting.
   */
  async stop(): Promise<void> {
    if (this.#status !== "running") return;
    this.#status = "stopped";
    const subs = [...this.#agentSubs.values(), ...[...this.#subscriptions.values()].map((e) => e.nats)];
    this.#agentSubs.clear();
    for (const entry of this.#subscriptions.values()) entry.nats = undefined;
    await Promise.allSettled(subs.map((s) => s?.drain()));
  }

  /** Resolves once this worker runs no handler and waits for no reply, then stops. */
  async stopWhenIdle(): Promise<void> {
    if (this.#status !== "running") throw notRunning("The runtime is not running: call start() first");
    await this.idle();
    await this.stop();
  }

  /** Resolves once this worker runs no handler and waits for no reply; the runtime keeps running. */
  idle(): Promise<void> {
    if (this.#isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  /**
   * Stops, aborts running handlers, fails requests still waiting (`not_running`), closes every agent,
   * and closes the connection when the runtime made it.
   */
  async close(): Promise<void> {
    if (this.#status === "closed") return;
    await this.stop();
    this.#status = "closed";
    for (const controller of this.#handling.values()) controller.abort(notRunning("The runtime closed"));
    for (const [id, call] of this.#calls) {
      this.#calls.delete(id);
      call.reject(
        notRunning(`The runtime closed before ${call.recipient.type}/${call.recipient.key} replied`),
      );
    }
    this.#stopLiveness();
    for (const sub of this.#controlSubs) sub.unsubscribe();
    this.#controlSubs.length = 0;
    this.#inboxSub?.unsubscribe();
    this.#inboxSub = undefined;
    const agents = [...this.#instances.values()].flatMap((byKey) => [...byKey.values()]);
    await Promise.allSettled(agents.map((agent) => agent.close()));
    if (this.#closeConnection && !this.#nc.isClosed()) await this.#nc.drain();
    this.#checkIdle();
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
    if (this.#status === "running") {
      this.#serveType(name);
      await this.#nc.flush();
    }
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
    if (this.#status === "running") {
      this.#serveType(id.type);
      await this.#nc.flush();
    }
    return id;
  }

  async addSubscription(subscription: Subscription): Promise<void> {
    if (this.#subscriptions.has(subscription.id)) {
      throw new ValidationError(`A subscription with id "${subscription.id}" already exists`);
    }
    for (const existing of this.#subscriptions.values()) {
      if (existing.subscription.equals(subscription)) return;
    }
    const entry: SubscriptionEntry = { subscription, nats: undefined };
    this.#subscriptions.set(subscription.id, entry);
    if (this.#status === "running") {
      this.#listen(entry);
      await this.#nc.flush();
    }
  }

  async removeSubscription(id: string): Promise<void> {
    const entry = this.#subscriptions.get(id);
    if (entry === undefined) throw new ValidationError(`No subscription with id "${id}"`);
    this.#subscriptions.delete(id);
    entry.nats?.unsubscribe();
  }

  /** Every subscription added to this runtime, in the order added. */
  get subscriptions(): readonly Subscription[] {
    return [...this.#subscriptions.values()].map((e) => e.subscription);
  }

  addMessageSerializer(serializer: MessageSerializer | readonly MessageSerializer[]): void {
    this.#serializers.add(serializer);
  }

  // ---- lookup ---------------------------------------------------------------------------------------

  /**
   * Resolves an agent id. A type served elsewhere is not known here, so with `lazy: false` the agent is
   * asked for its metadata over the network (which creates it, and fails when no worker serves it).
   */
  async getAgent(
    idOrType: AgentIdLike | AgentType | string,
    options: { key?: string; lazy?: boolean } = {},
  ): Promise<AgentId> {
    const id = AgentId.resolve(idOrType, options.key);
    if (options.lazy === false) await this.agentMetadata(id);
    return id;
  }

  /** The local instance behind an id (created if needed); a type served by another worker is an error. */
  async getAgentInstance<A extends Agent = Agent>(id: AgentIdLike): Promise<A> {
    if (!this.#serves(id.type)) {
      throw new DeliveryError(
        "undeliverable",
        `Agent type "${id.type}" is not served by this worker, so its instance is not here`,
      );
    }
    return (await this.#agent(id.type, id.key)) as A;
  }

  async agentMetadata(id: AgentIdLike): Promise<AgentMetadata> {
    if (this.#serves(id.type)) return (await this.#agent(id.type, id.key)).metadata;
    return (await this.#request("meta", undefined, id, {})) as AgentMetadata;
  }

  // ---- state ----------------------------------------------------------------------------------------

  /** The state of every agent instantiated in this worker (not the other workers'). */
  async saveState(): Promise<RuntimeState> {
    await Promise.allSettled(this.#creating.values());
    const agents: Record<string, Record<string, unknown>> = {};
    for (const [type, byKey] of this.#instances) {
      for (const [key, agent] of byKey) agents[`${type}/${key}`] = await agent.saveState();
    }
    return { version: 1, agents };
  }

  /** Restores a saved state: each agent where its type is served (here, or by another worker). */
  async loadState(state: RuntimeState): Promise<void> {
    assertRuntimeState(state);
    for (const [idText, agentState] of Object.entries(state.agents)) {
      await this.agentLoadState(AgentId.parse(idText), agentState);
    }
  }

  async agentSaveState(id: AgentIdLike): Promise<Record<string, unknown>> {
    if (this.#serves(id.type)) return (await this.#agent(id.type, id.key)).saveState();
    return (await this.#request("save", undefined, id, {})) as Record<string, unknown>;
  }

  async agentLoadState(id: AgentIdLike, state: Record<string, unknown>): Promise<void> {
    if (this.#serves(id.type)) {
      await (await this.#agent(id.type, id.key)).loadState(state);
      return;
    }
    await this.#request("load", state, id, {});
  }

  // ---- messaging: caller side -----------------------------------------------------------------------

  /**
   * Sends a direct message to whichever worker serves the recipient's type and resolves with the reply.
   * Rejects with a `DeliveryError`: `undeliverable` when no worker serves the type, `cant_handle` when
   * the recipient has no handler (or no codec) for it, `handler_failed` when the handler threw (the
   * remote error, rebuilt with its name, code and message, is the `cause`), `worker_lost` when the
   * worker died or stopped answering while handling it; with a `CancelledError` when `signal` aborts or
   * `requestTimeoutMs` passes (the remote handler's `ctx.signal` aborts too).
   */
  sendMessage<R = unknown>(
    message: unknown,
    recipient: AgentIdLike,
    options: SendMessageOptions = {},
  ): Promise<R> {
    return this.#request("rpc", message, recipient, options) as Promise<R>;
  }

  /**
   * Publishes to the topic's subject; every subscription on the network that matches delivers it to
   * its agent, except to the sender. Resolves once handed to the connection.
   */
  publishMessage(message: unknown, topicId: TopicIdLike, options: PublishMessageOptions = {}): Promise<void> {
    try {
      if (this.#status === "closed") throw notRunning("The runtime is closed");
      const topic = TopicId.from(topicId);
      const payload = encodePayload(this.#serializers, message);
      const h = this.#headers(payload, options.messageId ?? nuid.next(), options.sender);
      h.set(H.topicType, topic.type);
      h.set(H.topicSource, encodeURIComponent(topic.source));
      this.#nc.publish(this.#subjects.topic(topic.type, topic.source), payload.data, { headers: h });
      return Promise.resolve();
    } catch (error) {
      return Promise.reject(error);
    }
  }

  #request(
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
      if (this.#status === "closed") throw notRunning("The runtime is closed");
      target = AgentId.from(recipient);
      payload = encodePayload(this.#serializers, message);
    } catch (error) {
      return Promise.reject(error);
    }
    this.#ensureInbox();
    const requestId = nuid.next();
    const h = this.#headers(payload, options.messageId ?? requestId, options.sender);
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
      this.#nc.publish(this.#subjects.agent(target.type), payload.data, {
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
    if (!this.#nc.isClosed()) this.#nc.publish(this.#subjects.cancel(), EMPTY, { headers: h });
    this.#checkIdle();
  }

  #headers(payload: EncodedPayload, messageId: string, sender: AgentIdLike | undefined): MsgHdrs {
    const h = natsHeaders();
    h.set(H.id, messageId);
    h.set(H.type, payload.typeName);
    h.set(H.contentType, payload.contentType);
    if (sender !== undefined) h.set(H.sender, encodeURIComponent(`${sender.type}/${sender.key}`));
    return h;
  }

  #ensureInbox(): void {
    if (this.#inboxSub !== undefined) return;
    const prefixLength = this.#inbox.length + 1;
    this.#inboxSub = this.#nc.subscribe(`${this.#inbox}.*`, {
      callback: (_err, msg) => this.#onReply(msg.subject.slice(prefixLength), msg),
    });
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
      this.#startLiveness();
      return;
    }
    const done = this.#finish(requestId);
    if (status === "error") {
      done.reject(errorFromJSON(readErrorBody(msg.data), { worker }));
      return;
    }
    try {
      done.resolve(
        decodePayload(this.#serializers, h?.get(H.type) ?? "", h?.get(H.contentType) ?? "", msg.data),
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
    queueMicrotask(() => this.#checkIdle());
    return call;
  }

  #startLiveness(): void {
    if (this.#livenessTimer !== undefined) return;
    this.#livenessTimer = setInterval(() => this.#checkWorkers(), this.#livenessIntervalMs);
    this.#livenessTimer.unref?.();
  }

  #stopLiveness(): void {
    if (this.#livenessTimer === undefined) return;
    clearInterval(this.#livenessTimer);
    this.#livenessTimer = undefined;
  }

  /** Pings every worker holding one of our requests; a missing or silent one fails those requests. */
  #checkWorkers(): void {
    const workers = new Set<string>();
    for (const call of this.#calls.values()) if (call.worker !== undefined) workers.add(call.worker);
    if (workers.size === 0) {
      this.#stopLiveness();
      return;
    }
    for (const worker of workers) {
      if (this.#checking.has(worker) || this.#nc.isClosed()) continue;
      this.#checking.add(worker);
      this.#nc
        .request(this.#subjects.worker(worker), EMPTY, { timeout: this.#livenessTimeoutMs })
        .then(
          () => undefined,
          (error: unknown) => {
            const gone = error instanceof RequestError && error.isNoResponders();
            this.#workerLost(
              worker,
              gone
                ? `worker ${worker} is gone (it crashed, was killed or closed)`
                : `worker ${worker} did not answer a liveness check within ${this.#livenessTimeoutMs} ms`,
            );
          },
        )
        .finally(() => this.#checking.delete(worker));
    }
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
    this.#checkIdle();
  }

  // ---- messaging: worker side -----------------------------------------------------------------------

  #serves(type: string): boolean {
    return this.#factories.has(type) || this.#instances.has(type);
  }

  /** Listens on a type's subject, in the queue group every worker of the type shares. */
  #serveType(type: string): void {
    if (this.#agentSubs.has(type)) return;
    this.#agentSubs.set(
      type,
      this.#nc.subscribe(this.#subjects.agent(type), {
        queue: "workers",
        callback: (_err, msg) => {
          try {
            this.#onAgentMessage(type, msg);
          } catch (error) {
            // Malformed headers from a foreign publisher: never let them escape into the client.
            this.#logger.warn(`Dropped a malformed message on ${msg.subject}`, error);
          }
        },
      }),
    );
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
      this.#deliverEvent(type, key, msg, topic);
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
      ack.set(H.worker, this.workerId);
      this.#nc.publish(reply, EMPTY, { headers: ack });
    }
    this.#handle(kind, type, key, msg, controller.signal)
      .then(
        (value) => this.#respond(reply, value, type, key),
        (error: unknown) => this.#respondError(reply, failure(error, type, key)),
      )
      .then(() => {
        // Counted done once the reply is handed to the connection.
        this.#handling.delete(requestId);
        this.#active -= 1;
        this.#checkIdle();
      });
  }

  async #handle(kind: WireKind, type: string, key: string, msg: Msg, signal: AbortSignal): Promise<unknown> {
    const h = msg.headers as MsgHdrs;
    let message: unknown;
    try {
      message = decodePayload(this.#serializers, h.get(H.type), h.get(H.contentType), msg.data);
    } catch (cause) {
      throw new DeliveryError(
        "cant_handle",
        `Agent ${type}/${key} on worker ${this.workerId} cannot read a "${h.get(H.type)}" message`,
        { cause: undecodable(h.get(H.type), cause) },
      );
    }
    const agent = await this.#agent(type, key);
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
      payload = encodePayload(this.#serializers, value);
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
    h.set(H.worker, this.workerId);
    h.set(H.type, payload.typeName);
    h.set(H.contentType, payload.contentType);
    this.#publishReply(reply, payload.data, h);
  }

  #respondError(reply: string, error: unknown): void {
    const h = natsHeaders();
    h.set(H.status, "error");
    h.set(H.worker, this.workerId);
    this.#publishReply(reply, utf8(JSON.stringify(errorToJSON(error))), h);
  }

  #publishReply(reply: string, data: Uint8Array, h: MsgHdrs): void {
    if (this.#nc.isClosed()) return;
    this.#nc.publish(reply, data, { headers: h });
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

  /** Listens to a subscription's topics; equal subscriptions on several workers share a queue group. */
  #listen(entry: SubscriptionEntry): void {
    if (entry.nats !== undefined) return;
    const sub = entry.subscription;
    let subject: string;
    let queue: string | undefined;
    if (sub instanceof TypePrefixSubscription) {
      subject = this.#subjects.allTopics();
      queue = `prefix.${subjectToken(sub.agentType)}.${subjectToken(sub.topicTypePrefix)}`;
    } else if (sub instanceof TypeSubscription) {
      subject = this.#subjects.topicType(sub.topicType);
      queue = `type.${subjectToken(sub.agentType)}.${subjectToken(sub.topicType)}`;
    } else {
      // A custom subscription cannot be compared across workers: it delivers from this runtime alone.
      subject = this.#subjects.allTopics();
      queue = undefined;
    }
    entry.nats = this.#nc.subscribe(subject, {
      ...(queue === undefined ? {} : { queue }),
      callback: (_err, msg) => this.#onTopicMessage(sub, msg),
    });
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
      this.#logger.warn(`Dropped a message on ${msg.subject}: bad topic headers`, error);
      return;
    }
    const sender = parseSender(h.get(H.sender));
    if (sender !== undefined && AgentId.equals(sender, target)) return;
    if (this.#serves(target.type)) {
      this.#deliverEvent(target.type, target.key, msg, topic);
      return;
    }
    // The agent lives on another worker: hand the message on to its type's subject.
    const forward = natsHeaders();
    for (const [name, values] of h) for (const value of values) forward.append(name, value);
    forward.set(H.kind, "event");
    forward.set(H.key, encodeURIComponent(target.key));
    this.#nc.publish(this.#subjects.agent(target.type), msg.data, { headers: forward });
  }

  #deliverEvent(type: string, key: string, msg: Msg, topic: TopicId | undefined): void {
    const h = msg.headers as MsgHdrs;
    const typeName = h.get(H.type);
    let message: unknown;
    try {
      message = decodePayload(this.#serializers, typeName, h.get(H.contentType), msg.data);
    } catch (cause) {
      this.#logger.warn(
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
    const agent = this.#agent(type, key);
    const run =
      agent instanceof Promise
        ? agent.then((a) => a.onMessage(message, ctx))
        : callHandler(agent, message, ctx);
    run.then(
      () => this.#eventDone(),
      (error: unknown) => {
        this.#reportEventFailure(error, type, key, message, topic);
        this.#eventDone();
      },
    );
  }

  #eventDone(): void {
    this.#active -= 1;
    this.#checkIdle();
  }

  #reportEventFailure(
    error: unknown,
    type: string,
    key: string,
    message: unknown,
    topic: TopicId | undefined,
  ): void {
    const where = topic === undefined ? "" : ` published to ${topic.toString()}`;
    if (DeliveryError.isInstance(error) && error.code === "cant_handle") {
      this.#logger.info(`Dropped a ${describeMessage(message)}${where}: ${error.message}`);
      return;
    }
    if (CancelledError.isInstance(error)) return;
    this.#logger.error(
      `The handler of ${type}/${key} failed on a ${describeMessage(message)}${where}`,
      error,
    );
  }

  #store(id: AgentId, agent: Agent): void {
    let byKey = this.#instances.get(id.type);
    if (byKey === undefined) {
      byKey = new Map();
      this.#instances.set(id.type, byKey);
    }
    byKey.set(id.key, agent);
  }

  /** The local agent for type/key, created once however many messages ask at the same time. */
  #agent(type: string, key: string): Agent | Promise<Agent> {
    const live = this.#instances.get(type)?.get(key);
    if (live !== undefined) return live;
    const slot = `${type}/${key}`;
    const pending = this.#creating.get(slot);
    if (pending !== undefined) return pending;
    const registration = this.#factories.get(type);
    if (registration === undefined) {
      return Promise.reject(
        new DeliveryError(
          "undeliverable",
          `Worker ${this.workerId} has no agent ${slot} (type "${type}" is served here by registered instances only)`,
        ),
      );
    }
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
        throw new DeliveryError("undeliverable", `Could not create agent ${slot}: ${errorMessage(cause)}`, {
          cause,
        });
      } finally {
        this.#creating.delete(slot);
      }
    })();
    this.#creating.set(slot, creation);
    return creation;
  }

  #isIdle(): boolean {
    return this.#active === 0 && this.#calls.size === 0;
  }

  #checkIdle(): void {
    if (this.#idleWaiters.length === 0 || !this.#isIdle()) return;
    const waiters = this.#idleWaiters;
    this.#idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}

function callHandler(agent: Agent, message: unknown, ctx: MessageContext): Promise<unknown> {
  try {
    return agent.onMessage(message, ctx);
  } catch (error) {
    return Promise.reject(error);
  }
}

/** What the caller sees for a handler's failure: the in-process runtime's rules, across the wire. */
function failure(error: unknown, type: string, key: string): unknown {
  if (CancelledError.isInstance(error) || DeliveryError.isInstance(error)) return error;
  return new DeliveryError("handler_failed", `The handler of ${type}/${key} failed: ${errorMessage(error)}`, {
    cause: error,
  });
}

/** A readable name for a message value, for logs and errors. */
function describeMessage(message: unknown): string {
  if (message === null || typeof message !== "object") return message === null ? "null" : typeof message;
  const ctor = (message as object).constructor;
  if (ctor && ctor !== Object) return ctor.name;
  const tag = (message as { type?: unknown }).type;
  return typeof tag === "string" ? tag : "object";
}

function notRunning(message: string): DeliveryError {
  return new DeliveryError("not_running", message);
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function positive(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value <= 0) {
    throw new ValidationError(`${name} must be a positive number of milliseconds, got ${value}`);
  }
  return value;
}
