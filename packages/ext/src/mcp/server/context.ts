/**
 * What a tool served over MCP can do with the request it is answering: log to the client (at the level
 * the client set), report progress, ask the user (elicitation) or the client's model (sampling), end its
 * SSE stream so the client resumes it, or answer with MCP content blocks that core's tool results lack
 * (audio, embedded resources). A `FunctionTool` reads it with {@link currentMcpRequest}: the call runs
 * inside the request's async context, so the tool needs no MCP-specific signature.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import type {
  ContentBlock,
  CreateMessageRequest,
  CreateMessageResult,
  ElicitRequestFormParams,
  ElicitResult,
  LoggingLevel,
} from "@modelcontextprotocol/server";

/** The MCP request a served tool is answering. */
export interface McpRequestScope {
  /** The protocol revision of the request's era: `"modern"` (2026-07-28) or `"legacy"` (2025-11-25 and older). */
  readonly era: "modern" | "legacy";
  /** Sends a log notification; dropped when below the level the client set with `logging/setLevel`. */
  log(level: LoggingLevel, data: unknown, logger?: string): Promise<void>;
  /** Sends a progress notification when the client asked for progress (else does nothing). */
  progress(progress: number, total?: number, message?: string): Promise<void>;
  /** Asks the user for input through the client (legacy era; the client must support elicitation). */
  elicit(params: ElicitRequestFormParams): Promise<ElicitResult>;
  /** Asks the client's model for a completion (legacy era; the client must support sampling). */
  sample(params: CreateMessageRequest["params"]): Promise<CreateMessageResult>;
  /**
   * Ends the SSE stream carrying this call's answer, so the client reconnects with `Last-Event-ID` and
   * gets the rest replayed (Streamable HTTP with sessions only; elsewhere it does nothing).
   */
  closeStream(): void;
  /** Answers the call with these MCP content blocks instead of the tool's own result. */
  respondWith(content: readonly ContentBlock[]): void;
}

/** The scope plus what the server reads back after the call. */
export interface McpRequestScopeState extends McpRequestScope {
  /** The content given to `respondWith`, if any. */
  readonly override: readonly ContentBlock[] | undefined;
}

const storage = new AsyncLocalStorage<McpRequestScope>();

/** The MCP request the current tool call answers, or `undefined` outside a call served by `serveMcp`. */
export function currentMcpRequest(): McpRequestScope | undefined {
  return storage.getStore();
}

/** Runs `fn` inside `scope` (the server's side of {@link currentMcpRequest}). */
export function runInMcpRequest<T>(scope: McpRequestScope, fn: () => Promise<T>): Promise<T> {
  return storage.run(scope, fn);
}
