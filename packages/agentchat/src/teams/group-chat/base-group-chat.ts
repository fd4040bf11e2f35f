/**
 * `BaseGroupChat`: what every group chat shares. A team runs on an agent runtime as AutoGen's do: one
 * manager agent and one container per participant, talking over a group topic, with the run's stream on
 * an output topic. So the same team can later run on a distributed runtime unchanged.
 */

import {
  AgentId,
  type AgentRuntime,
  AutogenError,
  CancelledError,
  ClosureAgent,
  DeliveryError,
  randomUuid,
  SingleThreadedAgentRuntime,
  silentLogger,
  TypeSubscription,
  throwIfAborted,
  toCancelledError,
  ValidationError,
  validateAgentType,
} from "@autogen-ts/core";
import { taskMessages, validateAgentName } from "../../agents/base-chat-agent.js";
import { AsyncQueue } from "../../base/async-queue.js";
import { checkAgentState } from "../../base/state.js";
import type { AgentState, RunOptions, TaskResult } from "../../base/types.js";
import { modelsOf, runUsage } from "../../base/usage.js";
import type { TerminationCondition } from "../../conditions/base.js";
import type { RunJournal } from "../../durable/journal.js";
import { type BaseAgentMessage, isTransient } from "../../messages/base.js";
import { defaultMessageRegistry, type MessageRegistry } from "../../messages/registry.js";
import type { Participant, Team } from "../team.js";
import { ChatAgentContainer } from "./container.js";
import type { BaseGroupChatManager, GroupChatManagerOptions } from "./manager.js";
import { ParticipantFailure } from "./manager.js";
import {
  GroupChatCheckpoint,
  GroupChatMessage,
  GroupChatPause,
  GroupChatReset,
  GroupChatResume,
  GroupChatStart,
  GroupChatTermination,
} from "./protocol.js";

/** Options shared by every group chat. */
export interface BaseGroupChatOptions {
  /** The agents (or nested teams) taking part, with unique names. */
  readonly participants: readonly Participant[];
  /** The team's name (default: the class name). */
  readonly name?: string;
  /** What the team does. */
  readonly description?: string;
  /** When to stop; without one (and without `maxTurns`) a run goes on until cancelled. */
  readonly terminationCondition?: TerminationCondition;
  /** The most turns a run may take; the run then stops and can be continued. */
  readonly maxTurns?: number;
  /**
   * The runtime to run on. By default each team has its own in-process runtime; pass a shared one to
   * host several teams, or a distributed runtime, and start it yourself.
   */
  readonly runtime?: AgentRuntime;
  /** This process's part of a team spread over several runtimes (see {@link DistributedTeamOptions}). */
  readonly distributed?: DistributedTeamOptions;
  /** Yield a `SelectSpeakerEvent` for every speaker selection. */
  readonly emitTeamEvents?: boolean;
  /** Reads saved messages back; pass one that knows your custom message types. */
  readonly messageRegistry?: MessageRegistry;
}

/**
 * One process's share of a team whose agents live in several runtimes (a distributed runtime's
 * workers). Every process builds the same team (same class, name and participant names) with the same
 * `teamId`; each registers only what it hosts. The participants it does not host need only their names.
 */
export interface DistributedTeamOptions {
  /** The id every process hosting part of this team shares (letters, digits, `_`, `-`, `.`). */
  readonly teamId: string;
  /** The names of the participants this process hosts (default: all of them). */
  readonly participants?: readonly string[];
  /**
   * Whether this process hosts the manager and the run's output (default true). Only such a process
   * can `run`; the others call `serve()`.
   */
  readonly manager?: boolean;
}

const TEAM_STATE_TYPE = "TeamState";
const TEAM_STATE_VERSION = 1;

/** The base of every group chat. Subclasses say how the next speaker is chosen. */
export abstract class BaseGroupChat implements Team {
  readonly name: string;
  readonly description: string;
  readonly participants: readonly Participant[];
  readonly terminationCondition: TerminationCondition | undefined;
  readonly maxTurns: number | undefined;
  protected readonly messageRegistry: MessageRegistry;
  readonly #emitTeamEvents: boolean;
  readonly #runtime: AgentRuntime;
  readonly #embedded: SingleThreadedAgentRuntime | undefined;
  readonly #teamId: string;
  readonly #hosted: ReadonlySet<string>;
  readonly #hostsManager: boolean;
  #initialized: Promise<void> | undefined;
  #running = false;
  #output: AsyncQueue<BaseAgentMessage | GroupChatTermination | GroupChatCheckpoint> | undefined;
  /** The journal of the current run, when it is durable. */
  #journal: RunJournal | undefined;

  constructor(options: BaseGroupChatOptions) {
    const participants = options?.participants;
    if (!Array.isArray(participants) || participants.length === 0) {
      throw new ValidationError(`${new.target.name} needs at least one participant`);
    }
    const seen = new Set<string>();
    for (const p of participants as readonly Participant[]) {
      validateAgentName(p?.name);
      if (seen.has(p.name))
        throw new ValidationError(`Participant names must be unique; "${p.name}" appears twice`);
      seen.add(p.name);
    }
    if (options.maxTurns !== undefined && (!Number.isInteger(options.maxTurns) || options.maxTurns < 1)) {
      throw new ValidationError(`maxTurns must be a positive integer, got ${options.maxTurns}`);
    }
    this.name = validateAgentName(options.name ?? new.target.name);
    this.description = options.description ?? "A team of agents.";
    this.participants = participants;
    this.terminationCondition = options.terminationCondition;
    this.maxTurns = options.maxTurns;
    this.messageRegistry = options.messageRegistry ?? defaultMessageRegistry;
    this.#emitTeamEvents = options.emitTeamEvents ?? false;
    this.#embedded =
      options.runtime === undefined ? new SingleThreadedAgentRuntime({ logger: silentLogger }) : undefined;
    this.#runtime = options.runtime ?? (this.#embedded as SingleThreadedAgentRuntime);
    const distributed = options.distributed;
    this.#teamId = distributed === undefined ? randomUuid() : validateAgentType(distributed.teamId);
    for (const name of distributed?.participants ?? []) {
      if (!seen.has(name)) throw new ValidationError(`The team has no participant named "${name}" to host`);
    }
    this.#hosted = new Set(distributed?.participants ?? seen);
    this.#hostsManager = distributed?.manager ?? true;
  }

  /** Whether runs yield a `SelectSpeakerEvent` for every speaker selection (read-only; for dumping). */
  get emitTeamEvents(): boolean {
    return this.#emitTeamEvents;
  }

  /** Makes the manager agent; called once, when the team first runs. */
  protected abstract createManager(options: GroupChatManagerOptions): BaseGroupChatManager;

  get #managerId(): AgentId {
    return new AgentId({ type: `manager.${this.#teamId}`, key: this.#teamId });
  }

  #containerId(name: string): AgentId {
    return new AgentId({ type: `${name}_${this.#teamId}`, key: this.#teamId });
  }

  /** Registers the manager, the containers and the output collector with the runtime, once. */
  #init(): Promise<void> {
    this.#initialized ??= (async () => {
      const runtime = this.#runtime;
      const groupTopicType = `group_topic_${this.#teamId}`;
      const outputTopicType = `output_topic_${this.#teamId}`;
      const topics = { group: groupTopicType, output: outputTopicType };
      for (const participant of this.participants) {
        if (!this.#hosted.has(participant.name)) continue;
        const type = `${participant.name}_${this.#teamId}`;
        await runtime.registerFactory(
          type,
          () =>
            new ChatAgentContainer({
              participant,
              topics,
              registry: this.messageRegistry,
              journal: () => this.#journal,
            }),
        );
        await runtime.addSubscription(new TypeSubscription({ topicType: type, agentType: type }));
        await runtime.addSubscription(new TypeSubscription({ topicType: groupTopicType, agentType: type }));
      }
      const managerType = `manager.${this.#teamId}`;
      const managerOptions: GroupChatManagerOptions = {
        name: this.name,
        groupTopicType,
        outputTopicType,
        participants: this.participants.map((p) => ({
          name: p.name,
          description: p.description,
          topicType: `${p.name}_${this.#teamId}`,
        })),
        terminationCondition: this.terminationCondition,
        maxTurns: this.maxTurns,
        emitTeamEvents: this.#emitTeamEvents,
        messageRegistry: this.messageRegistry,
        snapshot: () => (this.#journal?.checkpoints === true ? this.#snapshot() : Promise.resolve(undefined)),
        journal: () => this.#journal,
      };
      if (!this.#hostsManager) return;
      await runtime.registerFactory(managerType, () => this.createManager(managerOptions));
      await runtime.addSubscription(
        new TypeSubscription({ topicType: groupTopicType, agentType: managerType }),
      );
      const outputType = `output.${this.#teamId}`;
      await ClosureAgent.registerClosure(
        runtime,
        outputType,
        (_agent, message) => {
          if (message instanceof GroupChatMessage) this.#output?.push(message.message);
          else if (message instanceof GroupChatTermination || message instanceof GroupChatCheckpoint)
            this.#output?.push(message);
        },
        { subscriptions: [new TypeSubscription({ topicType: outputTopicType, agentType: outputType })] },
      );
    })();
    return this.#initialized;
  }

  /**
   * Registers this process's part of the team with its runtime without running it: what a worker that
   * hosts some participants of a distributed team (and not its manager) calls once.
   */
  async serve(): Promise<void> {
    await this.#init();
  }

  /** Runs a task to the end and returns the result. */
  async run(options: RunOptions = {}): Promise<TaskResult> {
    let result: TaskResult | undefined;
    for await (const item of this.runStream(options)) if (!("kind" in item)) result = item;
    return result as TaskResult;
  }

  /**
   * Runs a task (or, without one, continues the conversation), yielding every message and event as it
   * happens, then the {@link TaskResult}. A cancelled or failed run keeps its messages: they are in the
   * thrown error's `details.messages`, in the team's state, and a later run continues from them.
   */
  async *runStream(options: RunOptions = {}): AsyncGenerator<BaseAgentMessage | TaskResult> {
    // An empty list is refused, as AutoGen refuses it: it is a mistake, not a way to continue (omit the task).
    if (Array.isArray(options.task) && options.task.length === 0) {
      throw new ValidationError(
        "Task list cannot be empty: pass at least one message, or no task to continue",
      );
    }
    const task = taskMessages(options.task);
    throwIfAborted(options.signal);
    if (this.#running) {
      throw new ValidationError(`Team '${this.name}' is already running a task; run one at a time`, {
        code: "invalid_state",
      });
    }
    if (!this.#hostsManager) {
      throw new ValidationError(
        `Team '${this.name}' does not host its manager in this process: run it where the manager is`,
        { code: "invalid_state" },
      );
    }
    this.#running = true;
    const controller = new AbortController();
    const output = new AsyncQueue<BaseAgentMessage | GroupChatTermination | GroupChatCheckpoint>();
    const onAbort = (): void => controller.abort(options.signal?.reason);
    options.signal?.addEventListener("abort", onAbort, { once: true });
    controller.signal.addEventListener(
      "abort",
      () => output.fail(toCancelledError(controller.signal.reason)),
      {
        once: true,
      },
    );
    const messages: BaseAgentMessage[] = [];
    let finished = false;
    try {
      await this.#init();
      this.#output = output;
      this.#journal = options.journal;
      this.#embedded?.start();
      if (options.outputTaskMessages !== false) {
        for (const m of task) {
          messages.push(m);
          yield m;
        }
      }
      this.#runtime
        .sendMessage(new GroupChatStart(task), this.#managerId, { signal: controller.signal })
        .catch((error: unknown) => output.fail(managerError(error)));
      let stopReason: string | undefined;
      try {
        for await (const item of output) {
          if (item instanceof GroupChatTermination) {
            if (item.error !== undefined) throw runFailure(item.error, messages);
            stopReason = item.stop?.content;
            break;
          }
          if (item instanceof GroupChatCheckpoint) {
            // After this turn's messages, which the consumer has already taken (and persisted).
            await options.journal?.checkpoint(item.state);
            continue;
          }
          if (!isTransient(item)) messages.push(item);
          yield item;
        }
      } catch (error) {
        if (CancelledError.isInstance(error)) {
          throw new CancelledError(error.message, {
            code: error.code,
            cause: error.cause,
            details: { messages },
          });
        }
        throw AutogenError.isInstance(error) && error.details?.messages ? error : runFailure(error, messages);
      }
      finished = true;
      await this.#embedded?.idle();
      const usage = runUsage(messages, modelsOf(this.participants));
      yield stopReason === undefined ? { messages, usage } : { messages, stopReason, usage };
    } finally {
      // Leaving the loop early (a consumer that breaks) cancels the run.
      if (!finished && !controller.signal.aborted) controller.abort();
      options.signal?.removeEventListener("abort", onAbort);
      this.#output = undefined;
      this.#journal = undefined;
      this.#running = false;
    }
  }

  /** Forgets every conversation: the participants', the manager's and the termination condition's. */
  async reset(): Promise<void> {
    this.#assertIdle("reset");
    await this.#init();
    await this.#broadcast(new GroupChatReset());
  }

  /** Holds the run after the current turn and calls every participant's `onPause`. */
  async pause(): Promise<void> {
    await this.#init();
    await this.#broadcast(new GroupChatPause());
  }

  /** Lets a paused run go on and calls every participant's `onResume`. */
  async resume(): Promise<void> {
    await this.#init();
    await this.#broadcast(new GroupChatResume());
  }

  async #broadcast(message: unknown): Promise<void> {
    this.#embedded?.start();
    const ids = [this.#managerId, ...this.participants.map((p) => this.#containerId(p.name))];
    await Promise.all(ids.map((id) => this.#runtime.sendMessage(message, id)));
  }

  /** A versioned snapshot of the whole team: every participant, its unread messages, and the manager. */
  async saveState(): Promise<AgentState> {
    await this.#init();
    return this.#snapshot();
  }

  async #snapshot(): Promise<AgentState> {
    const agentStates: Record<string, unknown> = {};
    for (const p of this.participants)
      agentStates[p.name] = await this.#runtime.agentSaveState(this.#containerId(p.name));
    return {
      type: TEAM_STATE_TYPE,
      version: TEAM_STATE_VERSION,
      team: this.constructor.name,
      agentStates,
      manager: await this.#runtime.agentSaveState(this.#managerId),
    };
  }

  /** Restores a snapshot taken by {@link saveState} from a team with the same participants. */
  async loadState(state: unknown): Promise<void> {
    this.#assertIdle("load a state");
    const doc = checkAgentState(state, TEAM_STATE_TYPE, TEAM_STATE_VERSION, `Team '${this.name}'`);
    if (doc.team !== this.constructor.name) {
      throw new ValidationError(
        `The saved state is of a ${String(doc.team)}, not a ${this.constructor.name}`,
        {
          code: "invalid_state",
        },
      );
    }
    const agentStates = doc.agentStates as Record<string, Record<string, unknown>> | undefined;
    if (typeof agentStates !== "object" || agentStates === null || typeof doc.manager !== "object") {
      throw new ValidationError("The saved team state is malformed", { code: "invalid_state" });
    }
    for (const name of Object.keys(agentStates)) {
      if (!this.participants.some((p) => p.name === name)) {
        throw new ValidationError(`The saved state names participant '${name}', who is not in this team`, {
          code: "invalid_state",
        });
      }
    }
    await this.#init();
    for (const p of this.participants) {
      const saved = agentStates[p.name];
      if (saved !== undefined) await this.#runtime.agentLoadState(this.#containerId(p.name), saved);
    }
    await this.#runtime.agentLoadState(this.#managerId, doc.manager as Record<string, unknown>);
  }

  /** Closes the team's own runtime and its participants. */
  async close(): Promise<void> {
    await this.#embedded?.close();
    await Promise.allSettled(this.participants.map((p) => p.close()));
  }

  #assertIdle(what: string): void {
    if (this.#running) {
      throw new ValidationError(`Cannot ${what} while team '${this.name}' is running`, {
        code: "invalid_state",
      });
    }
  }
}

/**
 * The manager's own error (a refused task, say) rather than the runtime's "the handler failed" wrapper
 * around it, so that the run's error says what was wrong.
 */
function managerError(error: unknown): unknown {
  return DeliveryError.isInstance(error) &&
    error.code === "handler_failed" &&
    AutogenError.isInstance(error.cause)
    ? error.cause
    : error;
}

/** The error a failed run throws: the participant's (or manager's) error as `cause`, the messages so far in `details`. */
function runFailure(error: unknown, messages: readonly BaseAgentMessage[]): AutogenError {
  if (error instanceof ParticipantFailure) {
    const inner = error.error;
    const text = inner instanceof Error ? inner.message : String(inner);
    return new DeliveryError("handler_failed", `Participant '${error.participant}' failed: ${text}`, {
      cause: inner,
      details: { participant: error.participant, messages },
    });
  }
  if (AutogenError.isInstance(error)) {
    return new AutogenError(error.code, error.message, {
      cause: error,
      details: { ...error.details, messages },
    });
  }
  const text = error instanceof Error ? error.message : String(error);
  return new DeliveryError("handler_failed", `The team failed: ${text}`, {
    cause: error,
    details: { messages },
  });
}
