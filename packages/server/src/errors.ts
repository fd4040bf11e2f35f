/**
 * How the server reports failures: every error becomes `{ error: { code, message } }` with a status that
 * fits it. Messages are the errors' own (written to name no secret); an unexpected error is reported as
 * `internal` without its message, which may hold anything.
 */
import { AutogenError, type ErrorCode } from "@autogen-ts/core";

/** An HTTP failure with its status; `code` is what clients branch on. */
export class ServerError extends AutogenError {
  /** The HTTP status to answer with. */
  readonly status: number;

  constructor(status: number, code: ErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(code, message, options);
    this.status = status;
  }

  /** True for a {@link ServerError} from any copy of this package. */
  static override isInstance(value: unknown): value is ServerError {
    return AutogenError.isInstance(value) && value.name === "ServerError";
  }
}

/** The status of an autogen-ts error code. */
const STATUS_OF: Partial<Record<string, number>> = {
  invalid_argument: 400,
  invalid_config: 400,
  invalid_state: 409,
  bad_request: 400,
  unauthorized: 401,
  not_found: 404,
  unknown_team: 404,
  thread_busy: 409,
  already_answered: 409,
  run_busy: 409,
  store_conflict: 409,
  store_unavailable: 503,
  store_full: 507,
  cancelled: 409,
};

/** The status and body for any thrown value. */
export function errorResponseOf(error: unknown): {
  status: number;
  body: { error: { code: string; message: string } };
} {
  if (ServerError.isInstance(error)) {
    return { status: error.status, body: { error: { code: error.code, message: error.message } } };
  }
  if (AutogenError.isInstance(error)) {
    const status = STATUS_OF[error.code] ?? 500;
    return { status, body: { error: { code: error.code, message: error.message } } };
  }
  return { status: 500, body: { error: { code: "internal", message: "Internal server error" } } };
}

/** 404 for something that does not exist or that the caller may not see (the two look the same). */
export function notFound(what: string, id: string): ServerError {
  return new ServerError(404, "not_found", `No ${what} ${JSON.stringify(id)}`);
}
