/**
 * `PostgresRunStore`: the run store in PostgreSQL, through `pg` (an optional peer of `@autogen-ts/ext`).
 * The store creates its schema and migrates it when it opens; several processes may share one database
 * (writes are transactions, heads and sequence numbers are compare-and-set, leases say who drives a run).
 */
import { StoreError, ValidationError } from "@autogen-ts/core";
import type * as Pg from "pg";
import { loadPg, postgresStoreError, redactConnectionString } from "../sql/drivers.js";
import { type SqlExecutor, type SqlRow, SqlRunStore } from "../sql/sql-store.js";

export { redactConnectionString };

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
      const pg = loadPg("The PostgreSQL run store");
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
    return postgresStoreError(this.name, error);
  }

  async close(): Promise<void> {
    if (this.#ownsPool) await this.#pool.end();
  }
}
