/**
 * What the shared SQL run store asks of a driver: a row, an executor of statements, and the dialect's
 * tokens.
 */
import type { SchemaTokens } from "./schema.js";

/** A row as a driver returns it. */
export type SqlRow = Record<string, unknown>;

/** Runs statements on one connection (inside a transaction, or for reads). */
export interface SqlExecutor {
  /** Runs a query and returns its rows. */
  query(sql: string, params?: readonly unknown[]): Promise<SqlRow[]>;
  /** Runs a statement and returns how many rows it changed. */
  execute(sql: string, params?: readonly unknown[]): Promise<number>;
}

/** What a SQL store's dialect adds to the shared code. */
export interface SqlDialect extends SchemaTokens {
  /** `IS` (SQLite) or `IS NOT DISTINCT FROM` (PostgreSQL): equality that treats NULL = NULL as true. */
  readonly nullSafeEquals: string;
  /** Appended to a SELECT inside a transaction to lock the rows it reads (`FOR UPDATE`, or nothing). */
  readonly forUpdate: string;
  /**
   * Appended to a SELECT to take a shared lock on the rows it reads (`FOR SHARE`), or nothing for a
   * database whose write transactions never overlap (SQLite's `BEGIN IMMEDIATE`).
   */
  readonly forShare: string;
}
