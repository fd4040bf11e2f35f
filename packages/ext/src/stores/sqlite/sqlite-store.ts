/**
 * `SqliteRunStore`: the run store in one SQLite file, through better-sqlite3 (an optional peer of
 * `@autogen-ts/ext`). The default store wherever a path is given: embedded, no server, and a killed
 * process loses nothing that was committed (WAL journal).
 */
import { StoreError, ValidationError } from "@autogen-ts/core";
import type BetterSqlite3 from "better-sqlite3";
import { errorText, loadBetterSqlite3, sqliteStoreError } from "../sql/drivers.js";
import { type SqlExecutor, type SqlRow, SqlRunStore } from "../sql/sql-store.js";

/** Options of {@link SqliteRunStore.open}. */
export interface SqliteRunStoreOptions {
  /** The database file (created if missing), or `:memory:`. */
  readonly path: string;
  /** How long to wait for another process's write lock before failing (default 5000 ms). */
  readonly busyTimeoutMs?: number;
  /**
   * When a commit waits for the disk: `normal` (default) survives a killed process but may lose the last
   * commits on a power cut or an OS crash; `full` survives those too, at a disk flush per commit.
   */
  readonly synchronous?: "normal" | "full";
  /**
   * Extra PRAGMAs run when the store opens (`{ cache_size: -64000 }`). Names are identifiers and values
   * numbers or identifiers; the store sets `journal_mode`, `foreign_keys` and `busy_timeout` itself.
   */
  readonly pragmas?: Readonly<Record<string, number | string>>;
}

type Database = BetterSqlite3.Database;
type Statement = BetterSqlite3.Statement;

/** A {@link RunStore} in a SQLite file. Open it with {@link SqliteRunStore.open}. */
export class SqliteRunStore extends SqlRunStore {
  readonly name: string;
  readonly #db: Database;
  readonly #statements = new Map<string, Statement>();
  // better-sqlite3 is synchronous on one connection: a transaction must not interleave with another
  // operation at its await points, so every operation takes its turn.
  #tail: Promise<unknown> = Promise.resolve();
  readonly #executor: SqlExecutor = {
    query: async (sql, params = []) => this.#statement(sql).all(...(params as unknown[])) as SqlRow[],
    execute: async (sql, params = []) => this.#statement(sql).run(...(params as unknown[])).changes,
  };

  private constructor(db: Database, name: string) {
    super({
      table: (table) => `"${table}"`,
      index: (index) => `"${index}"`,
      serial: "INTEGER PRIMARY KEY AUTOINCREMENT",
      bigint: "INTEGER",
      nullSafeEquals: "IS",
      forUpdate: "",
      forShare: "",
    });
    this.#db = db;
    this.name = name;
  }

  /** Opens (creating or migrating) the store at `options.path`. */
  static async open(options: SqliteRunStoreOptions): Promise<SqliteRunStore> {
    if (typeof options?.path !== "string" || options.path.length === 0) {
      throw new ValidationError("SqliteRunStore.open needs a path (a file, or ':memory:')");
    }
    const name = `sqlite:${options.path}`;
    const Driver = loadBetterSqlite3("The SQLite run store");
    let db: Database;
    try {
      db = new Driver(options.path, { timeout: options.busyTimeoutMs ?? 5000 });
    } catch (cause) {
      throw new StoreError("store_unavailable", name, `cannot open the database: ${errorText(cause)}`, {
        cause,
      });
    }
    const store = new SqliteRunStore(db, name);
    try {
      if (options.path !== ":memory:") db.pragma("journal_mode = WAL");
      db.pragma(`synchronous = ${options.synchronous === "full" ? "FULL" : "NORMAL"}`);
      db.pragma("foreign_keys = ON");
      for (const [key, value] of Object.entries(options.pragmas ?? {})) {
        if (!/^\w+$/.test(key) || !/^-?\w+$/.test(String(value))) {
          throw new ValidationError(`Not a PRAGMA this store runs: ${key} = ${String(value)}`);
        }
        db.pragma(`${key} = ${String(value)}`);
      }
      await store.transaction((tx) => store.migrate(tx));
    } catch (error) {
      db.close();
      if (StoreError.isInstance(error) || ValidationError.isInstance(error)) throw error;
      throw store.mapError(error);
    }
    return store;
  }

  #statement(sql: string): Statement {
    let statement = this.#statements.get(sql);
    if (statement === undefined) {
      statement = this.#db.prepare(sql);
      this.#statements.set(sql, statement);
    }
    return statement;
  }

  #turn<T>(body: () => Promise<T>): Promise<T> {
    const run = this.#tail.then(body, body);
    this.#tail = run.catch(() => undefined);
    return run;
  }

  protected transaction<T>(body: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    return this.#turn(async () => {
      // IMMEDIATE takes the write lock now, so two processes never both read-then-write.
      this.#statement("BEGIN IMMEDIATE").run();
      try {
        const result = await body(this.#executor);
        this.#statement("COMMIT").run();
        return result;
      } catch (error) {
        if (this.#db.inTransaction) this.#statement("ROLLBACK").run();
        throw error;
      }
    });
  }

  protected read<T>(body: (db: SqlExecutor) => Promise<T>): Promise<T> {
    return this.#turn(() => body(this.#executor));
  }

  protected mapError(error: unknown): unknown {
    return sqliteStoreError(this.name, error, "run store");
  }

  async close(): Promise<void> {
    await this.#turn(async () => {
      if (this.#db.open) this.#db.close();
    });
  }
}
