/**
 * `VectorMemory`: AutoGen's vector memory (`ChromaDBVectorMemory`'s behaviour) on any
 * {@link VectorStore}. Items are embedded when added; a query embeds its text and asks the store for the
 * `k` most similar items by cosine, above a score threshold and matching a metadata filter; before a
 * model call the agent's last message is the query, and what it finds goes into the model context as one
 * numbered system message.
 */
import {
  type ChatCompletionContext,
  type LLMMessage,
  type Memory,
  type MemoryCallOptions,
  type MemoryContent,
  MemoryMimeType,
  type MemoryQueryResult,
  type MemoryState,
  ModelError,
  throwIfAborted,
  type UpdateContextResult,
  ValidationError,
} from "@autogen-ts/core";
import type { EmbeddingClient } from "./embedding.js";
import { InMemoryVectorStore } from "./in-memory-store.js";
import type { MetadataFilter, VectorRecord, VectorStore } from "./types.js";
import { checkEmbedding, checkRecord, checkUniqueIds, normalizeFilter } from "./vectors.js";

/** Options of {@link VectorMemory}. */
export interface VectorMemoryOptions {
  /** Turns text into vectors (an `OpenAIEmbeddingClient`, say). */
  readonly embeddingClient: EmbeddingClient;
  /** Where the records live (default: a new {@link InMemoryVectorStore}). Closed by {@link VectorMemory.close}. */
  readonly store?: VectorStore;
  /** A name for logs and events (default `vector_memory`). */
  readonly name?: string;
  /** How many items a query returns at most (default 3, as in AutoGen). */
  readonly k?: number;
  /** Only items at least this similar to the query, cosine from -1 to 1 (default: no threshold). */
  readonly scoreThreshold?: number;
  /** A metadata filter every query applies (a query's own filter is added to it). */
  readonly filter?: MetadataFilter;
}

/** Options of {@link VectorMemory.query}: the memory's defaults, for one call. */
export interface VectorQueryOptions extends MemoryCallOptions {
  readonly k?: number;
  readonly scoreThreshold?: number;
  /** Conditions added to the memory's own filter (the query's win on the same key). */
  readonly filter?: MetadataFilter;
}

/** The saved form of a {@link VectorMemory}: its records with their vectors, and the model they came from. */
export interface VectorMemoryState extends MemoryState {
  readonly type: "VectorMemoryState";
  readonly version: number;
  /** The embedding model of the vectors. */
  readonly embeddingModel: string;
  readonly records: readonly VectorRecord[];
}

/** The layout version of {@link VectorMemoryState} that this release writes and reads. */
export const VECTOR_MEMORY_STATE_VERSION = 1;

/**
 * A memory that finds what is relevant by meaning. Each query result is a {@link MemoryContent} as it
 * was added, its metadata extended with `score` (the cosine similarity) and `id` (the record's), as
 * AutoGen's vector memories report them.
 *
 * @example
 * ```ts
 * const memory = new VectorMemory({
 *   embeddingClient: new OpenAIEmbeddingClient({ model: "text-embedding-3-small" }),
 *   store: await SqliteVectorStore.open({ path: "./memory.db" }),
 *   k: 5,
 *   scoreThreshold: 0.3,
 * });
 * await memory.add({ content: "The user prefers metric units", mimeType: "text/plain", metadata: { category: "preferences" } });
 * const agent = new AssistantAgent({ name: "helper", modelClient, memory: [memory] });
 * ```
 */
export class VectorMemory implements Memory {
  /** A name for logs and events. */
  readonly name: string;
  /** Where the records live. */
  readonly store: VectorStore;
  readonly #embeddings: EmbeddingClient;
  readonly #k: number;
  readonly #scoreThreshold: number | undefined;
  readonly #filter: MetadataFilter | undefined;

  constructor(options: VectorMemoryOptions) {
    if (typeof options?.embeddingClient?.embed !== "function") {
      throw new ValidationError("VectorMemory needs an embeddingClient with an embed() method", {
        code: "invalid_config",
      });
    }
    this.#embeddings = options.embeddingClient;
    this.store = options.store ?? new InMemoryVectorStore();
    this.name = options.name ?? "vector_memory";
    this.#k = checkK(options.k ?? 3);
    this.#scoreThreshold = checkThreshold(options.scoreThreshold);
    normalizeFilter(options.filter);
    this.#filter = options.filter;
  }

  /**
   * Queries with the text of the last message in `modelContext` and adds what it finds as one system
   * message (`Relevant memory content:` and a numbered list). Adds nothing when nothing is found, or when
   * the model already sees that same message (an agent calls this every turn).
   */
  async updateContext(
    modelContext: ChatCompletionContext,
    options: MemoryCallOptions = {},
  ): Promise<UpdateContextResult> {
    throwIfAborted(options.signal);
    const messages = await modelContext.getMessages();
    const last = messages.at(-1);
    const text = last === undefined ? "" : messageText(last);
    if (text.trim() === "") return { memories: { results: [] } };
    const memories = await this.query(text, options);
    if (memories.results.length === 0) return { memories };
    const lines = memories.results.map((item, i) => `${i + 1}. ${describe(item)}`);
    const content = `\nRelevant memory content:\n${lines.join("\n")}`;
    if (messages.some((m) => m.type === "SystemMessage" && m.content === content)) {
      return { memories: { results: [] } };
    }
    await modelContext.addMessage({ type: "SystemMessage", content });
    return { memories };
  }

  /** The items most similar to `query` (its text, for a {@link MemoryContent}), most similar first. */
  async query(query: string | MemoryContent, options: VectorQueryOptions = {}): Promise<MemoryQueryResult> {
    throwIfAborted(options.signal);
    const text = typeof query === "string" ? query : searchText(query, "The query");
    const [embedding] = await this.#embed([text], options.signal);
    const found = await this.store.search({
      embedding: embedding as number[],
      k: checkK(options.k ?? this.#k),
      scoreThreshold: checkThreshold(options.scoreThreshold) ?? this.#scoreThreshold,
      filter: { ...this.#filter, ...options.filter },
    });
    return {
      results: found.map(({ record, score }) => ({
        ...record.content,
        metadata: { ...record.content.metadata, score, id: record.id },
      })),
    };
  }

  /** Embeds and stores one item. */
  async add(content: MemoryContent, options: MemoryCallOptions = {}): Promise<void> {
    await this.addMany([content], options);
  }

  /** Embeds (in one request) and stores several items, all or none; returns their ids. */
  async addMany(contents: readonly MemoryContent[], options: MemoryCallOptions = {}): Promise<string[]> {
    throwIfAborted(options.signal);
    if (!Array.isArray(contents)) throw new ValidationError("addMany takes an array of memory contents");
    const items = contents.map((c, i) => checkContent(c, `Memory content[${i}]`));
    if (items.length === 0) return [];
    const vectors = await this.#embed(
      items.map((c) => searchText(c, "Memory content")),
      options.signal,
    );
    const records = items.map((content, i) => ({
      id: crypto.randomUUID(),
      content: structuredClone(content),
      embedding: vectors[i] as number[],
    }));
    await this.store.add(records);
    return records.map((r) => r.id);
  }

  async #embed(texts: string[], signal: AbortSignal | undefined): Promise<number[][]> {
    const vectors = await this.#embeddings.embed(texts, signal ? { signal } : {});
    if (!Array.isArray(vectors) || vectors.length !== texts.length) {
      throw new ModelError(
        "model_output",
        `The embedding client returned ${Array.isArray(vectors) ? vectors.length : "no"} vectors for ${texts.length} texts`,
      );
    }
    for (const [i, v] of vectors.entries()) {
      try {
        checkEmbedding(v, `Embedding ${i}`);
      } catch (cause) {
        throw new ModelError(
          "model_output",
          `The embedding client returned a bad vector: ${(cause as Error).message}`,
          {
            cause,
          },
        );
      }
    }
    return vectors;
  }

  /** Forgets every item. */
  async clear(): Promise<void> {
    await this.store.clear();
  }

  /** Closes the store. */
  async close(): Promise<void> {
    await this.store.close();
  }

  /** Every record with its vector, so loading it embeds nothing again. */
  async saveState(): Promise<VectorMemoryState> {
    return {
      type: "VectorMemoryState",
      version: VECTOR_MEMORY_STATE_VERSION,
      embeddingModel: this.#embeddings.model,
      records: await this.store.list(),
    };
  }

  /**
   * Replaces the stored records with saved ones.
   *
   * @throws {@link ValidationError} (`invalid_state`) when the document is corrupt, of another version,
   *   or from another embedding model (its vectors would not compare with this model's); the store
   *   keeps its records then.
   */
  async loadState(state: unknown): Promise<void> {
    const fail = (detail: string, cause?: unknown) =>
      new ValidationError(`Cannot load VectorMemoryState: ${detail}`, {
        code: "invalid_state",
        ...(cause !== undefined ? { cause } : {}),
      });
    const doc = state as Partial<VectorMemoryState> | null;
    if (typeof doc !== "object" || doc === null || doc.type !== "VectorMemoryState") {
      throw fail('expected an object with "type": "VectorMemoryState"');
    }
    if (doc.version !== VECTOR_MEMORY_STATE_VERSION) {
      throw fail(
        `the document is version ${JSON.stringify(doc.version)}; this release reads version ${VECTOR_MEMORY_STATE_VERSION}`,
      );
    }
    if (doc.embeddingModel !== this.#embeddings.model) {
      throw fail(
        `its vectors come from the embedding model ${JSON.stringify(doc.embeddingModel)}, this memory uses ${JSON.stringify(this.#embeddings.model)}`,
      );
    }
    if (!Array.isArray(doc.records)) throw fail("records should be a list");
    let records: VectorRecord[];
    try {
      records = doc.records.map((r, i) => {
        const record = checkRecord(r, i);
        checkContent(record.content, `record ${i}'s content`);
        return record;
      });
      checkUniqueIds(records);
    } catch (cause) {
      throw fail((cause as Error).message, cause);
    }
    await this.store.replace(records);
  }
}

function checkK(k: unknown): number {
  if (typeof k !== "number" || !Number.isInteger(k) || k <= 0) {
    throw new ValidationError("k should be a positive integer");
  }
  return k;
}

function checkThreshold(t: unknown): number | undefined {
  if (t !== undefined && (typeof t !== "number" || !Number.isFinite(t))) {
    throw new ValidationError("scoreThreshold should be a number (cosine similarity, -1 to 1)");
  }
  return t;
}

function checkContent(item: unknown, what: string): MemoryContent {
  if (typeof item !== "object" || item === null) throw new ValidationError(`${what} should be an object`);
  const { mimeType, metadata } = item as Record<string, unknown>;
  if (typeof mimeType !== "string" || mimeType === "") throw new ValidationError(`${what} needs a mimeType`);
  if (
    metadata !== undefined &&
    (typeof metadata !== "object" || metadata === null || Array.isArray(metadata))
  ) {
    throw new ValidationError(`${what}: metadata should be an object`);
  }
  return item as MemoryContent;
}

/**
 * The text that is embedded for an item, as AutoGen's vector memory takes it: text and markdown as they
 * are, a JSON object as its JSON; an image or other binary content has no text to embed.
 */
function searchText(item: MemoryContent, what: string): string {
  const { content, mimeType } = item;
  if (
    mimeType === MemoryMimeType.TEXT ||
    mimeType === MemoryMimeType.MARKDOWN ||
    mimeType.startsWith("text/")
  ) {
    if (typeof content === "string") return content;
  } else if (mimeType === MemoryMimeType.JSON) {
    if (typeof content === "object" && content !== null) return JSON.stringify(content);
    if (typeof content === "string") return content;
  }
  throw new ValidationError(
    `${what} of type ${mimeType} has no text to embed (text, markdown and JSON content can be embedded)`,
  );
}

/** How one item reads in the system message. */
function describe(item: MemoryContent): string {
  return typeof item.content === "string" ? item.content : JSON.stringify(item.content);
}

/** The text of a message, to query with: its string content, or the text parts of the rest. */
function messageText(message: LLMMessage): string {
  const content = (message as { content?: unknown }).content;
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content
    .map((part: unknown) => {
      if (typeof part === "string") return part;
      const p = part as { content?: unknown; name?: unknown; arguments?: unknown };
      // A tool result carries its text in content; a tool call, its name and arguments.
      if (typeof p?.content === "string") return p.content;
      if (typeof p?.name === "string")
        return `${p.name} ${typeof p.arguments === "string" ? p.arguments : ""}`;
      return "";
    })
    .filter((s) => s.length > 0)
    .join("\n");
}
