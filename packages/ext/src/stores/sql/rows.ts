/** Rows of the SQL run store's tables as the store's records. */
import type {
  CheckpointRecord,
  JsonObject,
  JsonValue,
  RunRecord,
  RunStatus,
  ThreadRecord,
} from "@autogen-ts/core";
import type { SqlRow } from "./types.js";

/** A nullable text column as an optional string. */
export function optional(value: unknown): string | undefined {
  return value === null || value === undefined ? undefined : String(value);
}

/** A `threads` row as a {@link ThreadRecord}. */
export function threadFrom(r: SqlRow): ThreadRecord {
  return {
    id: String(r.id),
    owner: optional(r.owner),
    head: optional(r.head),
    metadata: JSON.parse(String(r.metadata)) as JsonObject,
    createdAt: String(r.created_at),
    updatedAt: String(r.updated_at),
  };
}

/** A `runs` row as a {@link RunRecord}. */
export function runFrom(r: SqlRow): RunRecord {
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

/** A `checkpoints` row as a {@link CheckpointRecord}. */
export function checkpointFrom(r: SqlRow): CheckpointRecord {
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
