/**
 * What a trial's record keeps of a run: the answer, the tool calls, the usage per agent, and the
 * messages without their volatile fields (ids, times), so that a replayed run's record is the same.
 */
import type { BaseAgentMessage } from "@autogen-ts/agentchat";
import type { RequestUsage } from "@autogen-ts/core";
import type { TrialToolCall, UsageTotals } from "./types.js";

/** Zero usage. */
export function emptyUsage(): UsageTotals {
  return { promptTokens: 0, completionTokens: 0, costUsd: 0, calls: 0 };
}

/** Adds `usage` (a request's, or totals) into `into`. */
export function addUsage(into: UsageTotals, usage: RequestUsage | UsageTotals): void {
  into.promptTokens += usage.promptTokens;
  into.completionTokens += usage.completionTokens;
  // Rounded to a billionth of a dollar: sums of float prices then read the same in every record.
  into.costUsd = Math.round((into.costUsd + (usage.costUsd ?? 0)) * 1e9) / 1e9;
  into.calls += "calls" in usage ? usage.calls : 1;
}

/** The JSON form of a message without `id` and `createdAt`. */
export function stableMessage(message: BaseAgentMessage): Record<string, unknown> {
  const { id: _id, createdAt: _createdAt, ...rest } = message.toJSON();
  return rest;
}

/** The answer: the text of the last chat message not from the user. */
export function finalOutput(messages: readonly BaseAgentMessage[]): string {
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i] as BaseAgentMessage;
    if (m.kind === "chat" && m.source !== "user")
      return (m as unknown as { toModelText(): string }).toModelText();
  }
  return "";
}

interface CallLike {
  readonly id: string;
  readonly name: string;
  readonly arguments: string;
}
interface ResultLike {
  readonly callId: string;
  readonly content: string;
  readonly isError?: boolean;
}

/** Every tool call of the run, with its result where the run has one. */
export function toolCallsOf(messages: readonly BaseAgentMessage[]): TrialToolCall[] {
  const results = new Map<string, ResultLike>();
  for (const m of messages) {
    if (m.type !== "ToolCallExecutionEvent") continue;
    for (const r of (m as unknown as { content: readonly ResultLike[] }).content) results.set(r.callId, r);
  }
  const out: TrialToolCall[] = [];
  for (const m of messages) {
    if (m.type !== "ToolCallRequestEvent") continue;
    for (const c of (m as unknown as { content: readonly CallLike[] }).content) {
      const r = results.get(c.id);
      out.push({
        agent: m.source,
        name: c.name,
        arguments: c.arguments,
        ...(r === undefined ? {} : { result: r.content, isError: r.isError === true }),
      });
    }
  }
  return out;
}

/** Usage in total and per agent, from the usage the messages carry. */
export function usageOf(messages: readonly BaseAgentMessage[]): {
  usage: UsageTotals;
  byAgent: Record<string, UsageTotals>;
} {
  const usage = emptyUsage();
  const byAgent: Record<string, UsageTotals> = {};
  for (const m of messages) {
    if (m.modelsUsage === undefined) continue;
    addUsage(usage, m.modelsUsage);
    byAgent[m.source] ??= emptyUsage();
    addUsage(byAgent[m.source] as UsageTotals, m.modelsUsage);
  }
  return { usage, byAgent };
}
