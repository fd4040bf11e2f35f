/**
 * The record shapes and the contract of a run store: where durable runs keep their threads, runs, events,
 * checkpoints, tool/model-call ledger and human-input requests. Portable: a store may sit on memory, an
 * embedded database, a server database or anything else that can commit a batch of writes atomically.
 */

/** A JSON value, as stores keep it (stores never keep functions, classes or `undefined` inside values). */
export type JsonValue =
  | null
  | boolean
  | number
  | string
  | readonly JsonValue[]
  | { readonly [k: string]: JsonValue };

/** A JSON object. */
export type JsonObject = { readonly [k: string]: JsonValue };

/** Where a run is: going, waiting for a person, or ended one of three ways. */
export type RunStatus = "running" | "interrupted" | "completed" | "failed" | "cancelled";

/** Every {@link RunStatus}, in a fixed order (for validation and CLI listings). */
export const RUN_STATUSES: readonly RunStatus[] = [
  "running",
  "interrupted",
  "completed",
  "failed",
  "cancelled",
];

/** A conversation that one or more runs continue. */
export interface ThreadRecord {
  readonly id: string;
  /** The principal the thread belongs to (a user or tenant id), for servers that list by owner. */
  readonly owner: string | undefined;
  /** The id of the newest checkpoint of the thread: the one a new run continues from. */
  readonly head: string | undefined;
  readonly metadata: JsonObject;
  /** ISO 8601 times, set by the store. */
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** Who may drive a run, until when: a process renews it while it runs, so a crashed one's lease lapses. */
export interface RunLease {
  /** An id of the process (or server instance) holding the run. */
  readonly holder: string;
  /** ISO 8601 time after which another process may take the run over. */
  readonly expiresAt: string;
}

/** What a run's failure is recorded as (never a stack, never a secret). */
export interface RunErrorRecord {
  readonly code: string;
  readonly message: string;
}

/** One run of a team or agent on a thread. */
export interface RunRecord {
  readonly id: string;
  readonly threadId: string;
  readonly owner: string | undefined;
  readonly status: RunStatus;
  /** The task as given (JSON), or undefined for a run that continues the thread. */
  readonly task: JsonValue | undefined;
  /** Why the run stopped (the termination condition's reason), once it has. */
  readonly stopReason: string | undefined;
  readonly error: RunErrorRecord | undefined;
  /**
   * How the run was started, so that another process can resume it with the same settings (a CLI keeps
   * its flags here). Never secrets.
   */
  readonly options: JsonObject;
  /** The hash of the team (or agent) definition the run started with. */
  readonly definitionHash: string | undefined;
  readonly lease: RunLease | undefined;
  /** The sequence number of the run's newest event (0 before the first). */
  readonly lastSeq: number;
  readonly createdAt: string;
  readonly updatedAt: string;
  /** When the run last reached an end state (completed, failed, cancelled). */
  readonly endedAt: string | undefined;
}

/** One message or event of a run, numbered from 1 within the run. */
export interface RunEventRecord {
  readonly runId: string;
  readonly seq: number;
  /** The message's type name (`TextMessage`, `ToolCallExecutionEvent`, ...) or a run event's. */
  readonly type: string;
  readonly data: JsonValue;
  readonly createdAt: string;
}

/** A restorable snapshot of a thread's team (or agent) taken during or after a run. */
export interface CheckpointRecord {
  readonly id: string;
  readonly threadId: string;
  /** The run that wrote it (undefined for a checkpoint made by a fork). */
  readonly runId: string | undefined;
  /** The checkpoint this one continues from: its lineage. */
  readonly parentId: string | undefined;
  /** The version of the checkpoint document format. */
  readonly formatVersion: number;
  /** The hash of the definition whose state this is. */
  readonly definitionHash: string;
  /** The run's event sequence number this checkpoint covers (every event up to it is in `state`). */
  readonly seq: number;
  readonly state: JsonValue;
  readonly metadata: JsonObject;
  readonly createdAt: string;
}

/** What a ledger entry records: a model call, a tool call, or a question to a person. */
export type LedgerKind = "model" | "tool" | "input";

/**
 * One entry of a run's call ledger: a model or tool call, keyed so that a resumed run finds the calls its
 * interrupted turn already made. `started` without `completed` means the process died during the call.
 */
export interface LedgerEntryRecord {
  readonly runId: string;
  readonly key: string;
  readonly kind: LedgerKind;
  readonly status: "started" | "completed";
  /** The call's result, once completed. */
  readonly value: JsonValue | undefined;
  readonly updatedAt: string;
}

/** A question to a person that a run waits on, and its answer once given. */
export interface InputRequestRecord {
  readonly runId: string;
  readonly requestId: string;
  readonly prompt: string;
  /** A JSON Schema the answer should satisfy, when the asker gave one. */
  readonly schema: JsonObject | undefined;
  readonly createdAt: string;
  readonly answer: { readonly value: JsonValue; readonly answeredAt: string } | undefined;
}

/** A page of a list, newest first; pass `nextCursor` back to get the next page. */
export interface Page<T> {
  readonly items: readonly T[];
  /** Absent on the last page. */
  readonly nextCursor: string | undefined;
}

/** Paging options of every list (default limit 50, at most 1000). */
export interface PageOptions {
  readonly limit?: number;
  readonly cursor?: string;
}

/** Filters of {@link RunStore.listThreads}. */
export interface ListThreadsOptions extends PageOptions {
  readonly owner?: string;
}

/** Filters of {@link RunStore.listRuns}. */
export interface ListRunsOptions extends PageOptions {
  readonly threadId?: string;
  readonly owner?: string;
  readonly status?: RunStatus | readonly RunStatus[];
}

/** Filters of {@link RunStore.listCheckpoints}. */
export interface ListCheckpointsOptions extends PageOptions {
  readonly runId?: string;
}

/** Options of {@link RunStore.readEvents}: events after a sequence number, oldest first. */
export interface ReadEventsOptions {
  /** Only events with a greater sequence number (default 0: from the first). */
  readonly afterSeq?: number;
  /** The most events to return (default: all). */
  readonly limit?: number;
}

/** Creates a thread; fails with `store_conflict` when the id is taken. */
export interface CreateThreadWrite {
  readonly kind: "createThread";
  readonly id: string;
  readonly owner?: string | undefined;
  readonly metadata?: JsonObject | undefined;
}

/** Replaces a thread's metadata. */
export interface UpdateThreadWrite {
  readonly kind: "updateThread";
  readonly id: string;
  readonly metadata: JsonObject;
}

/**
 * Moves a thread's head, only if it is still `expected` (`null`: the thread has no head yet); otherwise
 * the whole batch fails with `store_conflict`. This is how two processes are kept from both advancing
 * one thread.
 */
export interface SetHeadWrite {
  readonly kind: "setHead";
  readonly threadId: string;
  readonly expected: string | null;
  readonly head: string;
}

/** Creates a run on an existing thread; fails with `store_conflict` when the id is taken. */
export interface CreateRunWrite {
  readonly kind: "createRun";
  readonly id: string;
  readonly threadId: string;
  readonly owner?: string | undefined;
  readonly status?: RunStatus | undefined;
  readonly task?: JsonValue | undefined;
  readonly options?: JsonObject | undefined;
  readonly definitionHash?: string | undefined;
  readonly lease?: RunLease | undefined;
}

/** Changes a run. `null` clears a field. The conditions make it a compare-and-set. */
export interface UpdateRunWrite {
  readonly kind: "updateRun";
  readonly id: string;
  readonly status?: RunStatus;
  readonly stopReason?: string | null;
  readonly error?: RunErrorRecord | null;
  readonly options?: JsonObject;
  readonly definitionHash?: string;
  readonly lease?: RunLease | null;
  /** Set `endedAt` to now (for an end state) or clear it (`false`, a resumed run). */
  readonly ended?: boolean;
  /** Fail with `store_conflict` unless the run's status is one of these. */
  readonly ifStatus?: readonly RunStatus[];
  /**
   * Fail with `run_busy` unless the run has no lease, its lease expired before `now`, or `holder` holds
   * it: how a process takes a run over.
   */
  readonly ifLeaseFree?: { readonly holder: string; readonly now: string };
}

/** Appends events; their `seq` must continue the run's `lastSeq` without gaps, else `store_conflict`. */
export interface AppendEventsWrite {
  readonly kind: "appendEvents";
  readonly runId: string;
  readonly events: readonly { readonly seq: number; readonly type: string; readonly data: JsonValue }[];
}

/** Stores a checkpoint (ids are unique; a second put of one id fails with `store_conflict`). */
export interface PutCheckpointWrite {
  readonly kind: "putCheckpoint";
  readonly id: string;
  readonly threadId: string;
  readonly runId?: string | undefined;
  readonly parentId?: string | undefined;
  readonly formatVersion: number;
  readonly definitionHash: string;
  readonly seq: number;
  readonly state: JsonValue;
  readonly metadata?: JsonObject | undefined;
}

/** Inserts or replaces ledger entries of a run. A completed entry is never set back to started. */
export interface PutLedgerWrite {
  readonly kind: "putLedger";
  readonly runId: string;
  readonly entries: readonly {
    readonly key: string;
    readonly kind: LedgerKind;
    readonly status: "started" | "completed";
    readonly value?: JsonValue | undefined;
  }[];
}

/** Records a pending input request (a repeated put of the same id is ignored: the first one stands). */
export interface PutInputRequestWrite {
  readonly kind: "putInputRequest";
  readonly runId: string;
  readonly requestId: string;
  readonly prompt: string;
  readonly schema?: JsonObject | undefined;
}

/** Answers a pending request; `not_found` when there is none, `store_conflict` when already answered. */
export interface AnswerInputWrite {
  readonly kind: "answerInput";
  readonly runId: string;
  readonly requestId: string;
  readonly value: JsonValue;
}

/** One write of a batch given to {@link RunStore.write}. */
export type StoreWrite =
  | CreateThreadWrite
  | UpdateThreadWrite
  | SetHeadWrite
  | CreateRunWrite
  | UpdateRunWrite
  | AppendEventsWrite
  | PutCheckpointWrite
  | PutLedgerWrite
  | PutInputRequestWrite
  | AnswerInputWrite;

/**
 * A run store. Every change goes through {@link write}, a batch that commits whole or not at all; reads
 * return plain records. Errors are {@link StoreError}s whose message names the store (`store_conflict`,
 * `not_found`, `run_busy`, `store_unavailable`, `store_full`, `store_schema`).
 *
 * A third-party store proves itself with the conformance suite in `@autogen-ts/core/testing`
 * (`describeRunStoreConformance`).
 */
export interface RunStore {
  /** What errors call the store (`memory`, `sqlite:./runs.db`, `postgres://host/db`: never credentials). */
  readonly name: string;
  /** Commits a batch of writes atomically, in order. Writes to a thread or run that does not exist fail with `not_found`. */
  write(writes: readonly StoreWrite[]): Promise<void>;
  getThread(id: string): Promise<ThreadRecord | undefined>;
  listThreads(options?: ListThreadsOptions): Promise<Page<ThreadRecord>>;
  /** Deletes a thread and everything under it (runs, events, checkpoints, ledger, requests); false if absent. */
  deleteThread(id: string): Promise<boolean>;
  getRun(id: string): Promise<RunRecord | undefined>;
  listRuns(options?: ListRunsOptions): Promise<Page<RunRecord>>;
  /** A run's events after a sequence number, oldest first (for replay, and SSE `Last-Event-ID`). */
  readEvents(runId: string, options?: ReadEventsOptions): Promise<readonly RunEventRecord[]>;
  getCheckpoint(id: string): Promise<CheckpointRecord | undefined>;
  /** A thread's checkpoints, newest first. */
  listCheckpoints(threadId: string, options?: ListCheckpointsOptions): Promise<Page<CheckpointRecord>>;
  /** Every ledger entry of a run. */
  readLedger(runId: string): Promise<readonly LedgerEntryRecord[]>;
  /** A run's input requests, oldest first; `pending` keeps only the unanswered ones. */
  listInputRequests(
    runId: string,
    options?: { readonly pending?: boolean },
  ): Promise<readonly InputRequestRecord[]>;
  /**
   * Calls `listener` with the run's new `lastSeq` after a batch that appended events to it commits in this
   * process. Optional: stores that cannot notify leave it out, and {@link followEvents} polls them.
   */
  subscribe?(runId: string, listener: (lastSeq: number) => void): () => void;
  /** Releases connections and handles. */
  close(): Promise<void>;
}
