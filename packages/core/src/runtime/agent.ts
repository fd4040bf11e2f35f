/**
 * The agent contract: what the runtime calls, and what an agent is told about each message.
 */
import type { AgentRuntime } from "./agent-runtime.js";
import type { AgentId, AgentMetadata, TopicId } from "./ids.js";

/** What an agent is told about the message it is handling. */
export interface MessageContext {
  /** The sending agent, when the message came from one. */
  readonly sender: AgentId | undefined;
  /** The topic, for a published message. */
  readonly topicId: TopicId | undefined;
  /** True for a direct message whose return value goes back to the sender. */
  readonly isRpc: boolean;
  /** Aborted when the sender cancels (or the runtime stops); long handlers should pass it on. */
  readonly signal: AbortSignal;
  /** The id of this message (shared by every delivery of one publish). */
  readonly messageId: string;
  /**
   * How many times this message has been delivered to this agent, 1 the first time, where the runtime
   * redelivers (the NATS runtime's JetStream events); absent where it never does. Above 1 the handler
   * may already have run: make its effects idempotent (key them on `messageId`).
   */
  readonly deliveryCount?: number;
}

/** What a factory receives when the runtime creates an agent. */
export interface AgentFactoryContext {
  /** The id the new agent will have. */
  readonly id: AgentId;
  /** The runtime it lives in. */
  readonly runtime: AgentRuntime;
}

/**
 * An agent: something with an id that handles messages. Most agents extend `RoutedAgent`; implement this
 * interface directly only for custom dispatch.
 */
export interface Agent {
  /** The agent's id (available once the runtime has bound it). */
  readonly id: AgentId;
  /** Type, key and description. */
  readonly metadata: AgentMetadata;
  /** Called by the runtime right after the agent is created or registered, before any message. */
  bindIdAndRuntime(id: AgentId, runtime: AgentRuntime): void;
  /**
   * Handles one message. For a direct message (`ctx.isRpc`) the return value is the reply; for a
   * published one it is ignored.
   */
  onMessage(message: unknown, ctx: MessageContext): Promise<unknown>;
  /** The agent's state as plain JSON data. */
  saveState(): Promise<Record<string, unknown>>;
  /** Restores state saved by {@link saveState}. */
  loadState(state: Record<string, unknown>): Promise<void>;
  /** Releases resources when the runtime closes. */
  close(): Promise<void>;
}

/** Makes an agent for an id; may be async. */
export type AgentFactory<A extends Agent = Agent> = (context: AgentFactoryContext) => A | Promise<A>;
