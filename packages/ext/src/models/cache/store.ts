/**
 * Where `ChatCompletionCache` keeps its entries. A store holds JSON-compatible values by string key, so
 * SQLite, Redis or file stores can implement it; the in-memory store is here, the SQLite and Redis ones
 * in `@autogen-ts/ext/models/cache/sqlite` and `/redis`.
 */

import { ValidationError } from "@autogen-ts/core";

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
  /** Forget an entry this many milliseconds after it was set (default: never). */
  readonly ttlMs?: number;
}

/** A {@link CacheStore} in a `Map`, optionally bounded (least recently used entries go first). */
export class InMemoryCacheStore implements CacheStore {
  readonly #map = new Map<string, { value: unknown; expiresAt: number }>();
  readonly #max: number;
  readonly #ttlMs: number;

  constructor(options: InMemoryCacheStoreOptions = {}) {
    this.#max = options.maxEntries ?? Number.POSITIVE_INFINITY;
    this.#ttlMs = checkTtl(options.ttlMs, "InMemoryCacheStore") ?? Number.POSITIVE_INFINITY;
  }

  /** Number of entries held. */
  get size(): number {
    return this.#map.size;
  }

  async get(key: string): Promise<unknown> {
    const entry = this.#map.get(key);
    if (entry === undefined) return undefined;
    this.#map.delete(key);
    if (entry.expiresAt <= Date.now()) return undefined;
    // Re-inserted to mark it as recently used.
    this.#map.set(key, entry);
    return structuredClone(entry.value);
  }

  async set(key: string, value: unknown): Promise<void> {
    this.#map.delete(key);
    this.#map.set(key, { value: structuredClone(value), expiresAt: Date.now() + this.#ttlMs });
    while (this.#map.size > this.#max) {
      const oldest = this.#map.keys().next().value as string;
      this.#map.delete(oldest);
    }
  }

  /** Forgets the entry under `key`. */
  async delete(key: string): Promise<void> {
    this.#map.delete(key);
  }

  /** Drops every entry. */
  async clear(): Promise<void> {
    this.#map.clear();
  }
}

/**
 * A store's `ttlMs` option, checked: a positive finite number of milliseconds, or undefined for none.
 *
 * @throws {@link ValidationError} for anything else.
 */
export function checkTtl(ttlMs: unknown, store: string): number | undefined {
  if (ttlMs === undefined) return undefined;
  if (typeof ttlMs !== "number" || !Number.isFinite(ttlMs) || ttlMs <= 0) {
    throw new ValidationError(`${store}: ttlMs should be a positive number of milliseconds`);
  }
  return ttlMs;
}
