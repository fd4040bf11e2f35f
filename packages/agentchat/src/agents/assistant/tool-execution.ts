/**
 * The tool calls of one model reply, each inside an `execute_tool` span, at most
 * `maxConcurrentToolCalls` at once. Every failure the model can act on becomes an error result.
 */

import type { FunctionCall, FunctionExecutionResult, Tool, ToolResult } from "@autogen-ts/core";
import { CancelledError, mapConcurrent, toolResultText } from "@autogen-ts/core";
import { findInputRequired } from "../../durable/errors.js";
import type { RunJournal } from "../../durable/journal.js";
import { findGuardrailError } from "../../guardrails/errors.js";
import type { BaseAgentMessage } from "../../messages/base.js";
import { isAgentEvent, isChatMessage } from "../../messages/base.js";
import { recordError, recordErrorType, runInContext, startToolSpan } from "../../tracing/genai.js";
import { unknownToolText } from "../assistant-checks.js";
import type { Handoff } from "../handoff.js";
import { refusedCalls } from "../tool-approval.js";
import type { AgentParts, TurnScope } from "./parts.js";
import type { ToolIndex } from "./tool-index.js";

/**
 * Runs the calls concurrently and adds their results to the model context. On cancellation the context
 * still gets a result per call (so it stays well-formed) and the turn rejects.
 */
export async function executeCalls(
  parts: AgentParts,
  calls: readonly FunctionCall[],
  index: ToolIndex,
  scope: TurnScope,
  emit: (m: BaseAgentMessage) => void,
): Promise<FunctionExecutionResult[]> {
  const journal = scope.journal;
  // What a streaming tool (AgentTool, TeamTool) produces while it runs is this turn's too, as in AutoGen.
  const onEvent = (event: unknown): void => {
    if (isChatMessage(event) || isAgentEvent(event)) emit(event);
  };
  // Calls of tools that need approval and were refused become results; the rest run.
  const refused = await refusedCalls(
    calls,
    index.tools,
    parts.settings.toolApprovalFunc,
    journal,
    scope.signal,
  );
  const run =
    journal === undefined
      ? (c: FunctionCall) => executeCall(parts, c, index, scope, onEvent, undefined)
      : (c: FunctionCall) =>
          journal.tool(c, index.tools.get(c.name)?.idempotent !== false, () =>
            executeCall(parts, c, index, scope, onEvent, journal.scope(`tool:${c.id}`)),
          );
  const execute = async (c: FunctionCall) => refused.get(c.id) ?? run(c);
  let results: FunctionExecutionResult[];
  try {
    results = await mapConcurrent(calls, parts.settings.maxConcurrentToolCalls, execute);
  } catch (error) {
    await parts.modelContext.addMessage({
      type: "FunctionExecutionResultMessage",
      content: calls.map((c) => ({
        content: "Error: the call was cancelled before it finished.",
        name: c.name,
        callId: c.id,
        isError: true,
      })),
    });
    throw error;
  }
  await parts.modelContext.addMessage({ type: "FunctionExecutionResultMessage", content: results });
  return results;
}

async function executeCall(
  parts: AgentParts,
  call: FunctionCall,
  index: ToolIndex,
  scope: TurnScope,
  onEvent: (event: unknown) => void,
  journal: RunJournal | undefined,
): Promise<FunctionExecutionResult> {
  const { signal } = scope;
  const tool = index.tools.get(call.name);
  const handoff = index.handoffs.get(call.name);
  const span = startToolSpan(
    call.name,
    call.id,
    handoff?.description ?? tool?.description,
    scope.parent,
    parts.settings.tracerProvider,
  );
  try {
    const result = await runInContext(span.context, () =>
      invoke(call, tool, handoff, index, signal, onEvent, journal),
    );
    const content = toolResultText(result);
    if (result.isError) recordErrorType(span.span, "tool_error", content);
    return { content, name: call.name, callId: call.id, isError: result.isError };
  } catch (error) {
    recordError(span.span, error);
    // Cancellation, and a tool that waits for a person (an approval in a durable run), end the turn.
    if (CancelledError.isInstance(error) || signal?.aborted || findInputRequired(error)) throw error;
    // So does a guardrail that stops the run (a tool allowlist, an approval nobody can give).
    if (findGuardrailError(error)) throw error;
    // A tool that broke its contract by throwing still becomes a result the model can read.
    const text = error instanceof Error ? error.message : String(error);
    return { content: `Error: ${text}`, name: call.name, callId: call.id, isError: true };
  } finally {
    span.span.end();
  }
}

function invoke(
  call: FunctionCall,
  tool: Tool | undefined,
  handoff: Handoff | undefined,
  index: ToolIndex,
  signal: AbortSignal | undefined,
  onEvent: (event: unknown) => void,
  journal: RunJournal | undefined,
): Promise<ToolResult> | ToolResult {
  if (handoff !== undefined) {
    return { name: call.name, result: [{ type: "text", text: handoff.message }], isError: false };
  }
  // The journal scope of the call lets tool middleware ask a person durably (see guardrails/tools.ts).
  const options = {
    callId: call.id,
    onEvent,
    ...(signal === undefined ? {} : { signal }),
    ...(journal === undefined ? {} : { journal }),
  };
  if (tool !== undefined) return tool.call(call.arguments, options);
  const workbench = index.workbenches.get(call.name);
  if (workbench !== undefined) return workbench.callTool(call.name, call.arguments, options);
  return { name: call.name, result: [{ type: "text", text: unknownToolText(call.name) }], isError: true };
}
