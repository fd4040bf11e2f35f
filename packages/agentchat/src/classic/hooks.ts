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
} from "./reply-types.js";
import type { ClassicMessage, MessageInput } from "./types.js";

/** The hooks of one agent, per hookable point. */
export class Hooks {
  readonly #hooks: Record<HookName, ((...args: never[]) => unknown)[]> = {
    processMessageBeforeSend: [],
    processLastReceivedMessage: [],
    processAllMessagesBeforeReply: [],
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

  /** The messages after the `processAllMessagesBeforeReply` and `processLastReceivedMessage` hooks. */
  beforeReply(messages: ClassicMessage[]): ClassicMessage[] {
    let out = messages;
    for (const hook of this.#hooks.processAllMessagesBeforeReply as AllMessagesBeforeReplyHook[])
      out = hook(out);
    const hooks = this.#hooks.processLastReceivedMessage as LastReceivedMessageHook[];
    const last = out.at(-1);
    if (hooks.length === 0 || last === undefined || typeof last.content !== "string") return out;
    let text = last.content;
    for (const hook of hooks) text = hook(text);
    return text === last.content ? out : [...out.slice(0, -1), { ...last, content: text }];
  }
}
