/**
 * Tool and workbench interfaces: what an agent needs to offer tools to a model and run the calls it makes.
 * Mirrors AutoGen's `autogen_core.tools` (`BaseTool`, `Workbench`, `ToolResult`), in camelCase.
 */

import type { ApprovalResponse } from "../code-execution/types.js";
import type { FunctionCall } from "../models/types.js";

/** A JSON Schema document (kept loose on purpose: providers accept different subsets). */
export type JsonSchema = { readonly [key: string]: unknown };

/** How a tool is described to a model. */
export interface ToolSchema {
  readonly name: string;
  readonly description?: string;
  /** A JSON Schema of type `object` for the arguments. */
  readonly parameters: JsonSchema;
  /** Whether the schema satisfies the providers' strict mode (all properties required, no extras). */
  readonly strict?: boolean;
}

/** Text returned by a tool. */
export interface TextResultContent {
  readonly type: "text";
  readonly text: string;
}

/** An image returned by a tool, as base64 data. */
export interface ImageResultContent {
  readonly type: "image";
  readonly data: string;
  readonly mediaType: string;
}

/** One piece of a tool's result. */
export type ToolResultContent = TextResultContent | ImageResultContent;

/**
 * The outcome of one tool call. A failure the model should see (bad arguments, an exception in the tool,
 * an unknown tool name) is a result with `isError: true`, never a thrown error that ends the run.
 */
export interface ToolResult {
  readonly name: string;
  readonly result: readonly ToolResultContent[];
  readonly isError: boolean;
}

/** Options of one tool call. */
export interface ToolCallOptions {
  /** Cancels the call; the tool implementation receives it. */
  readonly signal?: AbortSignal;
  /** The model's id for this call. */
  readonly callId?: string;
  /**
   * Receives what a streaming tool produces while it runs (AutoGen's `StreamTool`): an `AgentTool` or
   * `TeamTool` hands over the inner run's messages, which the calling agent streams as its own.
   */
  readonly onEvent?: (event: unknown) => void;
}

/** A tool a model can call. */
export interface Tool {
  readonly name: string;
  readonly description: string;
  /** The schema given to the model. */
  readonly schema: ToolSchema;
  /**
   * Whether running a call twice is harmless (default true). In a durable run, a call the process died
   * during runs again when the tool is idempotent; otherwise it becomes an error result the model reads,
   * saying the call may or may not have taken effect.
   */
  readonly idempotent?: boolean;
  /**
   * Whether a person (or a gate standing in for one) must approve each call before it runs (default
   * false). An agent asks its tool approval function; in a durable run the question becomes a persisted
   * request the run waits on. A refused call is an error result the model reads, with the reason.
   */
  readonly needsApproval?: boolean;
  /**
   * Runs the tool on the model's arguments: the raw JSON text, or an already parsed object.
   * Never rejects for bad arguments or a failing implementation; rejects only when cancelled.
   */
  call(args: string | Readonly<Record<string, unknown>>, options?: ToolCallOptions): Promise<ToolResult>;
}

/** What a tool approval gate is shown before a call of a tool that {@link Tool.needsApproval} runs. */
export interface ToolApprovalRequest {
  /** The call as the model made it (its id, the tool's name, the arguments as JSON text). */
  readonly call: FunctionCall;
  /** The tool's description, to show a person what the call does. */
  readonly description: string;
}

/**
 * A gate that sees a tool call before it runs and may refuse it: a person at a prompt, a policy.
 *
 * @example
 * ```ts
 * const onlySmallRefunds: ToolApprovalFunc = ({ call }) =>
 *   JSON.parse(call.arguments).amount <= 50
 *     ? { approved: true, reason: "small refund" }
 *     : { approved: false, reason: "refunds over 50 need a manager" };
 * ```
 */
export type ToolApprovalFunc = (
  request: ToolApprovalRequest,
  options: { readonly signal?: AbortSignal },
) => ApprovalResponse | Promise<ApprovalResponse>;

/** A set of tools with a lifecycle: a static list, or a connection to an MCP server. */
export interface Workbench {
  /** The tools currently on offer (they may change between calls). */
  listTools(options?: { signal?: AbortSignal }): Promise<ToolSchema[]>;
  /** Calls a tool by name; an unknown name gives an error result. */
  callTool(
    name: string,
    args: string | Readonly<Record<string, unknown>>,
    options?: ToolCallOptions,
  ): Promise<ToolResult>;
  /** Opens whatever the workbench needs (idempotent; `listTools`/`callTool` start it lazily too). */
  start(): Promise<void>;
  /** Releases it (idempotent). */
  stop(): Promise<void>;
  /** Clears any per-conversation state. */
  reset(): Promise<void>;
  saveState(): Promise<Record<string, unknown>>;
  loadState(state: Record<string, unknown>): Promise<void>;
}

/** Joins the text parts of a tool result; images become a short placeholder. */
export function toolResultText(result: ToolResult): string {
  return result.result
    .map((part) => (part.type === "text" ? part.text : `[image ${part.mediaType}]`))
    .join("\n");
}
