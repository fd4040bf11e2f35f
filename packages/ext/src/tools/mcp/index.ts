/**
 * `@autogen-ts/ext/tools/mcp`: the Model Context Protocol's client side, on the official v2 client SDK
 * (`@modelcontextprotocol/client`, an optional peer dependency of this package).
 *
 * {@link McpWorkbench} and {@link mcpServerTools}: agents use the tools, prompts and resources of any MCP
 * server over stdio, Streamable HTTP or legacy SSE, speaking the stateless 2026-07-28 revision to servers
 * that know it and falling back to 2025-11-25 and older ones. Serving agents over MCP (`serveMcp`) is
 * `@autogen-ts/ext/mcp/server`.
 *
 * @packageDocumentation
 */

export type { McpOAuthOptions, OAuthCredentials, OAuthStore } from "./oauth.js";
export { InMemoryOAuthStore, McpOAuth } from "./oauth.js";
export type {
  McpServerParams,
  McpTransportKind,
  SseServerParams,
  StdioServerParams,
  StreamableHttpServerParams,
} from "./params.js";
export { DEFAULT_MCP_TIMEOUT_MS, redactServerParams } from "./params.js";
export type { McpAuth, McpProtocolMode } from "./session.js";
export { McpTool, mcpServerTools } from "./tools.js";
export { McpWorkbench } from "./workbench.js";
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
} from "./workbench-types.js";
