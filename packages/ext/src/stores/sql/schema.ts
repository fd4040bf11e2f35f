/**
 * The run-store schema, written once for both SQL stores. `{name}` tokens become the dialect's
 * (possibly schema-qualified) table names and column types; each entry of {@link MIGRATIONS} takes the
 * schema one version up, and the stores apply the missing ones when they open.
 */

/** The schema version this release writes (and the newest it can read). */
export const SCHEMA_VERSION = 1;

/** What a dialect fills the schema's tokens with. */
export interface SchemaTokens {
  /** A table's name as SQL (quoted and schema-qualified where the dialect needs it). */
  table(name: string): string;
  /** An index's name as SQL (indexes live in their table's schema, so never qualified). */
  index(name: string): string;
  /** An auto-incrementing integer primary key column type. */
  readonly serial: string;
  /** A 64-bit integer type. */
  readonly bigint: string;
}

const V1 = [
  `CREATE TABLE {threads} (
    position {serial},
    id TEXT NOT NULL UNIQUE,
    owner TEXT,
    head TEXT,
    metadata TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL)`,
  `CREATE INDEX {idx:threads_owner} ON {threads} (owner, position)`,
  `CREATE TABLE {runs} (
    position {serial},
    id TEXT NOT NULL UNIQUE,
    thread_id TEXT NOT NULL REFERENCES {threads} (id) ON DELETE CASCADE,
    owner TEXT,
    status TEXT NOT NULL,
    task TEXT,
    stop_reason TEXT,
    error TEXT,
    options TEXT NOT NULL,
    definition_hash TEXT,
    lease_holder TEXT,
    lease_expires_at TEXT,
    last_seq {bigint} NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    ended_at TEXT)`,
  `CREATE INDEX {idx:runs_thread} ON {runs} (thread_id, position)`,
  `CREATE INDEX {idx:runs_owner} ON {runs} (owner, position)`,
  `CREATE TABLE {events} (
    run_id TEXT NOT NULL REFERENCES {runs} (id) ON DELETE CASCADE,
    seq {bigint} NOT NULL,
    type TEXT NOT NULL,
    data TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (run_id, seq))`,
  `CREATE TABLE {checkpoints} (
    position {serial},
    id TEXT NOT NULL UNIQUE,
    thread_id TEXT NOT NULL REFERENCES {threads} (id) ON DELETE CASCADE,
    run_id TEXT,
    parent_id TEXT,
    format_version INTEGER NOT NULL,
    definition_hash TEXT NOT NULL,
    seq {bigint} NOT NULL,
    state TEXT NOT NULL,
    metadata TEXT NOT NULL,
    created_at TEXT NOT NULL)`,
  `CREATE INDEX {idx:checkpoints_thread} ON {checkpoints} (thread_id, position)`,
  `CREATE TABLE {ledger} (
    run_id TEXT NOT NULL REFERENCES {runs} (id) ON DELETE CASCADE,
    key TEXT NOT NULL,
    kind TEXT NOT NULL,
    status TEXT NOT NULL,
    value TEXT,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (run_id, key))`,
  `CREATE TABLE {input_requests} (
    position {serial},
    run_id TEXT NOT NULL REFERENCES {runs} (id) ON DELETE CASCADE,
    request_id TEXT NOT NULL,
    prompt TEXT NOT NULL,
    schema TEXT,
    answer TEXT,
    answered_at TEXT,
    created_at TEXT NOT NULL,
    UNIQUE (run_id, request_id))`,
];

/** The statements of each schema version, oldest first: `MIGRATIONS[0]` creates version 1. */
export const MIGRATIONS: readonly (readonly string[])[] = [V1];

/** The tables of the schema, children first (the order a manual drop would use). */
export const TABLES = ["input_requests", "ledger", "checkpoints", "events", "runs", "threads"] as const;

/** The name of the table that records the schema version. */
export const META_TABLE = "autogen_schema";

/** Replaces a statement's tokens with the dialect's names and types. */
export function fillTokens(sql: string, tokens: SchemaTokens): string {
  return sql.replace(/\{(idx:)?(\w+)\}/g, (_, index: string | undefined, name: string) => {
    if (index !== undefined) return tokens.index(name);
    if (name === "serial") return tokens.serial;
    if (name === "bigint") return tokens.bigint;
    return tokens.table(name);
  });
}
