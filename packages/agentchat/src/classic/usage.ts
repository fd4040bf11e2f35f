/**
 * Usage summaries (AG2's `gather_usage_summary`): tokens and cost per model, over one agent's calls or
 * several agents'.
 */
import type { RequestUsage } from "@autogen-ts/core";
import type { ChatCost, UsageSummary } from "./types.js";

/** One model call's usage, as an agent records it. */
export interface UsageRecord {
  readonly model: string;
  readonly usage: RequestUsage;
  readonly cached: boolean;
}

/** Sums usage records per model; without `includeCached`, answers served from a cache are left out. */
export function summarizeUsage(records: readonly UsageRecord[], includeCached: boolean): UsageSummary {
  const summary: UsageSummary = { totalCost: 0, byModel: {} };
  for (const { model, usage, cached } of records) {
    if (cached && !includeCached) continue;
    const entry = summary.byModel[model] ?? { cost: 0, promptTokens: 0, completionTokens: 0, totalTokens: 0 };
    summary.byModel[model] = entry;
    const cost = usage.costUsd ?? 0;
    entry.cost += cost;
    entry.promptTokens += usage.promptTokens;
    entry.completionTokens += usage.completionTokens;
    entry.totalTokens += usage.promptTokens + usage.completionTokens;
    summary.totalCost += cost;
  }
  return summary;
}

/** The cost of several agents' model calls, with and without cached answers. */
export function gatherUsageSummary(
  agents: readonly { readonly usageRecords: readonly UsageRecord[] }[],
): ChatCost {
  const records = [...new Set(agents)].flatMap((a) => a.usageRecords);
  return {
    usageIncludingCachedInference: summarizeUsage(records, true),
    usageExcludingCachedInference: summarizeUsage(records, false),
  };
}
