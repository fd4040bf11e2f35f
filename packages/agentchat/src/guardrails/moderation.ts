/**
 * A moderation hook: your moderation check (a provider's moderation endpoint, a classifier, a list of
 * blocked terms) as a guardrail on tasks and messages, stopping or rewriting what it flags.
 */
import type { GuardrailContext, TextGuardrail } from "./types.js";

/** What a moderation check says about a text. */
export interface ModerationResult {
  readonly flagged: boolean;
  readonly categories?: readonly string[];
}

/** Options of {@link moderationGuardrail}. */
export interface ModerationOptions {
  /** The check. */
  readonly check: (text: string, context: GuardrailContext) => ModerationResult | Promise<ModerationResult>;
  /** Flagged text: stop the run (default), or replace it with `replacement`. */
  readonly action?: "stop" | "rewrite";
  readonly replacement?: string;
  readonly name?: string;
}

/** The moderation hook as a guardrail. */
export function moderationGuardrail(options: ModerationOptions): TextGuardrail {
  return {
    name: options.name ?? "moderation",
    async check(text, context) {
      const result = await options.check(text, context);
      if (!result.flagged) return { action: "allow" };
      const why = result.categories?.length ? ` (${result.categories.join(", ")})` : "";
      if (options.action === "rewrite")
        return {
          action: "rewrite",
          text: options.replacement ?? "[removed by moderation]",
          reason: `flagged${why}`,
        };
      return { action: "stop", reason: `moderation flagged the text${why}` };
    },
  };
}

/** A moderation check from a list of blocked terms (whole words, case-insensitive). */
export function blockedTerms(terms: readonly string[]): (text: string) => ModerationResult {
  const res = terms.map((t) => ({
    term: t,
    re: new RegExp(`\\b${t.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\b`, "i"),
  }));
  return (text) => {
    const hits = res.filter((r) => r.re.test(text)).map((r) => r.term);
    return { flagged: hits.length > 0, categories: hits.length > 0 ? ["blocked_term"] : [] };
  };
}
