/**
 * How the SQL run store applies each kind of {@link StoreWrite} inside a transaction: the statements,
 * the compare-and-set checks and the errors a lost race or a missing parent becomes.
 */
import {
  conflict,
  leaseFree,
  notFound,
  nowIso,
  type RunStatus,
  runBusy,
  type StoreWrite,
  toJsonText,
} from "@autogen-ts/core";
import type { SqlExecutor } from "./types.js";

/** What of its store the writes use. */
export interface WriteTarget {
  /** The store's name, for errors. */
  readonly name: string;
  /** A table's SQL name. */
  table(name: string): string;
  /** The dialect's NULL-safe equality. */
  readonly nullSafeEquals: string;
  /** The dialect's row lock for a SELECT inside a transaction. */
  readonly forUpdate: string;
  /** Inserts a batch of events (a subclass may use a multi-row statement). */
  insertEvents(
    tx: SqlExecutor,
    runId: string,
    events: readonly { seq: number; type: string; data: string }[],
    now: string,
  ): Promise<void>;
}

async function exists(
  s: WriteTarget,
  tx: SqlExecutor,
  table: "threads" | "runs",
  id: string,
): Promise<boolean> {
  const rows = await tx.query(`SELECT 1 AS one FROM ${s.table(table)} WHERE id = ?`, [id]);
  return rows.length > 0;
}

async function needRun(s: WriteTarget, tx: SqlExecutor, id: string): Promise<void> {
  if (!(await exists(s, tx, "runs", id))) throw notFound(s.name, "run", id);
}

export async function applyWrite(s: WriteTarget, tx: SqlExecutor, w: StoreWrite): Promise<void> {
  const now = nowIso();
  const json = (what: string, value: unknown): string => toJsonText(s.name, what, value);
  switch (w.kind) {
    case "createThread": {
      if (await exists(s, tx, "threads", w.id)) {
        throw conflict(s.name, `thread ${JSON.stringify(w.id)} exists`);
      }
      await tx.execute(
        `INSERT INTO ${s.table("threads")} (id, owner, head, metadata, created_at, updated_at) VALUES (?, ?, NULL, ?, ?, ?)`,
        [w.id, w.owner ?? null, json("thread metadata", w.metadata ?? {}), now, now],
      );
      return;
    }
    case "updateThread": {
      const changed = await tx.execute(
        `UPDATE ${s.table("threads")} SET metadata = ?, updated_at = ? WHERE id = ?`,
        [json("thread metadata", w.metadata), now, w.id],
      );
      if (changed === 0) throw notFound(s.name, "thread", w.id);
      return;
    }
    case "setHead": {
      const changed = await tx.execute(
        `UPDATE ${s.table("threads")} SET head = ?, updated_at = ? WHERE id = ? AND head ${s.nullSafeEquals} ?`,
        [w.head, now, w.threadId, w.expected],
      );
      if (changed > 0) return;
      const rows = await tx.query(`SELECT head FROM ${s.table("threads")} WHERE id = ?`, [w.threadId]);
      if (rows.length === 0) throw notFound(s.name, "thread", w.threadId);
      const head = (rows[0]?.head as string | null) ?? null;
      throw conflict(
        s.name,
        `thread ${w.threadId} has moved on: its head is ${head ?? "none"}, not ${w.expected ?? "none"}`,
        { threadId: w.threadId, head },
      );
    }
    case "createRun": {
      if (!(await exists(s, tx, "threads", w.threadId))) throw notFound(s.name, "thread", w.threadId);
      if (await exists(s, tx, "runs", w.id)) throw conflict(s.name, `run ${JSON.stringify(w.id)} exists`);
      await tx.execute(
        `INSERT INTO ${s.table("runs")} (id, thread_id, owner, status, task, options, definition_hash,
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
        `SELECT status, lease_holder, lease_expires_at FROM ${s.table("runs")} WHERE id = ?${s.forUpdate}`,
        [w.id],
      );
      const row = rows[0];
      if (row === undefined) throw notFound(s.name, "run", w.id);
      const status = row.status as RunStatus;
      if (w.ifStatus !== undefined && !w.ifStatus.includes(status)) {
        throw conflict(s.name, `run ${w.id} is ${status}, not ${w.ifStatus.join(" or ")}`, {
          runId: w.id,
          status,
        });
      }
      const lease =
        row.lease_holder === null || row.lease_holder === undefined
          ? undefined
          : { holder: String(row.lease_holder), expiresAt: String(row.lease_expires_at) };
      if (w.ifLeaseFree !== undefined && !leaseFree(lease, w.ifLeaseFree)) {
        throw runBusy(s.name, w.id, lease as NonNullable<typeof lease>);
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
      await tx.execute(`UPDATE ${s.table("runs")} SET ${sets.join(", ")} WHERE id = ?`, params);
      return;
    }
    case "appendEvents": {
      if (w.events.length === 0) {
        await needRun(s, tx, w.runId);
        return;
      }
      const first = w.events[0]?.seq as number;
      let seq = first - 1;
      for (const e of w.events) {
        if (e.seq !== seq + 1) {
          throw conflict(s.name, `run ${w.runId}: event ${e.seq} does not follow ${seq}`, {
            runId: w.runId,
          });
        }
        seq = e.seq;
      }
      const changed = await tx.execute(
        `UPDATE ${s.table("runs")} SET last_seq = ?, updated_at = ? WHERE id = ? AND last_seq = ?`,
        [seq, now, w.runId, first - 1],
      );
      if (changed === 0) {
        const rows = await tx.query(`SELECT last_seq FROM ${s.table("runs")} WHERE id = ?`, [w.runId]);
        if (rows.length === 0) throw notFound(s.name, "run", w.runId);
        throw conflict(
          s.name,
          `run ${w.runId}: event ${first} does not follow ${Number(rows[0]?.last_seq)}`,
          {
            runId: w.runId,
            lastSeq: Number(rows[0]?.last_seq),
          },
        );
      }
      await s.insertEvents(
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
      await constraint(s, "checkpoint", w.id, "thread", w.threadId, () =>
        tx.execute(
          `INSERT INTO ${s.table("checkpoints")} (id, thread_id, run_id, parent_id, format_version, definition_hash,
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
      await needRun(s, tx, w.runId);
      for (const e of w.entries) {
        // A completed entry stays completed: a late "started" from a slow process must not undo it.
        await tx.execute(
          `INSERT INTO ${s.table("ledger")} AS l (run_id, key, kind, status, value, updated_at) VALUES (?, ?, ?, ?, ?, ?)
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
      await needRun(s, tx, w.runId);
      await tx.execute(
        `INSERT INTO ${s.table("input_requests")} (run_id, request_id, prompt, schema, created_at) VALUES (?, ?, ?, ?, ?)
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
        `UPDATE ${s.table("input_requests")} SET answer = ?, answered_at = ? WHERE run_id = ? AND request_id = ? AND answered_at IS NULL`,
        [json("answer", w.value), now, w.runId, w.requestId],
      );
      if (changed > 0) return;
      const rows = await tx.query(
        `SELECT 1 AS one FROM ${s.table("input_requests")} WHERE run_id = ? AND request_id = ?`,
        [w.runId, w.requestId],
      );
      if (rows.length === 0) throw notFound(s.name, "input request", w.requestId);
      throw conflict(s.name, `input request ${w.requestId} was already answered`, {
        requestId: w.requestId,
      });
    }
  }
}

/** Runs an insert, turning a foreign-key failure into `not_found` and a unique one into `store_conflict`. */
async function constraint(
  s: WriteTarget,
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
    if (code === "SQLITE_CONSTRAINT_FOREIGNKEY" || code === "23503") throw notFound(s.name, parent, parentId);
    if (code === "SQLITE_CONSTRAINT_PRIMARYKEY" || code === "SQLITE_CONSTRAINT_UNIQUE" || code === "23505") {
      throw conflict(s.name, `${what} ${JSON.stringify(id)} exists`);
    }
    throw error;
  }
}
