/**
 * MCP tools as plain {@link Tool} objects, for code that wants a tool list rather than a workbench.
 */
import type { Tool, ToolResult, ToolSchema } from "@autogen-ts/core";
import type { McpServerParams } from "./params.js";
import { McpWorkbench } from "./workbench.js";
import type { McpCallOptions, McpWorkbenchOptions } from "./workbench-types.js";

/** One tool of an MCP server. Calls go through the shared {@link McpWorkbench} session. */
export class McpTool implements Tool {
  readonly name: string;
  readonly description: string;
  readonly schema: ToolSchema;
  /** The workbench holding the session; `await tool.workbench.stop()` ends it. */
  readonly workbench: McpWorkbench;

  constructor(options: { readonly workbench: McpWorkbench; readonly schema: ToolSchema }) {
    this.workbench = options.workbench;
    this.schema = options.schema;
    this.name = options.schema.name;
    this.description = options.schema.description ?? "";
  }

  /** Calls the tool on the server; failures are `isError` results, cancellation rejects. */
  call(args: string | Readonly<Record<string, unknown>>, options?: McpCallOptions): Promise<ToolResult> {
    return this.workbench.callTool(this.name, args, options);
  }
}

/**
 * The tools of one MCP server, ready to hand to an agent. They share one session, opened here and kept
 * open; end it with `tools[0]?.workbench.stop()` (or pass a workbench you own and stop it yourself).
 *
 * @example
 * ```ts
 * const tools = await mcpServerTools({ command: "mcp-server-everything" }, { toolNamePrefix: "ev_" });
 * ```
 * @throws ToolError when the server cannot be started or listed.
 */
export async function mcpServerTools(
  server: McpServerParams | McpWorkbench,
  options: Omit<McpWorkbenchOptions, "server"> & { readonly signal?: AbortSignal } = {},
): Promise<McpTool[]> {
  const { signal, ...rest } = options;
  const workbench = server instanceof McpWorkbench ? server : new McpWorkbench({ ...rest, server });
  const schemas = await workbench.listTools(signal ? { signal } : {});
  return schemas.map((schema) => new McpTool({ workbench, schema }));
}
