/**
 * What the OpenAI endpoints read out of a run's record: the replies of the team's agents as text, and
 * the moment the run stopped (ended, or parked waiting for a person).
 */
import type { RunEventRecord } from "@autogen-ts/core";
import { STATUS_EVENT } from "../feed.js";

const CHAT_TYPES = new Set([
  "TextMessage",
  "MultiModalMessage",
  "StructuredMessage",
  "ToolCallSummaryMessage",
  "HandoffMessage",
  "StopMessage",
]);

/** A piece of the answer: a token chunk, or a whole reply (skipped when its chunks were streamed). */
export type AnswerPiece =
  | { readonly kind: "delta"; readonly text: string }
  | { readonly kind: "stop"; readonly status: string };

/**
 * Turns a run's events into answer pieces: agents' replies (not the caller's own task messages), their
 * token chunks when the model streams, and a stop at the run's end or first wait for input.
 */
export class AnswerReader {
  #streamed = new Set<string>();
  #started = false;
  #skip: number;

  /** `taskMessages`: how many chat messages open the run as its task (the caller's own, not answers). */
  constructor(taskMessages: number) {
    this.#skip = taskMessages;
  }

  /** The pieces one event adds. */
  read(event: RunEventRecord): AnswerPiece[] {
    const data = (event.data ?? {}) as Record<string, unknown>;
    if (event.type === STATUS_EVENT) {
      const status = String(data.status);
      return status === "running" ? [] : [{ kind: "stop", status }];
    }
    const source = String(data.source ?? "");
    if (event.type === "ModelClientStreamingChunkEvent" && typeof data.content === "string") {
      this.#streamed.add(source);
      return [this.#piece(data.content, false)];
    }
    if (!CHAT_TYPES.has(event.type)) return [];
    if (this.#skip > 0) {
      this.#skip--;
      return [];
    }
    if (this.#streamed.delete(source)) return [];
    const text = textOf(data);
    return text === "" ? [] : [this.#piece(text, true)];
  }

  #piece(text: string, whole: boolean): AnswerPiece {
    // Whole replies of several agents are set apart by a blank line; chunks join as they come.
    const prefix = whole && this.#started ? "\n\n" : "";
    this.#started = true;
    return { kind: "delta", text: prefix + text };
  }
}

/** The text of a chat message's JSON form. */
export function textOf(data: Record<string, unknown>): string {
  const content = data.content;
  if (typeof content === "string") return content;
  if (Array.isArray(content)) return content.filter((part) => typeof part === "string").join("\n");
  if (content !== undefined) return JSON.stringify(content);
  return "";
}
