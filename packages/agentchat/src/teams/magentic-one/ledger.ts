/**
 * The progress ledger: the orchestrator's reading of the conversation after each turn, as JSON the model
 * writes, checked against a JSON Schema (core's checker: agentchat loads no schema library of its own).
 */
import {
  AutogenError,
  describeValidationError,
  type JsonSchemaValidator,
  jsonSchemaValidator,
} from "@autogen-ts/core";

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

let schema: Promise<JsonSchemaValidator<ProgressLedger>> | undefined;

const answer = (type: "boolean" | "string") => ({
  type: "object",
  properties: { reason: { type: "string" }, answer: { type } },
  required: ["reason", "answer"],
});

/** The JSON Schema of a progress ledger. */
const LEDGER_SCHEMA = {
  type: "object",
  properties: {
    is_request_satisfied: answer("boolean"),
    is_in_loop: answer("boolean"),
    is_progress_being_made: answer("boolean"),
    next_speaker: answer("string"),
    instruction_or_question: answer("string"),
  },
  required: [
    "is_request_satisfied",
    "is_in_loop",
    "is_progress_being_made",
    "next_speaker",
    "instruction_or_question",
  ],
};

/**
 * The schema of a progress ledger, as a validator (`safeParse`, and a Standard Schema). The checker is
 * loaded on first use, so that loading agentchat does not load it.
 */
export function progressLedgerSchema(): Promise<JsonSchemaValidator<ProgressLedger>> {
  schema ??= jsonSchemaValidator<ProgressLedger>(LEDGER_SCHEMA).then((validator) => {
    // A fixed, valid schema: the checker always reads it.
    if (!validator) throw new AutogenError("internal", "the progress ledger schema did not compile");
    return validator;
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
    return {
      ok: false,
      problem: `some fields are missing or wrong (${describeValidationError(parsed.error)}).`,
    };
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
