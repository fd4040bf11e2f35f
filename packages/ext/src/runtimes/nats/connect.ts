/**
 * Opening the NATS connection for `NatsAgentRuntime.connect`: credentials (token, user/password, NKey,
 * `.creds`), TLS, and retrying with backoff while the server is down at startup, saying so each time.
 * Secrets go to the client only; logs and errors name the servers without credentials.
 */
import { readFile } from "node:fs/promises";
import { DeliveryError, type Logger, ValidationError } from "@autogen-ts/core";
import {
  type Authenticator,
  connect,
  credsAuthenticator,
  type NatsConnection,
  type NodeConnectionOptions,
  nkeyAuthenticator,
} from "@nats-io/transport-node";
import { type NatsAgentRuntimeConnectOptions, positiveMs } from "./options.js";

/** Connects as the options say, retrying at startup unless `startupRetry` is false. */
export async function openConnection(
  options: NatsAgentRuntimeConnectOptions,
  logger: Logger,
): Promise<NatsConnection> {
  const servers =
    (options.servers as string | string[] | undefined) ?? process.env.NATS_URL ?? "nats://127.0.0.1:4222";
  const connectOptions: NodeConnectionOptions = {
    ...options.connectionOptions,
    ...(await credentials(options)),
    servers,
  };
  const retry = options.startupRetry === false ? { maxAttempts: 1 } : (options.startupRetry ?? {});
  const maxAttempts = retry.maxAttempts ?? 30;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) {
    throw new ValidationError(
      `startupRetry.maxAttempts must be a whole number of at least 1, got ${maxAttempts}`,
    );
  }
  let delay = positiveMs(retry.initialDelayMs, 200, "startupRetry.initialDelayMs");
  const maxDelay = positiveMs(retry.maxDelayMs, 5000, "startupRetry.maxDelayMs");
  const where = redact(servers);
  for (let attempt = 1; ; attempt++) {
    try {
      return await connect(connectOptions);
    } catch (cause) {
      const why = cause instanceof Error ? cause.message : String(cause);
      // A refused login will not get better by waiting.
      if (attempt >= maxAttempts || /authorization|authentication|permission/i.test(why)) {
        throw new DeliveryError(
          "not_running",
          `Could not connect to NATS at ${where} (${attempt} attempt${attempt === 1 ? "" : "s"}): ${why}`,
          { cause },
        );
      }
      logger.warn(
        `NATS at ${where} is not reachable (attempt ${attempt} of ${maxAttempts}): ${why}; retrying in ${delay} ms`,
      );
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(delay * 2, maxDelay);
    }
  }
}

async function credentials(options: NatsAgentRuntimeConnectOptions): Promise<Partial<NodeConnectionOptions>> {
  const out: { -readonly [K in keyof NodeConnectionOptions]?: NodeConnectionOptions[K] } = {};
  if (options.token !== undefined) out.token = options.token;
  if (options.user !== undefined) {
    out.user = options.user;
    if (options.pass !== undefined) out.pass = options.pass;
  }
  const authenticators: Authenticator[] = [];
  if (options.nkeySeed !== undefined)
    authenticators.push(nkeyAuthenticator(new TextEncoder().encode(options.nkeySeed)));
  if (options.credsFile !== undefined) {
    authenticators.push(credsAuthenticator(new Uint8Array(await readFile(options.credsFile))));
  }
  if (authenticators.length > 1) {
    throw new ValidationError("Pass one of nkeySeed and credsFile, not both");
  }
  if (authenticators.length === 1) out.authenticator = authenticators[0];
  if (options.tls === true) out.tls = {};
  else if (options.tls !== undefined) out.tls = { ...options.tls };
  return out;
}

/** Server URLs without user info (`nats://user:pass@host` names the host only). */
export function redact(servers: string | readonly string[]): string {
  const list = typeof servers === "string" ? [servers] : [...servers];
  return list.map((url) => url.replace(/\/\/[^@/]*@/, "//")).join(", ");
}
