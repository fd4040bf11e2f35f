/**
 * The model-facing types: the messages a model reads, what it returns, and the `ChatCompletionClient`
 * interface every provider client implements. Mirrors AutoGen's `autogen_core.models`, in camelCase.
 */
import type { ToolSchema } from "../tools/types.js";

/** An image given to a vision model: a URL (`https:` or `data:`), or base64 data with its media type. */
export interface Image {
  readonly type: "image";
  /** An `https:` or `data:` URL. Exactly one of `url` and `data` is set. */
  readonly url?: string;
  /** Base64-encoded bytes. */
  readonly data?: string;
  /** The media type of `data`, such as `image/png`. */
  readonly mediaType?: string;
}

/** One part of a multi-part user message. */
export type UserContentPart = string | Image;

/** The system prompt. */
export interface SystemMessage {
  readonly type: "SystemMessage";
  readonly content: string;
}

/** A message from the user or from another agent, seen by the model as user input. */
export interface UserMessage {
  readonly type: "UserMessage";
  readonly content: string | readonly UserContentPart[];
  /** Who said it (an agent name or "user"). */
  readonly source: string;
}

/** A call the model asks to make. `arguments` is the model's raw JSON text, unparsed. */
export interface FunctionCall {
  readonly id: string;
  readonly name: string;
  readonly arguments: string;
}

/** A model's earlier reply, as it goes back into the context. */
export interface AssistantMessage {
  readonly type: "AssistantMessage";
  readonly content: string | readonly FunctionCall[];
  /** The model's reasoning text, where the provider returns it. */
  readonly thought?: string;
  readonly source: string;
}

/** The result of one function call, fed back to the model. */
export interface FunctionExecutionResult {
  readonly content: string;
  readonly name: string;
  readonly callId: string;
  readonly isError: boolean;
}

/** The results of the calls of one assistant turn. */
export interface FunctionExecutionResultMessage {
  readonly type: "FunctionExecutionResultMessage";
  readonly content: readonly FunctionExecutionResult[];
}

/** Any message a model can be given. */
export type LLMMessage = SystemMessage | UserMessage | AssistantMessage | FunctionExecutionResultMessage;

/** Why the model stopped. */
export type FinishReason = "stop" | "length" | "function_calls" | "content_filter" | "unknown";

/** Token counts (and cost, where known) of one or more model calls. */
export interface RequestUsage {
  readonly promptTokens: number;
  readonly completionTokens: number;
  /** Prompt tokens served from the provider's cache (included in `promptTokens`). */
  readonly cachedPromptTokens?: number;
  /** Prompt tokens written to the provider's cache (Anthropic), included in `promptTokens`. */
  readonly cacheCreationTokens?: number;
  /** Completion tokens spent on reasoning (included in `completionTokens`). */
  readonly reasoningTokens?: number;
  /** Cost in US dollars, where the client's price table knows the model. */
  readonly costUsd?: number;
}

/** The log-probability of one token, with its top alternatives. */
export interface TokenLogprob {
  readonly token: string;
  readonly logprob: number;
  readonly topLogprobs?: readonly { token: string; logprob: number }[];
}

/** One model completion. `content` is text, or the function calls the model asks for. */
export interface CreateResult {
  readonly finishReason: FinishReason;
  readonly content: string | readonly FunctionCall[];
  readonly usage: RequestUsage;
  /** True when the answer came from a cache rather than the provider. */
  readonly cached: boolean;
  readonly logprobs?: readonly TokenLogprob[] | null;
  /** The model's reasoning text, where the provider returns it. */
  readonly thought?: string;
  /** With structured output (`jsonOutput` given a schema): the reply parsed and validated by that schema. */
  readonly parsed?: unknown;
}

/** Well-known model families; any other string is allowed too. */
export const ModelFamily = {
  GPT_4O: "gpt-4o",
  GPT_41: "gpt-41",
  GPT_45: "gpt-45",
  GPT_5: "gpt-5",
  O1: "o1",
  O3: "o3",
  O4: "o4",
  R1: "r1",
  CLAUDE_3_HAIKU: "claude-3-haiku",
  CLAUDE_3_5_SONNET: "claude-3-5-sonnet",
  CLAUDE_3_7_SONNET: "claude-3-7-sonnet",
  CLAUDE_4_SONNET: "claude-4-sonnet",
  CLAUDE_4_OPUS: "claude-4-opus",
  GEMINI_2_0_FLASH: "gemini-2.0-flash",
  GEMINI_2_5_PRO: "gemini-2.5-pro",
  LLAMA_3_3: "llama-3.3",
  MISTRAL: "mistral",
  UNKNOWN: "unknown",
} as const;

/** What a model can do. */
export interface ModelInfo {
  readonly vision: boolean;
  readonly functionCalling: boolean;
  readonly jsonOutput: boolean;
  readonly structuredOutput: boolean;
  /** A {@link ModelFamily} value or any other family name. */
  readonly family: string;
  /** Whether the model accepts several system messages (some providers want exactly one). */
  readonly multipleSystemMessages?: boolean;
}

/** How the model may use the tools it is given. */
export type ToolChoice = "auto" | "required" | "none" | { readonly name: string };

/**
 * A schema for structured output. Any zod schema fits this shape; a client turns it into the provider's
 * JSON Schema and parses the reply with it.
 */
export interface StructuredOutputSchema<T = unknown> {
  safeParse(value: unknown): { success: true; data: T } | { success: false; error: unknown };
}

/** Options of one model call. */
export interface CreateOptions {
  /** Tools the model may call. */
  readonly tools?: readonly ToolSchema[];
  readonly toolChoice?: ToolChoice;
  /** `true` for JSON mode; a zod schema for structured output. */
  readonly jsonOutput?: boolean | StructuredOutputSchema;
  /** Provider-specific arguments passed through as they are (temperature, seed, ...). */
  readonly extraCreateArgs?: Readonly<Record<string, unknown>>;
  /** Cancels the call. */
  readonly signal?: AbortSignal;
}

/**
 * A model client: AutoGen's `ChatCompletionClient`.
 *
 * `createStream` yields text chunks as they arrive and ends with exactly one {@link CreateResult}.
 */
export interface ChatCompletionClient {
  /** What the model can do. */
  readonly modelInfo: ModelInfo;
  /** One completion. */
  create(messages: readonly LLMMessage[], options?: CreateOptions): Promise<CreateResult>;
  /** A streamed completion: text chunks, then one final {@link CreateResult}. */
  createStream(
    messages: readonly LLMMessage[],
    options?: CreateOptions,
  ): AsyncIterable<string | CreateResult>;
  /** Usage of the last call. */
  actualUsage(): RequestUsage;
  /** Usage of every call since the client was made. */
  totalUsage(): RequestUsage;
  /** An estimate of the prompt tokens these messages and tools take. */
  countTokens(messages: readonly LLMMessage[], options?: { tools?: readonly ToolSchema[] }): number;
  /** The model's context size less {@link countTokens}. */
  remainingTokens(messages: readonly LLMMessage[], options?: { tools?: readonly ToolSchema[] }): number;
  /** Releases connections. */
  close(): Promise<void>;
}

/** True when `value` is a final {@link CreateResult} (rather than a text chunk) of `createStream`. */
export function isCreateResult(value: unknown): value is CreateResult {
  return typeof value === "object" && value !== null && "finishReason" in value && "usage" in value;
}
