/**
 * `serveA2A`: an agent or a team as an A2A server (v1.0 and v0.3, JSON-RPC binding), on the guarded
 * listener of `@autogen-ts/ext/http`.
 */
import type { AgentCard } from "@a2a-js/sdk";
import { listenApp } from "../http/index.js";
import { type A2AAppOptions, a2aApp } from "./app.js";
import type { A2AServable, A2AServableFactory } from "./executor.js";

/** Options of {@link serveA2A}. */
export interface ServeA2AOptions extends A2AAppOptions {
  /** Port (default 0: any free port; the handle tells which). */
  readonly port?: number;
  /** Address (default `127.0.0.1`); another than loopback needs `auth`. */
  readonly host?: string;
}

/** A running A2A server; `close()` stops it. */
export interface A2AServerHandle {
  /** The base URL (clients fetch `<url>/.well-known/agent-card.json`). */
  readonly url: string;
  /** The JSON-RPC endpoint. */
  readonly endpoint: string;
  /** The port listened on. */
  readonly port: number;
  /** The agent card served. */
  readonly card: AgentCard;
  /** Resolves when the server has stopped. */
  readonly closed: Promise<void>;
  /** Stops serving: aborts the runs in progress and closes the listener. Idempotent. */
  close(): Promise<void>;
}

/**
 * Serves an agent or team (anything with `runStream`) over A2A. A shared instance holds one conversation
 * and runs one task at a time; a factory makes one instance per A2A context, so each client conversation
 * (`contextId`) continues across its messages, independently of the others. With `auth`, the card
 * declares the schemes and every request but the card's must satisfy one.
 *
 * @example
 * ```ts
 * const server = await serveA2A((contextId) => makeAgent(), { port: 41241, name: "weather" });
 * console.log(`Agent card: ${server.url}/.well-known/agent-card.json`);
 * ```
 * @throws ValidationError for bad options (`invalid_config` for a public host without auth); the
 * listener's error when the port is taken.
 */
export async function serveA2A(
  agentOrTeam: A2AServable | A2AServableFactory,
  options: ServeA2AOptions = {},
): Promise<A2AServerHandle> {
  const a2a = a2aApp(agentOrTeam, options);
  const listener = await listenApp(a2a, {
    ...(options.host !== undefined ? { host: options.host } : {}),
    ...(options.port !== undefined ? { port: options.port } : {}),
  });
  const base = (options.url ?? listener.url).replace(/\/+$/, "");
  return {
    url: base,
    endpoint: `${base}${a2a.path}`,
    port: listener.port,
    card: a2a.card(base),
    closed: listener.closed,
    close: listener.close,
  };
}
