/**
 * The runtime agent that hosts one participant of a group chat: it buffers what the others say, runs
 * the participant when the manager asks, and publishes what it produced.
 */
import { type MessageContext, RoutedAgent, TopicId, ValidationError } from "@autogen-ts/core";
import type { AgentState, CallOptions, ChatAgent, Response, TaskResult } from "../../base/types.js";
import { isResponse, isTaskResult } from "../../base/types.js";
import type { RunJournal } from "../../durable/journal.js";
import type { BaseChatMessage } from "../../messages/base.js";
import { isChatMessage } from "../../messages/base.js";
import { defaultMessageRegistry, type MessageRegistry } from "../../messages/registry.js";
import { isTeam, type Participant } from "../team.js";
import {
  GroupChatAgentResponse,
  GroupChatError,
  GroupChatMessage,
  GroupChatPause,
  GroupChatRequestPublish,
  GroupChatReset,
  GroupChatResume,
  GroupChatStart,
  GroupChatTeamResponse,
} from "./protocol.js";

/** Where a container publishes. */
export interface ContainerTopics {
  /** The group topic type (the manager and every container listen to it). */
  readonly group: string;
  /** The output topic type (the run's stream). */
  readonly output: string;
}

/** Hosts one participant. Not sequential: a pause or reset may arrive while the participant works. */
export class ChatAgentContainer extends RoutedAgent {
  readonly participant: Participant;
  readonly #topics: ContainerTopics;
  readonly #registry: MessageRegistry;
  readonly #journal: (() => RunJournal | undefined) | undefined;
  #buffer: BaseChatMessage[] = [];
  /** Turns taken, ever (not reset): names each turn's journal scope, the same again after a resume. */
  #turns = 0;
  // Made at the first turn and kept: a publish given a TopicId skips building and checking one.
  #outputTopic: TopicId | undefined;
  #groupTopic: TopicId | undefined;

  static {
    this.event(GroupChatStart, async function (msg) {
      this.#buffer.push(...msg.messages);
    });
    this.event(GroupChatAgentResponse, async function (msg) {
      this.#buffer.push(msg.response.chatMessage);
    });
    this.event(GroupChatTeamResponse, async function (msg) {
      for (const m of msg.result.messages) if (isChatMessage(m)) this.#buffer.push(m);
    });
    this.event(GroupChatRequestPublish, this.prototype.takeTurn);
    this.rpc(GroupChatReset, async function (_msg, ctx) {
      this.#buffer = [];
      if (isTeam(this.participant)) await this.participant.reset();
      else await this.participant.onReset({ signal: ctx.signal });
    });
    this.rpc(GroupChatPause, async function (_msg, ctx) {
      if (isTeam(this.participant)) await this.participant.pause();
      else await this.participant.onPause({ signal: ctx.signal });
    });
    this.rpc(GroupChatResume, async function (_msg, ctx) {
      if (isTeam(this.participant)) await this.participant.resume();
      else await this.participant.onResume({ signal: ctx.signal });
    });
  }

  constructor(options: {
    participant: Participant;
    topics: ContainerTopics;
    registry?: MessageRegistry;
    /** The journal of the team's current durable run, if any. */
    journal?: () => RunJournal | undefined;
  }) {
    super({ description: options.participant.description });
    this.participant = options.participant;
    this.#topics = options.topics;
    this.#registry = options.registry ?? defaultMessageRegistry;
    this.#journal = options.journal;
  }

  /** Runs the participant on what it has not seen yet, streaming its output and publishing its reply. */
  async takeTurn(_msg: GroupChatRequestPublish, ctx: MessageContext): Promise<void> {
    const input = this.#buffer;
    this.#buffer = [];
    this.#outputTopic ??= new TopicId({ type: this.#topics.output, source: this.id.key });
    this.#groupTopic ??= new TopicId({ type: this.#topics.group, source: this.id.key });
    const output = this.#outputTopic;
    const group = this.#groupTopic;
    const participant = this.participant;
    const journal = this.#journal?.()?.scope(`${participant.name}#${this.#turns}`);
    this.#turns += 1;
    const publish = { signal: ctx.signal };
    const options: CallOptions =
      journal === undefined ? { signal: ctx.signal } : { signal: ctx.signal, journal };
    try {
      if (isTeam(participant)) {
        let result: TaskResult | undefined;
        for await (const item of participant.runStream({
          task: input,
          signal: ctx.signal,
          outputTaskMessages: false,
          ...(journal === undefined ? {} : { journal }),
        })) {
          if (isTaskResult(item)) result = item;
          else await this.publishMessage(new GroupChatMessage(item), output, publish);
        }
        if (result === undefined)
          throw new ValidationError(`Team '${participant.name}' ended without a result`);
        await this.publishMessage(new GroupChatTeamResponse(participant.name, result), group, publish);
        return;
      }
      let response: Response | undefined;
      for await (const item of (participant as ChatAgent).onMessagesStream(input, options)) {
        if (isResponse(item)) response = item;
        else await this.publishMessage(new GroupChatMessage(item), output, publish);
      }
      if (response === undefined) {
        throw new ValidationError(`Agent '${participant.name}' ended its turn without a response`);
      }
      await this.publishMessage(new GroupChatMessage(response.chatMessage), output, publish);
      await this.publishMessage(new GroupChatAgentResponse(participant.name, response), group, publish);
    } catch (error) {
      // The manager ends the run with this error; the messages so far stay with the team.
      await this.publishMessage(new GroupChatError(participant.name, error), group, publish);
    }
  }

  override async saveState(): Promise<Record<string, unknown>> {
    return {
      agentState: await this.participant.saveState(),
      messageBuffer: this.#buffer.map((m) => m.toJSON()),
      turns: this.#turns,
    };
  }

  override async loadState(state: Record<string, unknown>): Promise<void> {
    const buffer = state.messageBuffer;
    if (!Array.isArray(buffer) || typeof state.agentState !== "object" || state.agentState === null) {
      throw new ValidationError(`The saved state of participant '${this.participant.name}' is malformed`, {
        code: "invalid_state",
      });
    }
    const messages = buffer.map((json) => this.#registry.fromJSON(json));
    await this.participant.loadState(state.agentState as AgentState);
    this.#buffer = messages.filter(isChatMessage);
    // Documents from before durable runs have no turn count: 0, as a fresh container.
    this.#turns = typeof state.turns === "number" ? state.turns : 0;
  }
}
