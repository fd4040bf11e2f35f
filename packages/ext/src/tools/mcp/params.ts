/**
 * How to reach an MCP server: a local process over stdio, a Streamable HTTP endpoint, or a legacy
 * HTTP+SSE endpoint. The `type` names match AutoGen's `autogen_ext.tools.mcp` config classes.
 */
import { ValidationError } from "@autogen-ts/core";

/** An MCP server run as a child process, spoken to over its stdin and stdout. */
export interface StdioServerParams {
  /** Optional here: a `command` is enough to tell stdio params apart. */
  readonly type?: "StdioServerParams";
  /** The executable to run (looked up on `PATH`). */
  readonly command: string;
  readonly args?: readonly string[];
  /**
   * Extra environment variables. The child gets only a small safe set of the parent's variables
   * (`HOME`, `PATH`, `USER`, ...) plus these; secrets here never appear in errors or saved state.
   */
  readonly env?: Readonly<Record<string, string>>;
  /** The working directory of the server process. */
  readonly cwd?: string;
  /**
   * What to do with the server's stderr: `"pipe"` (the default) keeps its last few kilobytes for error
   * messages, `"inherit"` passes it through to this process's stderr, `"ignore"` drops it.
   */
  readonly stderr?: "pipe" | "inherit" | "ignore";
  /** The default time limit of one request, in milliseconds (default 60 000). */
  readonly timeout?: number;
}

/** An MCP server behind a Streamable HTTP endpoint (protocol 2025-03-26 and later). */
export interface StreamableHttpServerParams {
  /** Optional here: a `url` without a `type` means Streamable HTTP. */
  readonly type?: "StreamableHttpServerParams";
  /** The endpoint, such as `http://127.0.0.1:3001/mcp`. */
  readonly url: string;
  /** Extra request headers (authorization, ...); their values never appear in errors or saved state. */
  readonly headers?: Readonly<Record<string, string>>;
  /** The default time limit of one request, in milliseconds (default 60 000). */
  readonly timeout?: number;
  /** Whether `stop()` ends the server-side session with an HTTP DELETE (default true). */
  readonly terminateOnClose?: boolean;
}

/** An MCP server behind the legacy HTTP+SSE transport (protocol 2024-11-05). */
export interface SseServerParams {
  /** Required: an SSE URL looks like any other URL. */
  readonly type: "SseServerParams";
  /** The SSE endpoint, such as `http://127.0.0.1:3001/sse`. */
  readonly url: string;
  /** Extra request headers; their values never appear in errors or saved state. */
  readonly headers?: Readonly<Record<string, string>>;
  /** The default time limit of one request, in milliseconds (default 60 000). */
  readonly timeout?: number;
}

/** Any of the ways to reach an MCP server. */
export type McpServerParams = StdioServerParams | StreamableHttpServerParams | SseServerParams;

/** The transport a set of params selects. */
export type McpTransportKind = "stdio" | "streamableHttp" | "sse";

/** The default time limit of one MCP request, in milliseconds. */
export const DEFAULT_MCP_TIMEOUT_MS = 60_000;

/**
 * Checks a set of server params and tells which transport it selects.
 *
 * @throws ValidationError (`invalid_config`) for params that name no command or URL, an unknown `type`,
 *   a URL that does not parse, or a timeout that is not a positive number.
 */
export function transportKind(params: McpServerParams): McpTransportKind {
  if (typeof params !== "object" || params === null) {
    throw new ValidationError("MCP server params must be an object", { code: "invalid_config" });
  }
  const type = (params as { type?: unknown }).type;
  const timeout = (params as { timeout?: unknown }).timeout;
  if (timeout !== undefined && (typeof timeout !== "number" || !(timeout > 0))) {
    throw new ValidationError("MCP server params: `timeout` must be a positive number of milliseconds", {
      code: "invalid_config",
    });
  }
  if (type === "StdioServerParams" || (type === undefined && "command" in params)) {
    const { command } = params as StdioServerParams;
    if (typeof command !== "string" || command.length === 0) {
      throw new ValidationError("StdioServerParams: `command` must be a non-empty string", {
        code: "invalid_config",
      });
    }
    return "stdio";
  }
  if (type === "StreamableHttpServerParams" || type === "SseServerParams" || type === undefined) {
    const { url } = params as StreamableHttpServerParams;
    if (typeof url !== "string" || !URL.canParse(url)) {
      throw new ValidationError("MCP server params need a `command` (stdio) or a valid `url` (HTTP)", {
        code: "invalid_config",
      });
    }
    return type === "SseServerParams" ? "sse" : "streamableHttp";
  }
  throw new ValidationError(`Unknown MCP server params type: ${String(type)}`, { code: "invalid_config" });
}

/** A short description of the server for error messages: the command or the URL, never env or headers. */
export function describeServer(params: McpServerParams): string {
  if ("command" in params) return [params.command, ...(params.args ?? [])].join(" ");
  const url = new URL(params.url);
  // Credentials in a URL are secrets too.
  url.username = "";
  url.password = "";
  return url.toString();
}

/**
 * A copy of the params safe to save or log: environment values and header values are dropped (their
 * names are kept so a loader knows what to supply), and any credentials in a URL are removed.
 */
export function redactServerParams(params: McpServerParams): Record<string, unknown> {
  const out: Record<string, unknown> = { ...params };
  if ("command" in params) {
    out.type = "StdioServerParams";
    if (params.env) out.env = Object.fromEntries(Object.keys(params.env).map((k) => [k, "<redacted>"]));
    if (params.args) out.args = [...params.args];
    return out;
  }
  out.type = params.type ?? "StreamableHttpServerParams";
  out.url = describeServer(params);
  if (params.headers) {
    out.headers = Object.fromEntries(Object.keys(params.headers).map((k) => [k, "<redacted>"]));
  }
  return out;
}
