/**
 * `SqlRunStore`: the run store written once in SQL for both the SQLite and the PostgreSQL stores. A
 * subclass supplies the connection (a transaction runner and a reader), the dialect's tokens and the
 * mapping of its driver's errors to {@link StoreError}s; every statement here is portable between the two
 * (`?` placeholders, `ON CONFLICT`, compare-and-set updates whose row count says whether they won).
 */
import {
  type CheckpointRecord,
  checkWrites,
  conflict,
  type InputRequestRecord,
  type JsonObject,
  type JsonValue,
  type LedgerEntryRecord,
  type ListCheckpointsOptions,
  type ListRunsOptions,
  type ListThreadsOptions,
  leaseFree,
  notFound,
  nowIso,
  type Page,
  pageLimit,
  parseCursor,
  type ReadEventsOptions,
  type RunEventRecord,
  type RunRecord,
  type RunStatus,
  type RunStore,
  runBusy,
  StoreError,
  type StoreWrite,
  statusFilter,
  type ThreadRecord,
  toJsonText,
} from "@autogen-ts/core";
import { fillTokens, META_TABLE, MIGRATIONS, SCHEMA_VERSION, type SchemaTokens } from "./schema.js";

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
    await this.#guard(() =>
      this.transaction(async (tx) => {
        await this.#lockRuns(tx, writes);
        for (const w of writes) await this.#apply(tx, w);
      }),
    );
    this.afterWrite(writes);
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

  async #exists(tx: SqlExecutor, table: "threads" | "runs", id: string): Promise<boolean> {
    const rows = await tx.query(`SELECT 1 AS one FROM ${this.t(table)} WHERE id = ?`, [id]);
    return rows.length > 0;
  }

  async #needRun(tx: SqlExecutor, id: string): Promise<void> {
    if (!(await this.#exists(tx, "runs", id))) throw notFound(this.name, "run", id);
  }

  async #apply(tx: SqlExecutor, w: StoreWrite): Promise<void> {
    const now = nowIso();
    const json = (what: string, value: unknown): string => toJsonText(this.name, what, value);
    switch (w.kind) {
      case "createThread": {
        if (await this.#exists(tx, "threads", w.id)) {
          throw conflict(this.name, `thread ${JSON.stringify(w.id)} exists`);
        }
        await tx.execute(
          `INSERT INTO ${this.t("threads")} (id, owner, head, metadata, created_at, updated_at) VALUES (?, ?, NULL, ?, ?, ?)`,
          [w.id, w.owner ?? null, json("thread metadata", w.metadata ?? {}), now, now],
        );
        return;
      }
      case "updateThread": {
        const changed = await tx.execute(
          `UPDATE ${this.t("threads")} SET metadata = ?, updated_at = ? WHERE id = ?`,
          [json("thread metadata", w.metadata), now, w.id],
        );
        if (changed === 0) throw notFound(this.name, "thread", w.id);
        return;
      }
      case "setHead": {
        const changed = await tx.execute(
          `UPDATE ${this.t("threads")} SET head = ?, updated_at = ? WHERE id = ? AND head ${this.#dialect.nullSafeEquals} ?`,
          [w.head, now, w.threadId, w.expected],
        );
        if (changed > 0) return;
        const rows = await tx.query(`SELECT head FROM ${this.t("threads")} WHERE id = ?`, [w.threadId]);
        if (rows.length === 0) throw notFound(this.name, "thread", w.threadId);
        const head = (rows[0]?.head as string | null) ?? null;
        throw conflict(
          this.name,
          `thread ${w.threadId} has moved on: its head is ${head ?? "none"}, not ${w.expected ?? "none"}`,
          { threadId: w.threadId, head },
        );
      }
      case "createRun": {
        if (!(await this.#exists(tx, "threads", w.threadId))) throw notFound(this.name, "thread", w.threadId);
        if (await this.#exists(tx, "runs", w.id))
          throw conflict(this.name, `run ${JSON.stringify(w.id)} exists`);
        await tx.execute(
          `INSERT INTO ${this.t("runs")} (id, thread_id, owner, status, task, options, definition_hash,
            lease_holder, lease_expires_at, last_seq, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?)`,
          [
            w.id,
            w.threadId,
            w.owner ?? null,
            w.status ?? "running",
            w.task === undefined ? null : json("task", w.task),
            json("run options", w.options ?? {}),
            w.definitionHash ?? null,
            w.lease?.holder ?? null,
            w.lease?.expiresAt ?? null,
            now,
            now,
          ],
        );
        return;
      }
      case "updateRun": {
        const rows = await tx.query(
          `SELECT status, lease_holder, lease_expires_at FROM ${this.t("runs")} WHERE id = ?${this.#dialect.forUpdate}`,
          [w.id],
        );
        const row = rows[0];
        if (row === undefined) throw notFound(this.name, "run", w.id);
        const status = row.status as RunStatus;
        if (w.ifStatus !== undefined && !w.ifStatus.includes(status)) {
          throw conflict(this.name, `run ${w.id} is ${status}, not ${w.ifStatus.join(" or ")}`, {
            runId: w.id,
            status,
          });
        }
        const lease =
          row.lease_holder === null || row.lease_holder === undefined
            ? undefined
            : { holder: String(row.lease_holder), expiresAt: String(row.lease_expires_at) };
        if (w.ifLeaseFree !== undefined && !leaseFree(lease, w.ifLeaseFree)) {
          throw runBusy(this.name, w.id, lease as NonNullable<typeof lease>);
        }
        const sets: string[] = ["updated_at = ?"];
        const params: unknown[] = [now];
        const set = (column: string, value: unknown): void => {
          sets.push(`${column} = ?`);
          params.push(value);
        };
        if (w.status !== undefined) set("status", w.status);
        if (w.stopReason !== undefined) set("stop_reason", w.stopReason);
        if (w.error !== undefined) set("error", w.error === null ? null : json("run error", w.error));
        if (w.options !== undefined) set("options", json("run options", w.options));
        if (w.definitionHash !== undefined) set("definition_hash", w.definitionHash);
        if (w.lease !== undefined) {
          set("lease_holder", w.lease?.holder ?? null);
          set("lease_expires_at", w.lease?.expiresAt ?? null);
        }
        if (w.ended !== undefined) set("ended_at", w.ended ? now : null);
        params.push(w.id);
        await tx.execute(`UPDATE ${this.t("runs")} SET ${sets.join(", ")} WHERE id = ?`, params);
        return;
      }
      case "appendEvents": {
        if (w.events.length === 0) {
          await this.#needRun(tx, w.runId);
          return;
        }
        const first = w.events[0]?.seq as number;
        let seq = first - 1;
        for (const e of w.events) {
          if (e.seq !== seq + 1) {
            throw conflict(this.name, `run ${w.runId}: event ${e.seq} does not follow ${seq}`, {
              runId: w.runId,
            });
          }
          seq = e.seq;
        }
        const changed = await tx.execute(
          `UPDATE ${this.t("runs")} SET last_seq = ?, updated_at = ? WHERE id = ? AND last_seq = ?`,
          [seq, now, w.runId, first - 1],
        );
        if (changed === 0) {
          const rows = await tx.query(`SELECT last_seq FROM ${this.t("runs")} WHERE id = ?`, [w.runId]);
          if (rows.length === 0) throw notFound(this.name, "run", w.runId);
          throw conflict(
            this.name,
            `run ${w.runId}: event ${first} does not follow ${Number(rows[0]?.last_seq)}`,
            {
              runId: w.runId,
              lastSeq: Number(rows[0]?.last_seq),
            },
          );
        }
        await this.insertEvents(
          tx,
          w.runId,
          w.events.map((e) => ({ seq: e.seq, type: e.type, data: json("event data", e.data) })),
          now,
        );
        return;
      }
      case "putCheckpoint": {
        // No look-ups first (a checkpoint is written every turn): the foreign key says the thread is
        // missing, the unique id that the checkpoint exists (mapped in #constraint).
        await this.#constraint("checkpoint", w.id, "thread", w.threadId, () =>
          tx.execute(
            `INSERT INTO ${this.t("checkpoints")} (id, thread_id, run_id, parent_id, format_version, definition_hash,
            seq, state, metadata, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
            [
              w.id,
              w.threadId,
              w.runId ?? null,
              w.parentId ?? null,
              w.formatVersion,
              w.definitionHash,
              w.seq,
              json("checkpoint state", w.state),
              json("checkpoint metadata", w.metadata ?? {}),
              now,
            ],
          ),
        );
        return;
      }
      case "putLedger": {
        await this.#needRun(tx, w.runId);
        for (const e of w.entries) {
          // A completed entry stays completed: a late "started" from a slow process must not undo it.
          await tx.execute(
            `INSERT INTO ${this.t("ledger")} AS l (run_id, key, kind, status, value, updated_at) VALUES (?, ?, ?, ?, ?, ?)
             ON CONFLICT (run_id, key) DO UPDATE SET kind = excluded.kind, status = excluded.status,
               value = excluded.value, updated_at = excluded.updated_at
             WHERE l.status <> 'completed' OR excluded.status = 'completed'`,
            [
              w.runId,
              e.key,
              e.kind,
              e.status,
              e.value === undefined ? null : json("ledger value", e.value),
              now,
            ],
          );
        }
        return;
      }
      case "putInputRequest": {
        await this.#needRun(tx, w.runId);
        await tx.execute(
          `INSERT INTO ${this.t("input_requests")} (run_id, request_id, prompt, schema, created_at) VALUES (?, ?, ?, ?, ?)
           ON CONFLICT (run_id, request_id) DO NOTHING`,
          [
            w.runId,
            w.requestId,
            w.prompt,
            w.schema === undefined ? null : json("request schema", w.schema),
            now,
          ],
        );
        return;
      }
      case "answerInput": {
        const changed = await tx.execute(
          `UPDATE ${this.t("input_requests")} SET answer = ?, answered_at = ? WHERE run_id = ? AND request_id = ? AND answered_at IS NULL`,
          [json("answer", w.value), now, w.runId, w.requestId],
        );
        if (changed > 0) return;
        const rows = await tx.query(
          `SELECT 1 AS one FROM ${this.t("input_requests")} WHERE run_id = ? AND request_id = ?`,
          [w.runId, w.requestId],
        );
        if (rows.length === 0) throw notFound(this.name, "input request", w.requestId);
        throw conflict(this.name, `input request ${w.requestId} was already answered`, {
          requestId: w.requestId,
        });
      }
    }
  }

  /** Runs an insert, turning a foreign-key failure into `not_found` and a unique one into `store_conflict`. */
  async #constraint(
    what: string,
    id: string,
    parent: string,
    parentId: string,
    insert: () => Promise<unknown>,
  ): Promise<void> {
    try {
      await insert();
    } catch (error) {
      const code = String((error as { code?: unknown })?.code ?? "");
      if (code === "SQLITE_CONSTRAINT_FOREIGNKEY" || code === "23503")
        throw notFound(this.name, parent, parentId);
      if (
        code === "SQLITE_CONSTRAINT_PRIMARYKEY" ||
        code === "SQLITE_CONSTRAINT_UNIQUE" ||
        code === "23505"
      ) {
        throw conflict(this.name, `${what} ${JSON.stringify(id)} exists`);
      }
      throw error;
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

function optional(value: unknown): string | undefined {
  return value === null || value === undefined ? undefined : String(value);
}

function threadFrom(r: SqlRow): ThreadRecord {
  return {
    id: String(r.id),
    owner: optional(r.owner),
    head: optional(r.head),
    metadata: JSON.parse(String(r.metadata)) as JsonObject,
    createdAt: String(r.created_at),
    updatedAt: String(r.updated_at),
  };
}

function runFrom(r: SqlRow): RunRecord {
  return {
    id: String(r.id),
    threadId: String(r.thread_id),
    owner: optional(r.owner),
    status: r.status as RunStatus,
    task: r.task === null || r.task === undefined ? undefined : (JSON.parse(String(r.task)) as JsonValue),
    stopReason: optional(r.stop_reason),
    error: r.error === null || r.error === undefined ? undefined : JSON.parse(String(r.error)),
    options: JSON.parse(String(r.options)) as JsonObject,
    definitionHash: optional(r.definition_hash),
    lease:
      r.lease_holder === null || r.lease_holder === undefined
        ? undefined
        : { holder: String(r.lease_holder), expiresAt: String(r.lease_expires_at) },
    lastSeq: Number(r.last_seq),
    createdAt: String(r.created_at),
    updatedAt: String(r.updated_at),
    endedAt: optional(r.ended_at),
  };
}

function checkpointFrom(r: SqlRow): CheckpointRecord {
  return {
    id: String(r.id),
    threadId: String(r.thread_id),
    runId: optional(r.run_id),
    parentId: optional(r.parent_id),
    formatVersion: Number(r.format_version),
    definitionHash: String(r.definition_hash),
    seq: Number(r.seq),
    state: JSON.parse(String(r.state)) as JsonValue,
    metadata: JSON.parse(String(r.metadata)) as JsonObject,
    createdAt: String(r.created_at),
  };
}
