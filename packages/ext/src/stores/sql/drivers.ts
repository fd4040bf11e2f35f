/**
 * What every SQL-backed integration of `@autogen-ts/ext` shares about its two drivers: loading the
 * optional peer (better-sqlite3 or pg) with an error that says what to install, and turning a driver
 * failure into a {@link StoreError} that names the store and never its credentials. The run stores, the
 * cache stores and the vector memory stores all go through here, so a full disk or a vanished server
 * reads the same everywhere.
 */
import { createRequire } from "node:module";
import { StoreError, ValidationError } from "@autogen-ts/core";
import type BetterSqlite3 from "better-sqlite3";
import type * as Pg from "pg";

function loadPeer<T>(pkg: string, range: string, what: string): T {
  const require = createRequire(import.meta.url);
  try {
    return require(pkg) as T;
  } catch (cause) {
    throw new ValidationError(
      `${what} needs the optional peer dependency ${pkg} (npm install ${pkg}@${range})`,
      { code: "invalid_config", cause },
    );
  }
}

/** better-sqlite3, or a `ValidationError` (`invalid_config`) naming `what` needs it. */
export function loadBetterSqlite3(what: string): typeof BetterSqlite3 {
  return loadPeer<typeof BetterSqlite3>("better-sqlite3", "^12", what);
}

/** How the SQLite stores other than the run store open their file. */
export interface SqliteOpenOptions {
  /** How long to wait for another process's write lock before failing (default 5000 ms). */
  readonly busyTimeoutMs?: number | undefined;
  /** Extra PRAGMAs (`{ cache_size: -64000 }`): names are identifiers, values numbers or identifiers. */
  readonly pragmas?: Readonly<Record<string, number | string>> | undefined;
}

/**
 * Opens the SQLite file of the store `name` (`what` names the kind, for messages): WAL journal for a
 * file, then the extra PRAGMAs. A file that cannot be opened is `store_unavailable`; a bad PRAGMA is a
 * `ValidationError`.
 */
export function openSqliteDatabase(
  path: string,
  name: string,
  what: string,
  options: SqliteOpenOptions,
): BetterSqlite3.Database {
  for (const [key, value] of Object.entries(options.pragmas ?? {})) {
    if (!/^\w+$/.test(key) || !/^-?\w+$/.test(String(value))) {
      throw new ValidationError(`Not a PRAGMA this store runs: ${key} = ${String(value)}`);
    }
  }
  const Driver = loadBetterSqlite3(`The SQLite ${what}`);
  let db: BetterSqlite3.Database;
  try {
    db = new Driver(path, { timeout: options.busyTimeoutMs ?? 5000 });
  } catch (cause) {
    throw new StoreError("store_unavailable", name, `cannot open the database: ${errorText(cause)}`, {
      cause,
    });
  }
  try {
    if (path !== ":memory:") db.pragma("journal_mode = WAL");
    for (const [key, value] of Object.entries(options.pragmas ?? {})) db.pragma(`${key} = ${String(value)}`);
  } catch (error) {
    db.close();
    throw sqliteStoreError(name, error, what);
  }
  return db;
}

/** pg, or a `ValidationError` (`invalid_config`) naming `what` needs it. */
export function loadPg(what: string): typeof Pg {
  return loadPeer<typeof Pg>("pg", "^8", what);
}

/** An error's message, whatever was thrown. */
export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * The {@link StoreError} for a better-sqlite3 failure of the store `name` (`what` says what kind of
 * store, for a file that is not one); anything that is not a SQLite error is returned as it is.
 */
export function sqliteStoreError(name: string, error: unknown, what: string): unknown {
  const code = String((error as { code?: unknown })?.code ?? "");
  const text = errorText(error);
  if (code === "SQLITE_FULL") {
    return new StoreError("store_full", name, `the database is full: ${text}`, { cause: error });
  }
  if (code.startsWith("SQLITE_CONSTRAINT")) {
    return new StoreError("store_conflict", name, `a write conflicts with stored data: ${text}`, {
      cause: error,
    });
  }
  if (code === "SQLITE_NOTADB" || code === "SQLITE_CORRUPT") {
    return new StoreError("store_schema", name, `not a usable ${what}: ${text}`, { cause: error });
  }
  if (code.startsWith("SQLITE_")) {
    return new StoreError("store_unavailable", name, `the database failed: ${text}`, { cause: error });
  }
  return error;
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

/**
 * The {@link StoreError} for a pg failure of the store `name`; anything that is not a storage failure
 * (a bad query, a type error) is returned as it is.
 */
export function postgresStoreError(name: string, error: unknown): unknown {
  const code = String((error as { code?: unknown })?.code ?? "");
  const text = errorText(error);
  if (code === "53100") {
    return new StoreError("store_full", name, `the database is out of space: ${text}`, { cause: error });
  }
  if (code === "23505" || code === "40001" || code === "40P01") {
    return new StoreError("store_conflict", name, `a write conflicts with stored data: ${text}`, {
      cause: error,
    });
  }
  if (
    UNAVAILABLE_SQLSTATES.has(code) ||
    UNAVAILABLE_NODE_CODES.has(code) ||
    /Connection terminated|connection timeout|Client has encountered a connection error/i.test(text)
  ) {
    return new StoreError("store_unavailable", name, `the database is unreachable: ${text}`, {
      cause: error,
    });
  }
  return error;
}

/**
 * The connection string with its credentials and query removed: what errors call the store. A string
 * that is not a URL becomes `fallback`.
 */
export function redactConnectionString(connectionString: string, fallback = "postgres"): string {
  try {
    const url = new URL(connectionString);
    url.username = "";
    url.password = "";
    url.search = "";
    return url.toString().replace(/\/$/, "");
  } catch {
    return fallback;
  }
}
