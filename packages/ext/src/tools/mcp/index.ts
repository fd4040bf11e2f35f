/**
 * `@autogen-ts/ext/tools/mcp`: the Model Context Protocol in both directions, on the official SDK
 * (`@modelcontextprotocol/client` v2 for the workbench, `@modelcontextprotocol/sdk` v1 for serving; optional
 * peer dependencies of this package).
 *
 * - {@link McpWorkbench} and {@link mcpServerTools}: agents use the tools, prompts and resources of any
 *   MCP server over stdio, Streamable HTTP or legacy SSE, speaking the stateless 2026-07-28 revision to
 *   servers that know it and falling back to 2025-11-25 and older ones.
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
export type { McpProtocolMode } from "./session.js";
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
