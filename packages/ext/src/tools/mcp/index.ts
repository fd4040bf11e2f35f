/**
 * `@autogen-ts/ext/tools/mcp`: the Model Context Protocol in both directions, on the official SDK
 * (`@modelcontextprotocol/sdk`, an optional peer dependency of this package).
 *
 * - {@link McpWorkbench} and {@link mcpServerTools}: agents use the tools, prompts and resources of any
 *   MCP server over stdio, Streamable HTTP or legacy SSE.
 * - {@link serveMcp}: an agent or a team served as an MCP server, over stdio or Streamable HTTP, so any MCP
 *   host can run it; progress notifications carry its messages, and cancellation aborts the run.
 *
 * @packageDocumentation
 */
export type {
  McpServerParams,
  McpTransportKind,
  SseServerParams,
  StdioServerParams,
  StreamableHttpServerParams,
} from "./params.js";
export { DEFAULT_MCP_TIMEOUT_MS, redactServerParams } from "./params.js";
export type { McpServable, McpServerHandle, ServeMcpOptions } from "./serve.js";
export { serveMcp } from "./serve.js";
export { McpTool, mcpServerTools } from "./tools.js";
export type {
  McpCallOptions,
  McpElicitationHandler,
  McpElicitationRequest,
  McpElicitationResponse,
  McpProgress,
  McpRoot,
  McpServerInfo,
  McpWorkbenchOptions,
  McpWorkbenchState,
  ToolOverride,
} from "./workbench.js";
export { McpWorkbench } from "./workbench.js";
