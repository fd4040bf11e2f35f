/**
 * How every runtime turns a handler's failure into what its sender sees, and how it reports the failure
 * of a published message's handler (which has no sender to tell): one set of rules for all runtimes.
 */
import { CancelledError, DeliveryError, toCancelledError } from "../errors.js";
import { errorMessage } from "./agent-directory.js";
import type { AgentIdLike, TopicIdLike } from "./ids.js";
import type { Logger } from "./logger.js";
import { describeMessage } from "./message-type.js";

/**
 * What the sender of a direct message sees when its handler fails: a cancellation as it is (or the
 * sender's own abort reason), a `DeliveryError` as it is, anything else as `handler_failed` with the
 * original as `cause`.
 */
export function handlerFailure(error: unknown, recipient: AgentIdLike, signal?: AbortSignal): unknown {
  if (CancelledError.isInstance(error)) return error;
  if (signal?.aborted) return toCancelledError(signal.reason);
  if (DeliveryError.isInstance(error)) return error;
  return new DeliveryError(
    "handler_failed",
    `The handler of ${recipient.type}/${recipient.key} failed: ${errorMessage(error)}`,
    { cause: error },
  );
}

/**
 * Logs the failure of a published message's handler: `cant_handle` at info (the agent has no handler for
 * it), a cancellation at debug, anything else at error. Returns the `handler_failed` error a runtime may
 * re-throw later, or undefined when the failure was not the handler's.
 */
export function reportPublishFailure(
  logger: Logger,
  error: unknown,
  message: unknown,
  recipient: AgentIdLike | undefined,
  topic: TopicIdLike | undefined,
): DeliveryError | undefined {
  const where = recipient ? `${recipient.type}/${recipient.key}` : "an intervention handler";
  const published = topic === undefined ? "" : ` published to ${topic.type}/${topic.source}`;
  if (DeliveryError.isInstance(error) && error.code === "cant_handle") {
    logger.info(`Dropped a ${describeMessage(message)}${published}: ${error.message}`);
    return undefined;
  }
  if (CancelledError.isInstance(error)) {
    logger.debug(`A handler in ${where} was cancelled`);
    return undefined;
  }
  logger.error(`The handler of ${where} failed on a ${describeMessage(message)}${published}`, error);
  return new DeliveryError("handler_failed", `Handler of ${where} failed on a published message`, {
    cause: error,
  });
}
