/**
 * PII redaction: e-mail addresses, phone numbers, payment card numbers (Luhn-checked), US social
 * security numbers, IBANs and IPv4 addresses become `[EMAIL]`, `[PHONE]`, ... As model middleware
 * (`piiRedaction`) it rewrites every text sent to the model (system, user, assistant, tool results,
 * tool-call arguments); as a guardrail (`piiGuardrail`) it rewrites or stops a task or an agent's message.
 */
import { GuardrailError } from "./errors.js";
import { type ModelMiddleware, mapRequestText } from "./model-middleware.js";
import type { TextGuardrail } from "./types.js";

/** The kinds of PII found. */
export type PiiKind = "email" | "phone" | "card" | "ssn" | "iban" | "ipv4";

/** Every kind, in the order they are looked for (cards before phones: both are digit runs). */
export const PII_KINDS: readonly PiiKind[] = ["email", "iban", "card", "ssn", "phone", "ipv4"];

const PATTERNS: Record<PiiKind, RegExp> = {
  email: /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g,
  iban: /\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?\b/g,
  card: /\b\d(?:[ -]?\d){12,18}\b/g,
  ssn: /\b\d{3}-\d{2}-\d{4}\b/g,
  // International (+CC ...) or North American (555) 555-0100 forms: a bare digit run is not a phone.
  phone:
    /\+\d{1,3}[ .-]?(?:\(?\d{1,4}\)?[ .-]?){1,4}\d{2,4}\b|(?<![\d.-])\(?\b\d{3}\)?[ .-]\d{3}[ .-]\d{4}\b/g,
  ipv4: /\b(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)\b/g,
};

function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** Options of the PII helpers. */
export interface PiiOptions {
  /** What to look for (default all of {@link PII_KINDS}). */
  readonly kinds?: readonly PiiKind[];
  /** The replacement of a match (default `[EMAIL]`, `[PHONE]`, ...). */
  readonly replacement?: (kind: PiiKind) => string;
}

/** Redacts PII in a text; says how many of each kind it replaced. */
export function redactPii(
  text: string,
  options: PiiOptions = {},
): { text: string; found: Partial<Record<PiiKind, number>> } {
  const found: Partial<Record<PiiKind, number>> = {};
  let out = text;
  const kinds = options.kinds ?? PII_KINDS;
  for (const kind of PII_KINDS) {
    if (!kinds.includes(kind)) continue;
    out = out.replace(PATTERNS[kind], (match) => {
      if (kind === "card" && !luhn(match.replace(/\D/g, ""))) return match;
      found[kind] = (found[kind] ?? 0) + 1;
      return options.replacement?.(kind) ?? `[${kind.toUpperCase()}]`;
    });
  }
  return { text: out, found };
}

/** Model middleware: every text sent to the model with its PII redacted. */
export function piiRedaction(options: PiiOptions = {}): ModelMiddleware {
  return {
    name: "pii_redaction",
    transformRequest: (request) => ({
      ...request,
      messages: mapRequestText(request.messages, (t) => redactPii(t, options).text),
    }),
  };
}

/** A guardrail on a task or a message: PII rewritten away (default), or the run stopped when found. */
export function piiGuardrail(
  options: PiiOptions & { readonly action?: "rewrite" | "stop" } = {},
): TextGuardrail {
  return {
    name: "pii",
    check(text) {
      const { text: redacted, found } = redactPii(text, options);
      const kinds = Object.keys(found);
      if (kinds.length === 0) return { action: "allow" };
      // The reason names the kinds found, never the values.
      if (options.action === "stop")
        return { action: "stop", reason: `the text contains PII (${kinds.join(", ")})` };
      return { action: "rewrite", text: redacted, reason: `redacted ${kinds.join(", ")}` };
    },
  };
}

/** Model middleware that stops the run when text sent to the model contains PII (for strict deployments). */
export function piiBlock(options: PiiOptions = {}): ModelMiddleware {
  return {
    name: "pii_block",
    transformRequest(request) {
      mapRequestText(request.messages, (t) => {
        const kinds = Object.keys(redactPii(t, options).found);
        if (kinds.length > 0)
          throw new GuardrailError(
            "pii_block",
            "model",
            `text sent to the model contains PII (${kinds.join(", ")})`,
          );
        return t;
      });
      return request;
    },
  };
}
