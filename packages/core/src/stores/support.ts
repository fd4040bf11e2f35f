/**
 * What every run store implementation shares: checking a batch before it runs, page limits, cursors and
 * timestamps. So the in-memory, SQLite and PostgreSQL stores refuse the same bad input the same way.
 */
import { ValidationError } from "../errors.js";
import { StoreError } from "./errors.js";
import { type PageOptions, RUN_STATUSES, type RunStatus, type StoreWrite } from "./types.js";

/** The default and the largest page size of a list. */
export const DEFAULT_PAGE_LIMIT = 50;
export const MAX_PAGE_LIMIT = 1000;

/** The page size a list should use, validated. */
export function pageLimit(options: PageOptions | undefined): number {
  const limit = options?.limit ?? DEFAULT_PAGE_LIMIT;
  if (!Number.isInteger(limit) || limit < 1) {
    throw new ValidationError(`A page limit must be a positive integer, got ${String(limit)}`);
  }
  return Math.min(limit, MAX_PAGE_LIMIT);
}

/** A store's cursors are the position of the last item of a page; parses one (undefined: the first page). */
export function parseCursor(store: string, cursor: string | undefined): number | undefined {
  if (cursor === undefined) return undefined;
  const n = Number(cursor);
  if (!/^\d+$/.test(cursor) || !Number.isSafeInteger(n)) {
    throw new ValidationError(`${store}: not a cursor this store made: ${JSON.stringify(cursor)}`);
  }
  return n;
}

/** The statuses a list filter names, validated. */
export function statusFilter(status: RunStatus | readonly RunStatus[] | undefined): RunStatus[] | undefined {
  if (status === undefined) return undefined;
  const list = typeof status === "string" ? [status] : [...status];
  for (const s of list) checkStatus(s);
  return list;
}

function checkStatus(status: unknown): void {
  if (!RUN_STATUSES.includes(status as RunStatus)) {
    throw new ValidationError(
      `Not a run status: ${JSON.stringify(status)} (one of ${RUN_STATUSES.join(", ")})`,
    );
  }
}

/** The current time as stores record it. */
export function nowIso(): string {
  return new Date().toISOString();
}

/** A JSON value as a string, or a ValidationError saying it is not one (a cycle, a BigInt, a function). */
export function toJsonText(store: string, what: string, value: unknown): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (cause) {
    throw new ValidationError(`${store}: the ${what} is not JSON-safe`, { cause });
  }
  if (text === undefined) throw new ValidationError(`${store}: the ${what} is not a JSON value`);
  return text;
}

function need(store: string, ok: boolean, message: string): void {
  if (!ok) throw new ValidationError(`${store}: ${message}`);
}

function isId(value: unknown): value is string {
  return typeof value === "string" && value.length > 0 && value.length <= 256;
}

/**
 * Checks the shape of every write of a batch before any is applied, so that a malformed batch fails
 * with a ValidationError and changes nothing.
 */
export function checkWrites(store: string, writes: readonly StoreWrite[]): void {
  need(store, Array.isArray(writes), "write() takes an array of writes");
  for (const w of writes) {
    need(store, typeof w === "object" && w !== null, "a write must be an object");
    switch (w.kind) {
      case "createThread":
      case "updateThread":
        need(store, isId(w.id), `${w.kind}: id must be a non-empty string`);
        break;
      case "setHead":
        need(store, isId(w.threadId) && isId(w.head), "setHead: threadId and head must be non-empty strings");
        need(
          store,
          w.expected === null || isId(w.expected),
          "setHead: expected must be a checkpoint id or null",
        );
        break;
      case "createRun":
        need(store, isId(w.id) && isId(w.threadId), "createRun: id and threadId must be non-empty strings");
        if (w.status !== undefined) checkStatus(w.status);
        break;
      case "updateRun":
        need(store, isId(w.id), "updateRun: id must be a non-empty string");
        if (w.status !== undefined) checkStatus(w.status);
        for (const s of w.ifStatus ?? []) checkStatus(s);
        break;
      case "appendEvents":
        need(store, isId(w.runId) && Array.isArray(w.events), "appendEvents: runId and events are required");
        for (const e of w.events) {
          need(
            store,
            Number.isSafeInteger(e.seq) && e.seq > 0,
            "appendEvents: seq must be a positive integer",
          );
          need(store, typeof e.type === "string" && e.type.length > 0, "appendEvents: type must be a string");
        }
        break;
      case "putCheckpoint":
        need(store, isId(w.id) && isId(w.threadId), "putCheckpoint: id and threadId are required");
        need(store, Number.isSafeInteger(w.formatVersion), "putCheckpoint: formatVersion must be an integer");
        need(store, typeof w.definitionHash === "string", "putCheckpoint: definitionHash must be a string");
        need(
          store,
          Number.isSafeInteger(w.seq) && w.seq >= 0,
          "putCheckpoint: seq must be a non-negative integer",
        );
        break;
      case "putLedger":
        need(store, isId(w.runId) && Array.isArray(w.entries), "putLedger: runId and entries are required");
        for (const e of w.entries) {
          need(store, isId(e.key), "putLedger: key must be a non-empty string");
          need(
            store,
            e.kind === "model" || e.kind === "tool" || e.kind === "input",
            "putLedger: kind must be model, tool or input",
          );
          need(store, e.status === "started" || e.status === "completed", "putLedger: bad status");
        }
        break;
      case "putInputRequest":
        need(store, isId(w.runId) && isId(w.requestId), "putInputRequest: runId and requestId are required");
        need(store, typeof w.prompt === "string", "putInputRequest: prompt must be a string");
        break;
      case "answerInput":
        need(store, isId(w.runId) && isId(w.requestId), "answerInput: runId and requestId are required");
        break;
      default:
        throw new ValidationError(
          `${store}: unknown write kind ${JSON.stringify((w as { kind: unknown }).kind)}`,
        );
    }
  }
}

/** Whether a lease condition lets `holder` take the run at `now`. */
export function leaseFree(
  lease: { holder: string; expiresAt: string } | undefined,
  condition: { holder: string; now: string },
): boolean {
  return lease === undefined || lease.holder === condition.holder || lease.expiresAt < condition.now;
}

/** The `run_busy` error of a run another process holds. */
export function runBusy(
  store: string,
  runId: string,
  lease: { holder: string; expiresAt: string },
): StoreError {
  return new StoreError(
    "run_busy",
    store,
    `run ${runId} is held by another process (${lease.holder}) until ${lease.expiresAt}; ` +
      "if that process is gone, resume after its lease lapses",
    { details: { runId, holder: lease.holder, expiresAt: lease.expiresAt } },
  );
}

/** The `store_conflict` error of a lost compare-and-set. */
export function conflict(store: string, message: string, details?: Record<string, unknown>): StoreError {
  return new StoreError("store_conflict", store, message, details === undefined ? {} : { details });
}

/** The `not_found` error of a missing thread, run or request. */
export function notFound(store: string, what: string, id: string): StoreError {
  return new StoreError("not_found", store, `no ${what} ${JSON.stringify(id)}`, { details: { id } });
}
