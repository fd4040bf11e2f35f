/**
 * A token and cost budget per run: a model middleware that adds up each call's usage and stops the run
 * (a {@link GuardrailError}, stage `model`) before the first call made once the budget is spent.
 */
import type { CreateResult, RequestUsage } from "@autogen-ts/core";
import { isCreateResult, ValidationError } from "@autogen-ts/core";
import { GuardrailError } from "./errors.js";
import type { ModelMiddleware } from "./model-middleware.js";

/** Options of {@link tokenBudget}. */
export interface TokenBudgetOptions {
  /** Prompt plus completion tokens. */
  readonly maxTokens?: number;
  /** US dollars, where the client reports cost. */
  readonly maxCostUsd?: number;
  /** Model calls. */
  readonly maxCalls?: number;
}

/** The budget middleware, with what it has counted. */
export interface TokenBudget extends ModelMiddleware {
  readonly options: TokenBudgetOptions;
  /** What the calls so far used. */
  spent(): { tokens: number; costUsd: number; calls: number };
  /** Starts counting again (a new run on the same client). */
  reset(): void;
  /** Changes the limits (raise the budget of a stopped run before continuing it). */
  setLimits(options: TokenBudgetOptions): void;
}

function checkLimits(options: TokenBudgetOptions): TokenBudgetOptions {
  for (const [key, value] of Object.entries(options))
    if (value !== undefined && !(typeof value === "number" && value > 0))
      throw new ValidationError(`tokenBudget: ${key} must be a positive number`);
  if (options.maxTokens === undefined && options.maxCostUsd === undefined && options.maxCalls === undefined)
    throw new ValidationError("tokenBudget needs maxTokens, maxCostUsd or maxCalls");
  return { ...options };
}

/**
 * A budget for the calls through one client (wrap each agent's client with the same budget to share it
 * across a team). A call in flight when the budget runs out completes; the next one is refused. The count
 * lives in this process: a resumed durable run counts afresh from the resume.
 */
export function tokenBudget(initial: TokenBudgetOptions): TokenBudget {
  let options = checkLimits(initial);
  let tokens = 0;
  let cost = 0;
  let calls = 0;
  const check = () => {
    const over =
      options.maxTokens !== undefined && tokens >= options.maxTokens
        ? `${tokens} tokens used of ${options.maxTokens}`
        : options.maxCostUsd !== undefined && cost >= options.maxCostUsd
          ? `$${cost.toFixed(6)} spent of $${options.maxCostUsd}`
          : options.maxCalls !== undefined && calls >= options.maxCalls
            ? `${calls} model calls made of ${options.maxCalls}`
            : undefined;
    if (over !== undefined)
      throw new GuardrailError("token_budget", "model", `the budget is spent: ${over}`, {
        details: { tokens, costUsd: cost, calls },
      });
  };
  const add = (usage: RequestUsage) => {
    tokens += usage.promptTokens + usage.completionTokens;
    cost += usage.costUsd ?? 0;
    calls++;
  };
  return {
    name: "token_budget",
    get options() {
      return options;
    },
    setLimits(next) {
      options = checkLimits(next);
    },
    spent: () => ({ tokens, costUsd: cost, calls }),
    reset: () => {
      tokens = 0;
      cost = 0;
      calls = 0;
    },
    async wrapCreate(request, next) {
      check();
      const result = await next(request);
      add(result.usage);
      return result;
    },
    async *wrapStream(request, next) {
      check();
      for await (const item of next(request)) {
        if (isCreateResult(item)) add((item as CreateResult).usage);
        yield item;
      }
    },
  };
}
