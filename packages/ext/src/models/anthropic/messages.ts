/**
 * Turns autogen-ts messages and tool schemas into the Anthropic Messages API's request shapes.
 *
 * Anthropic keeps the system prompt out of the message list, wants user and assistant turns to
 * alternate, and carries tool results as `tool_result` blocks inside a user turn. So system messages are
 * lifted (and merged) into `system`, consecutive turns of one role are merged, and function results
 * become a user turn of `tool_result` blocks.
 */
import type Anthropic from "@anthropic-ai/sdk";
import type { Image, LLMMessage, ModelInfo, ToolChoice, ToolSchema } from "@autogen-ts/core";
import { ModelError } from "@autogen-ts/core";
import { argumentsObject, convertMessages, parseDataUrl, userParts } from "../_shared/index.js";

type MessageParam = Anthropic.MessageParam;
type ContentBlockParam = Anthropic.ContentBlockParam;
type ImageBlockParam = Anthropic.ImageBlockParam;

const IMAGE_TYPES = new Set(["image/jpeg", "image/png", "image/gif", "image/webp"]);

/** The request's `system` and `messages`. */
export interface AnthropicPrompt {
  readonly system: string | undefined;
  readonly messages: MessageParam[];
}

/**
 * Thinking blocks of earlier replies, by the id of the first tool call of the same reply. Anthropic needs
 * the signed thinking block back when the model continues after its tool calls, and autogen-ts's
 * `AssistantMessage` only keeps the thought's text.
 */
export type ThinkingMemory = ReadonlyMap<string, readonly ContentBlockParam[]>;

/** Converts an {@link Image} to an Anthropic image block. */
export function toImageBlock(image: Image): ImageBlockParam {
  if (image.data !== undefined) {
    const mediaType = image.mediaType ?? "image/png";
    if (!IMAGE_TYPES.has(mediaType)) {
      throw new ModelError("model_capability", `Anthropic does not accept images of type ${mediaType}`);
    }
    return {
      type: "image",
      source: { type: "base64", media_type: mediaType as "image/png", data: image.data },
    };
  }
  const url = image.url ?? "";
  const dataUrl = parseDataUrl(url);
  if (dataUrl) return toImageBlock({ type: "image", ...dataUrl });
  if (!/^https?:\/\//.test(url)) {
    throw new ModelError("model_capability", "An image needs base64 data, a data: URL or an http(s) URL");
  }
  return { type: "image", source: { type: "url", url } };
}

function push(out: MessageParam[], role: "user" | "assistant", blocks: ContentBlockParam[]): void {
  if (blocks.length === 0) return;
  const last = out[out.length - 1];
  if (last && last.role === role) {
    const prev =
      typeof last.content === "string" ? [{ type: "text" as const, text: last.content }] : last.content;
    // tool_result blocks must open a user turn, so they go before any text already there.
    const results = blocks.filter((b) => b.type === "tool_result");
    const rest = blocks.filter((b) => b.type !== "tool_result");
    last.content = [...results, ...prev, ...rest];
    return;
  }
  out.push({ role, content: blocks });
}

/**
 * Builds the Anthropic prompt. Images need a vision model: otherwise a `model_capability` error is thrown
 * before anything is sent.
 */
export function toAnthropicPrompt(
  messages: readonly LLMMessage[],
  info: ModelInfo,
  thinking: ThinkingMemory = new Map(),
): AnthropicPrompt {
  const system: string[] = [];
  type Turn = { readonly role: "user" | "assistant"; readonly blocks: ContentBlockParam[] };
  const text = (t: string): ContentBlockParam[] => (t.length > 0 ? [{ type: "text", text: t }] : []);
  const turns = convertMessages<Turn>(messages, {
    system: (content) => {
      if (content.length > 0) system.push(content);
      return undefined;
    },
    user: (m) => ({
      role: "user",
      blocks: userParts<ContentBlockParam>(
        m,
        info,
        (t) => (t.length > 0 ? { type: "text", text: t } : undefined),
        toImageBlock,
      ),
    }),
    assistantText: (content) => ({ role: "assistant", blocks: text(content) }),
    toolCalls: (calls) => {
      // The thinking that led to the calls goes back in front of them, as Anthropic requires.
      const first = calls[0];
      const blocks: ContentBlockParam[] = first ? [...(thinking.get(first.id) ?? [])] : [];
      for (const call of calls) {
        blocks.push({
          type: "tool_use",
          id: call.id,
          name: call.name,
          input: argumentsObject(call.arguments),
        });
      }
      return { role: "assistant", blocks };
    },
    toolResults: (results) => ({
      role: "user",
      blocks: results.map((r) => ({
        type: "tool_result" as const,
        tool_use_id: r.callId,
        content: r.content,
        ...(r.isError ? { is_error: true } : {}),
      })),
    }),
  });
  const out: MessageParam[] = [];
  for (const turn of turns) push(out, turn.role, turn.blocks);
  return { system: system.length > 0 ? system.join("\n\n") : undefined, messages: out };
}

/** Converts tool schemas to Anthropic tool definitions. */
export function toAnthropicTools(tools: readonly ToolSchema[]): Anthropic.Tool[] {
  return tools.map((t) => ({
    name: t.name,
    ...(t.description ? { description: t.description } : {}),
    input_schema: { type: "object", ...t.parameters } as Anthropic.Tool.InputSchema,
    ...(t.strict ? { strict: true } : {}),
  }));
}

/** Converts a {@link ToolChoice} to Anthropic's `tool_choice`. */
export function toAnthropicToolChoice(choice: ToolChoice): Anthropic.ToolChoice {
  if (choice === "auto") return { type: "auto" };
  if (choice === "required") return { type: "any" };
  if (choice === "none") return { type: "none" };
  return { type: "tool", name: choice.name };
}
