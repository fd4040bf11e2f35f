/**
 * Where `ChatCompletionCache` keeps its entries. A store holds JSON-compatible values by string key, so
 * SQLite, Redis or file stores can implement it; the in-memory store is here.
 */

/** A key-value store for cached completions. Values are JSON-compatible. */
export interface CacheStore {
  /** The value for `key`, or undefined. */
  get(key: string): Promise<unknown>;
  /** Stores `value` under `key`. */
  set(key: string, value: unknown): Promise<void>;
}

/** Options of {@link InMemoryCacheStore}. */
export interface InMemoryCacheStoreOptions {
  /** Keep at most this many entries, dropping the least recently used (default unbounded). */
  readonly maxEntries?: number;
}

/** A {@link CacheStore} in a `Map`, optionally bounded (least recently used entries go first). */
export class InMemoryCacheStore implements CacheStore {
  readonly #map = new Map<string, unknown>();
  readonly #max: number;

  constructor(options: InMemoryCacheStoreOptions = {}) {
    this.#max = options.maxEntries ?? Number.POSITIVE_INFINITY;
  }

  /** Number of entries held. */
  get size(): number {
    return this.#map.size;
  }

  async get(key: string): Promise<unknown> {
    if (!this.#map.has(key)) return undefined;
    const value = this.#map.get(key);
    // Re-insert to mark as recently used.
    this.#map.delete(key);
    this.#map.set(key, value);
    return structuredClone(value);
  }

  async set(key: string, value: unknown): Promise<void> {
    this.#map.delete(key);
    this.#map.set(key, structuredClone(value));
    while (this.#map.size > this.#max) {
      const oldest = this.#map.keys().next().value as string;
      this.#map.delete(oldest);
    }
  }

  /** Drops every entry. */
  clear(): void {
    this.#map.clear();
  }
}
