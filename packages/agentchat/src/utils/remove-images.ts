/**
 * Images out of a conversation, for a model that cannot see: AutoGen's `remove_images` and the
 * `content_to_str` it uses, with the same `<image>` placeholder, so the call goes through and the model
 * still knows an image was there.
 */
import type { LLMMessage, UserContentPart } from "@autogen-ts/core";

/** The text of a user message's content, `<image>` standing for each image, parts joined by newlines. */
export function contentToStr(content: string | readonly UserContentPart[]): string {
  if (typeof content === "string") return content;
  return content.map((part) => (typeof part === "string" ? part : "<image>")).join("\n");
}

/**
 * The messages with every multi-part user message turned into text (images become `<image>`); other
 * messages, and the array itself when nothing changes, are returned as they are.
 */
export function removeImages(messages: readonly LLMMessage[]): LLMMessage[] {
  let out: LLMMessage[] | undefined;
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i] as LLMMessage;
    if (m.type !== "UserMessage" || typeof m.content === "string") continue;
    out ??= messages.slice();
    out[i] = { type: "UserMessage", content: contentToStr(m.content), source: m.source };
  }
  return out ?? (messages as LLMMessage[]);
}
