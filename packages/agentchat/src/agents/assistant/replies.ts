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
import { describeValidationError, ModelError, parseStructuredOutput } from "@autogen-ts/core";
import type { BaseChatMessage } from "../../messages/base.js";
import {
  HandoffMessage,
  StructuredMessage,
  TextMessage,
  ToolCallSummaryMessage,
} from "../../messages/chat.js";
import type { Handoff } from "../handoff.js";
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
  // A client that parsed the reply already hands it over; otherwise parse it here. Either way a reply that
  // does not fit the schema is a ModelError (`model_output`) naming the failing fields.
  const parsed = result.parsed !== undefined ? result.parsed : parseStructuredOutput(text, outputType);
  const checked = outputType.safeParse(parsed);
  if (!checked.success) {
    throw new ModelError(
      "model_output",
      `AssistantAgent '${parts.name}': the model's reply does not match the output schema: ` +
        describeValidationError(checked.error),
      { cause: checked.error, details: { content: text } },
    );
  }
  return new StructuredMessage<Out>({
    ...base,
    content: checked.data,
    ...(outputFormat === undefined ? {} : { format: outputFormat }),
  });
}

function summaryLine(settings: Settings, call: FunctionCall, r: FunctionExecutionResult): string {
  if (settings.summaryFormatter !== undefined) return settings.summaryFormatter(call, r);
  return settings.summaryFormat.replace(/\{(toolName|arguments|result|isError)\}/g, (_m, key: string) => {
    if (key === "toolName") return call.name;
    if (key === "arguments") return call.arguments;
    if (key === "result") return r.content;
    return String(r.isError);
  });
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
 * travel with it, so the target sees what was done.
 */
export function handoffMessage(
  parts: AgentParts,
  handoff: Handoff,
  calls: readonly FunctionCall[],
  results: readonly FunctionExecutionResult[],
  isHandoff: (call: FunctionCall) => boolean,
): HandoffMessage {
  const otherCalls = calls.filter((c) => !isHandoff(c));
  const otherIds = new Set(otherCalls.map((c) => c.id));
  const context: LLMMessage[] =
    otherCalls.length === 0
      ? []
      : [
          { type: "AssistantMessage", content: otherCalls, source: parts.name },
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
