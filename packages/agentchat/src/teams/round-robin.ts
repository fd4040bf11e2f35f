/**
 * `RoundRobinGroupChat`: participants take turns in a fixed order, each seeing everything said so far.
 */
import type { BaseAgentMessage } from "../messages/base.js";
import { BaseGroupChat, type BaseGroupChatOptions } from "./group-chat/base-group-chat.js";
import { BaseGroupChatManager, type GroupChatManagerOptions } from "./group-chat/manager.js";

/** Options of {@link RoundRobinGroupChat}. */
export interface RoundRobinGroupChatOptions extends BaseGroupChatOptions {}

/** Picks the participants in order, wrapping around. */
export class RoundRobinGroupChatManager extends BaseGroupChatManager {
  #nextIndex = 0;

  protected async selectSpeaker(_thread: readonly BaseAgentMessage[]): Promise<string> {
    const name = this.participantNames[this.#nextIndex] as string;
    this.#nextIndex = (this.#nextIndex + 1) % this.participants.length;
    return name;
  }

  protected override async resetState(): Promise<void> {
    this.#nextIndex = 0;
  }

  protected override saveExtraState(): Record<string, unknown> {
    return { nextSpeakerIndex: this.#nextIndex };
  }

  protected override loadExtraState(state: Record<string, unknown>): void {
    const index = state.nextSpeakerIndex;
    this.#nextIndex = typeof index === "number" && index >= 0 && index < this.participants.length ? index : 0;
  }
}

/**
 * A team whose participants speak in turn, in the order given.
 *
 * @example
 * ```ts
 * const team = new RoundRobinGroupChat({
 *   participants: [writer, critic],
 *   terminationCondition: new TextMentionTermination("APPROVE").or(new MaxMessageTermination(10)),
 * });
 * const result = await team.run({ task: "Write a haiku about Paris" });
 * ```
 */
export class RoundRobinGroupChat extends BaseGroupChat {
  constructor(options: RoundRobinGroupChatOptions) {
    super(options);
  }

  protected createManager(options: GroupChatManagerOptions): BaseGroupChatManager {
    return new RoundRobinGroupChatManager(options);
  }
}
