/**
 * Plumbing shared by the provider clients in `@autogen-ts/ext/models/*`: retries, error mapping,
 * redaction and logging. Internal to this package (imported by relative path, not a public subpath).
 */
export type { ErrorContext } from "./errors.js";
export { errorHeader, errorStatus, HttpStatusError, toModelError } from "./errors.js";
export type { ModelLogger, ModelLogRecord } from "./log.js";
export { redactingLogger } from "./log.js";
export { redactHeaders, redactText, redactUrl } from "./redact.js";
export type { RetryContext, RetryOptions } from "./retry.js";
export { backoffMs, isRetryable, retryAfterMs, withRetries } from "./retry.js";
