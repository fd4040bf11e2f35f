/**
 * The store interface behind {@link VectorMemory}: records (a memory item and its embedding) in, the
 * top k by cosine similarity out, with metadata filters and a score threshold applied by the store
 * itself (in SQL where there is SQL). The in-memory store is in `@autogen-ts/ext/memory`, the SQLite
 * and PostgreSQL + pgvector ones in `/memory/sqlite` and `/memory/postgres`; all pass one conformance
 * suite (`describeVectorStoreConformance` in `@autogen-ts/ext/testing`).
 */
import type { MemoryContent } from "@autogen-ts/core";

/** One stored item: what was remembered, and its vector. */
export interface VectorRecord {
  /** Unique within the store; adding a record with a taken id replaces it. */
  readonly id: string;
  /** The item as it was added (its own metadata, without the score and id a query adds). */
  readonly content: MemoryContent;
  /** The item's embedding. Every record of a store has the same length. */
  readonly embedding: readonly number[];
}

/** A metadata value a filter can match: JSON scalars. */
export type MetadataValue = string | number | boolean | null;

/**
 * A condition on one metadata key: a value (equal to it), `{ $in: [...] }` (equal to one of them) or
 * `{ $ne: value }` (anything else, a missing key included).
 */
export type MetadataCondition =
  | MetadataValue
  | { readonly $in: readonly MetadataValue[] }
  | { readonly $ne: MetadataValue };

/**
 * Conditions on an item's metadata, all of which must hold: `{ category: "preferences", lang: { $in:
 * ["en", "fr"] } }`. Values compare as JSON (the string `"1"` is not the number `1`).
 */
export type MetadataFilter = Readonly<Record<string, MetadataCondition>>;

/** What a store searches for. */
export interface VectorSearch {
  /** The query's embedding (same length as the stored ones). */
  readonly embedding: readonly number[];
  /** How many records at most. */
  readonly k: number;
  /** Only records at least this similar (cosine, from -1 to 1). */
  readonly scoreThreshold?: number | undefined;
  /** Only records whose metadata matches. */
  readonly filter?: MetadataFilter | undefined;
}

/** A record a search found, with its cosine similarity to the query. */
export interface ScoredRecord {
  readonly record: VectorRecord;
  readonly score: number;
}

/** Where a vector memory keeps its records. */
export interface VectorStore {
  /** The store's name in errors (never its credentials). */
  readonly name: string;
  /** Adds records, replacing any with the same id, all or none. */
  add(records: readonly VectorRecord[]): Promise<void>;
  /**
   * The `k` records most similar to `search.embedding` that pass the filter and the threshold, most
   * similar first (ties in the order they were added).
   */
  search(search: VectorSearch): Promise<ScoredRecord[]>;
  /** Every record, in the order they were first added. */
  list(): Promise<VectorRecord[]>;
  /** Replaces every record with `records`, all or none. */
  replace(records: readonly VectorRecord[]): Promise<void>;
  /** Deletes the records with these ids; returns how many there were. */
  delete(ids: readonly string[]): Promise<number>;
  /** The number of records. */
  count(): Promise<number>;
  /** Deletes every record. */
  clear(): Promise<void>;
  /** Releases what the store holds open (idempotent). */
  close(): Promise<void>;
}
