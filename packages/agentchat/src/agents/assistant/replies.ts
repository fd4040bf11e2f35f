/**
 * The messages a turn ends with: the model's text (or structured) reply, a tool-call summary, or a
 * handoff; and the assistant message each model reply adds to the context.
 */

import type {
  AssistantMessage,
  CreateResult,
  FunctionCall,
  FunctionExecutionResult,
  LLMMessage,
} from "@autogen-ts/core";

import type { BaseChatMessage } from "../../messages/base.js";
import {
  HandoffMessage,
  StructuredMessage,
  TextMessage,
  ToolCallSummaryMessage,
} from "../../messages/chat.js";
import type { Handoff } from "../handoff.js";
import { readOutputContent } from "../output-content.js";
import type { ModelCall } from "./model-call.js";
import type { AgentParts } from "./parts.js";
import type { Settings } from "./settings.js";

/** The context's record of one model reply. */
export function assistantMessage(source: string, result: CreateResult): AssistantMessage {
  return result.thought === undefined
    ? { type: "AssistantMessage", content: result.content, source }
    : { type: "AssistantMessage", content: result.content, thought: result.thought, source };
}

/** The final text reply: a TextMessage, or a StructuredMessage parsed by `outputContentType`. */
export function replyMessage<Out>(parts: AgentParts<Out>, call: ModelCall): BaseChatMessage {
  const { result, messageId } = call;
  const { outputType, outputFormat, metadata } = parts.settings;
  const text = result.content as string;
  const base = {
    source: parts.name,
    ...(messageId === undefined ? {} : { id: messageId }),
    modelsUsage: result.usage,
    ...(metadata === undefined ? {} : { metadata }),
  };
  if (outputType === undefined) return new TextMessage({ ...base, content: text });
  // A client that parsed the reply already hands it over; otherwise parse it here (from a code fence or prose,
  // for a model asked by instruction). Either way a reply that does not fit the schema is a ModelError
  // (`model_output`) naming the failing fields.
  const content = readOutputContent(`AssistantAgent '${parts.name}'`, text, result.parsed, outputType);
  return new StructuredMessage<Out>({
    ...base,
    content,
    ...(outputFormat === undefined ? {} : { format: outputFormat }),
  });
}

function summaryLine(settings: Settings, call: FunctionCall, r: FunctionExecutionResult): string {
  if (settings.summaryFormatter !== undefined) return settings.summaryFormatter(call, r);
  // AutoGen's placeholders ({tool_name}, {is_error}, rendered as Python does) and their camelCase forms.
  return settings.summaryFormat.replace(
    /\{(toolName|tool_name|arguments|result|isError|is_error)\}/g,
    (_m, key: string) => {
      if (key === "toolName" || key === "tool_name") return call.name;
      if (key === "arguments") return call.arguments;
      if (key === "result") return r.content;
      if (key === "is_error") return r.isError ? "True" : "False";
      return String(r.isError);
    },
  );
}

/** The reply of a turn that ends on tool results without reflecting on them. */
export function summaryMessage(
  parts: AgentParts,
  calls: readonly FunctionCall[],
  results: readonly FunctionExecutionResult[],
): ToolCallSummaryMessage {
  const byId = new Map(calls.map((c) => [c.id, c]));
  const lines = results.map((r) =>
    summaryLine(parts.settings, byId.get(r.callId) ?? { id: r.callId, name: r.name, arguments: "" }, r),
  );
  const metadata = parts.settings.metadata;
  return new ToolCallSummaryMessage({
    source: parts.name,
    content: lines.join("\n"),
    toolCalls: calls,
    results,
    ...(metadata === undefined ? {} : { metadata }),
  });
}

/**
 * The reply of a turn whose model called a handoff: the other calls of that reply and their results
 * travel with it (with the model's thought), or the thought alone, so the target sees what was done, as
 * AutoGen gives it.
 */
export function handoffMessage(
  parts: AgentParts,
  handoff: Handoff,
  calls: readonly FunctionCall[],
  results: readonly FunctionExecutionResult[],
  isHandoff: (call: FunctionCall) => boolean,
  thought?: string,
): HandoffMessage {
  const otherCalls = calls.filter((c) => !isHandoff(c));
  const otherIds = new Set(otherCalls.map((c) => c.id));
  const said = thought === undefined || thought === "" ? undefined : thought;
  const context: LLMMessage[] =
    otherCalls.length === 0
      ? said === undefined
        ? []
        : [{ type: "AssistantMessage", content: said, source: parts.name }]
      : [
          said === undefined
            ? { type: "AssistantMessage", content: otherCalls, source: parts.name }
            : { type: "AssistantMessage", content: otherCalls, thought: said, source: parts.name },
          { type: "FunctionExecutionResultMessage", content: results.filter((r) => otherIds.has(r.callId)) },
        ];
  const metadata = parts.settings.metadata;
  return new HandoffMessage({
    source: parts.name,
    content: handoff.message,
    target: handoff.target,
    context,
    ...(metadata === undefined ? {} : { metadata }),
  });
}
