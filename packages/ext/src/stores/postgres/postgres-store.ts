/**
 * `PostgresRunStore`: the run store in PostgreSQL, through `pg` (an optional peer of `@autogen-ts/ext`).
 * The store creates its schema and migrates it when it opens; several processes may share one database
 * (writes are transactions, heads and sequence numbers are compare-and-set, leases say who drives a run).
 */
import { createRequire } from "node:module";
import { StoreError, ValidationError } from "@autogen-ts/core";
import type * as Pg from "pg";
import { type SqlExecutor, type SqlRow, SqlRunStore } from "../sql/sql-store.js";

/** Options of {@link PostgresRunStore.open}. */
export interface PostgresRunStoreOptions {
  /** A `postgres://` connection string (its password never appears in errors or the store's name). */
  readonly connectionString?: string;
  /** An existing pool to use instead (the store then leaves closing it to you). */
  readonly pool?: Pg.Pool;
  /** The PostgreSQL schema holding the tables (default `autogen`; created if missing). */
  readonly schema?: string;
  /** The most connections the store's own pool opens (default 5). */
  readonly maxConnections?: number;
  /** How long to wait for a connection before failing with `store_unavailable` (default 5000 ms). */
  readonly connectTimeoutMs?: number;
}

type PgModule = typeof Pg;

function loadDriver(): PgModule {
  const require = createRequire(import.meta.url);
  try {
    return require("pg") as PgModule;
  } catch (cause) {
    throw new ValidationError(
      "The PostgreSQL run store needs the optional peer dependency pg (npm install pg@^8)",
      {
        code: "invalid_config",
        cause,
      },
    );
  }
}

/** The connection string with its credentials removed: what errors call the store. */
export function redactConnectionString(connectionString: string): string {
  try {
    const url = new URL(connectionString);
    url.username = "";
    url.password = "";
    url.search = "";
    return url.toString().replace(/\/$/, "");
  } catch {
    return "postgres";
  }
}

function toDollarParams(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

function executor(client: Pg.PoolClient | Pg.Pool): SqlExecutor {
  return {
    query: async (sql, params = []) =>
      (await client.query(toDollarParams(sql), params as unknown[])).rows as SqlRow[],
    execute: async (sql, params = []) =>
      (await client.query(toDollarParams(sql), params as unknown[])).rowCount ?? 0,
  };
}

// Connection-level failures: the server went away, refused, or is shutting down.
const UNAVAILABLE_SQLSTATES = new Set([
  "57P01",
  "57P02",
  "57P03",
  "53300",
  "08000",
  "08003",
  "08006",
  "08001",
  "08004",
]);
const UNAVAILABLE_NODE_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "ENOTFOUND",
  "EHOSTUNREACH",
]);

/** A {@link RunStore} in PostgreSQL. Open it with {@link PostgresRunStore.open}. */
export class PostgresRunStore extends SqlRunStore {
  readonly name: string;
  /** The PostgreSQL schema holding the tables. */
  readonly schema: string;
  readonly #pool: Pg.Pool;
  readonly #ownsPool: boolean;

  private constructor(pool: Pg.Pool, ownsPool: boolean, schema: string, name: string) {
    const quoted = `"${schema}"`;
    super({
      table: (table) => `${quoted}."${table}"`,
      index: (index) => `"${index}"`,
      serial: "BIGSERIAL PRIMARY KEY",
      bigint: "BIGINT",
      nullSafeEquals: "IS NOT DISTINCT FROM",
      forUpdate: " FOR UPDATE",
      forShare: " FOR SHARE",
    });
    this.#pool = pool;
    this.#ownsPool = ownsPool;
    this.schema = schema;
    this.name = name;
  }

  /** Opens the store: connects, creates the schema or migrates it (a newer schema is `store_schema`). */
  static async open(options: PostgresRunStoreOptions): Promise<PostgresRunStore> {
    const schema = options?.schema ?? "autogen";
    if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(schema)) {
      throw new ValidationError(`Not a PostgreSQL schema name this store uses: ${JSON.stringify(schema)}`);
    }
    if (options.pool === undefined && typeof options.connectionString !== "string") {
      throw new ValidationError("PostgresRunStore.open needs a connectionString or a pool");
    }
    const name =
      options.connectionString === undefined ? "postgres" : redactConnectionString(options.connectionString);
    let pool = options.pool;
    if (pool === undefined) {
      const pg = loadDriver();
      pool = new pg.Pool({
        connectionString: options.connectionString,
        max: options.maxConnections ?? 5,
        connectionTimeoutMillis: options.connectTimeoutMs ?? 5000,
      });
    }
    // An idle connection the server closes (a restart, pg_terminate_backend) is reported here; without a
    // listener it would crash the process. The next query opens a fresh connection.
    pool.on("error", () => {});
    const store = new PostgresRunStore(
      pool,
      options.pool === undefined,
      schema,
      `${name} (schema ${schema})`,
    );
    try {
      await store.transaction(async (tx) => {
        await tx.query("SELECT pg_advisory_xact_lock(hashtext(?))", [`autogen-ts run store ${schema}`]);
        await tx.execute(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
        await store.migrate(tx);
      });
    } catch (error) {
      if (options.pool === undefined) await pool.end().catch(() => {});
      if (StoreError.isInstance(error)) throw error;
      throw store.mapError(error);
    }
    return store;
  }

  protected async transaction<T>(body: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    const client = await this.#pool.connect();
    let broken = false;
    // A connection lost while checked out is reported on the client too; the query's own error says it.
    const onError = (): void => {
      broken = true;
    };
    client.on("error", onError);
    try {
      await client.query("BEGIN");
      const result = await body(executor(client));
      await client.query("COMMIT");
      return result;
    } catch (error) {
      try {
        await client.query("ROLLBACK");
      } catch {
        broken = true;
      }
      throw error;
    } finally {
      client.off("error", onError);
      client.release(broken);
    }
  }

  protected read<T>(body: (db: SqlExecutor) => Promise<T>): Promise<T> {
    return body(executor(this.#pool));
  }

  protected mapError(error: unknown): unknown {
    const code = String((error as { code?: unknown })?.code ?? "");
    const text = error instanceof Error ? error.message : String(error);
    if (code === "53100") {
      return new StoreError("store_full", this.name, `the database is out of space: ${text}`, {
        cause: error,
      });
    }
    if (code === "23505" || code === "40001" || code === "40P01") {
      return new StoreError("store_conflict", this.name, `a write conflicts with stored data: ${text}`, {
        cause: error,
      });
    }
    if (
      UNAVAILABLE_SQLSTATES.has(code) ||
      UNAVAILABLE_NODE_CODES.has(code) ||
      /Connection terminated|connection timeout|Client has encountered a connection error/i.test(text)
    ) {
      return new StoreError("store_unavailable", this.name, `the database is unreachable: ${text}`, {
        cause: error,
      });
    }
    return error;
  }

  async close(): Promise<void> {
    if (this.#ownsPool) await this.#pool.end();
  }
}
