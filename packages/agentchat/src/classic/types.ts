/**
 * The classic (AutoGen 0.2 / AG2) conversation types: the OpenAI-shaped message every classic agent keeps
 * per peer, what a reply can be, the human input modes, and the chat result.
 */
import type { FunctionCall } from "@autogen-ts/core";

/** When an agent asks its person: on every reply, only at termination, or never. */
export type HumanInputMode = "ALWAYS" | "TERMINATE" | "NEVER";

/** One part of a multimodal message content (the OpenAI content-part shape). */
export type ContentPart =
  | { readonly type: "text"; readonly text: string }
  | { readonly type: "image_url"; readonly image_url: { readonly url: string } };

/** The answer to one tool call, as AG2 keeps it in `tool_responses`. */
export interface ToolResponse {
  readonly toolCallId?: string;
  readonly role: "tool";
  readonly content: string;
}

/**
 * A message in a classic conversation (AG2's OpenAI-style dict, camelCased). `role` is the owner's view:
 * `"assistant"` for what the owner sent, `"user"` for what it received, `"tool"`/`"function"` for results.
 */
export interface ClassicMessage {
  role: string;
  content: string | readonly ContentPart[] | null;
  name?: string;
  /** The calls the model asked for (core's {@link FunctionCall}: id, name, raw JSON arguments). */
  toolCalls?: readonly FunctionCall[];
  /** The results of a turn's tool calls. */
  toolResponses?: readonly ToolResponse[];
  /** A legacy (pre-tools) OpenAI function call. */
  functionCall?: { readonly name: string; readonly arguments: string };
  /** Free data carried with the message (AG2's `context`). */
  context?: Readonly<Record<string, unknown>>;
}

/**
 * What can be sent: text, or a partial message with at least `content`, `toolCalls` or `functionCall`.
 * `overrideRole` sets the stored role (AG2's `override_role`).
 */
export type MessageInput = string | (Partial<ClassicMessage> & { readonly overrideRole?: string });

/** Token counts and cost of one model, within a {@link UsageSummary}. */
export interface ModelUsage {
  cost: number;
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
}

/** Usage per model and the total cost in US dollars (AG2's usage summary). */
export interface UsageSummary {
  totalCost: number;
  byModel: Record<string, ModelUsage>;
}

/** The cost of a chat: with and without answers served from a cache. */
export interface ChatCost {
  readonly usageIncludingCachedInference: UsageSummary;
  readonly usageExcludingCachedInference: UsageSummary;
}

/** What {@link ConversableAgent.initiateChat} returns. */
export interface ChatResult {
  /** The initiator's messages with the recipient, oldest first. */
  readonly chatHistory: readonly ClassicMessage[];
  /** The chat's summary (per `summaryMethod`). */
  readonly summary: string;
  /** The model usage of both agents (cumulative, as in AG2). */
  readonly cost: ChatCost;
  /** What the initiator's person typed during the chat. */
  readonly humanInput: readonly string[];
}

/** True when `value` is text or a message with something to send. */
export function isSendable(message: Partial<ClassicMessage>): boolean {
  return (
    (message.content !== undefined && message.content !== null) ||
    (message.toolCalls !== undefined && message.toolCalls.length > 0) ||
    message.functionCall !== undefined
  );
}

/** The text of a message content: text as it is, the text parts of multimodal content joined. */
export function contentText(content: ClassicMessage["content"] | undefined): string {
  if (content === null || content === undefined) return "";
  if (typeof content === "string") return content;
  return content
    .map((part) => (part.type === "text" ? part.text : "<image>"))
    .join("\n")
    .trim();
}

/** An empty usage summary. */
export function emptyUsageSummary(): UsageSummary {
  return { totalCost: 0, byModel: {} };
}
