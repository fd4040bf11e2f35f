/**
 * Cost in US dollars from token usage and a price table. Prices are per million tokens, the way
 * providers publish them; a user's own table entries override the built-in ones.
 */
import { lookupModel } from "./model-table.js";
import type { RequestUsage } from "./types.js";

/** Prices of one model in USD per million tokens. */
export interface ModelPrice {
  /** Uncached prompt tokens. */
  readonly input: number;
  /** Prompt tokens read from the provider's cache (default: the `input` price). */
  readonly cachedInput?: number;
  /** Prompt tokens written to the provider's cache (Anthropic; default: the `input` price). */
  readonly cacheWrite?: number;
  /** Completion tokens, reasoning included. */
  readonly output: number;
}

/** Model name to price; looked up with {@link lookupModel}, so dated variants find their base model. */
export type PriceTable = Readonly<Record<string, ModelPrice>>;

/** The cost of `usage` at `price`, in USD. */
export function costOf(usage: RequestUsage, price: ModelPrice): number {
  const cached = usage.cachedPromptTokens ?? 0;
  const written = usage.cacheCreationTokens ?? 0;
  const fresh = Math.max(0, usage.promptTokens - cached - written);
  const micro =
    fresh * price.input +
    cached * (price.cachedInput ?? price.input) +
    written * (price.cacheWrite ?? price.input) +
    usage.completionTokens * price.output;
  return micro / 1_000_000;
}

/**
 * `usage` with `costUsd` filled in when `model` has a price in `override` (checked first) or `table`;
 * unchanged otherwise.
 */
export function withCost(
  usage: RequestUsage,
  model: string,
  table: PriceTable,
  override?: PriceTable | ModelPrice,
): RequestUsage {
  let price: ModelPrice | undefined;
  if (override && typeof (override as ModelPrice).input === "number") price = override as ModelPrice;
  else if (override) price = lookupModel(model, override as PriceTable);
  price ??= lookupModel(model, table);
  return price ? { ...usage, costUsd: costOf(usage, price) } : usage;
}
