/**
 * The classic and the 0.4 API in one program: a classic agent as a 0.4 chat agent (so it can sit in a
 * `RoundRobinGroupChat`, `SelectorGroupChat` or any team, on the team's runtime), and a 0.4 chat agent as a
 * classic conversable agent (so `initiateChat` and `GroupChat` can talk to it).
 */
import { ValidationError } from "@autogen-ts/core";
import { BaseChatAgent } from "../agents/base-chat-agent.js";
import { checkAgentState } from "../base/state.js";
import type { AgentState, CallOptions, ChatAgent, Response } from "../base/types.js";
import type { BaseChatMessage } from "../messages/base.js";
import { StopMessage, TextMessage } from "../messages/chat.js";
import { ConversableAgent, type ConversableAgentOptions } from "./conversable-agent.js";
import type { ReplyFunc } from "./reply-types.js";
import { contentText } from "./types.js";

/** Options of {@link ClassicChatAgent}. */
export interface ClassicChatAgentOptions {
  /** The classic agent taking part. */
  readonly agent: ConversableAgent;
  /** The name of the peer the team's messages come from, in the classic agent's history (default "team"). */
  readonly peerName?: string;
}

/** The `type` of a saved {@link ClassicChatAgent}. */
export const CLASSIC_CHAT_AGENT_STATE_TYPE = "ClassicChatAgentState";

/**
 * A classic agent as a 0.4 chat agent. The team's messages reach it as messages from one peer (named after
 * their sources); its reply functions answer, and a chat-ending `null` reply becomes a `StopMessage`.
 *
 * @example
 * ```ts
 * const team = new RoundRobinGroupChat({ participants: [new ClassicChatAgent({ agent: classicCoder }), reviewer] });
 * ```
 */
export class ClassicChatAgent extends BaseChatAgent {
  /** The classic agent. */
  readonly agent: ConversableAgent;
  readonly #peer: ConversableAgent;

  constructor(options: ClassicChatAgentOptions) {
    if (!(options?.agent instanceof ConversableAgent)) {
      throw new ValidationError("ClassicChatAgent: 'agent' must be a classic ConversableAgent");
    }
    super({ name: options.agent.name, description: options.agent.description });
    this.agent = options.agent;
    this.#peer = new ConversableAgent({
      name: options.peerName ?? "team",
      llmConfig: false,
      humanInputMode: "NEVER",
    });
  }

  /** A text reply, or a stop when the classic agent ends the chat. */
  get producedMessageTypes(): readonly string[] {
    return ["TextMessage", "StopMessage"];
  }

  /** Stores the team's new messages in the classic history and answers with the classic reply. */
  async onMessages(messages: readonly BaseChatMessage[], options: CallOptions = {}): Promise<Response> {
    const { signal } = options;
    for (const m of messages) {
      await this.agent.receive({ content: m.toText(), name: m.source }, this.#peer, {
        requestReply: false,
        silent: true,
        signal,
      });
    }
    const reply = await this.agent.generateReply({ sender: this.#peer, signal });
    if (reply === null) {
      return {
        chatMessage: new StopMessage({ source: this.name, content: `${this.name} ended the conversation.` }),
      };
    }
    await this.agent.send(reply, this.#peer, { requestReply: false, silent: true, signal });
    const sent = this.agent.lastMessage(this.#peer);
    const text =
      sent?.toolCalls !== undefined
        ? `(asks to call ${sent.toolCalls.map((c) => `${c.name}(${c.arguments})`).join(", ")})`
        : contentText(sent?.content);
    return { chatMessage: new TextMessage({ source: this.name, content: text }) };
  }

  /** Resets the classic agent. */
  async onReset(): Promise<void> {
    this.agent.reset();
    this.#peer.reset();
  }

  /** The classic agent's state. */
  override async saveState(): Promise<AgentState> {
    return { type: CLASSIC_CHAT_AGENT_STATE_TYPE, version: 1, agent: await this.agent.saveState() };
  }

  /** Restores what {@link saveState} saved. */
  override async loadState(state: unknown): Promise<void> {
    const doc = checkAgentState(state, CLASSIC_CHAT_AGENT_STATE_TYPE, 1, `ClassicChatAgent '${this.name}'`);
    await this.agent.loadState(doc.agent);
  }
}

/** Options of {@link ChatAgentConversable}: a 0.4 agent, and classic options besides the name. */
export interface ChatAgentConversableOptions extends Omit<ConversableAgentOptions, "name" | "llmConfig"> {
  /** The 0.4 agent that answers. */
  readonly agent: ChatAgent;
}

/**
 * A 0.4 chat agent as a classic agent: each reply hands the messages received since its last reply to the
 * 0.4 agent (which keeps its own model context) and answers with its reply's text. Termination, human
 * input and the other reply functions still come first, as for any classic agent.
 */
export class ChatAgentConversable extends ConversableAgent {
  /** The 0.4 agent. */
  readonly agent: ChatAgent;
  readonly #handed = new Map<ConversableAgent | undefined, number>();
  // reset() is synchronous (as in AG2); the 0.4 agent's reset is awaited before its next answer.
  #pendingReset: Promise<void> | undefined;

  constructor(options: ChatAgentConversableOptions) {
    if (typeof options?.agent?.onMessages !== "function") {
      throw new ValidationError("ChatAgentConversable: 'agent' must be a 0.4 chat agent");
    }
    const { agent, ...rest } = options;
    super({
      humanInputMode: "NEVER",
      description: agent.description,
      ...rest,
      name: agent.name,
      llmConfig: false,
    });
    this.agent = agent;
    const answer: ReplyFunc = async (_self, messages, sender, _config, { signal }) => {
      const pending = this.#pendingReset;
      this.#pendingReset = undefined;
      await pending;
      const start = Math.min(this.#handed.get(sender) ?? 0, messages.length);
      const fresh = messages.slice(start).filter((m) => m.role !== "assistant");
      this.#handed.set(sender, messages.length + 1);
      const input = fresh.map(
        (m) => new TextMessage({ source: m.name ?? sender?.name ?? "user", content: contentText(m.content) }),
      );
      const response = await this.agent.onMessages(input, { signal });
      return [true, response.chatMessage.toText()];
    };
    // After termination and human input, before the classic built-ins: the 0.4 agent is the model.
    this.registerReply([ConversableAgent, null], answer, { position: 1 });
  }

  /** Resets the classic side and the 0.4 agent. */
  override reset(): void {
    super.reset();
    this.#handed.clear();
    this.#pendingReset = this.agent.onReset();
    // A failing reset surfaces at the next answer; until then it must not be an unhandled rejection.
    this.#pendingReset.catch(() => undefined);
  }
}
