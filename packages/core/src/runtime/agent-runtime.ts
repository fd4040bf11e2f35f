/**
 * The runtime contract, implemented in-process by `SingleThreadedAgentRuntime` and across processes by
 * the distributed runtime.
 */
import { ValidationError } from "../errors.js";
import type { Agent, AgentFactory } from "./agent.js";
import type { AgentId, AgentIdLike, AgentMetadata, AgentType, TopicIdLike } from "./ids.js";
import type { MessageSerializer } from "./serialization.js";
import type { Subscription } from "./subscriptions.js";

/** Options of {@link AgentRuntime.sendMessage}. */
export interface SendMessageOptions {
  /** The sending agent (set automatically when an agent sends through its own helpers). */
  readonly sender?: AgentIdLike;
  /** Cancels the request: the returned promise rejects and the handler's `ctx.signal` aborts. */
  readonly signal?: AbortSignal;
  /** An id for the message; one is generated when omitted. */
  readonly messageId?: string;
}

/** Options of {@link AgentRuntime.publishMessage}. */
export interface PublishMessageOptions {
  /** The publishing agent, which never receives its own message. */
  readonly sender?: AgentIdLike;
  /** Aborts the handlers' `ctx.signal`. */
  readonly signal?: AbortSignal;
  /** An id for the message; one is generated when omitted. */
  readonly messageId?: string;
}

/** The saved state of a whole runtime: every instantiated agent's state by `type/key`. */
export interface RuntimeState {
  readonly version: 1;
  readonly agents: Record<string, Record<string, unknown>>;
}

/**
 * A runtime's lifecycle: `idle` before the first `start()`, `running`, `stopped` after `stop()` (a later
 * `start()` resumes), `closed` after `close()` (final).
 */
export type RuntimeStatus = "idle" | "running" | "stopped" | "closed";

/** An agent runtime: creates agents, routes messages, and keeps subscriptions. */
export interface AgentRuntime {
  /** Where the runtime is in its lifecycle. */
  readonly status: RuntimeStatus;
  /** Starts delivering messages (a no-op when running; a `DeliveryError` `not_running` once closed). */
  start(): void | Promise<void>;
  /** Stops taking new messages; handlers already running finish. A later `start()` resumes. */
  stop(): Promise<void>;
  /** Stops for good and closes every agent this runtime hosts (calling it again is a no-op). */
  close(): Promise<void>;
  /**
   * Sends a direct message and resolves with the recipient's reply. Rejects with a `DeliveryError` when
   * the recipient is unknown, cannot handle the message, was dropped, or its handler threw (the handler's
   * error is the `cause`), and with a `CancelledError` when `signal` aborts.
   */
  sendMessage<R = unknown>(
    message: unknown,
    recipient: AgentIdLike,
    options?: SendMessageOptions,
  ): Promise<R>;
  /** Publishes to every agent subscribed to the topic except the sender. Resolves once queued. */
  publishMessage(message: unknown, topicId: TopicIdLike, options?: PublishMessageOptions): Promise<void>;
  /** Registers a factory that creates agents of `type` lazily, one instance per key. */
  registerFactory<A extends Agent>(
    type: string | AgentType,
    factory: AgentFactory<A>,
    options?: { expectedClass?: abstract new (...args: never[]) => A },
  ): Promise<AgentType>;
  /** Registers an existing agent instance under an id (no subscriptions are added). */
  registerAgentInstance(agent: Agent, agentId: AgentIdLike): Promise<AgentId>;
  /** Resolves an agent id, creating the agent now unless `lazy` (default true). */
  getAgent(
    idOrType: AgentIdLike | AgentType | string,
    options?: { key?: string; lazy?: boolean },
  ): Promise<AgentId>;
  /** The agent instance behind an id (created if needed), typed as the caller expects. */
  getAgentInstance<A extends Agent = Agent>(id: AgentIdLike): Promise<A>;
  /** Type, key and description of an agent. */
  agentMetadata(id: AgentIdLike): Promise<AgentMetadata>;
  /** Adds a subscription (adding an equal one again is a no-op). */
  addSubscription(subscription: Subscription): Promise<void>;
  /** Removes a subscription by id; throws a `ValidationError` for an unknown id. */
  removeSubscription(id: string): Promise<void>;
  /** Adds codecs for message types that may cross a process boundary. */
  addMessageSerializer(serializer: MessageSerializer | readonly MessageSerializer[]): void;
  /** The state of every instantiated agent. */
  saveState(): Promise<RuntimeState>;
  /** Restores a state saved by {@link saveState}, creating agents as needed. */
  loadState(state: RuntimeState): Promise<void>;
  /** One agent's state. */
  agentSaveState(id: AgentIdLike): Promise<Record<string, unknown>>;
  /** Restores one agent's state. */
  agentLoadState(id: AgentIdLike, state: Record<string, unknown>): Promise<void>;
}

/** Throws a `ValidationError` (`invalid_state`) unless `state` is a {@link RuntimeState} document. */
export function assertRuntimeState(state: unknown): asserts state is RuntimeState {
  const doc = state as Partial<RuntimeState> | null;
  if (typeof doc !== "object" || doc === null || doc.version !== 1 || typeof doc.agents !== "object") {
    throw new ValidationError("Not a runtime state document (expected { version: 1, agents: {...} })", {
      code: "invalid_state",
    });
  }
}
