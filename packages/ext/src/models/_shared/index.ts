/**
 * Plumbing shared by the provider clients in `@autogen-ts/ext/models/*`: the client kit (options,
 * capabilities, prices, secrets, logging, retries, error mapping, result assembly), the environment
 * variables, redaction. Internal to this package (imported by relative path, not a public subpath).
 */
export { argumentsObject, parseDataUrl } from "./arguments.js";
export type { ModelEnvProvider } from "./env.js";
export { envApiKeys, MODEL_ENV, readEnv } from "./env.js";
export type { ErrorContext } from "./errors.js";
export { errorHeader, errorStatus, HttpStatusError, toModelError } from "./errors.js";
export type { ModelCatalog, ModelClientKitSettings, ReplyParts } from "./kit.js";
export { estimateUsage, ModelClientKit } from "./kit.js";
export type { ModelLogger, ModelLogRecord } from "./log.js";
export { redactingLogger } from "./log.js";
export type { Converted, MessageConverter } from "./messages.js";
export { convertMessages, userParts } from "./messages.js";
export type { HttpModelClientOptions, LegacyModelClientOptions, ModelClientOptions } from "./options.js";
export { resolveLegacyOptions } from "./options.js";
export { redactHeaders, redactText, redactUrl } from "./redact.js";
export type { RetryContext, RetryOptions } from "./retry.js";
export { backoffMs, isRetryable, retryAfterMs, withRetries } from "./retry.js";
