/**
 * `BaseGroupChatManager`: the runtime agent that runs a group chat's turns. It keeps the transcript,
 * checks the termination condition after every turn, picks the next speaker(s) through the subclass's
 * {@link BaseGroupChatManager.selectSpeaker}, and ends the run on the output topic.
 */
import {
  AgentId,
  type CreateResult,
  type MessageContext,
  RoutedAgent,
  TopicId,
  ValidationError,
} from "@autogen-ts/core";
import type { AgentState } from "../../base/types.js";
import type { TerminationCondition } from "../../conditions/base.js";
import type { RunJournal } from "../../durable/journal.js";
import { type BaseAgentMessage, type BaseChatMessage, isTransient } from "../../messages/base.js";
import { SelectSpeakerEvent, StopMessage } from "../../messages/index.js";
import { defaultMessageRegistry, type MessageRegistry } from "../../messages/registry.js";
import {
  GroupChatAgentResponse,
  GroupChatCheckpoint,
  GroupChatError,
  GroupChatMessage,
  GroupChatPause,
  GroupChatRequestPublish,
  GroupChatReset,
  GroupChatResume,
  GroupChatStart,
  GroupChatTeamResponse,
  GroupChatTermination,
} from "./protocol.js";

/** A participant, as the manager knows it. */
export interface ParticipantInfo {
  readonly name: string;
  readonly description: string;
  /** The topic type that reaches this participant's container. */
  readonly topicType: string;
}

/** What every manager is built with. */
export interface GroupChatManagerOptions {
  /** The name the manager's own messages carry as their source. */
  readonly name: string;
  readonly groupTopicType: string;
  readonly outputTopicType: string;
  readonly participants: readonly ParticipantInfo[];
  readonly terminationCondition?: TerminationCondition | undefined;
  readonly maxTurns?: number | undefined;
  /** Publish a {@link SelectSpeakerEvent} on the output stream for every selection. */
  readonly emitTeamEvents?: boolean | undefined;
  /** Reads saved messages back (custom message types included). */
  readonly messageRegistry?: MessageRegistry | undefined;
  /**
   * A snapshot of the whole team when the current run is durable, else undefined: the manager then
   * publishes a {@link GroupChatCheckpoint} on the output stream after every turn.
   */
  readonly snapshot?: (() => Promise<AgentState | undefined>) | undefined;
  /** The journal of the team's current durable run, if any: the manager's own model calls go through it. */
  readonly journal?: (() => RunJournal | undefined) | undefined;
}

/** The base of every group chat manager. Handles one message at a time. */
export abstract class BaseGroupChatManager extends RoutedAgent {
  /** The manager's name (the source of its own messages). */
  readonly name: string;
  /** The participants, in the team's order. */
  readonly participants: readonly ParticipantInfo[];
  /** Every chat message and event of the conversation so far (streamed chunks excepted). */
  protected messageThread: BaseAgentMessage[] = [];
  /** Turns taken in the current run. */
  protected currentTurn = 0;
  protected readonly terminationCondition: TerminationCondition | undefined;
  protected readonly maxTurns: number | undefined;
  protected readonly registry: MessageRegistry;
  readonly #groupTopicType: string;
  readonly #outputTopicType: string;
  readonly #emitTeamEvents: boolean;
  readonly #active = new Set<string>();
  #running = false;
  #paused = false;
  #deferred = false;
  #signal: AbortSignal | undefined;
  readonly #snapshot: (() => Promise<AgentState | undefined>) | undefined;
  readonly #journal: (() => RunJournal | undefined) | undefined;
  /** The journal scope of the manager's model calls at the current turn (one per turn, numbering its calls). */
  #scope: { journal: RunJournal; turn: number; scope: RunJournal } | undefined;
  /**
   * The sizes of the batches the termination condition was fed in the current run (the task, then each
   * turn), so a run resumed from a checkpoint can feed them again: conditions keep no saved state.
   */
  #checked: number[] = [];
  /** Set by loading a snapshot taken mid-run: the run to continue on the next start without a task. */
  #restoredRun: { checked: number[] } | undefined;

  static {
    this.rpc(GroupChatStart, this.prototype.handleStart);
    this.event(GroupChatAgentResponse, async function (msg, ctx) {
      const inner = msg.response.innerMessages ?? [];
      await this.handleResponse(msg.name, [...inner, msg.response.chatMessage], ctx);
    });
    this.event(GroupChatTeamResponse, async function (msg, ctx) {
      await this.handleResponse(msg.name, msg.result.messages, ctx);
    });
    this.event(GroupChatError, async function (msg) {
      this.#active.delete(msg.name);
      if (!this.#running) return;
      await this.terminate(undefined, new ParticipantFailure(msg.name, msg.error));
    });
    this.rpc(GroupChatReset, async function () {
      this.messageThread = [];
      this.currentTurn = 0;
      this.#active.clear();
      this.#running = false;
      this.#paused = false;
      this.#deferred = false;
      this.#checked = [];
      this.#restoredRun = undefined;
      await this.terminationCondition?.reset();
      await this.resetState();
    });
    this.rpc(GroupChatPause, async function () {
      this.#paused = true;
    });
    this.rpc(GroupChatResume, async function () {
      this.#paused = false;
      if (this.#deferred && this.#running) {
        this.#deferred = false;
        await this.#next(this.#signal);
      }
    });
  }

  constructor(options: GroupChatManagerOptions) {
    super({ description: "Group chat manager", sequential: true });
    this.name = options.name;
    this.participants = options.participants;
    this.terminationCondition = options.terminationCondition;
    this.maxTurns = options.maxTurns;
    this.registry = options.messageRegistry ?? defaultMessageRegistry;
    this.#groupTopicType = options.groupTopicType;
    this.#outputTopicType = options.outputTopicType;
    this.#emitTeamEvents = options.emitTeamEvents ?? false;
    this.#snapshot = options.snapshot;
    this.#journal = options.journal;
  }

  /**
   * Makes one of the manager's own model calls (a speaker selection, a plan, a progress ledger). In a
   * durable run it goes through the run's journal, in the scope `@manager#<turn>` (a name no
   * participant can have) where the turn's calls are numbered in order: a resumed run replays the
   * interrupted turn's selection from the ledger instead of asking the model again.
   */
  protected async journaledModel(call: () => Promise<CreateResult>): Promise<CreateResult> {
    const journal = this.#journal?.();
    if (journal === undefined) return call();
    if (this.#scope?.journal !== journal || this.#scope.turn !== this.currentTurn) {
      const scope = journal.scope(`@manager#${this.currentTurn}`);
      this.#scope = { journal, turn: this.currentTurn, scope };
    }
    return (await this.#scope.scope.model(call)).result;
  }

  /** The participants' names, in order. */
  get participantNames(): string[] {
    return this.participants.map((p) => p.name);
  }

  /**
   * Picks who speaks next: one name, or several to run in parallel (their turns end together). An empty
   * list ends the run (a graph with nothing left to do).
   */
  protected abstract selectSpeaker(
    thread: readonly BaseAgentMessage[],
    signal: AbortSignal | undefined,
  ): Promise<string | readonly string[]>;

  /** Checks new task messages before they join the conversation; throw a ValidationError to refuse them. */
  protected async validateGroupState(_messages: readonly BaseChatMessage[]): Promise<void> {}

  /** Called with each turn's output (and the task) as it joins the transcript. */
  protected async onThreadUpdate(
    _delta: readonly BaseAgentMessage[],
    _speaker: string | undefined,
  ): Promise<void> {}

  /** Forgets subclass state on reset. */
  protected async resetState(): Promise<void> {}

  /** Subclass state to save with the manager (JSON-safe). */
  protected saveExtraState(): Record<string, unknown> {
    return {};
  }

  /** Restores what {@link saveExtraState} wrote. */
  protected loadExtraState(_state: Record<string, unknown>): void {}

  /** Starts or continues a run. */
  protected async handleStart(msg: GroupChatStart, ctx: MessageContext): Promise<void> {
    if (this.#running && this.#signal?.aborted !== true && this.#active.size > 0) {
      throw new ValidationError("The team is already running a task", { code: "invalid_state" });
    }
    // A cancelled run leaves its speakers unanswered; a new run starts from the transcript as it is.
    this.#active.clear();
    this.#running = true;
    this.#deferred = false;
    this.#signal = ctx.signal;
    const restored = this.#restoredRun;
    this.#restoredRun = undefined;
    if (msg.messages.length > 0) {
      this.#checked = [];
      await this.validateGroupState(msg.messages);
      this.messageThread.push(...msg.messages);
      await this.onThreadUpdate(msg.messages, undefined);
      await this.publishMessage(new GroupChatStart(msg.messages), this.#groupTopic, { signal: ctx.signal });
      this.#checked.push(msg.messages.length);
      const stop = await this.terminationCondition?.check(msg.messages);
      if (stop !== undefined) {
        await this.terminate(stop);
        return;
      }
    } else if (restored !== undefined) {
      // Continuing a run from a mid-run snapshot: the condition sees the run's batches again, in order.
      this.#checked = [...restored.checked];
      let at = this.messageThread.length - restored.checked.reduce((a, b) => a + b, 0);
      for (const size of restored.checked) {
        await this.terminationCondition?.check(this.messageThread.slice(Math.max(0, at), at + size));
        at += size;
      }
    } else if (this.messageThread.length === 0) {
      this.#running = false;
      throw new ValidationError("No task was given and there is no conversation to continue");
    }
    await this.#next(ctx.signal);
  }

  /** Takes a finished turn into the transcript, checks termination, and moves on. */
  protected async handleResponse(
    name: string,
    delta: readonly BaseAgentMessage[],
    ctx: MessageContext,
  ): Promise<void> {
    this.#active.delete(name);
    const kept = delta.filter((m) => !isTransient(m));
    this.messageThread.push(...kept);
    await this.onThreadUpdate(kept, name);
    if (!this.#running || ctx.signal.aborted) return;
    this.#checked.push(kept.length);
    const stop = await this.terminationCondition?.check(kept);
    if (stop !== undefined) {
      await this.terminate(stop);
      return;
    }
    if (this.#active.size > 0) return; // parallel speakers: wait for all of them
    this.currentTurn += 1;
    if (this.#snapshot !== undefined) {
      // Between two turns every participant is idle: the one moment the team's state is consistent.
      const state = await this.#snapshot();
      if (state !== undefined) await this.publishMessage(new GroupChatCheckpoint(state), this.#outputTopic);
    }
    await this.#next(ctx.signal);
  }

  /** Publishes a message of the manager's own into the conversation and the output stream. */
  protected async publishOwnMessage(
    message: BaseChatMessage,
    signal: AbortSignal | undefined,
  ): Promise<void> {
    this.messageThread.push(message);
    await this.publishMessage(new GroupChatStart([message]), this.#groupTopic, { signal });
    await this.publishMessage(new GroupChatMessage(message), this.#outputTopic, { signal });
  }

  /** Publishes an event on the output stream only. */
  protected async emitEvent(event: BaseAgentMessage, signal: AbortSignal | undefined): Promise<void> {
    await this.publishMessage(new GroupChatMessage(event), this.#outputTopic, { signal });
  }

  /** Asks the named participants to take their turns. */
  protected async requestTurns(names: readonly string[], signal: AbortSignal | undefined): Promise<void> {
    for (const name of names) {
      const participant = this.participants.find((p) => p.name === name);
      if (participant === undefined) {
        throw new ValidationError(
          `The next speaker "${name}" is not a participant of this team (participants: ${this.participantNames.join(", ")})`,
        );
      }
      this.#active.add(name);
    }
    if (this.#emitTeamEvents) {
      await this.emitEvent(new SelectSpeakerEvent({ source: this.name, content: [...names] }), signal);
    }
    for (const name of names) {
      let topic = this.#participantTopics.get(name);
      if (topic === undefined) {
        const topicType = (this.participants.find((p) => p.name === name) as ParticipantInfo).topicType;
        topic = new TopicId({ type: topicType, source: this.id.key });
        this.#participantTopics.set(name, topic);
      }
      await this.publishMessage(new GroupChatRequestPublish(), topic, { signal });
    }
  }

  /**
   * Resets the named participants (all by default): each forgets its conversation and unread messages, as
   * on a team reset. For managers that restart the team's work mid-run (Magentic-One's re-planning).
   */
  protected async resetParticipants(
    names: readonly string[] = this.participantNames,
    signal?: AbortSignal,
  ): Promise<void> {
    for (const name of names) {
      const participant = this.participants.find((p) => p.name === name);
      if (participant === undefined) continue;
      // A participant's container is the agent of its topic type, keyed like the manager.
      await this.sendMessage(
        new GroupChatReset(),
        new AgentId({ type: participant.topicType, key: this.id.key }),
        signal === undefined ? {} : { signal },
      );
    }
  }

  /** Ends the run: publishes the stop (or the error) to the output stream and resets per-run state. */
  protected async terminate(stop: StopMessage | undefined, error?: unknown): Promise<void> {
    this.#running = false;
    this.#active.clear();
    this.#deferred = false;
    this.currentTurn = 0;
    await this.terminationCondition?.reset();
    await this.publishMessage(new GroupChatTermination(stop, error), this.#outputTopic);
  }

  /**
   * The run has had `maxTurns` turns: ends it with "Maximum number of turns N reached.". A manager that
   * owes the run something first (MagenticOne's final answer) overrides this and calls {@link terminate}.
   */
  protected async onMaxTurns(_signal: AbortSignal | undefined): Promise<void> {
    await this.terminate(
      new StopMessage({ source: this.name, content: `Maximum number of turns ${this.maxTurns} reached.` }),
    );
  }

  async #next(signal: AbortSignal | undefined): Promise<void> {
    if (this.maxTurns !== undefined && this.currentTurn >= this.maxTurns) {
      try {
        await this.onMaxTurns(signal);
      } catch (error) {
        if (signal?.aborted) return;
        await this.terminate(undefined, error);
      }
      return;
    }
    if (this.#paused) {
      this.#deferred = true;
      return;
    }
    let names: readonly string[];
    try {
      const selected = await this.selectSpeaker(this.messageThread, signal);
      // A subclass may end the run itself while selecting (with its own stop message): then stop here.
      if (!this.#running) return;
      names = typeof selected === "string" ? [selected] : selected;
      if (names.length === 0) {
        await this.terminate(
          new StopMessage({ source: this.name, content: "No participant is left to speak." }),
        );
        return;
      }
      await this.requestTurns(names, signal);
    } catch (error) {
      if (signal?.aborted) return;
      await this.terminate(undefined, error);
    }
  }

  // Made once: a publish given a TopicId skips building and checking one.
  #groupTopicId: TopicId | undefined;
  #outputTopicId: TopicId | undefined;
  readonly #participantTopics = new Map<string, TopicId>();

  get #groupTopic(): TopicId {
    this.#groupTopicId ??= new TopicId({ type: this.#groupTopicType, source: this.id.key });
    return this.#groupTopicId;
  }

  get #outputTopic(): TopicId {
    this.#outputTopicId ??= new TopicId({ type: this.#outputTopicType, source: this.id.key });
    return this.#outputTopicId;
  }

  override async saveState(): Promise<Record<string, unknown>> {
    return {
      messageThread: this.messageThread.map((m) => m.toJSON()),
      currentTurn: this.currentTurn,
      ...this.saveExtraState(),
      // Only a snapshot taken mid-run has this: what a resumed run needs to go on where it was.
      ...(this.#running ? { activeRun: { checked: [...this.#checked] } } : {}),
    };
  }

  override async loadState(state: Record<string, unknown>): Promise<void> {
    if (!Array.isArray(state.messageThread) || typeof state.currentTurn !== "number") {
      throw new ValidationError("The saved state of the group chat manager is malformed", {
        code: "invalid_state",
      });
    }
    this.messageThread = state.messageThread.map((json) => this.registry.fromJSON(json));
    this.currentTurn = state.currentTurn;
    const active = state.activeRun as { checked?: unknown } | undefined;
    this.#restoredRun =
      Array.isArray(active?.checked) && active.checked.every((n) => typeof n === "number")
        ? { checked: active.checked as number[] }
        : undefined;
    this.loadExtraState(state);
  }
}

/** A participant's failure, as the run reports it. */
export class ParticipantFailure {
  constructor(
    readonly participant: string,
    readonly error: unknown,
  ) {}
}
