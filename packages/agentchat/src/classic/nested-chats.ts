/**
 * Nested chats (AG2's `register_nested_chats`): a reply function that, when its trigger matches, runs a
 * queue of chats and answers with the summary of the last one.
 */

import type { ChatQueueItem } from "./chat.js";
import { initiateChatsFrom } from "./chat.js";
import type { ConversableAgent } from "./conversable-agent.js";
import type { ReplyFunc, ReplyTrigger } from "./reply-types.js";
import type { ClassicMessage, MessageInput } from "./types.js";
import { contentText } from "./types.js";

/** A nested chat's message computed from the conversation that triggered it. */
export type NestedMessageFunc = (
  recipient: ConversableAgent,
  messages: readonly ClassicMessage[],
  sender: ConversableAgent | undefined,
  config: unknown,
) => MessageInput | Promise<MessageInput>;

/** Options of {@link ConversableAgent.registerNestedChats}. */
export interface NestedChatOptions {
  /** Which senders start the nested chats. */
  readonly trigger: ReplyTrigger;
  /** Where the reply function goes in the list (default 2, after termination and function calls). */
  readonly position?: number;
}

/** Registers the nested-chat reply function on `agent`. */
export function registerNestedChats(
  agent: ConversableAgent,
  chatQueue: readonly (ChatQueueItem & { readonly message?: ChatQueueItem["message"] | NestedMessageFunc })[],
  options: NestedChatOptions,
): void {
  const reply: ReplyFunc = async (recipient, messages, sender, config, { signal }) => {
    const last = contentText(messages.at(-1)?.content);
    const chats: ChatQueueItem[] = [];
    for (const [i, chat] of chatQueue.entries()) {
      let message: ChatQueueItem["message"] = chat.message as ChatQueueItem["message"];
      if (i === 0 && message === undefined) message = last;
      if (typeof message === "function") {
        message = await (message as unknown as NestedMessageFunc)(recipient, messages, sender, config);
      }
      if (message === undefined || message === "") continue;
      chats.push({ ...chat, sender: chat.sender ?? recipient, message, signal: chat.signal ?? signal });
    }
    if (chats.length === 0) return [true, null];
    const results = await initiateChatsFrom(chats);
    return [true, results.at(-1)?.summary ?? null];
  };
  agent.registerReply(options.trigger, reply, { position: options.position ?? 2, config: chatQueue });
}
