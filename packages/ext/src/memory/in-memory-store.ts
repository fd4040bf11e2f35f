/**
 * `InMemoryVectorStore`: records in a `Map`, searched by a full scan. Portable, and exact; fine for
 * thousands of records, and what a vector memory uses when it is given no store.
 */
import type { ScoredRecord, VectorRecord, VectorSearch, VectorStore } from "./types.js";
import {
  checkDimensions,
  checkQueryDimensions,
  checkRecord,
  checkSearch,
  checkUniqueIds,
  cosine,
  matches,
} from "./vectors.js";

/** Options of {@link InMemoryVectorStore}. */
export interface InMemoryVectorStoreOptions {
  /** The store's name in errors (default `memory`). */
  readonly name?: string;
}

/** A {@link VectorStore} in process memory. */
export class InMemoryVectorStore implements VectorStore {
  readonly name: string;
  #records = new Map<string, VectorRecord>();

  constructor(options: InMemoryVectorStoreOptions = {}) {
    this.name = options.name ?? "memory";
  }

  #dimensions(): number | undefined {
    return this.#records.values().next().value?.embedding.length;
  }

  #prepare(records: readonly VectorRecord[], held: number | undefined): VectorRecord[] {
    const checked = records.map((r, i) => structuredClone(checkRecord(r, i)));
    checkUniqueIds(checked);
    checkDimensions(this.name, checked, held);
    return checked;
  }

  async add(records: readonly VectorRecord[]): Promise<void> {
    const checked = this.#prepare(records, this.#dimensions());
    for (const record of checked) {
      // Map.set keeps a replaced key's place: the first-added order holds.
      this.#records.set(record.id, record);
    }
  }

  async search(search: VectorSearch): Promise<ScoredRecord[]> {
    const conditions = checkSearch(search);
    checkQueryDimensions(this.name, search.embedding, this.#dimensions());
    const found: ScoredRecord[] = [];
    for (const record of this.#records.values()) {
      if (!matches(record.content.metadata, conditions)) continue;
      const score = cosine(search.embedding, record.embedding);
      if (search.scoreThreshold !== undefined && score < search.scoreThreshold) continue;
      found.push({ record, score });
    }
    // A stable sort: equal scores stay in the order they were added.
    found.sort((a, b) => b.score - a.score);
    return structuredClone(found.slice(0, search.k));
  }

  async list(): Promise<VectorRecord[]> {
    return structuredClone([...this.#records.values()]);
  }

  async replace(records: readonly VectorRecord[]): Promise<void> {
    const checked = this.#prepare(records, undefined);
    this.#records = new Map(checked.map((r) => [r.id, r]));
  }

  async delete(ids: readonly string[]): Promise<number> {
    let n = 0;
    for (const id of ids) if (this.#records.delete(id)) n++;
    return n;
  }

  async count(): Promise<number> {
    return this.#records.size;
  }

  async clear(): Promise<void> {
    this.#records.clear();
  }

  async close(): Promise<void> {}
}
