/**
 * `BaseAgent`: an agent bound to an id and a runtime, with helpers to send and publish as itself.
 */
import { ValidationError } from "../errors.js";
import type { Agent, AgentFactory, MessageContext } from "./agent.js";
import type { AgentRuntime, PublishMessageOptions, SendMessageOptions } from "./agent-runtime.js";
import type { AgentId, AgentIdLike, AgentMetadata, AgentType, TopicIdLike } from "./ids.js";
import type { Subscription } from "./subscriptions.js";

/** Options of {@link BaseAgent}. */
export interface BaseAgentOptions {
  /** What the agent does, shown to people and to selector models. */
  readonly description?: string;
}

/** Options of {@link BaseAgent.register}. */
export interface RegisterAgentOptions {
  /** Subscriptions to add for the new agent type: a list, or a function of the registered type. */
  readonly subscriptions?: readonly Subscription[] | ((agentType: string) => readonly Subscription[]);
}

/**
 * The base of most agents: it is bound to its id and runtime when the runtime creates it (so `id` and
 * `runtime` are available in handlers, not in the constructor), and it sends and publishes as itself.
 */
export abstract class BaseAgent implements Agent {
  /** What the agent does. */
  readonly description: string;
  #id: AgentId | undefined;
  #runtime: AgentRuntime | undefined;

  constructor(options: BaseAgentOptions = {}) {
    this.description = options.description ?? "";
  }

  /** The agent's id; throws when read before the runtime bound the agent. */
  get id(): AgentId {
    if (this.#id === undefined) throw unbound(this);
    return this.#id;
  }

  /** The runtime the agent lives in; throws when read before the runtime bound the agent. */
  get runtime(): AgentRuntime {
    if (this.#runtime === undefined) throw unbound(this);
    return this.#runtime;
  }

  /** Type, key and description. */
  get metadata(): AgentMetadata {
    return { type: this.id.type, key: this.id.key, description: this.description };
  }

  /** Called once by the runtime; binding one instance to two ids or runtimes is an error. */
  bindIdAndRuntime(id: AgentId, runtime: AgentRuntime): void {
    if (
      this.#id !== undefined &&
      (this.#id.type !== id.type || this.#id.key !== id.key || this.#runtime !== runtime)
    ) {
      throw new ValidationError(
        `Agent ${this.#id.toString()} is already bound; an instance can have only one id`,
      );
    }
    this.#id = id;
    this.#runtime = runtime;
  }

  /** Handles one message; see {@link Agent.onMessage}. */
  abstract onMessage(message: unknown, ctx: MessageContext): Promise<unknown>;

  /** Sends a direct message as this agent and resolves with the reply. */
  sendMessage<R = unknown>(
    message: unknown,
    recipient: AgentIdLike,
    options: Omit<SendMessageOptions, "sender"> = {},
  ): Promise<R> {
    return this.runtime.sendMessage<R>(message, recipient, {
      sender: this.id,
      signal: options.signal,
      messageId: options.messageId,
    });
  }

  /** Publishes as this agent (it will not receive its own message). */
  publishMessage(
    message: unknown,
    topicId: TopicIdLike,
    options: Omit<PublishMessageOptions, "sender"> = {},
  ): Promise<void> {
    return this.runtime.publishMessage(message, topicId, {
      sender: this.id,
      signal: options.signal,
      messageId: options.messageId,
    });
  }

  /** The agent's state; none by default. */
  async saveState(): Promise<Record<string, unknown>> {
    return {};
  }

  /** Restores state; nothing by default. */
  async loadState(_state: Record<string, unknown>): Promise<void> {}

  /** Releases resources; nothing by default. */
  async close(): Promise<void> {}

  /**
   * Registers a factory for this class under `type` and adds its subscriptions in one call.
   *
   * @example
   * ```ts
   * await Counter.register(runtime, "counter", () => new Counter(), {
   *   subscriptions: (type) => [new DefaultSubscription({ agentType: type })],
   * });
   * ```
   */
  static async register<A extends Agent>(
    runtime: AgentRuntime,
    type: string,
    factory: AgentFactory<A>,
    options: RegisterAgentOptions = {},
  ): Promise<AgentType> {
    const agentType = await runtime.registerFactory(type, factory);
    const subs =
      typeof options.subscriptions === "function" ? options.subscriptions(type) : options.subscriptions;
    for (const sub of subs ?? []) await runtime.addSubscription(sub);
    return agentType;
  }
}

function unbound(agent: BaseAgent): ValidationError {
  return new ValidationError(
    `${agent.constructor.name} is not bound to a runtime yet: its id and runtime are available once the runtime has created or registered it, not in its constructor`,
    { code: "invalid_state" },
  );
}
