/**
 * The `McpWorkbench` definition, under AutoGen's provider name. AutoGen writes `server_params` with
 * times in seconds and snake_case keys; environment values and header values may be `{"$env": "NAME"}`
 * references. A dump keeps references and drops literal env and header values with secret-looking names.
 * `tool_name_prefix` is ours (AutoGen has only `tool_overrides`).
 */
import type { ComponentDefinition, JsonSchema, LoadContext } from "@autogen-ts/core";
import { compact, isEnvReference, SECRET_SCHEMA } from "@autogen-ts/core";
import type {
  McpServerParams,
  SseServerParams,
  StdioServerParams,
  StreamableHttpServerParams,
} from "../tools/mcp/index.js";
import { McpWorkbench } from "../tools/mcp/index.js";

const SERVER_PARAMS_SCHEMA: JsonSchema = {
  type: "object",
  properties: {
    type: { enum: ["StdioServerParams", "StreamableHttpServerParams", "SseServerParams"] },
    command: { type: "string" },
    args: { type: "array", items: { type: "string" } },
    env: { type: ["object", "null"], additionalProperties: SECRET_SCHEMA },
    cwd: { type: ["string", "null"] },
    url: { type: "string" },
    headers: { type: ["object", "null"], additionalProperties: SECRET_SCHEMA },
    timeout: { type: "number", exclusiveMinimum: 0 },
    read_timeout_seconds: { type: "number", exclusiveMinimum: 0 },
    terminate_on_close: { type: "boolean" },
  },
};

function secrets(
  raw: unknown,
  key: "env" | "headers",
  context: LoadContext,
): Record<string, string> | undefined {
  if (!raw || typeof raw !== "object") return undefined;
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw as Record<string, unknown>)) {
    const read = context.secret(value, ["server_params", key, name]);
    if (read !== undefined) out[name] = read;
  }
  return out;
}

/** True for server params that start a local command (`StdioServerParams`, or a `command` with no type). */
function isStdio(raw: Record<string, unknown> | undefined): boolean {
  if (raw === undefined) return false;
  return raw.type === "StdioServerParams" || (raw.type === undefined && raw.command !== undefined);
}

function serverParams(raw: Record<string, unknown>, context: LoadContext): McpServerParams {
  const seconds = (raw.read_timeout_seconds ?? raw.timeout) as number | undefined;
  const timeout = typeof seconds === "number" ? seconds * 1000 : undefined;
  const timeoutField = timeout === undefined ? {} : { timeout };
  if (isStdio(raw)) {
    if (typeof raw.command !== "string") throw context.error(["server_params", "command"], "is required");
    const env = secrets(raw.env, "env", context);
    const stdio: StdioServerParams = {
      type: "StdioServerParams",
      command: raw.command,
      ...(Array.isArray(raw.args) ? { args: raw.args as string[] } : {}),
      ...(env === undefined ? {} : { env }),
      ...(typeof raw.cwd === "string" ? { cwd: raw.cwd } : {}),
      ...timeoutField,
    };
    return stdio;
  }
  if (typeof raw.url !== "string") throw context.error(["server_params", "url"], "is required");
  const headers = secrets(raw.headers, "headers", context);
  const common = { url: raw.url, ...(headers === undefined ? {} : { headers }), ...timeoutField };
  if (raw.type === "SseServerParams") return { type: "SseServerParams", ...common } satisfies SseServerParams;
  const http: StreamableHttpServerParams = {
    type: "StreamableHttpServerParams",
    ...common,
    ...(typeof raw.terminate_on_close === "boolean" ? { terminateOnClose: raw.terminate_on_close } : {}),
  };
  return http;
}

const SECRET_NAME = /authorization|api[-_]?key|token|secret|password|cookie|credential/i;

/** Env values and headers for a dump: references kept, literal values of secret-looking names dropped. */
function keepReferences(raw: unknown): Record<string, unknown> | undefined {
  if (!raw || typeof raw !== "object") return undefined;
  return Object.fromEntries(
    Object.entries(raw as Record<string, unknown>).filter(
      ([name, v]) => isEnvReference(v) || !SECRET_NAME.test(name),
    ),
  );
}

/**
 * The params of a workbench built in code, as AutoGen writes them (times in seconds). Environment values
 * and headers with secret-looking names are left out: they were given as literals, and a dump never
 * holds a secret.
 */
function serverParamsToConfig(server: McpServerParams): Record<string, unknown> {
  const seconds = server.timeout === undefined ? undefined : server.timeout / 1000;
  if ("command" in server && typeof server.command === "string") {
    return compact({
      type: "StdioServerParams",
      command: server.command,
      args: [...(server.args ?? [])],
      env: keepReferences(server.env),
      cwd: server.cwd,
      read_timeout_seconds: seconds,
    });
  }
  const http = server as Exclude<McpServerParams, { command: string }>;
  return compact({
    type: http.type ?? "StreamableHttpServerParams",
    url: http.url,
    headers: keepReferences(http.headers),
    timeout: seconds,
    terminate_on_close: "terminateOnClose" in http ? http.terminateOnClose : undefined,
  });
}

const mcpWorkbench: ComponentDefinition<McpWorkbench> = {
  provider: "autogen_ext.tools.mcp.McpWorkbench",
  ownName: "autogen_ts.ext.tools.mcp.McpWorkbench",
  componentType: "workbench",
  componentVersion: 1,
  description: "A workbench over the tools of an MCP server (stdio, Streamable HTTP or SSE).",
  label: "McpWorkbench",
  schema: {
    type: "object",
    required: ["server_params"],
    properties: {
      server_params: SERVER_PARAMS_SCHEMA,
      tool_overrides: { type: "object" },
      tool_name_prefix: { type: "string" },
    },
  },
  // A command line is a program the document runs on this machine, when the tools are first listed.
  carriesCode: (config) => isStdio(config.server_params as Record<string, unknown> | undefined),
  classes: [McpWorkbench],
  load(config, context) {
    const server = serverParams(config.server_params as Record<string, unknown>, context);
    const overrides = config.tool_overrides as
      | Record<string, { name?: string; description?: string }>
      | undefined;
    return new McpWorkbench({
      server,
      ...(overrides ? { toolOverrides: overrides } : {}),
      ...(typeof config.tool_name_prefix === "string" ? { toolNamePrefix: config.tool_name_prefix } : {}),
    });
  },
  dump(workbench, context) {
    const loaded = context.loadedFrom?.server_params as Record<string, unknown> | undefined;
    const { toolNamePrefix, toolOverrides } = workbench.naming;
    if (loaded === undefined) {
      return compact({
        server_params: serverParamsToConfig(workbench.server),
        tool_overrides: Object.keys(toolOverrides).length > 0 ? toolOverrides : undefined,
        tool_name_prefix: toolNamePrefix === "" ? undefined : toolNamePrefix,
      });
    }
    const params: Record<string, unknown> = { ...loaded };
    if (loaded.env) params.env = keepReferences(loaded.env);
    if (loaded.headers) params.headers = keepReferences(loaded.headers);
    return compact({
      server_params: params,
      tool_overrides: context.loadedFrom?.tool_overrides,
      tool_name_prefix: context.loadedFrom?.tool_name_prefix,
    });
  },
};

/** The definitions this module contributes. */
export const definitions: readonly ComponentDefinition<unknown>[] = [mcpWorkbench];
