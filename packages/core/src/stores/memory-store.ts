/**
 * `InMemoryRunStore`: a run store in this process's memory. For tests, examples and short-lived
 * servers; it loses everything when the process ends. Values are kept as JSON text, so what comes back
 * is what a database store would return (a copy, `undefined` fields dropped).
 */
import {
  checkWrites,
  conflict,
  leaseFree,
  notFound,
  nowIso,
  pageLimit,
  parseCursor,
  runBusy,
  statusFilter,
  toJsonText,
} from "./support.js";
import type {
  CheckpointRecord,
  InputRequestRecord,
  JsonObject,
  JsonValue,
  LedgerEntryRecord,
  ListCheckpointsOptions,
  ListRunsOptions,
  ListThreadsOptions,
  Page,
  ReadEventsOptions,
  RunEventRecord,
  RunRecord,
  RunStore,
  StoreWrite,
  ThreadRecord,
} from "./types.js";

interface Row<T> {
  record: T;
  position: number;
}

interface StoredEvent {
  seq: number;
  type: string;
  data: string;
  createdAt: string;
}

interface StoredCheckpoint extends Omit<CheckpointRecord, "state"> {
  state: string;
}

/** Options of {@link InMemoryRunStore}. */
export interface InMemoryRunStoreOptions {
  /** The name errors use (default `memory`). */
  readonly name?: string;
}

/** A {@link RunStore} in memory. */
export class InMemoryRunStore implements RunStore {
  readonly name: string;
  readonly #threads = new Map<string, Row<ThreadRecord>>();
  readonly #runs = new Map<string, Row<RunRecord>>();
  readonly #events = new Map<string, StoredEvent[]>();
  readonly #checkpoints = new Map<string, Row<StoredCheckpoint>>();
  readonly #ledger = new Map<string, Map<string, LedgerEntryRecord & { text: string | undefined }>>();
  readonly #inputs = new Map<string, Map<string, InputRequestRecord & { answerText: string | undefined }>>();
  readonly #listeners = new Map<string, Set<(lastSeq: number) => void>>();
  #position = 0;

  constructor(options: InMemoryRunStoreOptions = {}) {
    this.name = options.name ?? "memory";
  }

  async write(writes: readonly StoreWrite[]): Promise<void> {
    checkWrites(this.name, writes);
    const undo: (() => void)[] = [];
    const appended = new Map<string, number>();
    try {
      for (const w of writes) this.#apply(w, undo, appended);
    } catch (error) {
      for (let i = undo.length - 1; i >= 0; i--) (undo[i] as () => void)();
      throw error;
    }
    for (const [runId, lastSeq] of appended) for (const l of this.#listeners.get(runId) ?? []) l(lastSeq);
  }

  #apply(w: StoreWrite, undo: (() => void)[], appended: Map<string, number>): void {
    const now = nowIso();
    switch (w.kind) {
      case "createThread": {
        if (this.#threads.has(w.id)) throw conflict(this.name, `thread ${JSON.stringify(w.id)} exists`);
        const metadata = this.#json("thread metadata", w.metadata ?? {}) as JsonObject;
        const record: ThreadRecord = {
          id: w.id,
          owner: w.owner,
          head: undefined,
          metadata,
          createdAt: now,
          updatedAt: now,
        };
        this.#threads.set(w.id, { record, position: ++this.#position });
        undo.push(() => this.#threads.delete(w.id));
        return;
      }
      case "updateThread": {
        const row = this.#thread(w.id);
        const before = row.record;
        row.record = {
          ...before,
          metadata: this.#json("thread metadata", w.metadata) as JsonObject,
          updatedAt: now,
        };
        undo.push(() => {
          row.record = before;
        });
        return;
      }
      case "setHead": {
        const row = this.#thread(w.threadId);
        const before = row.record;
        if ((before.head ?? null) !== w.expected) {
          throw conflict(
            this.name,
            `thread ${w.threadId} has moved on: its head is ${before.head ?? "none"}, not ${w.expected ?? "none"}`,
            { threadId: w.threadId, head: before.head ?? null },
          );
        }
        row.record = { ...before, head: w.head, updatedAt: now };
        undo.push(() => {
          row.record = before;
        });
        return;
      }
      case "createRun": {
        this.#thread(w.threadId);
        if (this.#runs.has(w.id)) throw conflict(this.name, `run ${JSON.stringify(w.id)} exists`);
        const record: RunRecord = {
          id: w.id,
          threadId: w.threadId,
          owner: w.owner,
          status: w.status ?? "running",
          task: w.task === undefined ? undefined : this.#json("task", w.task),
          stopReason: undefined,
          error: undefined,
          options: this.#json("run options", w.options ?? {}) as JsonObject,
          definitionHash: w.definitionHash,
          lease: w.lease,
          lastSeq: 0,
          createdAt: now,
          updatedAt: now,
          endedAt: undefined,
        };
        this.#runs.set(w.id, { record, position: ++this.#position });
        this.#events.set(w.id, []);
        undo.push(() => {
          this.#runs.delete(w.id);
          this.#events.delete(w.id);
        });
        return;
      }
      case "updateRun": {
        const row = this.#run(w.id);
        const before = row.record;
        if (w.ifStatus !== undefined && !w.ifStatus.includes(before.status)) {
          throw conflict(this.name, `run ${w.id} is ${before.status}, not ${w.ifStatus.join(" or ")}`, {
            runId: w.id,
            status: before.status,
          });
        }
        if (w.ifLeaseFree !== undefined && !leaseFree(before.lease, w.ifLeaseFree)) {
          throw runBusy(this.name, w.id, before.lease as NonNullable<RunRecord["lease"]>);
        }
        const next: { -readonly [K in keyof RunRecord]: RunRecord[K] } = { ...before, updatedAt: now };
        if (w.status !== undefined) next.status = w.status;
        if (w.stopReason !== undefined) next.stopReason = w.stopReason ?? undefined;
        if (w.error !== undefined) next.error = w.error ?? undefined;
        if (w.options !== undefined) next.options = this.#json("run options", w.options) as JsonObject;
        if (w.definitionHash !== undefined) next.definitionHash = w.definitionHash;
        if (w.lease !== undefined) next.lease = w.lease ?? undefined;
        if (w.ended !== undefined) next.endedAt = w.ended ? now : undefined;
        row.record = next;
        undo.push(() => {
          row.record = before;
        });
        return;
      }
      case "appendEvents": {
        const row = this.#run(w.runId);
        const before = row.record;
        const list = this.#events.get(w.runId) as StoredEvent[];
        let seq = before.lastSeq;
        const added: StoredEvent[] = [];
        for (const e of w.events) {
          if (e.seq !== seq + 1) {
            throw conflict(this.name, `run ${w.runId}: event ${e.seq} does not follow ${seq}`, {
              runId: w.runId,
              lastSeq: seq,
            });
          }
          seq = e.seq;
          added.push({
            seq,
            type: e.type,
            data: toJsonText(this.name, "event data", e.data),
            createdAt: now,
          });
        }
        list.push(...added);
        row.record = { ...before, lastSeq: seq, updatedAt: now };
        if (added.length > 0) appended.set(w.runId, seq);
        undo.push(() => {
          list.length -= added.length;
          row.record = before;
          appended.delete(w.runId);
        });
        return;
      }
      case "putCheckpoint": {
        this.#thread(w.threadId);
        if (this.#checkpoints.has(w.id))
          throw conflict(this.name, `checkpoint ${JSON.stringify(w.id)} exists`);
        const record: StoredCheckpoint = {
          id: w.id,
          threadId: w.threadId,
          runId: w.runId,
          parentId: w.parentId,
          formatVersion: w.formatVersion,
          definitionHash: w.definitionHash,
          seq: w.seq,
          state: toJsonText(this.name, "checkpoint state", w.state),
          metadata: this.#json("checkpoint metadata", w.metadata ?? {}) as JsonObject,
          createdAt: now,
        };
        this.#checkpoints.set(w.id, { record, position: ++this.#position });
        undo.push(() => this.#checkpoints.delete(w.id));
        return;
      }
      case "putLedger": {
        this.#run(w.runId);
        let entries = this.#ledger.get(w.runId);
        if (entries === undefined) {
          const created = new Map();
          entries = created;
          this.#ledger.set(w.runId, created);
          undo.push(() => this.#ledger.delete(w.runId));
        }
        const map = entries;
        for (const e of w.entries) {
          const before = map.get(e.key);
          if (before?.status === "completed" && e.status === "started") continue;
          const text = e.value === undefined ? undefined : toJsonText(this.name, "ledger value", e.value);
          map.set(e.key, {
            runId: w.runId,
            key: e.key,
            kind: e.kind,
            status: e.status,
            value: undefined,
            updatedAt: now,
            text,
          });
          undo.push(() => (before === undefined ? map.delete(e.key) : map.set(e.key, before)));
        }
        return;
      }
      case "putInputRequest": {
        this.#run(w.runId);
        let requests = this.#inputs.get(w.runId);
        if (requests === undefined) {
          const created = new Map();
          requests = created;
          this.#inputs.set(w.runId, created);
          undo.push(() => this.#inputs.delete(w.runId));
        }
        if (requests.has(w.requestId)) return;
        const map = requests;
        map.set(w.requestId, {
          runId: w.runId,
          requestId: w.requestId,
          prompt: w.prompt,
          schema: w.schema === undefined ? undefined : (this.#json("request schema", w.schema) as JsonObject),
          createdAt: now,
          answer: undefined,
          answerText: undefined,
        });
        undo.push(() => map.delete(w.requestId));
        return;
      }
      case "answerInput": {
        const map = this.#inputs.get(w.runId);
        const before = map?.get(w.requestId);
        if (map === undefined || before === undefined)
          throw notFound(this.name, "input request", w.requestId);
        if (before.answerText !== undefined) {
          throw conflict(this.name, `input request ${w.requestId} was already answered`, {
            requestId: w.requestId,
          });
        }
        map.set(w.requestId, {
          ...before,
          answer: { value: null, answeredAt: now },
          answerText: toJsonText(this.name, "answer", w.value),
        });
        undo.push(() => map.set(w.requestId, before));
        return;
      }
    }
  }

  #json(what: string, value: unknown): JsonValue {
    return JSON.parse(toJsonText(this.name, what, value)) as JsonValue;
  }

  #thread(id: string): Row<ThreadRecord> {
    const row = this.#threads.get(id);
    if (row === undefined) throw notFound(this.name, "thread", id);
    return row;
  }

  #run(id: string): Row<RunRecord> {
    const row = this.#runs.get(id);
    if (row === undefined) throw notFound(this.name, "run", id);
    return row;
  }

  async getThread(id: string): Promise<ThreadRecord | undefined> {
    const record = this.#threads.get(id)?.record;
    return record === undefined ? undefined : structuredClone(record);
  }

  async listThreads(options: ListThreadsOptions = {}): Promise<Page<ThreadRecord>> {
    return this.#page(
      this.#threads.values(),
      options,
      (t) => options.owner === undefined || t.owner === options.owner,
    );
  }

  async deleteThread(id: string): Promise<boolean> {
    if (!this.#threads.delete(id)) return false;
    for (const [runId, row] of this.#runs) {
      if (row.record.threadId !== id) continue;
      this.#runs.delete(runId);
      this.#events.delete(runId);
      this.#ledger.delete(runId);
      this.#inputs.delete(runId);
    }
    for (const [cpId, row] of this.#checkpoints)
      if (row.record.threadId === id) this.#checkpoints.delete(cpId);
    return true;
  }

  async getRun(id: string): Promise<RunRecord | undefined> {
    const record = this.#runs.get(id)?.record;
    return record === undefined ? undefined : structuredClone(record);
  }

  async listRuns(options: ListRunsOptions = {}): Promise<Page<RunRecord>> {
    const statuses = statusFilter(options.status);
    return this.#page(
      this.#runs.values(),
      options,
      (r) =>
        (options.threadId === undefined || r.threadId === options.threadId) &&
        (options.owner === undefined || r.owner === options.owner) &&
        (statuses === undefined || statuses.includes(r.status)),
    );
  }

  async readEvents(runId: string, options: ReadEventsOptions = {}): Promise<readonly RunEventRecord[]> {
    const list = this.#events.get(runId) ?? [];
    const after = options.afterSeq ?? 0;
    // Sequence numbers run 1, 2, 3... without gaps, so the event after `after` is at index `after`.
    const slice = list.slice(
      Math.max(0, after),
      options.limit === undefined ? undefined : after + options.limit,
    );
    return slice.map((e) => ({
      runId,
      seq: e.seq,
      type: e.type,
      data: JSON.parse(e.data),
      createdAt: e.createdAt,
    }));
  }

  async getCheckpoint(id: string): Promise<CheckpointRecord | undefined> {
    const record = this.#checkpoints.get(id)?.record;
    return record === undefined ? undefined : this.#checkpoint(record);
  }

  #checkpoint(record: StoredCheckpoint): CheckpointRecord {
    return { ...structuredClone(record), state: JSON.parse(record.state) as JsonValue };
  }

  async listCheckpoints(
    threadId: string,
    options: ListCheckpointsOptions = {},
  ): Promise<Page<CheckpointRecord>> {
    const page = this.#page(
      this.#checkpoints.values(),
      options,
      (c) => c.threadId === threadId && (options.runId === undefined || c.runId === options.runId),
      (c) => this.#checkpoint(c),
    );
    return page;
  }

  async readLedger(runId: string): Promise<readonly LedgerEntryRecord[]> {
    return [...(this.#ledger.get(runId)?.values() ?? [])].map(({ text, ...e }) => ({
      ...e,
      value: text === undefined ? undefined : (JSON.parse(text) as JsonValue),
    }));
  }

  async listInputRequests(
    runId: string,
    options: { readonly pending?: boolean } = {},
  ): Promise<readonly InputRequestRecord[]> {
    const out: InputRequestRecord[] = [];
    for (const { answerText, ...r } of this.#inputs.get(runId)?.values() ?? []) {
      if (options.pending === true && answerText !== undefined) continue;
      const answer =
        answerText === undefined || r.answer === undefined
          ? undefined
          : { value: JSON.parse(answerText) as JsonValue, answeredAt: r.answer.answeredAt };
      out.push({ ...structuredClone(r), answer });
    }
    return out;
  }

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

  async close(): Promise<void> {
    this.#listeners.clear();
  }

  #page<S, T = S>(
    rows: Iterable<Row<S>>,
    options: { limit?: number; cursor?: string },
    keep: (record: S) => boolean,
    map: (record: S) => T = (r) => structuredClone(r) as unknown as T,
  ): Page<T> {
    const limit = pageLimit(options);
    const before = parseCursor(this.name, options.cursor);
    const matching = [...rows].filter((r) => (before === undefined || r.position < before) && keep(r.record));
    matching.sort((a, b) => b.position - a.position);
    const items = matching.slice(0, limit);
    const last = items.at(-1);
    return {
      items: items.map((r) => map(r.record)),
      nextCursor: matching.length > limit && last !== undefined ? String(last.position) : undefined,
    };
  }
}
