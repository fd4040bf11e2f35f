/**
 * Two-agent chats (AG2's `initiate_chat`): the first message (with any carry-over), the turns, the
 * summary and the cost; and sequences of chats where each carries the summaries of those before it.
 */
import { ValidationError } from "@autogen-ts/core";
import type { ConversableAgent } from "./conversable-agent.js";
import type { ChatResult, ClassicMessage, ContentPart, MessageInput } from "./types.js";
import { contentText } from "./types.js";
import { gatherUsageSummary } from "./usage.js";

/** The prompt of a `"reflection_with_llm"` summary unless `summaryArgs.summaryPrompt` says otherwise. */
export const DEFAULT_SUMMARY_PROMPT =
  "Summarize the takeaway from the conversation. Do not add any introductory phrases.";

/** A custom summary: gets both agents and the summary arguments. */
export type SummaryFunc = (
  sender: ConversableAgent,
  recipient: ConversableAgent,
  summaryArgs: Readonly<Record<string, unknown>>,
) =>
  | string
  | { readonly content?: ClassicMessage["content"] }
  | Promise<string | { readonly content?: ClassicMessage["content"] }>;

/** A first message computed from the agents (AG2's callable `message`). */
export type MessageFunc = (
  sender: ConversableAgent,
  recipient: ConversableAgent,
  context: Readonly<Record<string, unknown>>,
) => MessageInput | Promise<MessageInput>;

/** Options of {@link ConversableAgent.initiateChat}. */
export interface ChatOptions {
  /** The first message; without one, the person is asked for it. */
  readonly message?: MessageInput | MessageFunc;
  /** Stop after this many turns of the initiator (each turn: a message and its reply). */
  readonly maxTurns?: number;
  /** `"last_msg"` (default), `"reflection_with_llm"`, or a function. */
  readonly summaryMethod?: "last_msg" | "reflection_with_llm" | SummaryFunc;
  /** `summaryPrompt` and `summaryRole` for reflection, anything for a custom summary. */
  readonly summaryArgs?: Readonly<Record<string, unknown>>;
  /** Start from an empty history with the recipient (default true). */
  readonly clearHistory?: boolean;
  /** Print nothing. */
  readonly silent?: boolean;
  /** Context added to the first message: a text or a list (of texts or messages). */
  readonly carryover?: string | readonly (string | { readonly content?: unknown })[];
  readonly signal?: AbortSignal;
}

/** One chat of a queue: who sends, to whom, and the chat's options. */
export interface ChatQueueItem extends ChatOptions {
  readonly sender?: ConversableAgent;
  readonly recipient: ConversableAgent;
  /** Indexes of earlier chats in the queue whose summaries this chat does not carry. */
  readonly finishedChatIndexesToExclude?: readonly number[];
}

/** The carry-over as text, or an error for a carry-over of another kind (AG2's `InvalidCarryOverType`). */
export function carryoverText(carryover: ChatOptions["carryover"]): string {
  if (carryover === undefined || carryover === null) return "";
  if (typeof carryover === "string") return carryover;
  if (Array.isArray(carryover)) {
    return carryover
      .map((c) =>
        typeof c === "string" ? c : contentText((c as { content?: ClassicMessage["content"] }).content),
      )
      .join("\n");
  }
  throw new ValidationError("The carryover must be a string or a list of strings", {
    details: { type: typeof carryover },
  });
}

/** The first message with the carry-over appended as context (AG2's `_handle_carryover`). */
export function withCarryover(message: MessageInput, carryover: ChatOptions["carryover"]): MessageInput {
  const text = carryoverText(carryover);
  if (text === "") return message;
  const context = `\nContext: \n${text}`;
  if (typeof message === "string") return message + context;
  const content = message.content;
  if (typeof content === "string") return { ...message, content: content + context };
  if (Array.isArray(content)) {
    const parts = content as readonly ContentPart[];
    const firstText = parts.findIndex((p) => p.type === "text");
    const extra: ContentPart = { type: "text", text: context };
    return { ...message, content: firstText < 0 ? [extra, ...parts] : [...parts, extra] };
  }
  return message;
}

async function firstMessage(
  sender: ConversableAgent,
  recipient: ConversableAgent,
  options: ChatOptions,
): Promise<MessageInput> {
  const { message } = options;
  if (typeof message === "function") return message(sender, recipient, { carryover: options.carryover });
  const text = message ?? (await sender.getHumanInput(">", { signal: options.signal }));
  return withCarryover(text, options.carryover);
}

async function summarize(
  sender: ConversableAgent,
  recipient: ConversableAgent,
  options: ChatOptions,
): Promise<string> {
  const method = options.summaryMethod ?? "last_msg";
  const args = options.summaryArgs ?? {};
  if (typeof method === "function") {
    const summary = await method(sender, recipient, args);
    return typeof summary === "string" ? summary : contentText(summary?.content);
  }
  if (method === "last_msg") {
    const last = recipient.chatMessages.has(sender) ? recipient.lastMessage(sender) : undefined;
    return contentText(last?.content).replaceAll("TERMINATE", "");
  }
  if (method !== "reflection_with_llm") {
    throw new ValidationError(
      `Unknown summaryMethod ${JSON.stringify(method)}: use "last_msg", "reflection_with_llm" or a function`,
    );
  }
  const role = args.summaryRole ?? "system";
  if (typeof role !== "string") throw new ValidationError("summaryArgs.summaryRole must be a string");
  const prompt = typeof args.summaryPrompt === "string" ? args.summaryPrompt : DEFAULT_SUMMARY_PROMPT;
  // The recipient's model reflects (the sender's when the recipient has none), as in AG2.
  const agent = recipient.hasModel ? recipient : sender;
  if (!agent.hasModel) {
    throw new ValidationError(
      'summaryMethod "reflection_with_llm" needs a model on the recipient or the sender',
      {
        code: "invalid_config",
      },
    );
  }
  const messages = [...recipient.chatMessagesForSummary(sender), { role, content: prompt }];
  const reply = await agent.callModel(messages, { signal: options.signal });
  return typeof reply === "string" ? reply : contentText(reply.content ?? null);
}

/** Runs a chat from `sender` to `recipient` (see {@link ConversableAgent.initiateChat}). */
export async function initiateChat(
  sender: ConversableAgent,
  recipient: ConversableAgent,
  options: ChatOptions,
): Promise<ChatResult> {
  const clearHistory = options.clearHistory ?? true;
  const { maxTurns, silent, signal } = options;
  if (maxTurns !== undefined && (!Number.isInteger(maxTurns) || maxTurns < 0)) {
    throw new ValidationError("initiateChat: maxTurns must be a non-negative integer");
  }
  if (maxTurns !== undefined) {
    sender.prepareChat(recipient, clearHistory, true, false);
    for (let turn = 0; turn < maxTurns; turn++) {
      const next =
        turn === 0
          ? await firstMessage(sender, recipient, options)
          : await sender.generateReply({
              messages: sender.conversation(recipient),
              sender: recipient,
              signal,
            });
      if (next === null) break;
      await sender.send(next, recipient, { requestReply: true, silent, signal });
    }
  } else {
    sender.prepareChat(recipient, clearHistory);
    await sender.send(await firstMessage(sender, recipient, options), recipient, { silent, signal });
  }
  const summary = await summarize(sender, recipient, options);
  return {
    chatHistory: sender.conversation(recipient),
    summary,
    cost: gatherUsageSummary([sender, recipient]),
    humanInput: [...sender.humanInput],
  };
}

/**
 * Runs chats in order; each chat's carry-over gets the summaries of the chats before it (less those in
 * `finishedChatIndexesToExclude`). Every item needs a `sender`.
 */
export async function initiateChatsFrom(queue: readonly ChatQueueItem[]): Promise<ChatResult[]> {
  const finished: ChatResult[] = [];
  for (const [index, item] of queue.entries()) {
    const { sender, recipient, finishedChatIndexesToExclude = [], ...options } = item;
    if (sender === undefined) throw new ValidationError(`initiateChats: chat ${index} has no sender`);
    const own =
      item.carryover === undefined
        ? []
        : typeof item.carryover === "string"
          ? [item.carryover]
          : [...item.carryover];
    const carried = finished
      .filter((_, i) => !finishedChatIndexesToExclude.includes(i))
      .map((r) => r.summary);
    const carryover = [...own, ...carried];
    finished.push(
      await sender.initiateChat(recipient, { ...options, ...(carryover.length > 0 ? { carryover } : {}) }),
    );
  }
  return finished;
}

/** Runs a queue of chats with carry-over (AG2's module-level `initiate_chats`). */
export function initiateChats(
  queue: readonly (ChatQueueItem & { readonly sender: ConversableAgent })[],
): Promise<ChatResult[]> {
  return initiateChatsFrom(queue);
}
