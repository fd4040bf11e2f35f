/**
 * Hooks of a classic agent (AG2's `register_hook`): functions that change a message before it is sent,
 * or the messages a reply is generated from.
 */
import { ValidationError } from "@autogen-ts/core";
import type { ConversableAgent } from "./conversable-agent.js";
import type {
  AllMessagesBeforeReplyHook,
  HookName,
  LastReceivedMessageHook,
  MessageBeforeSendHook,
  UpdateAgentStateHook,
} from "./reply-types.js";
import type { ClassicMessage, MessageInput } from "./types.js";

/** The hooks of one agent, per hookable point. */
export class Hooks {
  readonly #hooks: Record<HookName, ((...args: never[]) => unknown)[]> = {
    processMessageBeforeSend: [],
    processLastReceivedMessage: [],
    processAllMessagesBeforeReply: [],
    updateAgentState: [],
  };

  /** Adds a hook; an unknown point or a hook already there is a `ValidationError`. */
  register(name: HookName, hook: (...args: never[]) => unknown, owner: string): void {
    const list = this.#hooks[name];
    if (list === undefined) throw new ValidationError(`${owner}: there is no hook point "${name}"`);
    if (list.includes(hook)) throw new ValidationError(`${owner}: that ${name} hook is already registered`);
    list.push(hook);
  }

  /** The message after every `processMessageBeforeSend` hook. */
  beforeSend(sender: ConversableAgent, message: MessageInput, recipient: ConversableAgent, silent: boolean) {
    let out = message;
    for (const hook of this.#hooks.processMessageBeforeSend as MessageBeforeSendHook[]) {
      out = hook(sender, out, recipient, silent);
    }
    return out;
  }

  /**
   * Before a reply, in AG2's order: the `updateAgentState` hooks see the agent and the messages, the
   * `processLastReceivedMessage` hooks change the last message's text, the `processAllMessagesBeforeReply`
   * hooks change the list. The stored conversation is never changed.
   */
  beforeReply(agent: ConversableAgent, messages: ClassicMessage[]): ClassicMessage[] {
    for (const hook of this.#hooks.updateAgentState as UpdateAgentStateHook[]) hook(agent, messages);
    let out = this.#lastReceived(messages);
    for (const hook of this.#hooks.processAllMessagesBeforeReply as AllMessagesBeforeReplyHook[])
      out = hook(out);
    return out;
  }

  /** AG2 leaves alone a last message with a function call, a context, no content, or the text "exit". */
  #lastReceived(messages: ClassicMessage[]): ClassicMessage[] {
    const hooks = this.#hooks.processLastReceivedMessage as LastReceivedMessageHook[];
    const last = messages.at(-1);
    if (hooks.length === 0 || last === undefined) return messages;
    if (last.functionCall !== undefined || last.context !== undefined || last.content === null)
      return messages;
    if (last.content === "exit") return messages;
    const apply = (text: string) => hooks.reduce((t, hook) => hook(t), text);
    const content =
      typeof last.content === "string"
        ? apply(last.content)
        : last.content.map((part) => (part.type === "text" ? { ...part, text: apply(part.text) } : part));
    return [...messages.slice(0, -1), { ...last, content }];
  }
}
