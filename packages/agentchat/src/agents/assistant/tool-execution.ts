/**
 * The tool calls of one model reply, each inside an `execute_tool` span, at most
 * `maxConcurrentToolCalls` at once. Every failure the model can act on becomes an error result.
 */

import type { FunctionCall, FunctionExecutionResult, Tool, ToolResult } from "@autogen-ts/core";
import { CancelledError, mapConcurrent, toolResultText } from "@autogen-ts/core";
import { findInputRequired } from "../../durable/errors.js";
import type { RunJournal } from "../../durable/journal.js";
import { findGuardrailError } from "../../guardrails/errors.js";
import { recordError, recordErrorType, runInContext, startToolSpan } from "../../tracing/genai.js";
import type { Handoff } from "../handoff.js";
import type { AgentParts, TurnScope } from "./parts.js";
import { knownToolNames, type ToolIndex } from "./tool-index.js";

/**
 * Runs the calls concurrently and adds their results to the model context. On cancellation the context
 * still gets a result per call (so it stays well-formed) and the turn rejects.
 */
export async function executeCalls(
  parts: AgentParts,
  calls: readonly FunctionCall[],
  index: ToolIndex,
  scope: TurnScope,
): Promise<FunctionExecutionResult[]> {
  const journal = scope.journal;
  const execute =
    journal === undefined
      ? (c: FunctionCall) => executeCall(parts, c, index, scope, undefined)
      : (c: FunctionCall) =>
          journal.tool(c, index.tools.get(c.name)?.idempotent !== false, () =>
            executeCall(parts, c, index, scope, journal.scope(`tool:${c.id}`)),
          );
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
      invoke(call, tool, handoff, index, signal, journal),
    );
    const content = toolResultText(result);
    if (result.isError) recordErrorType(span.span, "tool_error", content);
    return { content, name: call.name, callId: call.id, isError: result.isError };
  } catch (error) {
    recordError(span.span, error);
    // Cancellation, a tool that waits for a person (an approval in a durable run) and a guardrail that
    // stops the run (a tool allowlist, an approval nobody can give) end the turn.
    if (CancelledError.isInstance(error) || signal?.aborted) throw error;
    if (findInputRequired(error) || findGuardrailError(error)) throw error;
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
  journal: RunJournal | undefined,
): Promise<ToolResult> | ToolResult {
  if (handoff !== undefined) {
    return { name: call.name, result: [{ type: "text", text: handoff.message }], isError: false };
  }
  // The journal scope of the call lets tool middleware ask a person durably (see guardrails/tools.ts).
  const options = {
    callId: call.id,
    ...(signal === undefined ? {} : { signal }),
    ...(journal === undefined ? {} : { journal }),
  };
  if (tool !== undefined) return tool.call(call.arguments, options);
  const workbench = index.workbenches.get(call.name);
  if (workbench !== undefined) return workbench.callTool(call.name, call.arguments, options);
  const known = knownToolNames(index);
  return {
    name: call.name,
    result: [
      {
        type: "text",
        text: `Error: there is no tool named "${call.name}". Available tools: ${known.join(", ") || "none"}.`,
      },
    ],
    isError: true,
  };
}
