/**
 * The progress ledger: the orchestrator's reading of the conversation after each turn, as JSON the model
 * writes and zod checks.
 */
import { z } from "zod";

const answer = <T extends z.ZodType>(value: T) => z.object({ reason: z.string(), answer: value });

/** The schema of a progress ledger. */
export const progressLedgerSchema = z.object({
  is_request_satisfied: answer(z.boolean()),
  is_in_loop: answer(z.boolean()),
  is_progress_being_made: answer(z.boolean()),
  next_speaker: answer(z.string()),
  instruction_or_question: answer(z.string()),
});

/** A progress ledger. */
export type ProgressLedger = z.infer<typeof progressLedgerSchema>;

/** A ledger read from a model reply, or what is wrong with the reply. */
export type LedgerReading = { ok: true; ledger: ProgressLedger } | { ok: false; problem: string };

/**
 * Reads a progress ledger from a model's reply: the JSON object (bare or in a fenced block), every field
 * valid, and a next speaker who is in the team (a request already satisfied needs none).
 */
export function readProgressLedger(text: string, names: readonly string[]): LedgerReading {
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
  const parsed = progressLedgerSchema.safeParse(json);
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
