/**
 * The memory interface: a store an agent queries before each model call to add what is relevant to the
 * model context. Mirrors AutoGen's `autogen_core.memory`, in camelCase.
 */
import type { ChatCompletionContext } from "../model-context/types.js";
import type { Image } from "../models/types.js";

/** Well-known media types of memory content; any other media type string is allowed too. */
export const MemoryMimeType = {
  TEXT: "text/plain",
  MARKDOWN: "text/markdown",
  JSON: "application/json",
  IMAGE: "image/*",
  BINARY: "application/octet-stream",
} as const;

/** One remembered item. */
export interface MemoryContent {
  /** Text, a JSON object, or an image. */
  readonly content: string | Readonly<Record<string, unknown>> | Image;
  /** The media type of `content`: a {@link MemoryMimeType} value or any other media type. */
  readonly mimeType: string;
  /** Facts about the item (its origin, a score), kept with it. */
  readonly metadata?: Readonly<Record<string, unknown>>;
}

/** What a memory query found. */
export interface MemoryQueryResult {
  readonly results: readonly MemoryContent[];
}

/** What {@link Memory.updateContext} added to the model context. */
export interface UpdateContextResult {
  readonly memories: MemoryQueryResult;
}

/** Options of the memory calls that may wait on a store. */
export interface MemoryCallOptions {
  /** Cancels the call. */
  readonly signal?: AbortSignal;
}

/** The saved form of a memory: plain, versioned JSON whose `type` names the memory kind. */
export interface MemoryState {
  readonly type: string;
  readonly version: number;
  readonly [key: string]: unknown;
}

/**
 * A memory: stores content, finds what is relevant, and adds it to a model context before a model call.
 *
 * @example
 * ```ts
 * const memory = new ListMemory();
 * await memory.add({ content: "The user prefers metric units", mimeType: MemoryMimeType.TEXT });
 * const agent = new AssistantAgent({ name: "helper", modelClient, memory: [memory] });
 * ```
 */
export interface Memory {
  /** A name for logs and events. */
  readonly name: string;
  /**
   * Adds what is relevant to the conversation in `modelContext` to it (typically as a system message)
   * and returns what it added; an empty result when it added nothing.
   */
  updateContext(
    modelContext: ChatCompletionContext,
    options?: MemoryCallOptions,
  ): Promise<UpdateContextResult>;
  /** Finds the content relevant to `query`. */
  query(query: string | MemoryContent, options?: MemoryCallOptions): Promise<MemoryQueryResult>;
  /** Stores one item. */
  add(content: MemoryContent, options?: MemoryCallOptions): Promise<void>;
  /** Forgets every item. */
  clear(): Promise<void>;
  /** Releases whatever the memory holds open (idempotent). */
  close(): Promise<void>;
  /** A JSON-safe copy of the stored items. */
  saveState(): Promise<MemoryState>;
  /**
   * Replaces the stored items with saved ones.
   *
   * @throws {@link ValidationError} (`invalid_state`) when the document is corrupt or of another version.
   */
  loadState(state: unknown): Promise<void>;
}
