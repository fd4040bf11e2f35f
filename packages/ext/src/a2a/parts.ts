/**
 * Between AgentChat messages and A2A message parts, both ways: what `A2AAgent` sends and reads, and what
 * `serveA2A` turns into a task. Each part's `metadata.source` and `metadata.type` carry the AgentChat
 * message it came from, so a conversation keeps its speakers across the wire.
 */

import { type Message, type Part, Role } from "@a2a-js/sdk";
import {
  type BaseAgentMessage,
  type BaseChatMessage,
  MultiModalMessage,
  StructuredMessage,
  TextMessage,
} from "@autogen-ts/agentchat";
import type { Image } from "@autogen-ts/core";

/** A text part, tagged with the message it stands for. */
export function textPart(text: string, metadata?: Record<string, string>): Part {
  return { content: { $case: "text", value: text }, mediaType: "text/plain", filename: "", metadata };
}

/** The parts of one AgentChat message: text, images as file parts, structured content as a data part. */
export function messageToParts(message: BaseAgentMessage): Part[] {
  const metadata = { source: message.source, type: message.type };
  if (message instanceof MultiModalMessage) {
    return message.content.map((part) =>
      typeof part === "string" ? textPart(part, metadata) : imagePart(part, metadata),
    );
  }
  if (message instanceof StructuredMessage) {
    return [
      {
        content: { $case: "data", value: message.content },
        mediaType: "application/json",
        filename: "",
        metadata,
      },
    ];
  }
  const text = message.kind === "chat" ? (message as BaseChatMessage).toModelText() : message.toText();
  return [textPart(text, metadata)];
}

function imagePart(image: Image, metadata: Record<string, string>): Part {
  if (image.url !== undefined) {
    return {
      content: { $case: "url", value: image.url },
      mediaType: image.mediaType ?? "image/*",
      filename: "",
      metadata,
    };
  }
  return {
    content: { $case: "raw", value: Buffer.from(image.data ?? "", "base64") },
    mediaType: image.mediaType ?? "image/png",
    filename: "",
    metadata,
  };
}

/** A new A2A user message made of the given parts. */
export function userMessage(parts: Part[], ids: { contextId?: string; taskId?: string }): Message {
  return {
    messageId: crypto.randomUUID(),
    contextId: ids.contextId ?? "",
    taskId: ids.taskId ?? "",
    role: Role.ROLE_USER,
    parts,
    metadata: undefined,
    extensions: [],
    referenceTaskIds: [],
  };
}

/** A new A2A agent message made of the given parts. */
export function agentMessage(
  parts: Part[],
  ids: { contextId: string; taskId: string },
  metadata?: Record<string, string>,
): Message {
  return {
    messageId: crypto.randomUUID(),
    contextId: ids.contextId,
    taskId: ids.taskId,
    role: Role.ROLE_AGENT,
    parts,
    metadata,
    extensions: [],
    referenceTaskIds: [],
  };
}

/**
 * The chat messages an incoming A2A message stands for: each text part a `TextMessage`, each data part a
 * `StructuredMessage`, each image a `MultiModalMessage`, other files a `TextMessage` naming them (or their
 * text, for `text/*` bytes). The speaker is the part's `metadata.source`, else `defaultSource`.
 */
export function partsToMessages(parts: readonly Part[], defaultSource: string): BaseChatMessage[] {
  const out: BaseChatMessage[] = [];
  for (const part of parts) {
    const meta = part.metadata as Record<string, unknown> | undefined;
    const source = typeof meta?.source === "string" && meta.source !== "" ? meta.source : defaultSource;
    const content = part.content;
    if (content === undefined) continue;
    switch (content.$case) {
      case "text":
        out.push(new TextMessage({ source, content: content.value }));
        break;
      case "data":
        out.push(new StructuredMessage({ source, content: content.value as unknown }));
        break;
      case "url":
        out.push(
          part.mediaType.startsWith("image/")
            ? new MultiModalMessage({ source, content: [{ type: "image", url: content.value }] })
            : new TextMessage({ source, content: fileLine(part, content.value) }),
        );
        break;
      case "raw": {
        const bytes = Buffer.from(content.value);
        if (part.mediaType.startsWith("image/")) {
          out.push(
            new MultiModalMessage({
              source,
              content: [{ type: "image", data: bytes.toString("base64"), mediaType: part.mediaType }],
            }),
          );
        } else if (part.mediaType.startsWith("text/") || part.mediaType === "application/json") {
          out.push(new TextMessage({ source, content: bytes.toString("utf8") }));
        } else {
          out.push(new TextMessage({ source, content: fileLine(part, `${bytes.length} bytes`) }));
        }
        break;
      }
    }
  }
  return out;
}

function fileLine(part: Part, where: string): string {
  const name = part.filename !== "" ? part.filename : "file";
  return `[${name} (${part.mediaType || "unknown type"}): ${where}]`;
}

/** The text of a list of parts, for reading a remote answer: text as is, data as JSON, files named. */
export function partsText(parts: readonly Part[]): string {
  const lines: string[] = [];
  for (const part of parts) {
    const content = part.content;
    if (content === undefined) continue;
    if (content.$case === "text") lines.push(content.value);
    else if (content.$case === "data") lines.push(JSON.stringify(content.value));
    else if (content.$case === "url") lines.push(fileLine(part, content.value));
    else lines.push(fileLine(part, `${Buffer.from(content.value).length} bytes`));
  }
  return lines.join("\n");
}
