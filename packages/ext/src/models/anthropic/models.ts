/**
 * What the Claude models can do and what they cost. Looked up with core's `lookupModel`, so a dated
 * snapshot (`claude-sonnet-4-5-20250929`) finds its alias's row (`claude-sonnet-4-5`).
 */
import type { ModelInfo, PriceTable } from "@autogen-ts/core";

/** Limits of one model. */
export interface AnthropicModelLimits {
  /** Context window in tokens. */
  readonly contextWindow: number;
  /** The largest `max_tokens` the model accepts. */
  readonly maxOutputTokens: number;
}

function info(family: string, structuredOutput: boolean): ModelInfo {
  return {
    vision: true,
    functionCalling: true,
    jsonOutput: true,
    structuredOutput,
    family,
    multipleSystemMessages: true,
  };
}

/**
 * Known Claude models. `structuredOutput` marks the models that accept `output_config.format` (native
 * JSON Schema output). The bare `claude` row covers generations newer than this table.
 */
export const ANTHROPIC_MODELS: Readonly<Record<string, ModelInfo>> = {
  claude: info("claude", true),
  "claude-opus-5": info("claude-5-opus", true),
  "claude-sonnet-5": info("claude-5-sonnet", true),
  "claude-haiku-5": info("claude-5-haiku", true),
  "claude-opus-4-8": info("claude-4-8-opus", true),
  "claude-opus-4-7": info("claude-4-7-opus", true),
  "claude-opus-4-6": info("claude-4-6-opus", true),
  "claude-opus-4-5": info("claude-4-5-opus", true),
  "claude-opus-4-1": info("claude-4-opus", true),
  "claude-opus-4": info("claude-4-opus", false),
  "claude-sonnet-4-6": info("claude-4-6-sonnet", true),
  "claude-sonnet-4-5": info("claude-4-5-sonnet", true),
  "claude-sonnet-4": info("claude-4-sonnet", false),
  "claude-haiku-4-5": info("claude-4-5-haiku", true),
  "claude-3-7-sonnet": info("claude-3-7-sonnet", false),
  "claude-3-5-sonnet": info("claude-3-5-sonnet", false),
  "claude-3-5-haiku": info("claude-3-5-haiku", false),
  "claude-3-opus": info("claude-3-opus", false),
  "claude-3-haiku": info("claude-3-haiku", false),
};

/** Context windows and output limits (200k context throughout; output limits differ). */
export const ANTHROPIC_LIMITS: Readonly<Record<string, AnthropicModelLimits>> = {
  claude: { contextWindow: 200_000, maxOutputTokens: 64_000 },
  "claude-opus-4": { contextWindow: 200_000, maxOutputTokens: 32_000 },
  "claude-3-5-sonnet": { contextWindow: 200_000, maxOutputTokens: 8_192 },
  "claude-3-5-haiku": { contextWindow: 200_000, maxOutputTokens: 8_192 },
  "claude-3-opus": { contextWindow: 200_000, maxOutputTokens: 4_096 },
  "claude-3-haiku": { contextWindow: 200_000, maxOutputTokens: 4_096 },
};

/** Anthropic's list prices: a cache read costs a tenth of the input price, a cache write 1.25 times it. */
function price(input: number, output: number) {
  return { input, output, cachedInput: input / 10, cacheWrite: input * 1.25 };
}

/**
 * Prices in USD per million tokens, for the models whose prices this table knows; pass `price` to the
 * client for the others.
 */
export const ANTHROPIC_PRICES: PriceTable = {
  "claude-opus-4-6": price(5, 25),
  "claude-opus-4-5": price(5, 25),
  "claude-opus-4-1": price(15, 75),
  "claude-opus-4": price(15, 75),
  "claude-sonnet-4-6": price(3, 15),
  "claude-sonnet-4-5": price(3, 15),
  "claude-sonnet-4": price(3, 15),
  "claude-haiku-4-5": price(1, 5),
  "claude-3-7-sonnet": price(3, 15),
  "claude-3-5-sonnet": price(3, 15),
  "claude-3-5-haiku": price(0.8, 4),
  "claude-3-opus": price(15, 75),
  "claude-3-haiku": price(0.25, 1.25),
};
