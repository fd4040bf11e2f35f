/**
 * `PostgresVectorStore`: vector memory records in PostgreSQL with the pgvector extension, through `pg`
 * (an optional peer of `@autogen-ts/ext`). The store creates the extension, its schema and its table
 * when it opens; similarity is pgvector's cosine distance (`<=>`), and the metadata filter is JSONB
 * containment, so filter, threshold, ordering and limit all run in the database.
 *
 * The server needs pgvector installed (Debian: `apt-get install postgresql-15-pgvector`; other
 * platforms: https://github.com/pgvector/pgvector), and the store's role must be allowed to run
 * `CREATE EXTENSION vector` once (a superuser, or the database owner on PostgreSQL 13+ where the
 * extension is trusted), unless someone created it already. Without it, `open` fails with a
 * `store_schema` error that says so.
 */
import { StoreError, ValidationError } from "@autogen-ts/core";
import type * as Pg from "pg";
import { errorText, loadPg, postgresStoreError, redactConnectionString } from "../../stores/sql/drivers.js";
import type { ScoredRecord, VectorRecord, VectorSearch, VectorStore } from "../types.js";
import {
  checkDimensions,
  checkQueryDimensions,
  checkRecord,
  checkSearch,
  checkUniqueIds,
  type NormalCondition,
} from "../vectors.js";

/** Options of {@link PostgresVectorStore.open}. */
export interface PostgresVectorStoreOptions {
  /** A `postgres://` connection string (its password never appears in errors or the store's name). */
  readonly connectionString?: string;
  /** An existing pool to use instead (the store then leaves closing it to you). */
  readonly pool?: Pg.Pool;
  /** The PostgreSQL schema holding the table (default `autogen`; created if missing). */
  readonly schema?: string;
  /** The table (default `memory_records`; created if missing). */
  readonly table?: string;
  /** The collection within the table that this store reads and writes (default `default`). */
  readonly collection?: string;
  /**
   * The vector length, fixed for the whole table. Given when the table is created, the column is
   * `vector(n)` with an HNSW index (approximate nearest neighbours, fast on large tables); left out,
   * the column takes any length and searches scan exactly.
   */
  readonly dimensions?: number;
  /** The most connections the store's own pool opens (default 5). */
  readonly maxConnections?: number;
  /** How long to wait for a connection before failing with `store_unavailable` (default 5000 ms). */
  readonly connectTimeoutMs?: number;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;
// Serialises schema creation across processes (CREATE ... IF NOT EXISTS races on the catalog).
const SCHEMA_LOCK = 7_021_104_311;

type Row = { id: string; content: string; embedding: string; score?: number };

function vectorLiteral(embedding: readonly number[]): string {
  return `[${embedding.join(",")}]`;
}

/** The SQL of one filter condition on the `metadata` JSONB column; `param` numbers the parameters. */
function conditionSql(condition: NormalCondition, param: (value: unknown) => string): string {
  const contains = (value: unknown) =>
    `metadata @> ${param(JSON.stringify({ [condition.key]: value }))}::jsonb`;
  if (condition.op === "ne") return `NOT (${contains(condition.value)})`;
  if (condition.values.length === 0) return "FALSE";
  return `(${condition.values.map(contains).join(" OR ")})`;
}

function isMissingExtension(error: unknown): boolean {
  const code = String((error as { code?: unknown })?.code ?? "");
  const text = errorText(error);
  return (
    ((code === "0A000" || code === "58P01") && /extension|control file/i.test(text)) ||
    (code === "42501" && /extension/i.test(text)) ||
    (code === "42704" && /type "vector"/i.test(text))
  );
}

/**
 * A {@link VectorStore} in PostgreSQL + pgvector. Open it with {@link PostgresVectorStore.open}.
 *
 * @example
 * ```ts
 * const store = await PostgresVectorStore.open({ connectionString: process.env.DATABASE_URL, collection: "docs" });
 * const memory = new VectorMemory({ embeddingClient, store });
 * ```
 */
export class PostgresVectorStore implements VectorStore {
  /** The store's name in errors: the connection string without credentials, and the collection. */
  readonly name: string;
  /** The collection this store reads and writes. */
  readonly collection: string;
  #dimensions: number | undefined;
  readonly #pool: Pg.Pool;
  readonly #ownsPool: boolean;
  readonly #t: string;

  private constructor(
    pool: Pg.Pool,
    ownsPool: boolean,
    name: string,
    qualifiedTable: string,
    collection: string,
    dimensions: number | undefined,
  ) {
    this.#pool = pool;
    this.#ownsPool = ownsPool;
    this.name = name;
    this.#t = qualifiedTable;
    this.collection = collection;
    this.#dimensions = dimensions;
  }

  /** The table's fixed vector length, when it has one (from the option, or an existing table's column). */
  get dimensions(): number | undefined {
    return this.#dimensions;
  }

  /**
   * Connects, creates the pgvector extension, the schema and the table if missing.
   *
   * @throws {@link StoreError} `store_schema` when pgvector is not installed on the server (or the role
   *   may not create it), `store_unavailable` when the server cannot be reached.
   */
  static async open(options: PostgresVectorStoreOptions): Promise<PostgresVectorStore> {
    const schema = options?.schema ?? "autogen";
    const table = options?.table ?? "memory_records";
    for (const [what, value] of [
      ["schema", schema],
      ["table", table],
    ] as const) {
      if (!IDENTIFIER.test(value)) {
        throw new ValidationError(`Not a PostgreSQL ${what} name this store uses: ${JSON.stringify(value)}`);
      }
    }
    const collection = options.collection ?? "default";
    if (typeof collection !== "string" || collection.length === 0) {
      throw new ValidationError("PostgresVectorStore: collection should be a non-empty string");
    }
    const { dimensions } = options;
    if (
      dimensions !== undefined &&
      (!Number.isInteger(dimensions) || dimensions <= 0 || dimensions > 16_000)
    ) {
      throw new ValidationError("PostgresVectorStore: dimensions should be an integer from 1 to 16000");
    }
    if (options.pool === undefined && typeof options.connectionString !== "string") {
      throw new ValidationError("PostgresVectorStore.open needs a connectionString or a pool");
    }
    const base =
      options.connectionString === undefined ? "postgres" : redactConnectionString(options.connectionString);
    const name = `${base}#${collection}`;
    let pool = options.pool;
    if (pool === undefined) {
      const pg = loadPg("The PostgreSQL vector store");
      pool = new pg.Pool({
        connectionString: options.connectionString,
        max: options.maxConnections ?? 5,
        connectionTimeoutMillis: options.connectTimeoutMs ?? 5000,
      });
    }
    // An idle connection the server closes is reported here; without a listener it would crash the process.
    pool.on("error", () => {});
    const qualified = `"${schema}"."${table}"`;
    const store = new PostgresVectorStore(
      pool,
      options.pool === undefined,
      name,
      qualified,
      collection,
      dimensions,
    );
    try {
      await store.#transaction(SCHEMA_LOCK, async (client) => {
        await client.query("CREATE EXTENSION IF NOT EXISTS vector");
        await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
        await client.query(
          `CREATE TABLE IF NOT EXISTS ${qualified} (
             seq BIGSERIAL PRIMARY KEY,
             collection TEXT NOT NULL,
             id TEXT NOT NULL,
             content TEXT NOT NULL,
             metadata JSONB NOT NULL,
             dims INTEGER NOT NULL,
             embedding ${dimensions === undefined ? "vector" : `vector(${dimensions})`} NOT NULL,
             UNIQUE (collection, id)
           )`,
        );
        // The table may be older than this call: its column decides (vector(n) has typmod n, vector -1).
        const { rows } = await client.query(
          "SELECT atttypmod FROM pg_attribute WHERE attrelid = $1::regclass AND attname = 'embedding'",
          [qualified],
        );
        const typmod = Number(rows[0]?.atttypmod ?? -1);
        const fixed = typmod > 0 ? typmod : undefined;
        if (dimensions !== undefined && fixed !== dimensions) {
          throw new ValidationError(
            `${name}: the table ${qualified} holds ${fixed === undefined ? "vectors of any length" : `vector(${fixed})`}, not vector(${dimensions}); use another table or leave dimensions out`,
            { code: "invalid_config" },
          );
        }
        store.#dimensions = fixed;
        if (fixed !== undefined) {
          await client.query(
            `CREATE INDEX IF NOT EXISTS "${table}_embedding_hnsw" ON ${qualified} USING hnsw (embedding vector_cosine_ops)`,
          );
        }
      });
    } catch (error) {
      await store.close();
      if (isMissingExtension(error) || isMissingExtension((error as { cause?: unknown })?.cause)) {
        throw new StoreError(
          "store_schema",
          name,
          "the pgvector extension is not installed on this server, or this role may not create it " +
            "(install pgvector, e.g. Debian's postgresql-15-pgvector, then run CREATE EXTENSION vector as a superuser)",
          { cause: error },
        );
      }
      throw error;
    }
    return store;
  }

  /** Runs `body` in a transaction holding the advisory lock `lock` (writers of one collection take turns). */
  async #transaction<T>(lock: number | string, body: (client: Pg.PoolClient) => Promise<T>): Promise<T> {
    let client: Pg.PoolClient;
    try {
      client = await this.#pool.connect();
    } catch (error) {
      throw postgresStoreError(this.name, error);
    }
    client.on("error", () => {});
    try {
      await client.query("BEGIN");
      await client.query(
        typeof lock === "number"
          ? "SELECT pg_advisory_xact_lock($1)"
          : "SELECT pg_advisory_xact_lock(hashtext($1))",
        [lock],
      );
      const result = await body(client);
      await client.query("COMMIT");
      return result;
    } catch (error) {
      await client.query("ROLLBACK").catch(() => {});
      if (ValidationError.isInstance(error) || StoreError.isInstance(error)) throw error;
      throw postgresStoreError(this.name, error);
    } finally {
      client.release();
    }
  }

  async #query<T>(sql: string, params: unknown[]): Promise<T[]> {
    try {
      return (await this.#pool.query(sql, params)).rows as T[];
    } catch (error) {
      throw postgresStoreError(this.name, error);
    }
  }

  async #heldDimensions(client: Pg.PoolClient | undefined): Promise<number | undefined> {
    if (this.#dimensions !== undefined) return this.#dimensions;
    const sql = `SELECT dims FROM ${this.#t} WHERE collection = $1 LIMIT 1`;
    const rows = client
      ? ((await client.query(sql, [this.collection])).rows as { dims: number }[])
      : await this.#query<{ dims: number }>(sql, [this.collection]);
    return rows[0]?.dims;
  }

  async #insert(client: Pg.PoolClient, records: readonly VectorRecord[]): Promise<void> {
    for (const r of records) {
      await client.query(
        `INSERT INTO ${this.#t} (collection, id, content, metadata, dims, embedding)
         VALUES ($1, $2, $3, $4::jsonb, $5, $6::vector)
         ON CONFLICT (collection, id) DO UPDATE SET content = excluded.content, metadata = excluded.metadata,
           dims = excluded.dims, embedding = excluded.embedding`,
        [
          this.collection,
          r.id,
          JSON.stringify(r.content),
          JSON.stringify(r.content.metadata ?? {}),
          r.embedding.length,
          vectorLiteral(r.embedding),
        ],
      );
    }
  }

  #check(records: readonly VectorRecord[]): VectorRecord[] {
    const checked = records.map((r, i) => checkRecord(r, i));
    checkUniqueIds(checked);
    if (this.#dimensions !== undefined) checkDimensions(this.name, checked, this.#dimensions);
    return checked;
  }

  async add(records: readonly VectorRecord[]): Promise<void> {
    const checked = this.#check(records);
    if (checked.length === 0) return;
    await this.#transaction(`${this.#t}#${this.collection}`, async (client) => {
      checkDimensions(this.name, checked, await this.#heldDimensions(client));
      await this.#insert(client, checked);
    });
  }

  async search(search: VectorSearch): Promise<ScoredRecord[]> {
    const conditions = checkSearch(search);
    checkQueryDimensions(this.name, search.embedding, await this.#heldDimensions(undefined));
    const params: unknown[] = [vectorLiteral(search.embedding), this.collection];
    const param = (value: unknown) => {
      params.push(value);
      return `$${params.length}`;
    };
    const where = ["collection = $2", ...conditions.map((c) => conditionSql(c, param))];
    if (search.scoreThreshold !== undefined) {
      where.push(`1 - (embedding <=> $1::vector) >= ${param(search.scoreThreshold)}`);
    }
    const rows = await this.#query<Row>(
      `SELECT id, content, embedding::text AS embedding, 1 - (embedding <=> $1::vector) AS score
       FROM ${this.#t} WHERE ${where.join(" AND ")}
       ORDER BY embedding <=> $1::vector, seq LIMIT ${param(search.k)}`,
      params,
    );
    return rows.map((row) => ({ record: toRecord(row), score: Number(row.score) }));
  }

  async list(): Promise<VectorRecord[]> {
    const rows = await this.#query<Row>(
      `SELECT id, content, embedding::text AS embedding FROM ${this.#t} WHERE collection = $1 ORDER BY seq`,
      [this.collection],
    );
    return rows.map(toRecord);
  }

  async replace(records: readonly VectorRecord[]): Promise<void> {
    const checked = this.#check(records);
    checkDimensions(this.name, checked, undefined);
    await this.#transaction(`${this.#t}#${this.collection}`, async (client) => {
      await client.query(`DELETE FROM ${this.#t} WHERE collection = $1`, [this.collection]);
      await this.#insert(client, checked);
    });
  }

  async delete(ids: readonly string[]): Promise<number> {
    if (ids.length === 0) return 0;
    const rows = await this.#query<{ n: string }>(
      `WITH gone AS (DELETE FROM ${this.#t} WHERE collection = $1 AND id = ANY($2::text[]) RETURNING 1)
       SELECT count(*) AS n FROM gone`,
      [this.collection, [...ids]],
    );
    return Number(rows[0]?.n ?? 0);
  }

  async count(): Promise<number> {
    const rows = await this.#query<{ n: string }>(
      `SELECT count(*) AS n FROM ${this.#t} WHERE collection = $1`,
      [this.collection],
    );
    return Number(rows[0]?.n ?? 0);
  }

  async clear(): Promise<void> {
    await this.#query(`DELETE FROM ${this.#t} WHERE collection = $1`, [this.collection]);
  }

  /** Closes the pool it opened (a pool you passed stays open). */
  async close(): Promise<void> {
    if (this.#ownsPool) await this.#pool.end().catch(() => {});
  }
}

function toRecord(row: Row): VectorRecord {
  return { id: row.id, content: JSON.parse(row.content), embedding: JSON.parse(row.embedding) };
}
