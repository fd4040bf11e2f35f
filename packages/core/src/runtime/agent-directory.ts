/**
 * `AgentDirectory`: the agents one runtime hosts. Factory registration, registered instances, lazy
 * creation (once per id, however many messages ask at the same time) and state save/load, shared by every
 * runtime so that they agree on lookup order, validation and cleanup. A runtime adds only its transport.
 */
import { DeliveryError, ValidationError } from "../errors.js";
import type { Agent, AgentFactory } from "./agent.js";
import { type AgentRuntime, assertRuntimeState, type RuntimeState } from "./agent-runtime.js";
import { AgentId, type AgentIdLike, type AgentType, validateAgentType } from "./ids.js";
import { describeMessage } from "./message-type.js";

/** Options of {@link AgentDirectory}. */
export interface AgentDirectoryOptions {
  /** The runtime the agents are bound to (what factories receive and `bindIdAndRuntime` is given). */
  readonly runtime: AgentRuntime;
  /**
   * The error for an id whose type has no factory and no instance here (default: an `undeliverable`
   * `DeliveryError` naming the id).
   */
  readonly missing?: (id: AgentIdLike) => DeliveryError;
}

interface Registration {
  readonly factory: AgentFactory;
  readonly expectedClass: Function | undefined;
}

/** The agents one runtime hosts: factories, instances, lazy creation and state. */
export class AgentDirectory {
  readonly #runtime: AgentRuntime;
  readonly #missing: (id: AgentIdLike) => DeliveryError;
  readonly #factories = new Map<string, Registration>();
  readonly #instances = new Map<string, Map<string, Agent>>();
  readonly #pending = new Map<string, Promise<Agent>>();

  constructor(options: AgentDirectoryOptions) {
    this.#runtime = options.runtime;
    this.#missing = options.missing ?? notHosted;
  }

  /**
   * Registers a factory for `type`. Throws a `ValidationError` for an invalid name, a type that already
   * has a factory, or one that already has registered instances.
   */
  registerFactory<A extends Agent>(
    type: string | AgentType,
    factory: AgentFactory<A>,
    options: { expectedClass?: abstract new (...args: never[]) => A } = {},
  ): AgentType {
    const name = validateAgentType(typeof type === "string" ? type : type.type);
    if (this.#factories.has(name)) throw new ValidationError(`Agent type "${name}" is already registered`);
    if (this.#instances.has(name)) {
      throw new ValidationError(
        `Agent type "${name}" already has registered instances; it cannot also have a factory`,
      );
    }
    this.#factories.set(name, { factory: factory as AgentFactory, expectedClass: options.expectedClass });
    return { type: name };
  }

  /** Binds and stores an existing agent; its type must have no factory and the id must be free. */
  registerInstance(agent: Agent, agentId: AgentIdLike): AgentId {
    const id = AgentId.from(agentId);
    if (this.#factories.has(id.type)) {
      throw new ValidationError(
        `Agent type "${id.type}" is registered with a factory; pick another type for instances`,
      );
    }
    const existing = this.#instances.get(id.type);
    if (existing?.has(id.key)) {
      throw new ValidationError(`An agent with id ${id.toString()} is already registered`);
    }
    // One type, one class, as in AutoGen: messages for the type are routed as for that class.
    const sibling = existing?.values().next().value;
    if (sibling !== undefined && sibling.constructor !== agent.constructor) {
      throw new ValidationError(
        `Agent type "${id.type}" already has instances of ${sibling.constructor.name}; ` +
          `an instance of ${agent.constructor.name} needs a type of its own`,
      );
    }
    agent.bindIdAndRuntime(id, this.#runtime);
    this.#store(id, agent);
    return id;
  }

  /** Whether agents of `type` live here (a factory or at least one registered instance). */
  hosts(type: string): boolean {
    return this.#factories.has(type) || this.#instances.has(type);
  }

  /** Whether `type` has a factory here (so any key can be created). */
  hasFactory(type: string): boolean {
    return this.#factories.has(type);
  }

  /** Every type hosted here: those with a factory, then those with instances only. */
  types(): string[] {
    return [...new Set([...this.#factories.keys(), ...this.#instances.keys()])];
  }

  /** The live instance for an id, without creating one. */
  live(type: string, key: string): Agent | undefined {
    return this.#instances.get(type)?.get(key);
  }

  /** Every live instance. */
  *instances(): IterableIterator<Agent> {
    for (const byKey of this.#instances.values()) yield* byKey.values();
  }

  /**
   * The agent for type/key: the live instance (synchronously, so the hot path allocates nothing), or a
   * promise of a lazily created one. Creation runs once however many ask; a factory failure or a wrong
   * class rejects with an `undeliverable` `DeliveryError` whose cause is the failure, and the next
   * message tries again.
   */
  get(type: string, key: string): Agent | Promise<Agent> {
    // While an agent is being created every message waits on the creation promise, so that none
    // overtakes an earlier one queued behind the factory.
    if (this.#pending.size !== 0) {
      const pending = this.#pending.get(`${type}/${key}`);
      if (pending !== undefined) return pending;
    }
    const live = this.#instances.get(type)?.get(key);
    if (live !== undefined) return live;
    return this.#create(type, key);
  }

  /** Like {@link get}, always as a promise. */
  async agent(type: string, key: string): Promise<Agent> {
    return this.get(type, key);
  }

  /**
   * Forgets one instance (after closing it), so the next message creates it again: how a runtime lets
   * an id move to another process. Returns whether there was one.
   */
  async evict(type: string, key: string): Promise<boolean> {
    const byKey = this.#instances.get(type);
    const agent = byKey?.get(key);
    if (byKey === undefined || agent === undefined || !this.#factories.has(type)) return false;
    byKey.delete(key);
    if (byKey.size === 0) this.#instances.delete(type);
    await agent.close();
    return true;
  }

  /** Waits for every creation under way (so a snapshot sees the agents being made). */
  async settled(): Promise<void> {
    await Promise.allSettled(this.#pending.values());
  }

  /** The state of every instantiated agent, by `type/key`. */
  async saveState(): Promise<RuntimeState> {
    await this.settled();
    const agents: Record<string, Record<string, unknown>> = {};
    for (const [type, byKey] of this.#instances) {
      for (const [key, agent] of byKey) agents[`${type}/${key}`] = await agent.saveState();
    }
    return { version: 1, agents };
  }

  /**
   * Restores a saved state here, creating agents as needed. A type not hosted here is an `invalid_state`
   * `ValidationError`; use {@link entries} to route such agents elsewhere.
   */
  async loadState(state: RuntimeState): Promise<void> {
    for (const [id, agentState] of AgentDirectory.entries(state)) {
      if (!this.hosts(id.type)) {
        throw new ValidationError(
          `The state names agent ${id.toString()}, whose type is not registered in this runtime`,
          { code: "invalid_state" },
        );
      }
      await (await this.agent(id.type, id.key)).loadState(agentState);
    }
  }

  /** Closes every live instance (failures are ignored: a closing runtime has no one to tell). */
  async closeAll(): Promise<void> {
    await Promise.allSettled([...this.instances()].map((agent) => agent.close()));
  }

  /** A checked state document's agents as ids and states. */
  static entries(state: RuntimeState): [AgentId, Record<string, unknown>][] {
    assertRuntimeState(state);
    return Object.entries(state.agents).map(([idText, agentState]) => [AgentId.parse(idText), agentState]);
  }

  #store(id: AgentId, agent: Agent): void {
    let byKey = this.#instances.get(id.type);
    if (byKey === undefined) {
      byKey = new Map();
      this.#instances.set(id.type, byKey);
    }
    byKey.set(id.key, agent);
  }

  #create(type: string, key: string): Promise<Agent> {
    const registration = this.#factories.get(type);
    if (registration === undefined) return Promise.reject(this.#missing({ type, key }));
    const slot = `${type}/${key}`;
    const id = new AgentId({ type, key });
    const creation = (async () => {
      try {
        const agent = await registration.factory({ id, runtime: this.#runtime });
        if (registration.expectedClass !== undefined && !(agent instanceof registration.expectedClass)) {
          throw new ValidationError(
            `The factory for "${type}" returned a ${describeMessage(agent)}, not the expected class`,
          );
        }
        agent.bindIdAndRuntime(id, this.#runtime);
        this.#store(id, agent);
        return agent;
      } catch (cause) {
        throw new DeliveryError("undeliverable", `Could not create agent ${slot}: ${errorMessage(cause)}`, {
          cause,
        });
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
}

function notHosted(id: AgentIdLike): DeliveryError {
  return new DeliveryError(
    "undeliverable",
    `No agent type "${id.type}" is registered in this runtime (recipient ${id.type}/${id.key})`,
  );
}

/** The message of an error, or the value as text. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
