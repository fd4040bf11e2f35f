/**
 * `SqliteCacheStore`: the chat-completion cache in a SQLite table, through better-sqlite3 (an optional
 * peer of `@autogen-ts/ext`). Entries survive restarts and are shared by every process that opens the
 * same file (WAL journal, so readers never wait for a writer).
 */
import { ValidationError } from "@autogen-ts/core";
import type BetterSqlite3 from "better-sqlite3";
import { openSqliteDatabase, sqliteStoreError } from "../../../stores/sql/drivers.js";
import { type CacheStore, checkTtl } from "../store.js";

/** Options of {@link SqliteCacheStore.open}. */
export interface SqliteCacheStoreOptions {
  /** The database file (created if missing), or `:memory:`. It may hold other tables too. */
  readonly path: string;
  /** The table holding the entries (default `autogen_cache`; created if missing). */
  readonly table?: string;
  /** Forget an entry this many milliseconds after it was set (default: never). */
  readonly ttlMs?: number;
  /** How long to wait for another process's write lock before failing (default 5000 ms). */
  readonly busyTimeoutMs?: number;
  /**
   * Extra PRAGMAs run when the store opens (`{ cache_size: -64000 }`). Names are identifiers and values
   * numbers or identifiers; the store sets `journal_mode` itself.
   */
  readonly pragmas?: Readonly<Record<string, number | string>>;
}

type Database = BetterSqlite3.Database;
type Statement = BetterSqlite3.Statement;

/**
 * A {@link CacheStore} in a SQLite table. Values are stored as JSON text; an expired entry is deleted
 * when it is next read, and {@link SqliteCacheStore.prune} deletes all of them at once.
 *
 * @example
 * ```ts
 * const store = await SqliteCacheStore.open({ path: "./cache.db", ttlMs: 7 * 24 * 3600_000 });
 * const client = new ChatCompletionCache({ client: openai, store });
 * ```
 */
export class SqliteCacheStore implements CacheStore {
  /** The store's name in errors: `sqlite:<path>`. */
  readonly name: string;
  readonly #db: Database;
  readonly #ttlMs: number | undefined;
  readonly #get: Statement;
  readonly #set: Statement;
  readonly #delete: Statement;
  readonly #deleteExpired: Statement;
  readonly #clear: Statement;
  readonly #count: Statement;

  private constructor(db: Database, name: string, table: string, ttlMs: number | undefined) {
    this.#db = db;
    this.name = name;
    this.#ttlMs = ttlMs;
    const t = `"${table}"`;
    this.#get = db.prepare(`SELECT value, expires_at FROM ${t} WHERE key = ?`);
    this.#set = db.prepare(
      `INSERT INTO ${t} (key, value, expires_at) VALUES (?, ?, ?)
       ON CONFLICT (key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at`,
    );
    this.#delete = db.prepare(`DELETE FROM ${t} WHERE key = ?`);
    this.#deleteExpired = db.prepare(`DELETE FROM ${t} WHERE expires_at IS NOT NULL AND expires_at <= ?`);
    this.#clear = db.prepare(`DELETE FROM ${t}`);
    this.#count = db.prepare(`SELECT count(*) AS n FROM ${t} WHERE expires_at IS NULL OR expires_at > ?`);
  }

  /** Opens the store at `options.path`, creating its table if missing. */
  static async open(options: SqliteCacheStoreOptions): Promise<SqliteCacheStore> {
    if (typeof options?.path !== "string" || options.path.length === 0) {
      throw new ValidationError("SqliteCacheStore.open needs a path (a file, or ':memory:')");
    }
    const table = options.table ?? "autogen_cache";
    if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(table)) {
      throw new ValidationError(`Not a table name this store uses: ${JSON.stringify(table)}`);
    }
    const ttlMs = checkTtl(options.ttlMs, "SqliteCacheStore");
    const name = `sqlite:${options.path}`;
    const db = openSqliteDatabase(options.path, name, "cache store", options);
    try {
      db.exec(
        `CREATE TABLE IF NOT EXISTS "${table}" (
           key TEXT PRIMARY KEY,
           value TEXT NOT NULL,
           expires_at INTEGER
         )`,
      );
      return new SqliteCacheStore(db, name, table, ttlMs);
    } catch (error) {
      db.close();
      throw sqliteStoreError(name, error, "cache store");
    }
  }

  #run<T>(body: () => T): T {
    try {
      return body();
    } catch (error) {
      throw sqliteStoreError(this.name, error, "cache store");
    }
  }

  /** The value under `key`, or undefined when there is none or it has expired. */
  async get(key: string): Promise<unknown> {
    const row = this.#run(() => this.#get.get(key)) as
      | { value: string; expires_at: number | null }
      | undefined;
    if (row === undefined) return undefined;
    if (row.expires_at !== null && row.expires_at <= Date.now()) {
      this.#run(() => this.#delete.run(key));
      return undefined;
    }
    return JSON.parse(row.value);
  }

  /**
   * Stores `value` (JSON-compatible) under `key`.
   *
   * @throws {@link ValidationError} when `value` has no JSON form.
   */
  async set(key: string, value: unknown): Promise<void> {
    const text = JSON.stringify(value);
    if (text === undefined) {
      throw new ValidationError(`${this.name}: a cached value must be JSON-compatible`);
    }
    const expiresAt = this.#ttlMs === undefined ? null : Date.now() + this.#ttlMs;
    this.#run(() => this.#set.run(key, text, expiresAt));
  }

  /** Forgets the entry under `key`. */
  async delete(key: string): Promise<void> {
    this.#run(() => this.#delete.run(key));
  }

  /** Deletes every entry. */
  async clear(): Promise<void> {
    this.#run(() => this.#clear.run());
  }

  /** Deletes the expired entries and returns how many there were. */
  async prune(): Promise<number> {
    return this.#run(() => this.#deleteExpired.run(Date.now()).changes);
  }

  /** The number of live (unexpired) entries. */
  async size(): Promise<number> {
    return (this.#run(() => this.#count.get(Date.now())) as { n: number }).n;
  }

  /** Closes the database (idempotent). */
  async close(): Promise<void> {
    if (this.#db.open) this.#db.close();
  }
}
