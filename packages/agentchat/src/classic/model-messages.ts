/**
 * Classic messages to and from core's model messages: an agent's conversation (its own messages as
 * `assistant`, received ones as `user`, tool results as `tool`) becomes the `LLMMessage` list a
 * `ChatCompletionClient` reads, and a `CreateResult` becomes a classic reply.
 */
import type { CreateResult, FunctionExecutionResult, LLMMessage, UserContentPart } from "@autogen-ts/core";
import type { ClassicMessage, ContentPart, MessageInput } from "./types.js";
import { contentText } from "./types.js";

function userContent(content: ClassicMessage["content"]): string | UserContentPart[] {
  if (content === null) return "";
  if (typeof content === "string") return content;
  return content.map((part: ContentPart) =>
    part.type === "text" ? part.text : { type: "image" as const, url: part.image_url.url },
  );
}

/** The name of the tool a call id belongs to, looked up in the earlier messages. */
function toolNameFor(callId: string | undefined, earlier: readonly ClassicMessage[]): string {
  if (callId === undefined) return "";
  for (let i = earlier.length - 1; i >= 0; i--) {
    const call = earlier[i]?.toolCalls?.find((c) => c.id === callId);
    if (call !== undefined) return call.name;
  }
  return "";
}

/** The model's view of a conversation: the system message, then each message in its role. */
export function toLlmMessages(systemMessage: string, messages: readonly ClassicMessage[]): LLMMessage[] {
  const out: LLMMessage[] = [];
  if (systemMessage !== "") out.push({ type: "SystemMessage", content: systemMessage });
  messages.forEach((m, index) => {
    const source = m.name ?? (m.role === "assistant" ? "assistant" : "user");
    // Tool results go to the model as results of its calls; a person's answer that interrupted the calls
    // (role user with toolResponses) follows them, as AG2 sends it.
    if (m.toolResponses !== undefined && m.toolResponses.length > 0) {
      const earlier = messages.slice(0, index);
      const content: FunctionExecutionResult[] = m.toolResponses.map((r) => ({
        content: r.content,
        callId: r.toolCallId ?? "",
        name: toolNameFor(r.toolCallId, earlier),
        isError: false,
      }));
      out.push({ type: "FunctionExecutionResultMessage", content });
      if (m.role === "tool") return;
    }
    if (m.role === "tool") {
      out.push({ type: "UserMessage", content: contentText(m.content), source });
    } else if (m.role === "system") {
      out.push({ type: "SystemMessage", content: contentText(m.content) });
    } else if (m.role === "assistant") {
      if (m.toolCalls !== undefined && m.toolCalls.length > 0) {
        out.push({ type: "AssistantMessage", content: m.toolCalls, source });
      } else if (m.functionCall !== undefined) {
        const call = { id: `call_${m.functionCall.name}`, ...m.functionCall };
        out.push({ type: "AssistantMessage", content: [call], source });
      } else {
        out.push({ type: "AssistantMessage", content: contentText(m.content), source });
      }
    } else {
      // user, function (a legacy function result) and any custom role: input to the model.
      out.push({ type: "UserMessage", content: userContent(m.content), source });
    }
  });
  return out;
}

/** A model's answer as a classic reply: its text, or an assistant message with its tool calls. */
export function replyFromResult(result: CreateResult): MessageInput {
  if (typeof result.content === "string") return result.content;
  return { role: "assistant", content: null, toolCalls: result.content };
}
