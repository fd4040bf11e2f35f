/**
 * The usage of a run, in its `TaskResult`: tokens and cost in total, per agent (from the usage each
 * message carries) and per model (the model client of the agent that spent it).
 */
import type { RequestUsage } from "@autogen-ts/core";
import type { BaseAgentMessage } from "../messages/base.js";
import { modelName } from "../tracing/genai.js";

/** Tokens, cost and model calls. */
export interface UsageTotals {
  readonly promptTokens: number;
  readonly completionTokens: number;
  /** US dollars, where the model clients know the prices (0 otherwise). */
  readonly costUsd: number;
  /** Model calls (messages that carried usage). */
  readonly calls: number;
}

/** A run's usage. */
export interface RunUsage {
  readonly total: UsageTotals;
  readonly byAgent: Readonly<Record<string, UsageTotals>>;
  /** By the model name the agents' clients report; `unknown` where an agent has no client known here. */
  readonly byModel: Readonly<Record<string, UsageTotals>>;
}

type Mutable = { promptTokens: number; completionTokens: number; costUsd: number; calls: number };

function add(into: Record<string, Mutable>, key: string, usage: RequestUsage): void {
  into[key] ??= { promptTokens: 0, completionTokens: 0, costUsd: 0, calls: 0 };
  const t = into[key] as Mutable;
  t.promptTokens += usage.promptTokens;
  t.completionTokens += usage.completionTokens;
  // Rounded to a billionth of a dollar, so sums of float prices read the same however they were added.
  t.costUsd = Math.round((t.costUsd + (usage.costUsd ?? 0)) * 1e9) / 1e9;
  t.calls += 1;
}

/** The model of each agent of a team (nested teams included), by agent name. */
export function modelsOf(participants: readonly unknown[]): Map<string, string> {
  const out = new Map<string, string>();
  const visit = (p: unknown, depth: number) => {
    if (depth > 8 || typeof p !== "object" || p === null) return;
    const agent = p as { name?: unknown; modelClient?: unknown; participants?: readonly unknown[] };
    const client = agent.modelClient as Parameters<typeof modelName>[0] | undefined;
    if (typeof agent.name === "string" && client?.modelInfo !== undefined)
      out.set(agent.name, modelName(client));
    for (const inner of agent.participants ?? []) visit(inner, depth + 1);
  };
  for (const p of participants) visit(p, 0);
  return out;
}

/** Sums the usage the messages carry, in total, per agent and per model. */
export function runUsage(
  messages: readonly BaseAgentMessage[],
  models: ReadonlyMap<string, string> = new Map(),
): RunUsage {
  const total: Record<string, Mutable> = {};
  const byAgent: Record<string, Mutable> = {};
  const byModel: Record<string, Mutable> = {};
  for (const m of messages) {
    if (m.modelsUsage === undefined) continue;
    add(total, "all", m.modelsUsage);
    add(byAgent, m.source, m.modelsUsage);
    add(byModel, models.get(m.source) ?? "unknown", m.modelsUsage);
  }
  return {
    total: total.all ?? { promptTokens: 0, completionTokens: 0, costUsd: 0, calls: 0 },
    byAgent,
    byModel,
  };
}
