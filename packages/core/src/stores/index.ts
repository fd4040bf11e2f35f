/**
 * Run stores: the portable contract durable runs persist through, the in-memory store, and following a
 * run's events.
 */
export type { CheckpointErrorCode, StoreErrorCode } from "./errors.js";
export { CheckpointError, StoreError } from "./errors.js";
export type { FollowEventsOptions } from "./follow.js";
export { followEvents } from "./follow.js";
export type { InMemoryRunStoreOptions } from "./memory-store.js";
export { InMemoryRunStore } from "./memory-store.js";
export {
  checkWrites,
  conflict,
  DEFAULT_PAGE_LIMIT,
  leaseFree,
  MAX_PAGE_LIMIT,
  notFound,
  nowIso,
  pageLimit,
  parseCursor,
  runBusy,
  statusFilter,
  toJsonText,
} from "./support.js";
export type {
  AnswerInputWrite,
  AppendEventsWrite,
  CheckpointRecord,
  CreateRunWrite,
  CreateThreadWrite,
  InputRequestRecord,
  JsonObject,
  JsonValue,
  LedgerEntryRecord,
  LedgerKind,
  ListCheckpointsOptions,
  ListRunsOptions,
  ListThreadsOptions,
  Page,
  PageOptions,
  PutCheckpointWrite,
  PutInputRequestWrite,
  PutLedgerWrite,
  ReadEventsOptions,
  RunErrorRecord,
  RunEventRecord,
  RunLease,
  RunRecord,
  RunStatus,
  RunStore,
  SetHeadWrite,
  StoreWrite,
  ThreadRecord,
  UpdateRunWrite,
  UpdateThreadWrite,
} from "./types.js";
export { RUN_STATUSES } from "./types.js";
