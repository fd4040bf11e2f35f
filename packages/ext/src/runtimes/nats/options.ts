/**
 * The options of `NatsAgentRuntime` and of `NatsAgentRuntime.connect`, and their checks.
 */
import { type InterventionHandler, type Logger, ValidationError } from "@autogen-ts/core";
import type { RuntimeTelemetry } from "@autogen-ts/core/runtime-kit";
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
  /**
   * Hooks that see, rewrite or drop messages, in this order: `onSend` and `onPublish` for what this
   * runtime sends and for what arrives at its agents (so a worker can police its own inbox), `onResponse`
   * for the replies its agents give. A dropped request fails with `message_dropped`.
   */
  readonly interventionHandlers?: readonly InterventionHandler[];
  /**
   * Where spans go (an OpenTelemetry `TracerProvider`); by default the globally registered one, and no
   * spans when there is none. The trace context travels in `traceparent` headers.
   */
  readonly tracerProvider?: ConstructorParameters<typeof RuntimeTelemetry>[0];
  /** How often a caller checks the workers holding its requests (default 1000 ms). */
  readonly livenessIntervalMs?: number;
  /**
   * How long one liveness check waits (default 5000 ms). An unanswered check is not a loss (the worker's
   * event loop may be busy); only a worker whose connection is gone fails its requests (`worker_lost`).
   */
  readonly livenessTimeoutMs?: number;
  /**
   * How long a request may wait for a worker to acknowledge it (default 3000 ms); after that it fails
   * with `undeliverable` and does not run (a worker that gets it later skips it).
   */
  readonly ackTimeoutMs?: number;
  /**
   * The overall time limit of every request (default 300000 ms = 5 min; `null` for none). A call can
   * override it with `timeoutMs` (`null` turns it off for that call).
   */
  readonly requestTimeoutMs?: number | null;
  /**
   * How published messages travel: `jetstream` (default: at least once, through the network's events
   * stream and a durable consumer per subscription) or `plain` (core NATS subjects: at most once, for
   * fire-and-forget traffic). Every runtime of one network must use the same.
   */
  readonly events?: "jetstream" | "plain";
  /** JetStream: deliveries of a failing message before it goes to the dead-letter stream (default 5). */
  readonly maxDeliveries?: number;
  /**
   * JetStream: how long the server waits for a message's ack before it redelivers it to another worker
   * (default 30000 ms). Running handlers extend it, so it bounds how soon a dead worker's messages move.
   */
  readonly ackWaitMs?: number;
}

/** TLS for the NATS connection: files (PEM) or their contents. */
export interface NatsTlsOptions {
  /** The CA that signed the server's certificate (when it is not a public CA). */
  readonly caFile?: string;
  readonly ca?: string;
  /** A client certificate and key, for servers that verify clients. */
  readonly certFile?: string;
  readonly cert?: string;
  readonly keyFile?: string;
  readonly key?: string;
}

/** How `connect()` retries while the server cannot be reached (default: 30 attempts, 200 ms to 5 s). */
export interface NatsStartupRetry {
  /** Attempts before giving up, the first included (default 30). */
  readonly maxAttempts?: number;
  /** The first wait; each next one doubles, up to `maxDelayMs` (defaults 200 and 5000 ms). */
  readonly initialDelayMs?: number;
  readonly maxDelayMs?: number;
}

/** Options of `NatsAgentRuntime.connect`. */
export interface NatsAgentRuntimeConnectOptions extends Omit<NatsAgentRuntimeOptions, "connection"> {
  /** The server URL(s) (default `NATS_URL` or `nats://127.0.0.1:4222`). */
  readonly servers?: string | readonly string[];
  /** TLS; `true` for a server certificate from a public CA. */
  readonly tls?: NatsTlsOptions | true;
  /** A token the server expects (`authorization { token }`). */
  readonly token?: string;
  /** A user and password the server expects. */
  readonly user?: string;
  readonly pass?: string;
  /** An NKey seed (`SU...`) whose public key the server lists. */
  readonly nkeySeed?: string;
  /** A `.creds` file (a user JWT and its NKey seed), for servers in operator/JWT mode. */
  readonly credsFile?: string;
  /** Retrying while the server is down at startup (each failed attempt is logged); `false` to fail at once. */
  readonly startupRetry?: NatsStartupRetry | false;
  /** Further connection options (reconnect policy, names, ...), passed to the client as they are. */
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
