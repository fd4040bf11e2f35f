import { describe, expect, it } from "vitest";
import { DEFAULT_MODEL_INFO, lookupModel, resolveModelInfo } from "../../src/models/model-table.js";
import { costOf, withCost } from "../../src/models/pricing.js";
import type { ModelInfo } from "../../src/models/types.js";
import { addUsage, emptyUsage, sumUsage, UsageTracker } from "../../src/models/usage.js";

const info: ModelInfo = {
  vision: true,
  functionCalling: true,
  jsonOutput: true,
  structuredOutput: true,
  family: "gpt-4o",
};
const mini: ModelInfo = { ...info, family: "gpt-4o-mini" };

describe("usage arithmetic", () => {
  it("adds required counters and keeps optional ones only where reported", () => {
    expect(
      addUsage({ promptTokens: 1, completionTokens: 2 }, { promptTokens: 3, completionTokens: 4 }),
    ).toEqual({
      promptTokens: 4,
      completionTokens: 6,
    });
    expect(
      addUsage(
        { promptTokens: 10, completionTokens: 2, cachedPromptTokens: 4, costUsd: 0.5 },
        { promptTokens: 1, completionTokens: 1, reasoningTokens: 1, cacheCreationTokens: 3 },
      ),
    ).toEqual({
      promptTokens: 11,
      completionTokens: 3,
      cachedPromptTokens: 4,
      cacheCreationTokens: 3,
      reasoningTokens: 1,
      costUsd: 0.5,
    });
    expect(sumUsage([])).toEqual(emptyUsage());
  });

  it("tracks the last call and the total", () => {
    const t = new UsageTracker();
    t.record({ promptTokens: 5, completionTokens: 1 });
    t.record({ promptTokens: 7, completionTokens: 2, costUsd: 0.25 });
    expect(t.last()).toEqual({ promptTokens: 7, completionTokens: 2, costUsd: 0.25 });
    expect(t.total()).toEqual({ promptTokens: 12, completionTokens: 3, costUsd: 0.25 });
    t.reset();
    expect(t.total()).toEqual(emptyUsage());
  });
});

describe("model tables", () => {
  const table = { "gpt-4o": info, "gpt-4o-mini": mini };

  it("finds exact, dated, tagged and provider-prefixed names, preferring the longest key", () => {
    expect(lookupModel("gpt-4o", table)).toBe(info);
    expect(lookupModel("gpt-4o-2024-08-06", table)).toBe(info);
    expect(lookupModel("gpt-4o-mini-2024-07-18", table)).toBe(mini);
    expect(lookupModel("openai/gpt-4o-mini", table)).toBe(mini);
    expect(lookupModel("gpt-4", table)).toBeUndefined();
    expect(lookupModel("gpt-4omni", table)).toBeUndefined();
  });

  it("applies overrides, and gives an unknown model the defaults with one warning", () => {
    expect(resolveModelInfo("gpt-4o", table, { vision: false })).toEqual({ ...info, vision: false });
    const warnings: string[] = [];
    const warn = (m: string) => warnings.push(m);
    const a = resolveModelInfo("my-local-llama", table, undefined, { warn, clientName: "Test" });
    const b = resolveModelInfo("my-local-llama", table, { family: "llama" }, { warn, clientName: "Test" });
    expect(a).toEqual(DEFAULT_MODEL_INFO);
    expect(b.family).toBe("llama");
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('unknown model "my-local-llama"');
    expect(warnings[0]).toContain("modelInfo");
    // A complete override needs no warning.
    resolveModelInfo(
      "other-model",
      table,
      { vision: true, functionCalling: false, jsonOutput: false, structuredOutput: false },
      { warn },
    );
    expect(warnings).toHaveLength(1);
  });
});

describe("pricing", () => {
  const table = { "gpt-4o": { input: 2.5, cachedInput: 1.25, output: 10 } };

  it("prices fresh, cached and written prompt tokens and completion tokens per million", () => {
    expect(costOf({ promptTokens: 1_000_000, completionTokens: 1_000_000 }, { input: 1, output: 2 })).toBe(3);
    const usage = { promptTokens: 1000, completionTokens: 100, cachedPromptTokens: 400 };
    expect(costOf(usage, table["gpt-4o"])).toBeCloseTo((600 * 2.5 + 400 * 1.25 + 100 * 10) / 1e6, 12);
    expect(
      costOf(
        { promptTokens: 100, completionTokens: 0, cacheCreationTokens: 100 },
        { input: 3, cacheWrite: 3.75, output: 15 },
      ),
    ).toBeCloseTo((100 * 3.75) / 1e6, 12);
  });

  it("fills costUsd from the table or a user override, and leaves unknown models alone", () => {
    const usage = { promptTokens: 1_000_000, completionTokens: 0 };
    expect(withCost(usage, "gpt-4o-2024-11-20", table).costUsd).toBe(2.5);
    expect(withCost(usage, "gpt-4o", table, { "gpt-4o": { input: 1, output: 1 } }).costUsd).toBe(1);
    expect(withCost(usage, "gpt-4o", table, { input: 0.5, output: 1 }).costUsd).toBe(0.5);
    expect(withCost(usage, "mystery", table)).toEqual(usage);
  });
});
