/**
 * The progress ledger: the orchestrator's reading of the conversation after each turn, as JSON the model
 * writes and zod checks.
 */
import type { z } from "zod";

/** One reading of the ledger: the answer, and why. */
interface Answer<T> {
  readonly reason: string;
  readonly answer: T;
}

/** A progress ledger. */
export interface ProgressLedger {
  readonly is_request_satisfied: Answer<boolean>;
  readonly is_in_loop: Answer<boolean>;
  readonly is_progress_being_made: Answer<boolean>;
  readonly next_speaker: Answer<string>;
  readonly instruction_or_question: Answer<string>;
}

let schema: Promise<z.ZodType<ProgressLedger>> | undefined;

/**
 * The zod schema of a progress ledger. zod is imported on first use, so that loading agentchat does not
 * load it (it is the largest part of a cold start).
 */
export function progressLedgerSchema(): Promise<z.ZodType<ProgressLedger>> {
  schema ??= import("zod").then(({ z }) => {
    const answer = <T extends z.ZodType>(value: T) => z.object({ reason: z.string(), answer: value });
    return z.object({
      is_request_satisfied: answer(z.boolean()),
      is_in_loop: answer(z.boolean()),
      is_progress_being_made: answer(z.boolean()),
      next_speaker: answer(z.string()),
      instruction_or_question: answer(z.string()),
    });
  });
  return schema;
}

/** A ledger read from a model reply, or what is wrong with the reply. */
export type LedgerReading = { ok: true; ledger: ProgressLedger } | { ok: false; problem: string };

/**
 * Reads a progress ledger from a model's reply: the JSON object (bare or in a fenced block), every field
 * valid, and a next speaker who is in the team (a request already satisfied needs none).
 */
export async function readProgressLedger(text: string, names: readonly string[]): Promise<LedgerReading> {
  const fenced = /```(?:json)?\s*([\s\S]*?)```/.exec(text);
  const body = (fenced?.[1] ?? text).trim();
  const start = body.indexOf("{");
  const end = body.lastIndexOf("}");
  if (start < 0 || end < start) return { ok: false, problem: "it holds no JSON object." };
  let json: unknown;
  try {
    json = JSON.parse(body.slice(start, end + 1));
  } catch (error) {
    return { ok: false, problem: `it is not valid JSON (${(error as Error).message}).` };
  }
  const parsed = (await progressLedgerSchema()).safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`);
    return { ok: false, problem: `some fields are missing or wrong (${issues.join("; ")}).` };
  }
  const ledger = parsed.data;
  if (!ledger.is_request_satisfied.answer && !names.includes(ledger.next_speaker.answer)) {
    return {
      ok: false,
      problem: `next_speaker "${ledger.next_speaker.answer}" is not in the team (${names.join(", ")}).`,
    };
  }
  return { ok: true, ledger };
}
