/**
 * `SqliteVectorStore`: vector memory records in a SQLite table, through better-sqlite3 (an optional peer
 * of `@autogen-ts/ext`). Vectors are float32 blobs; cosine similarity is a JavaScript function
 * registered with SQLite, so the filter, the threshold, the ordering and the limit all run in one SQL
 * statement (an exact scan: right for up to some hundred thousand records per collection). Several
 * memories can share one file, each under its own `collection`.
 */
import { ValidationError } from "@autogen-ts/core";
import type BetterSqlite3 from "better-sqlite3";
import { openSqliteDatabase, sqliteStoreError } from "../../stores/sql/drivers.js";
import type { ScoredRecord, VectorRecord, VectorSearch, VectorStore } from "../types.js";
import {
  checkDimensions,
  checkQueryDimensions,
  checkRecord,
  checkSearch,
  checkUniqueIds,
  type NormalCondition,
} from "../vectors.js";

/** Options of {@link SqliteVectorStore.open}. */
export interface SqliteVectorStoreOptions {
  /** The database file (created if missing), or `:memory:`. It may hold other tables too. */
  readonly path: string;
  /** The table (default `autogen_memory`; created if missing). */
  readonly table?: string;
  /** The collection within the table that this store reads and writes (default `default`). */
  readonly collection?: string;
  /** How long to wait for another process's write lock before failing (default 5000 ms). */
  readonly busyTimeoutMs?: number;
  /**
   * Extra PRAGMAs run when the store opens (`{ cache_size: -64000 }`). Names are identifiers and values
   * numbers or identifiers; the store sets `journal_mode` itself.
   */
  readonly pragmas?: Readonly<Record<string, number | string>>;
}

type Database = BetterSqlite3.Database;
type Row = { id: string; content: string; embedding: Buffer; score?: number };

function toBlob(embedding: readonly number[]): Buffer {
  return Buffer.from(new Float32Array(embedding).buffer);
}

function fromBlob(blob: Buffer): number[] {
  const out = new Array<number>(blob.length / 4);
  for (let i = 0; i < out.length; i++) out[i] = blob.readFloatLE(i * 4);
  return out;
}

// Registered with SQLite: reads both float32 blobs in place (no copies per row).
function cosineOfBlobs(a: Buffer, b: Buffer): number | null {
  if (!Buffer.isBuffer(a) || !Buffer.isBuffer(b) || a.length !== b.length) return null;
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i += 4) {
    const x = a.readFloatLE(i);
    const y = b.readFloatLE(i);
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}

/** The SQL of one filter condition on the `metadata` JSON column, and its parameters. */
function conditionSql(condition: NormalCondition): { sql: string; params: unknown[] } {
  const path = `$."${condition.key}"`;
  const one = (value: unknown): { sql: string; params: unknown[] } => {
    if (typeof value === "string") {
      return {
        sql: "(json_type(metadata, ?) = 'text' AND json_extract(metadata, ?) = ?)",
        params: [path, path, value],
      };
    }
    if (typeof value === "number") {
      return {
        sql: "(json_type(metadata, ?) IN ('integer', 'real') AND json_extract(metadata, ?) = ?)",
        params: [path, path, value],
      };
    }
    const type = value === null ? "null" : value ? "true" : "false";
    return { sql: "json_type(metadata, ?) = ?", params: [path, type] };
  };
  if (condition.op === "ne") {
    const inner = one(condition.value);
    return { sql: `NOT COALESCE(${inner.sql}, 0)`, params: inner.params };
  }
  if (condition.values.length === 0) return { sql: "0", params: [] };
  const parts = condition.values.map(one);
  return {
    sql: `COALESCE(${parts.map((p) => p.sql).join(" OR ")}, 0)`,
    params: parts.flatMap((p) => p.params),
  };
}

/**
 * A {@link VectorStore} in a SQLite table. Open it with {@link SqliteVectorStore.open}.
 *
 * @example
 * ```ts
 * const store = await SqliteVectorStore.open({ path: "./memory.db", collection: "user-42" });
 * const memory = new VectorMemory({ embeddingClient, store });
 * ```
 */
export class SqliteVectorStore implements VectorStore {
  /** The store's name in errors: `sqlite:<path>#<collection>`. */
  readonly name: string;
  /** The collection this store reads and writes. */
  readonly collection: string;
  readonly #db: Database;
  readonly #t: string;
  // Prepared once per distinct SQL (a search's text depends only on its filter's shape).
  readonly #statements = new Map<string, BetterSqlite3.Statement>();

  private constructor(db: Database, name: string, table: string, collection: string) {
    this.#db = db;
    this.name = name;
    this.#t = `"${table}"`;
    this.collection = collection;
  }

  /** Opens the store at `options.path`, creating its table if missing. */
  static async open(options: SqliteVectorStoreOptions): Promise<SqliteVectorStore> {
    if (typeof options?.path !== "string" || options.path.length === 0) {
      throw new ValidationError("SqliteVectorStore.open needs a path (a file, or ':memory:')");
    }
    const table = options.table ?? "autogen_memory";
    if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(table)) {
      throw new ValidationError(`Not a table name this store uses: ${JSON.stringify(table)}`);
    }
    const collection = options.collection ?? "default";
    if (typeof collection !== "string" || collection.length === 0) {
      throw new ValidationError("SqliteVectorStore: collection should be a non-empty string");
    }
    const name = `sqlite:${options.path}#${collection}`;
    const db = openSqliteDatabase(options.path, name, "vector store", options);
    try {
      db.function(
        "autogen_cosine",
        { deterministic: true },
        cosineOfBlobs as (...args: unknown[]) => unknown,
      );
      db.exec(
        `CREATE TABLE IF NOT EXISTS "${table}" (
           seq INTEGER PRIMARY KEY AUTOINCREMENT,
           collection TEXT NOT NULL,
           id TEXT NOT NULL,
           content TEXT NOT NULL,
           metadata TEXT NOT NULL,
           dims INTEGER NOT NULL,
           embedding BLOB NOT NULL,
           UNIQUE (collection, id)
         )`,
      );
      return new SqliteVectorStore(db, name, table, collection);
    } catch (error) {
      db.close();
      throw sqliteStoreError(name, error, "vector store");
    }
  }

  #prepare(sql: string): BetterSqlite3.Statement {
    let statement = this.#statements.get(sql);
    if (statement === undefined) {
      statement = this.#db.prepare(sql);
      this.#statements.set(sql, statement);
    }
    return statement;
  }

  #run<T>(body: () => T): T {
    try {
      return body();
    } catch (error) {
      if (ValidationError.isInstance(error)) throw error;
      throw sqliteStoreError(this.name, error, "vector store");
    }
  }

  #dimensions(): number | undefined {
    const row = this.#prepare(`SELECT dims FROM ${this.#t} WHERE collection = ? LIMIT 1`).get(
      this.collection,
    ) as { dims: number } | undefined;
    return row?.dims;
  }

  #insert(records: readonly VectorRecord[]): void {
    const statement = this.#prepare(
      `INSERT INTO ${this.#t} (collection, id, content, metadata, dims, embedding) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (collection, id) DO UPDATE SET content = excluded.content, metadata = excluded.metadata,
         dims = excluded.dims, embedding = excluded.embedding`,
    );
    for (const r of records) {
      statement.run(
        this.collection,
        r.id,
        JSON.stringify(r.content),
        JSON.stringify(r.content.metadata ?? {}),
        r.embedding.length,
        toBlob(r.embedding),
      );
    }
  }

  async add(records: readonly VectorRecord[]): Promise<void> {
    const checked = records.map((r, i) => checkRecord(r, i));
    checkUniqueIds(checked);
    this.#run(() =>
      this.#db.transaction(() => {
        checkDimensions(this.name, checked, this.#dimensions());
        this.#insert(checked);
      })(),
    );
  }

  async search(search: VectorSearch): Promise<ScoredRecord[]> {
    const conditions = checkSearch(search);
    return this.#run(() => {
      checkQueryDimensions(this.name, search.embedding, this.#dimensions());
      const filters = conditions.map(conditionSql);
      const where = ["collection = ?", ...filters.map((f) => f.sql)].join(" AND ");
      const threshold = search.scoreThreshold === undefined ? "" : "WHERE score >= ?";
      const rows = this.#prepare(
        `SELECT id, content, embedding, score FROM (
             SELECT seq, id, content, embedding, autogen_cosine(embedding, ?) AS score
             FROM ${this.#t} WHERE ${where}
           ) ${threshold} ORDER BY score DESC, seq ASC LIMIT ?`,
      ).all(
        toBlob(search.embedding),
        this.collection,
        ...filters.flatMap((f) => f.params),
        ...(search.scoreThreshold === undefined ? [] : [search.scoreThreshold]),
        search.k,
      ) as Row[];
      return rows.map((row) => ({ record: toRecord(row), score: row.score as number }));
    });
  }

  async list(): Promise<VectorRecord[]> {
    return this.#run(() =>
      (
        this.#prepare(`SELECT id, content, embedding FROM ${this.#t} WHERE collection = ? ORDER BY seq`).all(
          this.collection,
        ) as Row[]
      ).map(toRecord),
    );
  }

  async replace(records: readonly VectorRecord[]): Promise<void> {
    const checked = records.map((r, i) => checkRecord(r, i));
    checkUniqueIds(checked);
    checkDimensions(this.name, checked, undefined);
    this.#run(() =>
      this.#db.transaction(() => {
        this.#prepare(`DELETE FROM ${this.#t} WHERE collection = ?`).run(this.collection);
        this.#insert(checked);
      })(),
    );
  }

  async delete(ids: readonly string[]): Promise<number> {
    return this.#run(() =>
      this.#db.transaction(() => {
        const statement = this.#prepare(`DELETE FROM ${this.#t} WHERE collection = ? AND id = ?`);
        return ids.reduce((n, id) => n + statement.run(this.collection, id).changes, 0);
      })(),
    );
  }

  async count(): Promise<number> {
    return this.#run(
      () =>
        (
          this.#prepare(`SELECT count(*) AS n FROM ${this.#t} WHERE collection = ?`).get(this.collection) as {
            n: number;
          }
        ).n,
    );
  }

  async clear(): Promise<void> {
    this.#run(() => this.#prepare(`DELETE FROM ${this.#t} WHERE collection = ?`).run(this.collection));
  }

  /** Closes the database (idempotent). */
  async close(): Promise<void> {
    if (this.#db.open) this.#db.close();
  }
}

function toRecord(row: Row): VectorRecord {
  return { id: row.id, content: JSON.parse(row.content), embedding: fromBlob(row.embedding) };
}
