/** The simplest memory: a list, every item of which is relevant to every query. */
import { throwIfAborted, ValidationError } from "../errors.js";
import { readStateDocument } from "../model-context/state.js";
import type { ChatCompletionContext } from "../model-context/types.js";
import type {
  Memory,
  MemoryCallOptions,
  MemoryContent,
  MemoryQueryResult,
  MemoryState,
  UpdateContextResult,
} from "./types.js";

/** Options of {@link ListMemory}. */
export interface ListMemoryOptions {
  /** A name for logs and events; `"list_memory"` by default. */
  name?: string;
  /** The items it starts with, oldest first. */
  memoryContents?: readonly MemoryContent[];
}

/** The saved form of a {@link ListMemory}. */
export interface ListMemoryState extends MemoryState {
  readonly type: "ListMemoryState";
  readonly version: number;
  readonly memoryContents: readonly MemoryContent[];
}

/** The layout version of {@link ListMemoryState} that this release writes and reads. */
export const LIST_MEMORY_STATE_VERSION = 1;

/**
 * A memory that keeps its items in a list, in the order they were added, and treats all of them as
 * relevant: `query` returns every item and `updateContext` adds all of them to the model context as one
 * numbered system message. Good for a handful of standing facts and preferences; use a vector memory
 * for a large store.
 *
 * @example
 * ```ts
 * const memory = new ListMemory();
 * await memory.add({ content: "Answer in French", mimeType: MemoryMimeType.TEXT });
 * ```
 */
export class ListMemory implements Memory {
  /** A name for logs and events. */
  readonly name: string;
  private items: MemoryContent[];

  constructor(options: ListMemoryOptions = {}) {
    this.name = options.name ?? "list_memory";
    this.items = options.memoryContents ? options.memoryContents.map((item, i) => checkItem(item, i)) : [];
  }

  /** The stored items, oldest first (a copy). */
  get content(): MemoryContent[] {
    return [...this.items];
  }

  /**
   * Adds every stored item to `modelContext` as one system message and returns them. Adds nothing (and
   * returns no results) when the memory is empty, or when the model already sees that same message (an
   * agent calls this every turn; the block is added again once an item changes or the window drops it).
   */
  async updateContext(
    modelContext: ChatCompletionContext,
    options: MemoryCallOptions = {},
  ): Promise<UpdateContextResult> {
    throwIfAborted(options.signal);
    if (this.items.length === 0) return { memories: { results: [] } };
    const results = [...this.items];
    const lines = results.map((item, i) => `${i + 1}. ${describe(item)}`);
    const content = `Things you remember that may matter here, oldest first:\n${lines.join("\n")}`;
    // An agent calls this every turn: while the same block is still in what the model sees, adding it
    // again would only repeat it (and its tokens) once per turn.
    const visible = await modelContext.getMessages();
    if (visible.some((m) => m.type === "SystemMessage" && m.content === content))
      return { memories: { results: [] } };
    await modelContext.addMessage({ type: "SystemMessage", content });
    return { memories: { results } };
  }

  /** Every stored item, oldest first (a list memory does not rank). */
  async query(_query: string | MemoryContent, options: MemoryCallOptions = {}): Promise<MemoryQueryResult> {
    throwIfAborted(options.signal);
    return { results: [...this.items] };
  }

  /** Stores one item at the end of the list. */
  async add(content: MemoryContent, options: MemoryCallOptions = {}): Promise<void> {
    throwIfAborted(options.signal);
    this.items.push(checkItem(content, this.items.length));
  }

  /** Forgets every item. */
  async clear(): Promise<void> {
    this.items = [];
  }

  /** Nothing to release. */
  async close(): Promise<void> {}

  /** A JSON-safe copy of the stored items. */
  async saveState(): Promise<ListMemoryState> {
    return {
      type: "ListMemoryState",
      version: LIST_MEMORY_STATE_VERSION,
      memoryContents: structuredClone(this.items),
    };
  }

  /**
   * Replaces the stored items with saved ones.
   *
   * @throws {@link ValidationError} (`invalid_state`) when the document is corrupt or of another version;
   *   the memory keeps its items then.
   */
  async loadState(state: unknown): Promise<void> {
    const document = readStateDocument(state, "ListMemoryState", LIST_MEMORY_STATE_VERSION);
    const contents = document.memoryContents;
    if (!Array.isArray(contents)) {
      throw new ValidationError("Cannot load ListMemoryState: memoryContents should be a list", {
        code: "invalid_state",
      });
    }
    this.items = contents.map((item, i) => checkItem(item, i, "invalid_state"));
  }
}

function checkItem(
  item: unknown,
  index: number,
  code: "invalid_argument" | "invalid_state" = "invalid_argument",
): MemoryContent {
  const fail = (detail: string) =>
    new ValidationError(
      `${code === "invalid_state" ? "Cannot load ListMemoryState: memoryContents" : "Memory content"}[${index}] ${detail}`,
      { code },
    );
  if (typeof item !== "object" || item === null) throw fail("should be an object with content and mimeType");
  const { content, mimeType, metadata } = item as Record<string, unknown>;
  if (typeof mimeType !== "string" || mimeType === "") throw fail("needs a mimeType string");
  if (
    typeof content !== "string" &&
    (typeof content !== "object" || content === null || Array.isArray(content))
  ) {
    throw fail("content should be a string, a JSON object or an image");
  }
  if (
    metadata !== undefined &&
    (typeof metadata !== "object" || metadata === null || Array.isArray(metadata))
  ) {
    throw fail("metadata should be an object");
  }
  return item as MemoryContent;
}

/** How one item reads inside the system message. */
function describe(item: MemoryContent): string {
  const { content } = item;
  if (typeof content === "string") return content;
  if ((content as { type?: unknown }).type === "image" && item.mimeType.startsWith("image/")) {
    return `[an image (${item.mimeType})]`;
  }
  return JSON.stringify(content);
}
