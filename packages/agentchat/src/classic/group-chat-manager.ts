/**
 * The classic `GroupChatManager`: a `ConversableAgent` whose first reply function runs a group chat.
 * A message sent to it starts the rounds: each message is added to the group's list and passed to every
 * other participant, the next speaker is picked, and its reply comes back to the manager.
 */
import { ValidationError } from "@autogen-ts/core";
import { checkAgentState } from "../base/state.js";
import type { AgentState } from "../base/types.js";
import { clearAgentsHistory } from "./clear-history.js";
import { ConversableAgent, type ConversableAgentOptions } from "./conversable-agent.js";
import { GroupChat } from "./group-chat.js";
import type { ReplyFunc } from "./reply-types.js";
import type { ClassicMessage } from "./types.js";

/** Options of {@link GroupChatManager}. */
export interface GroupChatManagerOptions extends Omit<ConversableAgentOptions, "name"> {
  /** The group chat it runs. */
  readonly groupchat: GroupChat;
  /** Default "chat_manager". */
  readonly name?: string;
}

/** The type of a saved manager. */
export const CLASSIC_MANAGER_STATE_TYPE = "ClassicGroupChatManagerState";

/**
 * Runs the group chat given as `config` (AG2's `GroupChatManager.run_chat`); registered on any agent, it
 * makes that agent a manager.
 */
export const runChat: ReplyFunc = async (manager, messages, sender, config, { signal }) => {
  if (!(config instanceof GroupChat)) throw new ValidationError("runChat: its config must be a GroupChat");
  const groupchat = config;
  let message = messages.at(-1);
  let speaker = sender;
  if (message === undefined || speaker === undefined) return [false, null];
  if (groupchat.sendIntroductions) {
    const intro = groupchat.introductionsMsg();
    for (const agent of groupchat.agents)
      await manager.send(intro, agent, { requestReply: false, silent: true, signal });
  }
  for (let round = 0; round < groupchat.maxRound; round++) {
    groupchat.append(message, speaker);
    const shared: ClassicMessage = {
      ...message,
      name: message.role === "function" ? message.name : speaker.name,
    };
    for (const agent of groupchat.agents) {
      if (agent !== speaker) await manager.send(shared, agent, { requestReply: false, silent: true, signal });
    }
    if (manager.isTerminationMsg(message) || round === groupchat.maxRound - 1) break;
    const next = await groupchat.selectSpeaker(speaker, manager, { signal });
    if (next === undefined) break;
    speaker = next;
    manager.output?.(`Next speaker: ${speaker.name}`);
    let reply = await speaker.generateReply({ sender: manager, signal });
    if (reply === null) break;
    if (
      groupchat.enableClearHistory &&
      typeof reply === "object" &&
      typeof reply.content === "string" &&
      reply.content.toUpperCase().includes("CLEAR HISTORY")
    ) {
      reply = { ...reply, content: clearAgentsHistory(reply as ClassicMessage, groupchat) };
    }
    await speaker.send(reply, manager, { requestReply: false, signal });
    message = manager.lastMessage(speaker) as ClassicMessage;
  }
  return [true, null];
};

/**
 * Manages a {@link GroupChat}: `humanInputMode: "NEVER"`, no limit on automatic replies, and its model
 * (if any) picks speakers in "auto" selection.
 *
 * @example
 * ```ts
 * const groupchat = new GroupChat({ agents: [coder, critic, user], maxRound: 12 });
 * const manager = new GroupChatManager({ groupchat, llmConfig: modelClient });
 * await user.initiateChat(manager, { message: "Plot a sine wave." });
 * ```
 */
export class GroupChatManager extends ConversableAgent {
  /** The group chat it runs. */
  readonly groupchat: GroupChat;

  constructor(options: GroupChatManagerOptions) {
    if (!(options?.groupchat instanceof GroupChat)) {
      throw new ValidationError("GroupChatManager: 'groupchat' must be a GroupChat");
    }
    super({
      ...options,
      name: options.name ?? "chat_manager",
      maxConsecutiveAutoReply: options.maxConsecutiveAutoReply ?? Number.MAX_SAFE_INTEGER,
      humanInputMode: options.humanInputMode ?? "NEVER",
      systemMessage: options.systemMessage ?? "Group chat manager.",
    });
    this.groupchat = options.groupchat;
    this.registerReply(ConversableAgent, runChat, {
      config: this.groupchat,
      resetConfig: (gc) => (gc as GroupChat).reset(),
    });
  }

  /**
   * Readies a chat as AG2's manager does: a chat that clears history also empties the group's messages,
   * and when the manager itself is the recipient, every participant's chat with it is readied too.
   */
  override prepareChat(
    recipient: ConversableAgent,
    clearHistory: boolean,
    prepareRecipient = true,
    replyAtReceive = true,
  ): void {
    super.prepareChat(recipient, clearHistory, prepareRecipient, replyAtReceive);
    if (clearHistory) this.groupchat.reset();
    for (const agent of this.groupchat.agents) {
      if ((recipient === this && agent !== this) || prepareRecipient) {
        agent.prepareChat(this, clearHistory, false, replyAtReceive);
      }
    }
  }

  /** The last speaker of the group chat, if it has started. */
  get lastSpeaker(): ConversableAgent | undefined {
    const name = this.groupchat.messages.at(-1)?.name;
    return name === undefined ? undefined : this.groupchat.agentByName(name);
  }

  /** The manager's own conversations and the group chat (messages and participants). */
  override async saveState(): Promise<AgentState> {
    return {
      type: CLASSIC_MANAGER_STATE_TYPE,
      version: 1,
      manager: await super.saveState(),
      groupChat: await this.groupchat.saveState(),
    };
  }

  /** Restores what {@link saveState} saved. */
  override async loadState(state: unknown): Promise<void> {
    const doc = checkAgentState(state, CLASSIC_MANAGER_STATE_TYPE, 1, `GroupChatManager '${this.name}'`);
    await this.groupchat.loadState(doc.groupChat);
    await super.loadState(doc.manager);
  }
}
