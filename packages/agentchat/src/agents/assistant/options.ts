/**
 * The public option and state types of `AssistantAgent`, apart from the class so that the turn's parts
 * (settings, model call, tool execution) can name them without importing the agent.
 */

import type {
  ChatCompletionClient,
  ChatCompletionContext,
  FunctionCall,
  FunctionExecutionResult,
  Memory,
  StructuredOutputSchema,
  Tool,
  ToolApprovalFunc,
  Workbench,
} from "@autogen-ts/core";
import type { TracerProvider } from "@opentelemetry/api";
import type { AgentState } from "../../base/types.js";
import type { HandoffSpec } from "../handoff.js";

/** Turns one tool call and its result into a line of a `ToolCallSummaryMessage`. */
export type ToolCallSummaryFormatter = (call: FunctionCall, result: FunctionExecutionResult) => string;

/** Options of `AssistantAgent`. */
export interface AssistantAgentOptions<Out = unknown> {
  /** The agent's name (letters, digits, `_`, `-`). */
  readonly name: string;
  /** The model. */
  readonly modelClient: ChatCompletionClient;
  /** What the agent does, for other agents and selectors. */
  readonly description?: string;
  /** Tools the model may call. Not together with `workbench`. */
  readonly tools?: readonly Tool[];
  /** One or several workbenches (an MCP server, a `StaticWorkbench`) whose tools the model may call. */
  readonly workbench?: Workbench | readonly Workbench[];
  /** Agents this one may hand the conversation to; each becomes a `transfer_to_<name>` tool. */
  readonly handoffs?: readonly HandoffSpec[];
  /** Holds the conversation and decides what the model sees (default: an unbounded context). */
  readonly modelContext?: ChatCompletionContext;
  /** Memories queried before each model call; what they find goes into the context. */
  readonly memory?: readonly Memory[];
  /** The system prompt; `null` for none. */
  readonly systemMessage?: string | null;
  /** Stream the model's reply as `ModelClientStreamingChunkEvent`s (default false). */
  readonly modelClientStream?: boolean;
  /**
   * After the tool calls, call the model once more to answer in words (default false, or true when
   * `outputContentType` is set). Without it, the reply is a `ToolCallSummaryMessage`.
   */
  readonly reflectOnToolUse?: boolean;
  /**
   * The template of each line of a tool-call summary: `{toolName}`, `{arguments}`, `{result}` and
   * `{isError}` are replaced (default `"{result}"`).
   */
  readonly toolCallSummaryFormat?: string;
  /** Formats each line of a tool-call summary; takes precedence over `toolCallSummaryFormat`. */
  readonly toolCallSummaryFormatter?: ToolCallSummaryFormatter;
  /** A schema (zod, say) for the reply: the model is asked for it and the reply is a `StructuredMessage`. */
  readonly outputContentType?: StructuredOutputSchema<Out>;
  /** The text template of the structured reply (see `StructuredMessage`). */
  readonly outputContentTypeFormat?: string;
  /** How many rounds of model call and tool calls one turn may take (default 1). */
  readonly maxToolIterations?: number;
  /**
   * The most tool calls of one model reply that run at once (default 16); the rest wait their turn.
   * A model that asks for thousands of calls then does not start thousands of requests or processes.
   */
  readonly maxConcurrentToolCalls?: number;
  /** Annotations put on every reply of this agent. */
  readonly metadata?: Readonly<Record<string, string>>;
  /** Where the agent's spans go (as the runtime's option of that name); by default the global provider. */
  readonly tracerProvider?: TracerProvider;
  /**
   * Decides on calls of tools that say `needsApproval` (a person at a prompt, a policy). In a durable
   * run each such call is a persisted request instead, which this function answers only when the run
   * may ask now (`askInput`). Without either, those calls are refused.
   */
  readonly toolApprovalFunc?: ToolApprovalFunc;
}

/** The saved form of an `AssistantAgent`. */
export interface AssistantAgentState extends AgentState {
  readonly type: "AssistantAgentState";
  readonly version: 1;
  /** The model context's own saved document. */
  readonly llmContext: unknown;
}
