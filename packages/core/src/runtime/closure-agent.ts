/**
 * `ClosureAgent`: an agent made of one function, for collectors, probes and small glue agents.
 */
import { DeliveryError } from "../errors.js";
import type { MessageContext } from "./agent.js";
import type { AgentRuntime } from "./agent-runtime.js";
import { BaseAgent, type RegisterAgentOptions } from "./base-agent.js";
import type { AgentType } from "./ids.js";
import { describeMessage, isMessageTypeDescriptor, type MessageType } from "./message-type.js";

/** What a closure can do as an agent: its id, its runtime, and sending or publishing as itself. */
export type ClosureContext = Pick<
  BaseAgent,
  "id" | "runtime" | "sendMessage" | "publishMessage" | "metadata"
>;

/** The function behind a {@link ClosureAgent}; for a direct message its return value is the reply. */
export type Closure<M = unknown> = (agent: ClosureContext, message: M, ctx: MessageContext) => unknown;

/** What to do with a message that is not one of the closure's `messageTypes`. */
export type UnknownTypePolicy = "error" | "warn" | "ignore";

/** Options of {@link ClosureAgent}. */
export interface ClosureAgentOptions<M = unknown> {
  readonly closure: Closure<M>;
  readonly description?: string;
  /** The message types the closure accepts; all messages when omitted. */
  readonly messageTypes?: readonly MessageType<M>[];
  /** What to do with other messages (default "warn": logged and dropped, or "error": rejected). */
  readonly unknownTypePolicy?: UnknownTypePolicy;
}

/** Options of {@link ClosureAgent.registerClosure}. */
export interface RegisterClosureOptions<M = unknown>
  extends RegisterAgentOptions,
    Omit<ClosureAgentOptions<M>, "closure"> {}

/** An agent whose behaviour is one function. */
export class ClosureAgent<M = unknown> extends BaseAgent {
  readonly #closure: Closure<M>;
  readonly #types: readonly MessageType<M>[] | undefined;
  readonly #policy: UnknownTypePolicy;

  constructor(options: ClosureAgentOptions<M>) {
    super({ description: options.description ?? "" });
    this.#closure = options.closure;
    this.#types = options.messageTypes;
    this.#policy = options.unknownTypePolicy ?? "warn";
  }

  /** Runs the closure, after checking the message type when `messageTypes` was given. */
  async onMessage(message: unknown, ctx: MessageContext): Promise<unknown> {
    if (this.#types !== undefined && !this.#types.some((t) => isOfType(message, t))) {
      if (this.#policy === "ignore") return undefined;
      throw new DeliveryError(
        "cant_handle",
        `Closure agent ${this.id.toString()} does not accept a ${describeMessage(message)} message`,
        {
          details: { policy: this.#policy },
        },
      );
    }
    return this.#closure(this, message as M, ctx);
  }

  /**
   * Registers a closure as agent type `type`, with optional subscriptions.
   *
   * @example
   * ```ts
   * const seen: unknown[] = [];
   * await ClosureAgent.registerClosure(runtime, "collector", async (_agent, msg) => { seen.push(msg); }, {
   *   subscriptions: [new DefaultSubscription({ agentType: "collector" })],
   * });
   * ```
   */
  static registerClosure<M = unknown>(
    runtime: AgentRuntime,
    type: string,
    closure: Closure<M>,
    options: RegisterClosureOptions<M> = {},
  ): Promise<AgentType> {
    return ClosureAgent.register(runtime, type, () => new ClosureAgent<M>({ ...options, closure }), options);
  }
}

function isOfType<M>(message: unknown, type: MessageType<M>): boolean {
  return isMessageTypeDescriptor(type) ? type.is(message) : message instanceof type;
}
