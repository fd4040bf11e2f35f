/**
 * The built-in scorers: exact, contains, regex, tool called, tool arguments match, JSON Schema, and
 * custom functions; the LLM judge is in `judge.ts`. Each returns a score in [0, 1] and a pass.
 */
import type { JsonValue } from "@autogen-ts/core";
import { jsonSchemaValidator, ValidationError } from "@autogen-ts/core";
import type { EvalTask, ScoreResult, Scorer, ScorerSpec, TrialOutput } from "./types.js";

const verdict = (passed: boolean, reason?: string): ScoreResult => ({
  score: passed ? 1 : 0,
  passed,
  ...(reason === undefined ? {} : { reason }),
});

function expectedOf(trial: TrialOutput, given: string | undefined, name: string): string {
  const expected = given ?? trial.task.expected;
  if (expected === undefined)
    throw new ValidationError(`task "${trial.task.id}": the ${name} scorer needs 'expected'`, {
      code: "invalid_config",
    });
  return expected;
}

/** The answer equals `expected` (trimmed; case-insensitive unless `caseSensitive`). */
export function exactScorer(options: { expected?: string; caseSensitive?: boolean } = {}): Scorer {
  return {
    name: "exact",
    score(trial) {
      const expected = expectedOf(trial, options.expected, "exact").trim();
      const output = trial.output.trim();
      return verdict(
        options.caseSensitive ? output === expected : output.toLowerCase() === expected.toLowerCase(),
      );
    },
  };
}

/** The answer contains `expected` (case-insensitive unless `caseSensitive`): the default scorer. */
export function containsScorer(options: { expected?: string; caseSensitive?: boolean } = {}): Scorer {
  return {
    name: "contains",
    score(trial) {
      const expected = expectedOf(trial, options.expected, "contains");
      const output = trial.output;
      return verdict(
        options.caseSensitive
          ? output.includes(expected)
          : output.toLowerCase().includes(expected.toLowerCase()),
      );
    },
  };
}

/** The answer matches a regular expression. */
export function regexScorer(options: { pattern: string; flags?: string }): Scorer {
  let re: RegExp;
  try {
    re = new RegExp(options.pattern, options.flags);
  } catch (error) {
    throw new ValidationError(`regex scorer: bad pattern ${JSON.stringify(options.pattern)}`, {
      code: "invalid_config",
      cause: error,
    });
  }
  return { name: "regex", score: (trial) => verdict(re.test(trial.output)) };
}

/** A tool was called (at least `times` times, default once), by any agent. */
export function toolCalledScorer(options: { tool: string; times?: number }): Scorer {
  const times = options.times ?? 1;
  return {
    name: "tool_called",
    score(trial) {
      const n = trial.toolCalls.filter((c) => c.name === options.tool).length;
      return verdict(n >= times, `${options.tool} called ${n} time(s)`);
    },
  };
}

function parseArgs(text: string): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(text) as unknown;
    return typeof value === "object" && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Deep equality of JSON values (numbers by value, objects by keys). */
function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return (
    ka.length === kb.length &&
    ka.every((k) => jsonEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
  );
}

/** Some call of `tool` had these arguments (every key given equal; other keys may be present). */
export function toolArgumentsScorer(options: {
  tool: string;
  arguments: Readonly<Record<string, JsonValue>>;
}): Scorer {
  return {
    name: "tool_arguments",
    score(trial) {
      const calls = trial.toolCalls.filter((c) => c.name === options.tool);
      const ok = calls.some((c) => {
        const args = parseArgs(c.arguments);
        return (
          args !== undefined && Object.entries(options.arguments).every(([k, v]) => jsonEqual(args[k], v))
        );
      });
      return verdict(
        ok,
        ok ? undefined : `no call of ${options.tool} had ${JSON.stringify(options.arguments)}`,
      );
    },
  };
}

/** The answer is JSON valid against a schema (a code fence around it is allowed). */
export function jsonSchemaScorer(options: { schema: Readonly<Record<string, JsonValue>> }): Scorer {
  const validator = jsonSchemaValidator(options.schema as never);
  return {
    name: "json_schema",
    async score(trial) {
      const text = trial.output.trim().replace(/^```(?:json)?\s*([\s\S]*?)\s*```$/, "$1");
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        return verdict(false, "the answer is not JSON");
      }
      const check = await validator;
      if (check === undefined) throw new ValidationError("json_schema scorer: the schema cannot be read");
      const result = check.safeParse(value);
      if (result.success) return verdict(true);
      const issues = (result as { error: { issues: { message: string }[] } }).error.issues;
      return verdict(false, issues.map((i) => i.message).join("; "));
    },
  };
}

/** A scorer from your own function: return a boolean, a number in [0, 1] (passes at 1), or a verdict. */
export function customScorer(
  name: string,
  fn: (trial: TrialOutput) => boolean | number | ScoreResult | Promise<boolean | number | ScoreResult>,
): Scorer {
  return {
    name,
    async score(trial) {
      const out = await fn(trial);
      if (typeof out === "boolean") return verdict(out);
      if (typeof out === "number") return { score: Math.min(1, Math.max(0, out)), passed: out >= 1 };
      return out;
    },
  };
}

/** What is wrong with a scorer spec of a task file, or undefined. */
export function checkScorerSpec(value: unknown): string | undefined {
  if (typeof value !== "object" || value === null) return "a scorer is an object with a 'type'";
  const s = value as Record<string, unknown>;
  switch (s.type) {
    case "exact":
    case "contains":
      return undefined;
    case "regex":
      return typeof s.pattern === "string" ? undefined : "regex needs 'pattern'";
    case "tool_called":
      return typeof s.tool === "string" ? undefined : "tool_called needs 'tool'";
    case "tool_arguments":
      return typeof s.tool === "string" && typeof s.arguments === "object" && s.arguments !== null
        ? undefined
        : "tool_arguments needs 'tool' and 'arguments'";
    case "json_schema":
      return typeof s.schema === "object" && s.schema !== null ? undefined : "json_schema needs 'schema'";
    case "judge":
      return undefined;
    default:
      return `unknown scorer type ${JSON.stringify(s.type)} (exact, contains, regex, tool_called, tool_arguments, json_schema, judge)`;
  }
}

/** Builds a scorer from its spec; `judge` needs the `judge` factory (it needs a model). */
export function scorerFromSpec(
  spec: ScorerSpec,
  judge?: (spec: ScorerSpec & { type: "judge" }) => Scorer,
): Scorer {
  switch (spec.type) {
    case "exact":
      return exactScorer(spec);
    case "contains":
      return containsScorer(spec);
    case "regex":
      return regexScorer(spec);
    case "tool_called":
      return toolCalledScorer(spec);
    case "tool_arguments":
      return toolArgumentsScorer(spec);
    case "json_schema":
      return jsonSchemaScorer(spec);
    case "judge":
      if (judge === undefined)
        throw new ValidationError("a judge scorer needs a judge model (--judge judge.json)", {
          code: "invalid_config",
        });
      return judge(spec);
  }
}

/**
 * The scorers of a task: its own `scorers`; else the given defaults; else `contains` when it has
 * `expected`, a judge when it has only a `rubric`; else none (the trial passes when the run ends without
 * an error).
 */
export function defaultScorerSpecs(task: EvalTask, defaults: readonly ScorerSpec[] = []): ScorerSpec[] {
  if (task.scorers !== undefined && task.scorers.length > 0) return [...task.scorers];
  if (defaults.length > 0) return [...defaults];
  if (task.expected !== undefined) return [{ type: "contains" }];
  if (task.rubric !== undefined) return [{ type: "judge" }];
  return [];
}
