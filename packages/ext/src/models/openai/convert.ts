/**
 * Conversions between autogen-ts model types and OpenAI's Chat Completions wire types.
 */
import {
  type CreateOptions,
  type FinishReason,
  type FunctionCall,
  isZodSchema,
  type JsonSchema,
  type LLMMessage,
  parseStructuredOutput,
  type StructuredOutputSchema,
  type ToolChoice,
  type ToolSchema,
  toStrictJsonSchema,
  type UserContentPart,
  zodToJsonSchema,
} from "@autogen-ts/core";
import type {
  ChatCompletionContentPart,
  ChatCompletionMessageParam,
  ChatCompletionTool,
  ChatCompletionToolChoiceOption,
} from "openai/resources/chat/completions";
import { convertMessages, userParts } from "../_shared/index.js";

const NAME = /^[a-zA-Z0-9_-]{1,64}$/;

/** An image part's URL: its `url`, or a `data:` URL built from base64 data. */
export function imageUrl(part: Exclude<UserContentPart, string>): string {
  return part.url ?? `data:${part.mediaType ?? "image/png"};base64,${part.data ?? ""}`;
}

/** autogen-ts messages to Chat Completions messages (tool results become one `tool` message each). */
export function toChatMessages(messages: readonly LLMMessage[]): ChatCompletionMessageParam[] {
  return convertMessages<ChatCompletionMessageParam>(messages, {
    system: (content) => ({ role: "system", content }),
    user: (m) => {
      const name = NAME.test(m.source) ? { name: m.source } : {};
      if (typeof m.content === "string") return { role: "user", content: m.content, ...name };
      const parts = userParts<ChatCompletionContentPart>(
        m,
        undefined,
        (text) => ({ type: "text", text }),
        (image) => ({ type: "image_url", image_url: { url: imageUrl(image) } }),
      );
      return { role: "user", content: parts, ...name };
    },
    assistantText: (content) => ({ role: "assistant", content }),
    toolCalls: (calls) => ({
      role: "assistant",
      content: null,
      tool_calls: calls.map((c) => ({
        id: c.id,
        type: "function",
        function: { name: c.name, arguments: c.arguments },
      })),
    }),
    toolResults: (results) =>
      results.map((r) => ({ role: "tool", tool_call_id: r.callId, content: r.content })),
  });
}

/** Tool schemas as Chat Completions tools. */
export function toChatTools(tools: readonly ToolSchema[]): ChatCompletionTool[] {
  return tools.map((t) => ({
    type: "function",
    function: {
      name: t.name,
      ...(t.description !== undefined ? { description: t.description } : {}),
      parameters: t.parameters as Record<string, unknown>,
      ...(t.strict ? { strict: true } : {}),
    },
  }));
}

/** A tool choice as Chat Completions expects it. */
export function toChatToolChoice(choice: ToolChoice): ChatCompletionToolChoiceOption {
  return typeof choice === "string" ? choice : { type: "function", function: { name: choice.name } };
}

/**
 * The JSON Schema for structured output: from a zod schema in strict form when it can be (falling back
 * to the plain form, not strict, for schemas strict mode cannot express).
 */
export function outputJsonSchema(schema: StructuredOutputSchema): {
  schema: JsonSchema;
  strict: boolean;
  plain: JsonSchema;
} {
  if (!isZodSchema(schema)) {
    const given = (schema as { jsonSchema?: JsonSchema }).jsonSchema ?? { type: "object" };
    return { schema: given, strict: false, plain: given };
  }
  const plain = zodToJsonSchema(schema);
  try {
    return { schema: toStrictJsonSchema(plain), strict: true, plain };
  } catch {
    return { schema: plain, strict: false, plain };
  }
}

/** Parses a structured reply, undoing strict mode's nullable optionals first. */
export function parseOutput(text: string, schema: StructuredOutputSchema): unknown {
  const { strict, plain } = outputJsonSchema(schema);
  return parseStructuredOutput(text, schema, strict ? { strictFrom: plain } : {});
}

/** The `response_format` for the `jsonOutput` option. */
export function toResponseFormat(
  jsonOutput: CreateOptions["jsonOutput"],
): Record<string, unknown> | undefined {
  if (jsonOutput === undefined || jsonOutput === false) return undefined;
  if (jsonOutput === true) return { type: "json_object" };
  const { schema, strict } = outputJsonSchema(jsonOutput);
  return { type: "json_schema", json_schema: { name: "output", schema, strict } };
}

/** OpenAI's finish reason as an autogen-ts one. */
export function toFinishReason(reason: string | null | undefined, hasCalls: boolean): FinishReason {
  if (hasCalls) return "function_calls";
  switch (reason) {
    case "stop":
      return "stop";
    case "length":
      return "length";
    case "tool_calls":
    case "function_call":
      return "function_calls";
    case "content_filter":
      return "content_filter";
    default:
      return "unknown";
  }
}

/**
 * Splits `<think>...</think>` reasoning (as R1-style models emit it through compatible endpoints) off
 * the content.
 */
export function splitThink(content: string): { content: string; thought: string | undefined } {
  const match = /^\s*<think>([\s\S]*?)<\/think>\s*/.exec(content);
  if (!match) return { content, thought: undefined };
  return { content: content.slice(match[0].length), thought: match[1]?.trim() };
}

/** Function calls from wire tool calls (arguments kept as the raw text, even when malformed). */
export function toFunctionCalls(
  calls: readonly { id?: string; function?: { name?: string; arguments?: string } }[],
): FunctionCall[] {
  return calls.map((c, i) => ({
    id: c.id ?? `call_${i}`,
    name: c.function?.name ?? "",
    arguments: c.function?.arguments ?? "",
  }));
}
