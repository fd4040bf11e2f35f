/**
 * One walk over autogen-ts messages for every provider's prompt: a client says what each kind of
 * message becomes on its wire, and this walks the list, flattens what each handler returns, and checks
 * images against the model's capabilities the same way for every client.
 */
import type {
  FunctionCall,
  FunctionExecutionResult,
  Image,
  LLMMessage,
  ModelInfo,
  UserMessage,
} from "@autogen-ts/core";
import { ModelError } from "@autogen-ts/core";

/** What a handler gives back: one wire message, several, or none. */
export type Converted<Out> = Out | readonly Out[] | undefined;

/** What each kind of message becomes on a provider's wire. */
export interface MessageConverter<Out> {
  readonly system: (content: string) => Converted<Out>;
  readonly user: (message: UserMessage) => Converted<Out>;
  /** An assistant reply in words. */
  readonly assistantText: (content: string) => Converted<Out>;
  /** An assistant reply that calls tools. */
  readonly toolCalls: (calls: readonly FunctionCall[]) => Converted<Out>;
  readonly toolResults: (results: readonly FunctionExecutionResult[]) => Converted<Out>;
}

/** `messages` on a provider's wire, as `to` says. */
export function convertMessages<Out>(messages: readonly LLMMessage[], to: MessageConverter<Out>): Out[] {
  const out: Out[] = [];
  for (const m of messages) {
    let converted: Converted<Out>;
    switch (m.type) {
      case "SystemMessage":
        converted = to.system(m.content);
        break;
      case "UserMessage":
        converted = to.user(m);
        break;
      case "AssistantMessage":
        converted = typeof m.content === "string" ? to.assistantText(m.content) : to.toolCalls(m.content);
        break;
      case "FunctionExecutionResultMessage":
        converted = to.toolResults(m.content);
        break;
    }
    if (converted === undefined) continue;
    if (Array.isArray(converted)) out.push(...(converted as readonly Out[]));
    else out.push(converted as Out);
  }
  return out;
}

/**
 * A user message's parts as a provider's parts: text through `text`, images through `image` once the
 * model is known to accept them (otherwise a `model_capability` error, before anything is sent).
 */
export function userParts<P>(
  message: UserMessage,
  info: ModelInfo | undefined,
  text: (text: string) => P | undefined,
  image: (image: Image) => P,
): P[] {
  const parts: P[] = [];
  for (const part of typeof message.content === "string" ? [message.content] : message.content) {
    if (typeof part === "string") {
      const converted = text(part);
      if (converted !== undefined) parts.push(converted);
      continue;
    }
    if (info !== undefined && !info.vision) {
      throw new ModelError("model_capability", `Model family ${info.family} does not accept images`);
    }
    parts.push(image(part));
  }
  return parts;
}
