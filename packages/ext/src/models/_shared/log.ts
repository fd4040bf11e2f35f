/**
 * The logging hook of the model clients. Clients log retries and failures; every message and field
 * passes through redaction first, so a logger never sees a key.
 */
import { redactText } from "./redact.js";

/** One log record from a model client. */
export interface ModelLogRecord {
  readonly level: "debug" | "info" | "warn" | "error";
  readonly message: string;
  /** Structured facts: provider, model, attempt, status, delay, URL (with credentials removed). */
  readonly fields: Readonly<Record<string, string | number | boolean | undefined>>;
}

/** Receives a client's log records (by default they are dropped). */
export type ModelLogger = (record: ModelLogRecord) => void;

/** A logger that redacts `secrets` (and anything that looks like a credential) before passing records on. */
export function redactingLogger(
  logger: ModelLogger | undefined,
  secrets: () => readonly (string | undefined)[],
): (level: ModelLogRecord["level"], message: string, fields?: ModelLogRecord["fields"]) => void {
  return (level, message, fields = {}) => {
    if (!logger) return;
    const known = secrets();
    const clean: Record<string, string | number | boolean | undefined> = {};
    for (const [k, v] of Object.entries(fields)) clean[k] = typeof v === "string" ? redactText(v, known) : v;
    logger({ level, message: redactText(message, known), fields: clean });
  };
}
