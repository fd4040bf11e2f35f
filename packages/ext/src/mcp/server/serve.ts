/**
 * `serveMcp`: agents, teams, tools, prompts and resources as an MCP server, over stdio (what desktop hosts
 * spawn) or Streamable HTTP (on the guarded listener of `@autogen-ts/ext/http`).
 */
import { ValidationError } from "@autogen-ts/core";
import { StdioServerTransport, serveStdio } from "@modelcontextprotocol/server/stdio";
import { listenApp } from "../../http/index.js";
import { type McpServeInput, normalizeEntries } from "./definitions.js";
import { type McpAppOptions, mcpApp } from "./http.js";
import { buildServer, makeShared } from "./server.js";

/** Options of {@link serveMcp}. */
export interface ServeMcpOptions extends McpAppOptions {
  /** `"stdio"` speaks on this process's stdin and stdout; `"http"` listens for Streamable HTTP. */
  readonly transport: "stdio" | "http";
  /** HTTP port (default 0: any free port; the handle tells which). */
  readonly port?: number;
  /** HTTP address (default `127.0.0.1`); another than loopback needs `auth`. */
  readonly host?: string;
  /** Streams for the stdio transport (default `process.stdin` and `process.stdout`). */
  readonly stdin?: NodeJS.ReadableStream;
  readonly stdout?: NodeJS.WritableStream;
}

/** A running MCP server; `close()` stops it. */
export interface McpServerHandle {
  /** The endpoint URL (HTTP only). */
  readonly url: string | undefined;
  /** The port listened on (HTTP only). */
  readonly port: number | undefined;
  /** Resolves when the server has stopped (for stdio: also when the client closes stdin). */
  readonly closed: Promise<void>;
  /** Stops serving: ends the sessions, aborts their runs, and closes the listener. Idempotent. */
  close(): Promise<void>;
}

/**
 * Serves an agent or team (or a factory making one per call), or a set of agents, tools, prompts and
 * resources, as an MCP server. Each agent is a tool `{ task }` whose result carries the answer, the run's
 * messages and a `runId` (its transcript is the resource `autogen://runs/{runId}/transcript`); its
 * messages go out as progress and log notifications while it runs, and a cancellation aborts it. A shared
 * agent runs one task at a time (calls queue); a factory's runs are independent.
 *
 * Speaks 2026-07-28 and 2025-11-25 (and older) on both transports. On stdio, stdout belongs to the
 * protocol: nothing else may write to it.
 *
 * @example
 * ```ts
 * const server = await serveMcp({ agents: [{ agent: researcher }, { agent: team, name: "writers" }] }, {
 *   transport: "http",
 *   port: 8931,
 * });
 * console.log(`MCP endpoint: ${server.url}`);
 * ```
 * @throws ValidationError for bad entries or options (`invalid_config` for a public host without auth);
 * the listener's error when the port is taken.
 */
export async function serveMcp(input: McpServeInput, options: ServeMcpOptions): Promise<McpServerHandle> {
  if (options.transport === "stdio") return serveOverStdio(input, options);
  if (options.transport === "http") return serveOverHttp(input, options);
  throw new ValidationError(`Unknown MCP transport "${String(options.transport)}": use "stdio" or "http"`);
}

async function serveOverHttp(input: McpServeInput, options: ServeMcpOptions): Promise<McpServerHandle> {
  const mcp = mcpApp(input, options);
  const listener = await listenApp(mcp, {
    ...(options.host !== undefined ? { host: options.host } : {}),
    ...(options.port !== undefined ? { port: options.port } : {}),
  });
  return {
    url: `${listener.url}${mcp.path}`,
    port: listener.port,
    closed: listener.closed,
    close: listener.close,
  };
}

async function serveOverStdio(input: McpServeInput, options: ServeMcpOptions): Promise<McpServerHandle> {
  const entries = normalizeEntries(input, options);
  const shared = makeShared(entries, options);
  const stdin = (options.stdin ?? process.stdin) as NodeJS.ReadStream;
  const stdout = (options.stdout ?? process.stdout) as NodeJS.WriteStream;
  const transport = new StdioServerTransport(stdin, stdout);
  let resolveClosed = () => {};
  const closed = new Promise<void>((done) => {
    resolveClosed = done;
  });
  const previousOnClose = transport.onclose;
  const handle = serveStdio((ctx) => buildServer(shared, ctx.era), { transport });
  // serveStdio installs its own onclose on start; chain ours behind it.
  const theirs = transport.onclose ?? previousOnClose;
  transport.onclose = () => {
    theirs?.();
    resolveClosed();
  };
  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      for (const runner of shared.runners.values()) runner.abortAll();
      await handle.close().catch(() => {});
      resolveClosed();
    })();
    return closing;
  };
  // The client closing its end of the pipe is the end of the session.
  stdin.once("end", () => void close());
  return { url: undefined, port: undefined, closed, close };
}
