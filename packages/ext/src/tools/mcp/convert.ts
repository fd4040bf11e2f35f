/**
 * Conversions between MCP's content blocks and autogen-ts's tool results and model messages.
 */
import type {
  CreateResult,
  FinishReason,
  LLMMessage,
  ToolResult,
  ToolResultContent,
  UserContentPart,
} from "@autogen-ts/core";
import type {
  CallToolResult,
  CreateMessageRequest,
  CreateMessageResult,
  GetPromptResult,
} from "@modelcontextprotocol/client";

type ContentBlock = CallToolResult["content"][number];
type PromptContent = GetPromptResult["messages"][number]["content"];

/**
 * Maps one MCP content block to tool-result parts: text stays text, images stay images (so vision models
 * see them), an embedded text resource becomes its text, an embedded image blob an image, other blobs and
 * audio a short placeholder, and a resource link a line naming the URI.
 */
export function contentToParts(block: ContentBlock | PromptContent): ToolResultContent[] {
  switch (block.type) {
    case "text":
      return [{ type: "text", text: block.text }];
    case "image":
      return [{ type: "image", data: block.data, mediaType: block.mimeType }];
    case "audio":
      return [{ type: "text", text: `[audio ${block.mimeType}, ${base64Bytes(block.data)} bytes]` }];
    case "resource": {
      const r = block.resource;
      if ("text" in r && typeof r.text === "string") return [{ type: "text", text: r.text }];
      const mime = r.mimeType ?? "application/octet-stream";
      if ("blob" in r && typeof r.blob === "string") {
        if (mime.startsWith("image/")) return [{ type: "image", data: r.blob, mediaType: mime }];
        return [{ type: "text", text: `[resource ${r.uri} (${mime}), ${base64Bytes(r.blob)} bytes]` }];
      }
      return [{ type: "text", text: `[resource ${r.uri}]` }];
    }
    case "resource_link": {
      const what = block.description ? `: ${block.description}` : "";
      const mime = block.mimeType ? ` (${block.mimeType})` : "";
      return [{ type: "text", text: `[resource link ${block.uri}${mime} ${block.name}${what}]` }];
    }
    default:
      return [{ type: "text", text: JSON.stringify(block) }];
  }
}

/**
 * Turns a `tools/call` result into a {@link ToolResult}. A result with no content but structured content
 * gives the structured content as JSON text, so the model always reads something.
 */
export function callResultToToolResult(name: string, result: CallToolResult): ToolResult {
  const parts = (result.content ?? []).flatMap((block) => contentToParts(block));
  if (parts.length === 0 && result.structuredContent !== undefined) {
    parts.push({ type: "text", text: JSON.stringify(result.structuredContent) });
  }
  return { name, result: parts, isError: result.isError === true };
}

/** A tool result carrying one error text. */
export function errorResult(name: string, text: string): ToolResult {
  return { name, result: [{ type: "text", text }], isError: true };
}

function base64Bytes(data: string): number {
  const padding = data.endsWith("==") ? 2 : data.endsWith("=") ? 1 : 0;
  return Math.max(0, Math.floor((data.length * 3) / 4) - padding);
}

type SamplingParams = CreateMessageRequest["params"];
type SamplingBlock = Extract<SamplingParams["messages"][number]["content"], { type: string }>;

function samplingBlockToPart(block: SamplingBlock): UserContentPart {
  switch (block.type) {
    case "text":
      return block.text;
    case "image":
      return { type: "image", data: block.data, mediaType: block.mimeType };
    case "audio":
      return `[audio ${block.mimeType}, ${base64Bytes(block.data)} bytes]`;
    case "tool_result":
      return block.content
        .map((c) => (c.type === "text" ? c.text : `[${c.type}]`))
        .filter((s) => s.length > 0)
        .join("\n");
    case "tool_use":
      return `[tool call ${block.name} ${JSON.stringify(block.input)}]`;
    default:
      return JSON.stringify(block);
  }
}

/**
 * Turns a server's `sampling/createMessage` request into model messages: the system prompt first, the
 * user turns as user messages (images kept), the assistant turns as assistant text.
 */
export function samplingToMessages(params: SamplingParams, serverName: string): LLMMessage[] {
  const messages: LLMMessage[] = [];
  if (params.systemPrompt) messages.push({ type: "SystemMessage", content: params.systemPrompt });
  for (const message of params.messages) {
    const blocks = (Array.isArray(message.content) ? message.content : [message.content]) as SamplingBlock[];
    const parts = blocks.map(samplingBlockToPart);
    if (message.role === "assistant") {
      const text = parts.map((p) => (typeof p === "string" ? p : "[image]")).join("\n");
      messages.push({ type: "AssistantMessage", content: text, source: serverName });
    } else {
      const onlyText = parts.every((p) => typeof p === "string");
      messages.push({
        type: "UserMessage",
        content: onlyText ? (parts as string[]).join("\n") : parts,
        source: serverName,
      });
    }
  }
  return messages;
}

const STOP_REASONS: Record<FinishReason, string> = {
  stop: "endTurn",
  length: "maxTokens",
  function_calls: "toolUse",
  content_filter: "contentFilter",
  unknown: "endTurn",
};

/** Turns a model's completion into the answer to `sampling/createMessage`. */
export function createResultToSampling(result: CreateResult, model: string): CreateMessageResult {
  const text =
    typeof result.content === "string"
      ? result.content
      : result.content.map((call) => `[tool call ${call.name} ${call.arguments}]`).join("\n");
  return {
    model,
    role: "assistant",
    content: { type: "text", text },
    stopReason: STOP_REASONS[result.finishReason],
  };
}
