/**
 * `SqlRunStore`: the run store written once in SQL for both the SQLite and the PostgreSQL stores. A
 * subclass supplies the connection (a transaction runner and a reader), the dialect's tokens and the
 * mapping of its driver's errors to {@link StoreError}s; every statement here is portable between the two
 * (`?` placeholders, `ON CONFLICT`, compare-and-set updates whose row count says whether they won).
 */
import {
  type CheckpointRecord,
  checkWrites,
  type InputRequestRecord,
  type JsonObject,
  type JsonValue,
  type LedgerEntryRecord,
  type ListCheckpointsOptions,
  type ListRunsOptions,
  type ListThreadsOptions,
  type Page,
  pageLimit,
  parseCursor,
  type ReadEventsOptions,
  type RunEventRecord,
  type RunRecord,
  type RunStore,
  StoreError,
  type StoreWrite,
  statusFilter,
  type ThreadRecord,
} from "@autogen-ts/core";
import { checkpointFrom, runFrom, threadFrom } from "./rows.js";
import { fillTokens, META_TABLE, MIGRATIONS, SCHEMA_VERSION } from "./schema.js";
import type { SqlDialect, SqlExecutor, SqlRow } from "./types.js";
import { applyWrite, type WriteTarget } from "./writes.js";

export type { SqlDialect, SqlExecutor, SqlRow } from "./types.js";

/** The writes that change a run's own row (and lock it exclusively themselves). */
function ownRowWrite(w: StoreWrite): string | undefined {
  return w.kind === "updateRun" ? w.id : w.kind === "appendEvents" ? w.runId : undefined;
}

/** The writes that add to a run without changing its row: its ledger, requests and checkpoints. */
function underRunWrite(w: StoreWrite): string | undefined {
  if (w.kind === "putLedger" || w.kind === "putInputRequest" || w.kind === "answerInput") return w.runId;
  return w.kind === "putCheckpoint" ? w.runId : undefined;
}

const SELECT_RUN = `id, thread_id, owner, status, task, stop_reason, error, options, definition_hash,
  lease_holder, lease_expires_at, last_seq, created_at, updated_at, ended_at, position`;

/** The shared SQL run store. */
export abstract class SqlRunStore implements RunStore {
  abstract readonly name: string;
  readonly #dialect: SqlDialect;
  readonly #tables = new Map<string, string>();
  readonly #listeners = new Map<string, Set<(lastSeq: number) => void>>();

  protected constructor(dialect: SqlDialect) {
    this.#dialect = dialect;
  }

  /** Runs `body` in one transaction: committed when it resolves, rolled back when it throws. */
  protected abstract transaction<T>(body: (tx: SqlExecutor) => Promise<T>): Promise<T>;

  /** Runs reads outside a transaction. */
  protected abstract read<T>(body: (db: SqlExecutor) => Promise<T>): Promise<T>;

  /** Turns a driver error into a {@link StoreError} where one applies (full, gone, constraint). */
  protected abstract mapError(error: unknown): unknown;

  abstract close(): Promise<void>;

  /** A table's SQL name. */
  protected t(name: string): string {
    let sql = this.#tables.get(name);
    if (sql === undefined) {
      sql = this.#dialect.table(name);
      this.#tables.set(name, sql);
    }
    return sql;
  }

  /**
   * Creates the schema or brings it up to {@link SCHEMA_VERSION}; a schema from a newer release is a
   * `store_schema` error and nothing is changed. Subclasses call it once when they open (inside whatever
   * lock keeps two processes from migrating at once).
   */
  protected async migrate(tx: SqlExecutor): Promise<void> {
    const meta = this.t(META_TABLE);
    await tx.execute(`CREATE TABLE IF NOT EXISTS ${meta} (version INTEGER NOT NULL)`);
    const rows = await tx.query(`SELECT version FROM ${meta}`);
    const version = rows.length === 0 ? 0 : Number(rows[0]?.version);
    if (version > SCHEMA_VERSION) {
      throw new StoreError(
        "store_schema",
        this.name,
        `the store's schema is version ${version}, from a newer release; this release knows up to ` +
          `version ${SCHEMA_VERSION}. Upgrade autogen-ts to use this store`,
        { details: { version, supported: SCHEMA_VERSION } },
      );
    }
    for (let v = version; v < SCHEMA_VERSION; v++) {
      for (const statement of MIGRATIONS[v] ?? []) await tx.execute(fillTokens(statement, this.#dialect));
    }
    if (rows.length === 0) await tx.execute(`INSERT INTO ${meta} (version) VALUES (?)`, [SCHEMA_VERSION]);
    else if (version < SCHEMA_VERSION) await tx.execute(`UPDATE ${meta} SET version = ?`, [SCHEMA_VERSION]);
  }

  async write(writes: readonly StoreWrite[]): Promise<void> {
    checkWrites(this.name, writes);
    if (writes.length === 0) return;
    const target = this.#writeTarget();
    await this.#guard(() =>
      this.transaction(async (tx) => {
        await this.#lockRuns(tx, writes);
        for (const w of writes) await applyWrite(target, tx, w);
      }),
    );
    this.afterWrite(writes);
  }

  #target: WriteTarget | undefined;

  #writeTarget(): WriteTarget {
    this.#target ??= {
      name: this.name,
      table: (name) => this.t(name),
      nullSafeEquals: this.#dialect.nullSafeEquals,
      forUpdate: this.#dialect.forUpdate,
      insertEvents: (tx, runId, events, now) => this.insertEvents(tx, runId, events, now),
    };
    return this.#target;
  }

  /**
   * Locks the row of every run a batch adds to, before anything else: shared when the batch only adds
   * ledger entries, requests or checkpoints, exclusive when it also changes the run. Why: a process that
   * takes a run over (`updateRun` with `ifLeaseFree`, which locks the row exclusively) must see every
   * write of the run's previous holder, and on a server database a holder that was killed right after
   * sending COMMIT still commits, later. Holding the run's row until then makes the takeover wait for
   * that commit instead of reading a ledger that is about to change. Rows are locked in id order, and
   * before any other lock of the batch, so two batches never deadlock. A store without row locks
   * (SQLite: one writer at a time) skips this.
   */
  async #lockRuns(tx: SqlExecutor, writes: readonly StoreWrite[]): Promise<void> {
    if (this.#dialect.forShare === "") return;
    const shared = new Set<string>();
    const exclusive = new Set<string>();
    for (const w of writes) {
      const under = underRunWrite(w);
      if (under !== undefined) shared.add(under);
      const own = ownRowWrite(w);
      if (own !== undefined) exclusive.add(own);
    }
    if (shared.size === 0) return;
    for (const id of [...shared].sort()) {
      const mode = exclusive.has(id) ? this.#dialect.forUpdate : this.#dialect.forShare;
      await tx.query(`SELECT 1 AS one FROM ${this.t("runs")} WHERE id = ?${mode}`, [id]);
    }
  }

  /** Tells this process's subscribers about the events a committed batch appended. */
  protected afterWrite(writes: readonly StoreWrite[]): void {
    if (this.#listeners.size === 0) return;
    for (const w of writes) {
      if (w.kind !== "appendEvents" || w.events.length === 0) continue;
      const seq = w.events[w.events.length - 1]?.seq as number;
      for (const listener of this.#listeners.get(w.runId) ?? []) listener(seq);
    }
  }

  /** Notifies `listener` of events appended through this store object (not by other processes). */
  subscribe(runId: string, listener: (lastSeq: number) => void): () => void {
    let set = this.#listeners.get(runId);
    if (set === undefined) {
      set = new Set();
      this.#listeners.set(runId, set);
    }
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.#listeners.delete(runId);
    };
  }

  async #guard<T>(body: () => Promise<T>): Promise<T> {
    try {
      return await body();
    } catch (error) {
      if (StoreError.isInstance(error) || (error as { code?: unknown })?.code === "invalid_argument")
        throw error;
      throw this.mapError(error);
    }
  }

  /** Inserts a batch of events (a subclass may use a multi-row statement). */
  protected async insertEvents(
    tx: SqlExecutor,
    runId: string,
    events: readonly { seq: number; type: string; data: string }[],
    now: string,
  ): Promise<void> {
    for (const e of events) {
      await tx.execute(
        `INSERT INTO ${this.t("events")} (run_id, seq, type, data, created_at) VALUES (?, ?, ?, ?, ?)`,
        [runId, e.seq, e.type, e.data, now],
      );
    }
  }

  async getThread(id: string): Promise<ThreadRecord | undefined> {
    const rows = await this.#read((db) =>
      db.query(
        `SELECT id, owner, head, metadata, created_at, updated_at FROM ${this.t("threads")} WHERE id = ?`,
        [id],
      ),
    );
    return rows[0] === undefined ? undefined : threadFrom(rows[0]);
  }

  async listThreads(options: ListThreadsOptions = {}): Promise<Page<ThreadRecord>> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (options.owner !== undefined) {
      where.push("owner = ?");
      params.push(options.owner);
    }
    return this.#page(
      `SELECT id, owner, head, metadata, created_at, updated_at, position FROM ${this.t("threads")}`,
      where,
      params,
      options,
      threadFrom,
    );
  }

  async deleteThread(id: string): Promise<boolean> {
    return this.#guard(() =>
      this.transaction(async (tx) => {
        // Children first, so the delete works whether or not the driver enforces the foreign keys.
        const runs = `SELECT id FROM ${this.t("runs")} WHERE thread_id = ?`;
        for (const table of ["input_requests", "ledger", "events"]) {
          await tx.execute(`DELETE FROM ${this.t(table)} WHERE run_id IN (${runs})`, [id]);
        }
        await tx.execute(`DELETE FROM ${this.t("checkpoints")} WHERE thread_id = ?`, [id]);
        await tx.execute(`DELETE FROM ${this.t("runs")} WHERE thread_id = ?`, [id]);
        return (await tx.execute(`DELETE FROM ${this.t("threads")} WHERE id = ?`, [id])) > 0;
      }),
    );
  }

  async getRun(id: string): Promise<RunRecord | undefined> {
    const rows = await this.#read((db) =>
      db.query(`SELECT ${SELECT_RUN} FROM ${this.t("runs")} WHERE id = ?`, [id]),
    );
    return rows[0] === undefined ? undefined : runFrom(rows[0]);
  }

  async listRuns(options: ListRunsOptions = {}): Promise<Page<RunRecord>> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (options.threadId !== undefined) {
      where.push("thread_id = ?");
      params.push(options.threadId);
    }
    if (options.owner !== undefined) {
      where.push("owner = ?");
      params.push(options.owner);
    }
    const statuses = statusFilter(options.status);
    if (statuses !== undefined) {
      where.push(`status IN (${statuses.map(() => "?").join(", ")})`);
      params.push(...statuses);
    }
    return this.#page(`SELECT ${SELECT_RUN} FROM ${this.t("runs")}`, where, params, options, runFrom);
  }

  async readEvents(runId: string, options: ReadEventsOptions = {}): Promise<readonly RunEventRecord[]> {
    const limit = options.limit === undefined ? "" : ` LIMIT ${Math.max(0, Math.floor(options.limit))}`;
    const rows = await this.#read((db) =>
      db.query(
        `SELECT seq, type, data, created_at FROM ${this.t("events")} WHERE run_id = ? AND seq > ? ORDER BY seq${limit}`,
        [runId, options.afterSeq ?? 0],
      ),
    );
    return rows.map((r) => ({
      runId,
      seq: Number(r.seq),
      type: String(r.type),
      data: JSON.parse(String(r.data)) as JsonValue,
      createdAt: String(r.created_at),
    }));
  }

  async getCheckpoint(id: string): Promise<CheckpointRecord | undefined> {
    const rows = await this.#read((db) =>
      db.query(
        `SELECT id, thread_id, run_id, parent_id, format_version, definition_hash, seq, state, metadata, created_at
         FROM ${this.t("checkpoints")} WHERE id = ?`,
        [id],
      ),
    );
    return rows[0] === undefined ? undefined : checkpointFrom(rows[0]);
  }

  async listCheckpoints(
    threadId: string,
    options: ListCheckpointsOptions = {},
  ): Promise<Page<CheckpointRecord>> {
    const where = ["thread_id = ?"];
    const params: unknown[] = [threadId];
    if (options.runId !== undefined) {
      where.push("run_id = ?");
      params.push(options.runId);
    }
    return this.#page(
      `SELECT id, thread_id, run_id, parent_id, format_version, definition_hash, seq, state, metadata, created_at, position
       FROM ${this.t("checkpoints")}`,
      where,
      params,
      options,
      checkpointFrom,
    );
  }

  async readLedger(runId: string): Promise<readonly LedgerEntryRecord[]> {
    const rows = await this.#read((db) =>
      db.query(`SELECT key, kind, status, value, updated_at FROM ${this.t("ledger")} WHERE run_id = ?`, [
        runId,
      ]),
    );
    return rows.map((r) => ({
      runId,
      key: String(r.key),
      kind: r.kind as LedgerEntryRecord["kind"],
      status: r.status as LedgerEntryRecord["status"],
      value:
        r.value === null || r.value === undefined ? undefined : (JSON.parse(String(r.value)) as JsonValue),
      updatedAt: String(r.updated_at),
    }));
  }

  async listInputRequests(
    runId: string,
    options: { readonly pending?: boolean } = {},
  ): Promise<readonly InputRequestRecord[]> {
    const pending = options.pending === true ? " AND answered_at IS NULL" : "";
    const rows = await this.#read((db) =>
      db.query(
        `SELECT request_id, prompt, schema, answer, answered_at, created_at FROM ${this.t("input_requests")}
         WHERE run_id = ?${pending} ORDER BY position`,
        [runId],
      ),
    );
    return rows.map((r) => ({
      runId,
      requestId: String(r.request_id),
      prompt: String(r.prompt),
      schema:
        r.schema === null || r.schema === undefined
          ? undefined
          : (JSON.parse(String(r.schema)) as JsonObject),
      createdAt: String(r.created_at),
      answer:
        r.answered_at === null || r.answered_at === undefined
          ? undefined
          : { value: JSON.parse(String(r.answer)) as JsonValue, answeredAt: String(r.answered_at) },
    }));
  }

  #read<T>(body: (db: SqlExecutor) => Promise<T>): Promise<T> {
    return this.#guard(() => this.read(body));
  }

  async #page<T>(
    select: string,
    where: string[],
    params: unknown[],
    options: { limit?: number; cursor?: string },
    map: (row: SqlRow) => T,
  ): Promise<Page<T>> {
    const limit = pageLimit(options);
    const before = parseCursor(this.name, options.cursor);
    const conditions = [...where];
    const values = [...params];
    if (before !== undefined) {
      conditions.push("position < ?");
      values.push(before);
    }
    const whereSql = conditions.length === 0 ? "" : ` WHERE ${conditions.join(" AND ")}`;
    const rows = await this.#read((db) =>
      db.query(`${select}${whereSql} ORDER BY position DESC LIMIT ${limit + 1}`, values),
    );
    const items = rows.slice(0, limit);
    const last = items.at(-1);
    return {
      items: items.map(map),
      nextCursor: rows.length > limit && last !== undefined ? String(last.position) : undefined,
    };
  }
}
