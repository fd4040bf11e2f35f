/**
 * `NatsAgentRuntime`: one worker process's agent runtime on a NATS network. Every worker connects to the
 * same NATS server (or cluster); there is no host process and no home-made broker.
 *
 * Routing (subjects under a prefix, `autogen` by default; see docs/distributed-runtime.md):
 * - a direct message to agent type T goes to `<prefix>.agent.<T>` as a request. Every worker that
 *   registered T listens there in one queue group, so each request is served by one of them (load
 *   sharing); with none, NATS answers "no responders" and the caller fails fast (`undeliverable`);
 * - a publish goes to `<prefix>.topic.<topicType>.<source>` (topics.ts);
 * - agent keys, senders and topics travel in headers; payloads are the serialization registry's JSON
 *   with the type name in a header (wire.ts).
 *
 * The parts: the agents this worker hosts and its subscriptions are core's `AgentDirectory` and
 * `SubscriptionIndex` (as in-process); rpc-client.ts is the caller side, serving.ts the worker side,
 * liveness.ts how a caller notices a dead worker, topics.ts the published messages.
 */
import {
  type Agent,
  type AgentFactory,
  AgentId,
  type AgentIdLike,
  type AgentMetadata,
  type AgentRuntime,
  type AgentType,
  consoleLogger,
  DeliveryError,
  type MessageSerializer,
  type PublishMessageOptions,
  type RuntimeState,
  type RuntimeStatus,
  type SendMessageOptions,
  SerializationRegistry,
  type Subscription,
  type TopicIdLike,
  ValidationError,
} from "@autogen-ts/core";
import { AgentDirectory, SubscriptionIndex, Waiters } from "@autogen-ts/core/runtime-kit";
import { connect, type NatsConnection, nuid } from "@nats-io/transport-node";
import type { NatsContext } from "./context.js";
import {
  checkPrefix,
  type NatsAgentRuntimeConnectOptions,
  type NatsAgentRuntimeOptions,
  positiveMs,
} from "./options.js";
import { RpcClient } from "./rpc-client.js";
import { AgentServer } from "./serving.js";
import { publishPlain, TopicListeners } from "./topics.js";
import { Subjects } from "./wire.js";

/** The runtime's lifecycle (core's one status union). @deprecated Use `RuntimeStatus` from core. */
export type NatsRuntimeStatus = RuntimeStatus;

/** A worker's agent runtime over NATS. See the module documentation for routing and guarantees. */
export class NatsAgentRuntime implements AgentRuntime {
  readonly #nc: NatsConnection;
  readonly #closeConnection: boolean;
  readonly #serializers = new SerializationRegistry();
  readonly #agents: AgentDirectory;
  readonly #subscriptions = new SubscriptionIndex();
  readonly #waiters = new Waiters();
  readonly #rpc: RpcClient;
  readonly #server: AgentServer;
  readonly #topics: TopicListeners;
  readonly #ctx: NatsContext;
  /** This worker's id. */
  readonly workerId: string;
  #status: RuntimeStatus = "idle";

  constructor(options: NatsAgentRuntimeOptions) {
    if (options?.connection === undefined) {
      throw new ValidationError("NatsAgentRuntime needs a connection (or use NatsAgentRuntime.connect())");
    }
    this.#nc = options.connection;
    this.#closeConnection = options.closeConnection ?? false;
    this.workerId = options.workerId ?? nuid.next();
    this.#agents = new AgentDirectory({
      runtime: this,
      missing: (id) =>
        new DeliveryError(
          "undeliverable",
          `Worker ${this.workerId} has no agent ${id.type}/${id.key} (type "${id.type}" is served here by registered instances only)`,
        ),
    });
    const ctx: NatsContext = {
      nc: this.#nc,
      subjects: new Subjects(checkPrefix(options.subjectPrefix ?? "autogen")),
      serializers: this.#serializers,
      logger: options.logger ?? consoleLogger,
      workerId: this.workerId,
      agents: this.#agents,
      changed: () => {
        if (this.#waiters.waiting) this.#waiters.check();
      },
    };
    this.#ctx = ctx;
    this.#rpc = new RpcClient(ctx, {
      livenessIntervalMs: positiveMs(options.livenessIntervalMs, 1000, "livenessIntervalMs"),
      livenessTimeoutMs: positiveMs(options.livenessTimeoutMs, 5000, "livenessTimeoutMs"),
      requestTimeoutMs:
        options.requestTimeoutMs === undefined
          ? undefined
          : positiveMs(options.requestTimeoutMs, 0, "requestTimeoutMs"),
    });
    this.#server = new AgentServer(ctx);
    this.#topics = new TopicListeners(ctx, this.#server);
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
  get status(): RuntimeStatus {
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

  /** Requests and events this worker is handling now. */
  get activeHandlers(): number {
    return this.#server.active;
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
    this.#rpc.open();
    this.#server.openControl();
    for (const type of this.#agents.types()) this.#server.serveType(type);
    for (const sub of this.#subscriptions.all) this.#topics.listen(sub);
    await this.#nc.flush();
  }

  /**
   * Stops taking new messages: unsubscribes from agent and topic subjects (messages already received
   * are still handled, and running handlers still reply). Requests this runtime sent keep waiting.
   */
  async stop(): Promise<void> {
    if (this.#status !== "running") return;
    this.#status = "stopped";
    await Promise.all([this.#server.stopServing(), this.#topics.stopAll()]);
  }

  /** Resolves once this worker runs no handler and waits for no reply, then stops. */
  async stopWhenIdle(): Promise<void> {
    if (this.#status !== "running") throw notRunning("The runtime is not running: call start() first");
    await this.idle();
    await this.stop();
  }

  /** Resolves once this worker runs no handler and waits for no reply; the runtime keeps running. */
  idle(): Promise<void> {
    return this.#waiters.until(() => this.#server.active === 0 && this.#rpc.pending === 0);
  }

  /**
   * Stops, aborts running handlers, fails requests still waiting (`not_running`), closes every agent,
   * and closes the connection when the runtime made it.
   */
  async close(): Promise<void> {
    if (this.#status === "closed") return;
    await this.stop();
    this.#status = "closed";
    this.#server.abortAll(notRunning("The runtime closed"));
    this.#rpc.close((r) => notRunning(`The runtime closed before ${r.type}/${r.key} replied`));
    this.#server.closeControl();
    await this.#agents.closeAll();
    if (this.#closeConnection && !this.#nc.isClosed()) await this.#nc.drain();
    this.#waiters.check();
  }

  // ---- registration ---------------------------------------------------------------------------------

  async registerFactory<A extends Agent>(
    type: string | AgentType,
    factory: AgentFactory<A>,
    options: { expectedClass?: abstract new (...args: never[]) => A } = {},
  ): Promise<AgentType> {
    const registered = this.#agents.registerFactory(type, factory, options);
    await this.#serveIfRunning(registered.type);
    return registered;
  }

  async registerAgentInstance(agent: Agent, agentId: AgentIdLike): Promise<AgentId> {
    const id = this.#agents.registerInstance(agent, agentId);
    await this.#serveIfRunning(id.type);
    return id;
  }

  async addSubscription(subscription: Subscription): Promise<void> {
    if (!this.#subscriptions.add(subscription) || this.#status !== "running") return;
    this.#topics.listen(subscription);
    await this.#nc.flush();
  }

  async removeSubscription(id: string): Promise<void> {
    this.#subscriptions.remove(id);
    this.#topics.unlisten(id);
  }

  /** Every subscription added to this runtime, in the order added. */
  get subscriptions(): readonly Subscription[] {
    return this.#subscriptions.all;
  }

  addMessageSerializer(serializer: MessageSerializer | readonly MessageSerializer[]): void {
    this.#serializers.add(serializer);
  }

  async #serveIfRunning(type: string): Promise<void> {
    if (this.#status !== "running") return;
    this.#server.serveType(type);
    await this.#nc.flush();
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
    if (!this.#agents.hosts(id.type)) {
      throw new DeliveryError(
        "undeliverable",
        `Agent type "${id.type}" is not served by this worker, so its instance is not here`,
      );
    }
    return (await this.#agents.get(id.type, id.key)) as A;
  }

  async agentMetadata(id: AgentIdLike): Promise<AgentMetadata> {
    if (this.#agents.hosts(id.type)) return (await this.#agents.get(id.type, id.key)).metadata;
    return (await this.#request("meta", undefined, id, {})) as AgentMetadata;
  }

  // ---- state ----------------------------------------------------------------------------------------

  /** The state of every agent instantiated in this worker (not the other workers'). */
  saveState(): Promise<RuntimeState> {
    return this.#agents.saveState();
  }

  /** Restores a saved state: each agent where its type is served (here, or by another worker). */
  async loadState(state: RuntimeState): Promise<void> {
    for (const [id, agentState] of AgentDirectory.entries(state)) await this.agentLoadState(id, agentState);
  }

  async agentSaveState(id: AgentIdLike): Promise<Record<string, unknown>> {
    if (this.#agents.hosts(id.type)) return (await this.#agents.get(id.type, id.key)).saveState();
    return (await this.#request("save", undefined, id, {})) as Record<string, unknown>;
  }

  async agentLoadState(id: AgentIdLike, state: Record<string, unknown>): Promise<void> {
    if (this.#agents.hosts(id.type)) {
      await (await this.#agents.get(id.type, id.key)).loadState(state);
      return;
    }
    await this.#request("load", state, id, {});
  }

  // ---- messaging ------------------------------------------------------------------------------------

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
      publishPlain(this.#ctx, message, topicId, options);
      return Promise.resolve();
    } catch (error) {
      return Promise.reject(error);
    }
  }

  #request(
    kind: "rpc" | "save" | "load" | "meta",
    message: unknown,
    recipient: AgentIdLike,
    options: SendMessageOptions,
  ): Promise<unknown> {
    if (this.#status === "closed") return Promise.reject(notRunning("The runtime is closed"));
    return this.#rpc.request(kind, message, recipient, options);
  }
}

function notRunning(message: string): DeliveryError {
  return new DeliveryError("not_running", message);
}
