/**
 * The options of `NatsAgentRuntime` and of `NatsAgentRuntime.connect`, and their checks.
 */
import { type Logger, ValidationError } from "@autogen-ts/core";
import type { NatsConnection, NodeConnectionOptions } from "@nats-io/transport-node";

/** Options of `NatsAgentRuntime`. */
export interface NatsAgentRuntimeOptions {
  /** An open NATS connection (see `NatsAgentRuntime.connect` to make one). */
  readonly connection: NatsConnection;
  /** Whether `close()` also closes the connection (default false; `connect()` sets it). */
  readonly closeConnection?: boolean;
  /** The subject prefix that separates runtime networks on one server (default `autogen`). */
  readonly subjectPrefix?: string;
  /** This worker's id, unique in the network (default: a random one). */
  readonly workerId?: string;
  /** Where failures of published messages and dropped messages are logged (default: the console). */
  readonly logger?: Logger;
  /** How often a caller checks the workers holding its requests (default 1000 ms). */
  readonly livenessIntervalMs?: number;
  /** How long a worker may take to answer a liveness check before its requests fail (default 5000 ms). */
  readonly livenessTimeoutMs?: number;
  /** A time limit for every `sendMessage` (none by default; a `signal` can set one per call). */
  readonly requestTimeoutMs?: number;
}

/** Options of `NatsAgentRuntime.connect`. */
export interface NatsAgentRuntimeConnectOptions extends Omit<NatsAgentRuntimeOptions, "connection"> {
  /** The server URL(s) (default `NATS_URL` or `nats://127.0.0.1:4222`). */
  readonly servers?: string | readonly string[];
  /** Further connection options (credentials, TLS, reconnect policy). */
  readonly connectionOptions?: Omit<NodeConnectionOptions, "servers">;
}

/** A positive number of milliseconds, or the fallback when absent; anything else is a ValidationError. */
export function positiveMs(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value <= 0) {
    throw new ValidationError(`${name} must be a positive number of milliseconds, got ${value}`);
  }
  return value;
}

/** A subject prefix: dot-separated words. */
export function checkPrefix(prefix: string): string {
  if (!/^[\w-]+(\.[\w-]+)*$/.test(prefix)) {
    throw new ValidationError(`Invalid subject prefix ${JSON.stringify(prefix)}: use dot-separated words`);
  }
  return prefix;
}
