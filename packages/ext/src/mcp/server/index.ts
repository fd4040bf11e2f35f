/**
 * `@autogen-ts/ext/mcp/server`: agents, teams, tools, prompts and resources served over the Model Context
 * Protocol, on the official v2 server SDK (`@modelcontextprotocol/server`, an optional peer of this
 * package). Speaks 2026-07-28 and 2025-11-25 (and older) over stdio and Streamable HTTP, with resumable
 * streams, logging, completions, progress, cancellation, and bearer or OAuth authentication. The client
 * side (`McpWorkbench`) is `@autogen-ts/ext/tools/mcp`.
 *
 * @packageDocumentation
 */
export type { McpAuthOptions } from "./auth.js";
export type { McpRequestScope } from "./context.js";
export { currentMcpRequest } from "./context.js";
export type {
  McpAgentEntry,
  McpContentBlock,
  McpPromptArgument,
  McpPromptDefinition,
  McpResourceContents,
  McpResourceDefinition,
  McpResourceTemplateDefinition,
  McpServeEntries,
  McpServeInput,
} from "./definitions.js";
export type { InMemoryEventStoreOptions } from "./event-store.js";
export { InMemoryEventStore } from "./event-store.js";
export type { McpApp, McpAppOptions } from "./http.js";
export { mcpApp } from "./http.js";
export type { McpRunMessage, McpRunRecord, McpServable, McpServableSource } from "./runner.js";
export type { McpServerHandle, ServeMcpOptions } from "./serve.js";
export { serveMcp } from "./serve.js";
