/**
 * `Swarm`: the speaker follows the handoffs. The first participant speaks first; an agent keeps the turn
 * until it hands off with a `HandoffMessage` (an `AssistantAgent` does so through its `handoffs`), and the
 * target speaks next. A handoff to someone outside the team (typically `"user"`) either stops the run
 * through a `HandoffTermination`, to be resumed with the answer, or ends it with an `undeliverable` error.
 */
import { DeliveryError, ValidationError } from "@autogen-ts/core";
import type { BaseAgentMessage, BaseChatMessage } from "../messages/base.js";
import type { HandoffMessage } from "../messages/chat.js";
import { BaseGroupChat, type BaseGroupChatOptions } from "./group-chat/base-group-chat.js";
import { BaseGroupChatManager, type GroupChatManagerOptions } from "./group-chat/manager.js";
import { isTeam } from "./team.js";

/** Options of {@link Swarm}. */
export interface SwarmOptions extends BaseGroupChatOptions {}

/** A handoff to someone outside the team that has not been answered yet. */
interface OutsideHandoff {
  /** The participant that handed off (it takes the answer). */
  readonly from: string;
  /** Whom it handed off to. */
  readonly target: string;
}

/** Checks the type discriminator, so that messages from another copy of the package count too. */
function isHandoff(m: BaseAgentMessage): m is HandoffMessage {
  return m.type === "HandoffMessage";
}

/** The manager of a {@link Swarm}: the current speaker is the target of the latest handoff. */
export class SwarmGroupChatManager extends BaseGroupChatManager {
  #current: string;
  #outside: OutsideHandoff | undefined;

  constructor(options: GroupChatManagerOptions) {
    super(options);
    this.#current = this.participantNames[0] as string;
  }

  /** Refuses a task whose handoff targets nobody in the team. */
  protected override async validateGroupState(messages: readonly BaseChatMessage[]): Promise<void> {
    for (const m of messages) {
      if (isHandoff(m) && !this.participantNames.includes(m.target)) {
        throw new ValidationError(
          `The task hands off to "${m.target}", who is not a participant of this team ` +
            `(participants: ${this.participantNames.join(", ")})`,
          { details: { target: m.target, participants: this.participantNames } },
        );
      }
    }
  }

  protected override async onThreadUpdate(
    delta: readonly BaseAgentMessage[],
    speaker: string | undefined,
  ): Promise<void> {
    const handoff = delta.findLast(isHandoff);
    if (speaker === undefined) {
      // New task messages: a handoff in them (checked above) names the speaker; plain text answers whoever
      // handed off to the outside, or goes to the current speaker.
      if (handoff !== undefined) this.#current = handoff.target;
      else if (this.#outside !== undefined) this.#current = this.#outside.from;
      this.#outside = undefined;
      return;
    }
    if (handoff === undefined) return; // no handoff: the speaker keeps the turn
    if (this.participantNames.includes(handoff.target)) {
      this.#current = handoff.target;
      this.#outside = undefined;
    } else {
      // Known only when the next speaker is picked: a HandoffTermination may stop the run here first.
      const from = this.participantNames.includes(handoff.source) ? handoff.source : speaker;
      this.#outside = { from, target: handoff.target };
      this.#current = from;
    }
  }

  protected async selectSpeaker(): Promise<string> {
    const outside = this.#outside;
    if (outside !== undefined) {
      throw new DeliveryError(
        "undeliverable",
        `'${outside.from}' handed off to "${outside.target}", who is not a participant of this team ` +
          `(participants: ${this.participantNames.join(", ")}). To stop there and resume with an answer, give ` +
          `the team a HandoffTermination("${outside.target}") and run it again with the answer as the task.`,
        { details: { source: outside.from, target: outside.target, participants: this.participantNames } },
      );
    }
    return this.#current;
  }

  protected override async resetState(): Promise<void> {
    this.#current = this.participantNames[0] as string;
    this.#outside = undefined;
  }

  protected override saveExtraState(): Record<string, unknown> {
    return this.#outside === undefined
      ? { currentSpeaker: this.#current }
      : { currentSpeaker: this.#current, outsideHandoff: { ...this.#outside } };
  }

  protected override loadExtraState(state: Record<string, unknown>): void {
    const names = this.participantNames;
    const current = state.currentSpeaker;
    if (current !== undefined && (typeof current !== "string" || !names.includes(current))) {
      throw new ValidationError(
        `The saved swarm state names "${String(current)}" as the speaker, who is not a participant ` +
          `(participants: ${names.join(", ")})`,
        { code: "invalid_state" },
      );
    }
    this.#current = (current as string | undefined) ?? (names[0] as string);
    const outside = state.outsideHandoff as { from?: unknown; target?: unknown } | undefined;
    this.#outside =
      typeof outside?.from === "string" && names.includes(outside.from) && typeof outside.target === "string"
        ? { from: outside.from, target: outside.target }
        : undefined;
  }
}

/**
 * A team where agents pass the conversation along with handoffs, the way a support desk passes a call.
 *
 * @example
 * ```ts
 * const triage = new AssistantAgent({ name: "triage", modelClient, handoffs: ["refunds", "user"] });
 * const refunds = new AssistantAgent({ name: "refunds", modelClient, handoffs: ["triage", "user"] });
 * const team = new Swarm({
 *   participants: [triage, refunds],
 *   terminationCondition: new HandoffTermination("user").or(new TextMentionTermination("TERMINATE")),
 * });
 * let result = await team.run({ task: "I want my money back" });
 * // The agent asked the user something: answer it and go on.
 * const last = result.messages.at(-1);
 * if (last instanceof HandoffMessage) result = await team.run({
 *   task: new HandoffMessage({ source: "user", target: last.source, content: "Order 1234" }),
 * });
 * ```
 */
export class Swarm extends BaseGroupChat {
  constructor(options: SwarmOptions) {
    // Handoffs pass the turn between agents by name; a team cannot make one (AutoGen's check and words).
    for (const p of options?.participants ?? []) {
      if (isTeam(p)) {
        throw new ValidationError(
          `Participant ${p.name} must be a ChatAgent: a Swarm does not take nested teams`,
          {
            code: "invalid_config",
          },
        );
      }
    }
    super(options);
  }

  protected createManager(options: GroupChatManagerOptions): BaseGroupChatManager {
    return new SwarmGroupChatManager(options);
  }
}
