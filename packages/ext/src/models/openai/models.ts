/**
 * What autogen-ts knows about OpenAI's models (and a few popular ones reached through OpenAI-compatible
 * endpoints): capabilities, context window and list prices in USD per million tokens. Names are looked
 * up leniently, so `gpt-4o-2024-08-06` finds `gpt-4o`. Prices change; pass `prices` to a client to use
 * your own.
 */
import type { ModelInfo, ModelPrice } from "@autogen-ts/core";

/** One known model. */
export interface KnownModel {
  readonly info: ModelInfo;
  readonly contextSize: number;
  readonly price?: ModelPrice;
}

const all = (family: string, vision = true): ModelInfo => ({
  vision,
  functionCalling: true,
  jsonOutput: true,
  structuredOutput: true,
  family,
  multipleSystemMessages: true,
});

const legacy = (family: string, vision: boolean): ModelInfo => ({
  vision,
  functionCalling: true,
  jsonOutput: true,
  structuredOutput: false,
  family,
  multipleSystemMessages: true,
});

/** The built-in table (list prices as of late 2025). */
export const OPENAI_MODELS: Readonly<Record<string, KnownModel>> = {
  "gpt-5": {
    info: all("gpt-5"),
    contextSize: 400_000,
    price: { input: 1.25, cachedInput: 0.125, output: 10 },
  },
  "gpt-5-mini": {
    info: all("gpt-5"),
    contextSize: 400_000,
    price: { input: 0.25, cachedInput: 0.025, output: 2 },
  },
  "gpt-5-nano": {
    info: all("gpt-5"),
    contextSize: 400_000,
    price: { input: 0.05, cachedInput: 0.005, output: 0.4 },
  },
  "gpt-4.1": {
    info: all("gpt-41"),
    contextSize: 1_047_576,
    price: { input: 2, cachedInput: 0.5, output: 8 },
  },
  "gpt-4.1-mini": {
    info: all("gpt-41"),
    contextSize: 1_047_576,
    price: { input: 0.4, cachedInput: 0.1, output: 1.6 },
  },
  "gpt-4.1-nano": {
    info: all("gpt-41"),
    contextSize: 1_047_576,
    price: { input: 0.1, cachedInput: 0.025, output: 0.4 },
  },
  "gpt-4.5-preview": {
    info: all("gpt-45"),
    contextSize: 128_000,
    price: { input: 75, cachedInput: 37.5, output: 150 },
  },
  "gpt-4o": {
    info: all("gpt-4o"),
    contextSize: 128_000,
    price: { input: 2.5, cachedInput: 1.25, output: 10 },
  },
  "gpt-4o-mini": {
    info: all("gpt-4o"),
    contextSize: 128_000,
    price: { input: 0.15, cachedInput: 0.075, output: 0.6 },
  },
  "gpt-4-turbo": { info: legacy("gpt-4", true), contextSize: 128_000, price: { input: 10, output: 30 } },
  "gpt-4": { info: legacy("gpt-4", false), contextSize: 8_192, price: { input: 30, output: 60 } },
  "gpt-3.5-turbo": { info: legacy("gpt-35", false), contextSize: 16_385, price: { input: 0.5, output: 1.5 } },
  o1: { info: all("o1"), contextSize: 200_000, price: { input: 15, cachedInput: 7.5, output: 60 } },
  "o1-mini": {
    info: { ...all("o1", false), functionCalling: false, structuredOutput: false },
    contextSize: 128_000,
    price: { input: 1.1, cachedInput: 0.55, output: 4.4 },
  },
  o3: { info: all("o3"), contextSize: 200_000, price: { input: 2, cachedInput: 0.5, output: 8 } },
  "o3-mini": {
    info: all("o3", false),
    contextSize: 200_000,
    price: { input: 1.1, cachedInput: 0.55, output: 4.4 },
  },
  "o4-mini": {
    info: all("o4"),
    contextSize: 200_000,
    price: { input: 1.1, cachedInput: 0.275, output: 4.4 },
  },
  "gemini-2.5-pro": {
    info: all("gemini-2.5-pro"),
    contextSize: 1_048_576,
    price: { input: 1.25, output: 10 },
  },
  "gemini-2.5-flash": {
    info: all("gemini-2.5-flash"),
    contextSize: 1_048_576,
    price: { input: 0.3, output: 2.5 },
  },
  "gemini-2.0-flash": {
    info: all("gemini-2.0-flash"),
    contextSize: 1_048_576,
    price: { input: 0.1, output: 0.4 },
  },
};

/** Model name to capabilities, for `resolveModelInfo`. */
export const OPENAI_MODEL_INFO: Readonly<Record<string, ModelInfo>> = Object.fromEntries(
  Object.entries(OPENAI_MODELS).map(([name, m]) => [name, m.info]),
);

/** Model name to price, for `withCost`. */
export const OPENAI_PRICES: Readonly<Record<string, ModelPrice>> = Object.fromEntries(
  Object.entries(OPENAI_MODELS).flatMap(([name, m]) => (m.price ? [[name, m.price]] : [])),
);
