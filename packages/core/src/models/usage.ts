/**
 * Arithmetic on {@link RequestUsage}: sums across calls, keeping the optional counters (cached,
 * reasoning, cost) only where some call reported them.
 */
import type { RequestUsage } from "./types.js";

/** A usage of zero tokens. */
export function emptyUsage(): RequestUsage {
  return { promptTokens: 0, completionTokens: 0 };
}

function sumOptional(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined && b === undefined) return undefined;
  return (a ?? 0) + (b ?? 0);
}

/** The sum of two usages; an optional counter appears in the result when either side has it. */
export function addUsage(a: RequestUsage, b: RequestUsage): RequestUsage {
  const out: {
    promptTokens: number;
    completionTokens: number;
    cachedPromptTokens?: number;
    cacheCreationTokens?: number;
    reasoningTokens?: number;
    costUsd?: number;
  } = {
    promptTokens: a.promptTokens + b.promptTokens,
    completionTokens: a.completionTokens + b.completionTokens,
  };
  const cached = sumOptional(a.cachedPromptTokens, b.cachedPromptTokens);
  if (cached !== undefined) out.cachedPromptTokens = cached;
  const creation = sumOptional(a.cacheCreationTokens, b.cacheCreationTokens);
  if (creation !== undefined) out.cacheCreationTokens = creation;
  const reasoning = sumOptional(a.reasoningTokens, b.reasoningTokens);
  if (reasoning !== undefined) out.reasoningTokens = reasoning;
  const cost = sumOptional(a.costUsd, b.costUsd);
  if (cost !== undefined) out.costUsd = cost;
  return out;
}

/** The total of any number of usages. */
export function sumUsage(usages: Iterable<RequestUsage>): RequestUsage {
  let total = emptyUsage();
  for (const u of usages) total = addUsage(total, u);
  return total;
}

/**
 * Keeps a client's usage books: the last call's usage and the running total. Every client in autogen-ts
 * uses one, so `actualUsage()` and `totalUsage()` mean the same everywhere.
 */
export class UsageTracker {
  #last: RequestUsage = emptyUsage();
  #total: RequestUsage = emptyUsage();

  /** Records one finished call. */
  record(usage: RequestUsage): void {
    this.#last = usage;
    this.#total = addUsage(this.#total, usage);
  }

  /** Usage of the last recorded call. */
  last(): RequestUsage {
    return this.#last;
  }

  /** Usage of every recorded call. */
  total(): RequestUsage {
    return this.#total;
  }

  /** Forgets everything recorded. */
  reset(): void {
    this.#last = emptyUsage();
    this.#total = emptyUsage();
  }
}
