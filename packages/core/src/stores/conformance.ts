/**
 * The conformance suite every run store passes: the in-memory, SQLite and PostgreSQL stores run it, and
 * so can a third-party store. It needs only `describe` and `it` from the test runner (vitest, node:test,
 * jest) and asserts on its own, so core depends on no test framework.
 *
 * Each test works under fresh random ids and owners, so one store (one database schema) can serve the
 * whole suite, and other suites can share it.
 */
import { AutogenError } from "../errors.js";
import { randomUuid } from "../uuid.js";
import { StoreError } from "./errors.js";
import { followEvents } from "./follow.js";
import type { JsonValue, RunStore } from "./types.js";

/** The two test-runner functions the suite needs. */
export interface ConformanceRunner {
  describe(name: string, body: () => void): void;
  it(name: string, body: () => Promise<void>, timeoutMs?: number): void;
}

/** Options of {@link describeRunStoreConformance}. */
export interface RunStoreConformanceOptions {
  /** Skips the `subscribe` test for a store that has none (default: tested when present). */
  readonly skipSubscribe?: boolean;
}

class ConformanceFailure extends Error {}

function fail(message: string): never {
  throw new ConformanceFailure(message);
}

function equal(actual: unknown, expected: unknown, what: string): void {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  if (a !== e) fail(`${what}: expected ${e}, got ${a}`);
}

function ok(value: unknown, what: string): void {
  if (!value) fail(what);
}

async function rejects(promise: Promise<unknown>, code: string, what: string): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    if (!AutogenError.isInstance(error) || error.code !== code) {
      const got = AutogenError.isInstance(error) ? error.code : String(error);
      fail(`${what}: expected an error with code ${code}, got ${got}`);
    }
    return error;
  }
  return fail(`${what}: expected an error with code ${code}, but it succeeded`);
}

function uid(prefix: string): string {
  return `${prefix}-${randomUuid()}`;
}

async function newThread(
  store: RunStore,
  owner = uid("owner"),
): Promise<{ threadId: string; owner: string }> {
  const threadId = uid("thread");
  await store.write([{ kind: "createThread", id: threadId, owner, metadata: { title: "t" } }]);
  return { threadId, owner };
}

async function newRun(store: RunStore): Promise<{ threadId: string; runId: string; owner: string }> {
  const { threadId, owner } = await newThread(store);
  const runId = uid("run");
  await store.write([{ kind: "createRun", id: runId, threadId, owner, task: "do it", options: { a: 1 } }]);
  return { threadId, runId, owner };
}

function events(
  from: number,
  count: number,
  type = "TextMessage",
): { seq: number; type: string; data: JsonValue }[] {
  return Array.from({ length: count }, (_, i) => ({
    seq: from + i,
    type,
    data: { n: from + i, text: "é ✓" },
  }));
}

/**
 * Declares the run-store conformance tests under `describe(label)`.
 *
 * @param getStore called by each test; may return the same store every time (ids never collide).
 *
 * @example
 * ```ts
 * import { describe, it } from "vitest";
 * import { describeRunStoreConformance } from "@autogen-ts/core/testing";
 * describeRunStoreConformance("my store", { describe, it }, () => myStore);
 * ```
 */
export function describeRunStoreConformance(
  label: string,
  runner: ConformanceRunner,
  getStore: () => RunStore | Promise<RunStore>,
  options: RunStoreConformanceOptions = {},
): void {
  const { describe, it } = runner;
  describe(label, () => {
    it("creates and reads threads; a taken id is a store_conflict naming the store", async () => {
      const store = await getStore();
      const { threadId, owner } = await newThread(store);
      const thread = await store.getThread(threadId);
      equal(thread?.owner, owner, "owner");
      equal(thread?.metadata, { title: "t" }, "metadata");
      equal(thread?.head, undefined, "head of a new thread");
      ok(typeof thread?.createdAt === "string", "createdAt is set");
      const error = await rejects(
        store.write([{ kind: "createThread", id: threadId }]),
        "store_conflict",
        "dup",
      );
      ok(StoreError.isInstance(error), "a StoreError");
      ok((error as Error).message.includes(store.name), "the message names the store");
      equal(await store.getThread(uid("none")), undefined, "a missing thread");
      await store.write([{ kind: "updateThread", id: threadId, metadata: { title: "u" } }]);
      equal((await store.getThread(threadId))?.metadata, { title: "u" }, "updated metadata");
    });

    it("lists threads by owner, newest first, a page at a time", async () => {
      const store = await getStore();
      const owner = uid("owner");
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) ids.push((await newThread(store, owner)).threadId);
      await newThread(store); // another owner's
      const first = await store.listThreads({ owner, limit: 2 });
      equal(
        first.items.map((t) => t.id),
        [ids[4], ids[3]],
        "first page",
      );
      ok(first.nextCursor !== undefined, "a next cursor");
      const second = await store.listThreads({ owner, limit: 2, cursor: first.nextCursor });
      equal(
        second.items.map((t) => t.id),
        [ids[2], ids[1]],
        "second page",
      );
      const third = await store.listThreads({ owner, limit: 2, cursor: second.nextCursor });
      equal(
        third.items.map((t) => t.id),
        [ids[0]],
        "last page",
      );
      equal(third.nextCursor, undefined, "no cursor after the last page");
      await rejects(store.listThreads({ limit: 0 }), "invalid_argument", "a zero limit");
      await rejects(store.listThreads({ cursor: "not a cursor" }), "invalid_argument", "a foreign cursor");
    });

    it("creates runs on existing threads only, and lists them by thread, owner and status", async () => {
      const store = await getStore();
      await rejects(
        store.write([{ kind: "createRun", id: uid("run"), threadId: uid("none") }]),
        "not_found",
        "a run on a missing thread",
      );
      const { threadId, runId, owner } = await newRun(store);
      const run = await store.getRun(runId);
      equal(run?.status, "running", "default status");
      equal(run?.task, "do it", "task");
      equal(run?.options, { a: 1 }, "options");
      equal(run?.lastSeq, 0, "lastSeq of a new run");
      equal(run?.owner, owner, "run owner");
      const second = uid("run");
      await store.write([{ kind: "createRun", id: second, threadId, owner, status: "interrupted" }]);
      await rejects(store.write([{ kind: "createRun", id: second, threadId }]), "store_conflict", "dup run");
      equal(
        (await store.listRuns({ threadId })).items.map((r) => r.id),
        [second, runId],
        "runs of the thread",
      );
      equal(
        (await store.listRuns({ owner, status: "interrupted" })).items.map((r) => r.id),
        [second],
        "by status",
      );
      equal(
        (await store.listRuns({ owner, status: ["interrupted", "running"], limit: 1 })).items.length,
        1,
        "a limited page",
      );
      await rejects(
        store.listRuns({ status: "sleeping" as never }),
        "invalid_argument",
        "an unknown status filter",
      );
    });

    it("appends numbered events without gaps and reads them after a sequence number", async () => {
      const store = await getStore();
      const { runId } = await newRun(store);
      await store.write([{ kind: "appendEvents", runId, events: events(1, 3) }]);
      await store.write([{ kind: "appendEvents", runId, events: events(4, 2, "ToolCallExecutionEvent") }]);
      equal((await store.getRun(runId))?.lastSeq, 5, "lastSeq");
      const all = await store.readEvents(runId);
      equal(
        all.map((e) => e.seq),
        [1, 2, 3, 4, 5],
        "all events",
      );
      equal(all[0]?.data, { n: 1, text: "é ✓" }, "event data round-trips");
      equal(all[4]?.type, "ToolCallExecutionEvent", "event type");
      equal(
        (await store.readEvents(runId, { afterSeq: 2, limit: 2 })).map((e) => e.seq),
        [3, 4],
        "a window",
      );
      equal(await store.readEvents(runId, { afterSeq: 5 }), [], "nothing after the last");
      await rejects(
        store.write([{ kind: "appendEvents", runId, events: events(7, 1) }]),
        "store_conflict",
        "a gap",
      );
      await rejects(
        store.write([{ kind: "appendEvents", runId, events: events(5, 1) }]),
        "store_conflict",
        "a used sequence number",
      );
      await rejects(
        store.write([{ kind: "appendEvents", runId: uid("none"), events: events(1, 1) }]),
        "not_found",
        "events of a missing run",
      );
    });

    it("commits a batch whole or not at all", async () => {
      const store = await getStore();
      const { threadId, runId } = await newRun(store);
      const newThreadId = uid("thread");
      await rejects(
        store.write([
          { kind: "createThread", id: newThreadId },
          { kind: "appendEvents", runId, events: events(1, 2) },
          { kind: "updateRun", id: runId, status: "completed", ended: true },
          {
            kind: "putCheckpoint",
            id: uid("cp"),
            threadId,
            runId,
            formatVersion: 1,
            definitionHash: "h",
            seq: 2,
            state: {},
          },
          { kind: "setHead", threadId, expected: "someone-else", head: "x" },
        ]),
        "store_conflict",
        "a batch whose last write fails",
      );
      equal(await store.getThread(newThreadId), undefined, "the thread of the failed batch");
      equal(await store.readEvents(runId), [], "the events of the failed batch");
      const run = await store.getRun(runId);
      equal(run?.status, "running", "the run's status");
      equal(run?.lastSeq, 0, "the run's lastSeq");
      equal((await store.listCheckpoints(threadId)).items, [], "the checkpoint of the failed batch");
      await rejects(store.write([{ kind: "bogus" } as never]), "invalid_argument", "an unknown write");
      await rejects(
        store.write([{ kind: "appendEvents", runId, events: [{ seq: 0, type: "x", data: 1 }] }]),
        "invalid_argument",
        "a malformed write",
      );
    });

    it("moves a thread's head only by compare-and-set", async () => {
      const store = await getStore();
      const { threadId } = await newThread(store);
      await store.write([{ kind: "setHead", threadId, expected: null, head: "cp1" }]);
      await rejects(
        store.write([{ kind: "setHead", threadId, expected: null, head: "cp2" }]),
        "store_conflict",
        "a second writer that saw no head",
      );
      await store.write([{ kind: "setHead", threadId, expected: "cp1", head: "cp2" }]);
      await rejects(
        store.write([{ kind: "setHead", threadId, expected: "cp1", head: "cp3" }]),
        "store_conflict",
        "a stale head",
      );
      equal((await store.getThread(threadId))?.head, "cp2", "the head");
    });

    it("updates runs with status and lease conditions", async () => {
      const store = await getStore();
      const { runId } = await newRun(store);
      const soon = new Date(Date.now() + 60_000).toISOString();
      const now = new Date().toISOString();
      await store.write([
        {
          kind: "updateRun",
          id: runId,
          lease: { holder: "a", expiresAt: soon },
          ifLeaseFree: { holder: "a", now },
        },
      ]);
      const busy = await rejects(
        store.write([
          {
            kind: "updateRun",
            id: runId,
            lease: { holder: "b", expiresAt: soon },
            ifLeaseFree: { holder: "b", now },
          },
        ]),
        "run_busy",
        "a lease held by another",
      );
      ok(StoreError.isInstance(busy), "run_busy is a StoreError");
      await store.write([
        {
          kind: "updateRun",
          id: runId,
          lease: { holder: "a", expiresAt: soon },
          ifLeaseFree: { holder: "a", now },
        },
      ]);
      const later = new Date(Date.now() + 120_000).toISOString();
      await store.write([
        {
          kind: "updateRun",
          id: runId,
          lease: { holder: "b", expiresAt: later },
          ifLeaseFree: { holder: "b", now: later },
        },
      ]);
      equal((await store.getRun(runId))?.lease?.holder, "b", "an expired lease taken over");
      await rejects(
        store.write([{ kind: "updateRun", id: runId, status: "completed", ifStatus: ["interrupted"] }]),
        "store_conflict",
        "a status condition",
      );
      await store.write([
        {
          kind: "updateRun",
          id: runId,
          status: "failed",
          error: { code: "tool_error", message: "boom" },
          stopReason: "because",
          lease: null,
          ended: true,
          ifStatus: ["running"],
        },
      ]);
      const failed = await store.getRun(runId);
      equal(failed?.status, "failed", "status");
      equal(failed?.error, { code: "tool_error", message: "boom" }, "error");
      equal(failed?.stopReason, "because", "stop reason");
      equal(failed?.lease, undefined, "lease cleared");
      ok(typeof failed?.endedAt === "string", "endedAt set");
      await store.write([{ kind: "updateRun", id: runId, status: "running", error: null, ended: false }]);
      const resumed = await store.getRun(runId);
      equal([resumed?.error, resumed?.endedAt], [undefined, undefined], "cleared by a resume");
      await rejects(
        store.write([{ kind: "updateRun", id: uid("none"), status: "failed" }]),
        "not_found",
        "a missing run",
      );
    });

    it("keeps checkpoints with their lineage, newest first, filtered by run", async () => {
      const store = await getStore();
      const { threadId, runId } = await newRun(store);
      const ids = [uid("cp"), uid("cp"), uid("cp")];
      for (const [i, id] of ids.entries()) {
        await store.write([
          {
            kind: "putCheckpoint",
            id,
            threadId,
            runId: i === 2 ? undefined : runId,
            parentId: i === 0 ? undefined : ids[i - 1],
            formatVersion: 1,
            definitionHash: "abc",
            seq: i * 2,
            state: { step: i, nested: { list: [1, "two", null, true] } },
            metadata: { source: "loop" },
          },
          { kind: "setHead", threadId, expected: i === 0 ? null : (ids[i - 1] as string), head: id },
        ]);
      }
      const cp = await store.getCheckpoint(ids[1] as string);
      equal(cp?.parentId, ids[0], "parent");
      equal(cp?.state, { step: 1, nested: { list: [1, "two", null, true] } }, "state round-trips");
      equal([cp?.formatVersion, cp?.definitionHash, cp?.seq, cp?.runId], [1, "abc", 2, runId], "fields");
      equal(cp?.metadata, { source: "loop" }, "metadata");
      equal((await store.getThread(threadId))?.head, ids[2], "head follows");
      const page = await store.listCheckpoints(threadId, { limit: 2 });
      equal(
        page.items.map((c) => c.id),
        [ids[2], ids[1]],
        "newest first",
      );
      const rest = await store.listCheckpoints(threadId, { limit: 2, cursor: page.nextCursor });
      equal(
        rest.items.map((c) => c.id),
        [ids[0]],
        "next page",
      );
      equal(
        (await store.listCheckpoints(threadId, { runId })).items.map((c) => c.id),
        [ids[1], ids[0]],
        "by run",
      );
      await rejects(
        store.write([
          {
            kind: "putCheckpoint",
            id: ids[0] as string,
            threadId,
            formatVersion: 1,
            definitionHash: "",
            seq: 0,
            state: 1,
          },
        ]),
        "store_conflict",
        "a checkpoint id used twice",
      );
      equal(await store.getCheckpoint(uid("none")), undefined, "a missing checkpoint");
    });

    it("keeps a call ledger where a completed call never goes back to started", async () => {
      const store = await getStore();
      const { runId } = await newRun(store);
      await store.write([
        {
          kind: "putLedger",
          runId,
          entries: [
            { key: "m0", kind: "model", status: "started" },
            { key: "t:call_1", kind: "tool", status: "started" },
          ],
        },
      ]);
      await store.write([
        {
          kind: "putLedger",
          runId,
          entries: [{ key: "m0", kind: "model", status: "completed", value: { c: "hi" } }],
        },
      ]);
      await store.write([
        { kind: "putLedger", runId, entries: [{ key: "m0", kind: "model", status: "started" }] },
      ]);
      const ledger = [...(await store.readLedger(runId))].sort((a, b) => a.key.localeCompare(b.key));
      equal(
        ledger.map((e) => [e.key, e.kind, e.status, e.value ?? null]),
        [
          ["m0", "model", "completed", { c: "hi" }],
          ["t:call_1", "tool", "started", null],
        ],
        "ledger",
      );
    });

    it("keeps input requests: pending until answered once", async () => {
      const store = await getStore();
      const { runId } = await newRun(store);
      const schema = { type: "object", properties: { ok: { type: "boolean" } } };
      await store.write([{ kind: "putInputRequest", runId, requestId: "r1", prompt: "Approve?", schema }]);
      await store.write([{ kind: "putInputRequest", runId, requestId: "r1", prompt: "again" }]);
      await store.write([{ kind: "putInputRequest", runId, requestId: "r2", prompt: "Name?" }]);
      const pending = await store.listInputRequests(runId, { pending: true });
      equal(
        pending.map((r) => [r.requestId, r.prompt]),
        [
          ["r1", "Approve?"],
          ["r2", "Name?"],
        ],
        "pending requests",
      );
      equal(pending[0]?.schema, schema, "schema");
      await store.write([{ kind: "answerInput", runId, requestId: "r1", value: { ok: true } }]);
      await rejects(
        store.write([{ kind: "answerInput", runId, requestId: "r1", value: { ok: false } }]),
        "store_conflict",
        "a second answer",
      );
      await rejects(
        store.write([{ kind: "answerInput", runId, requestId: "nope", value: 1 }]),
        "not_found",
        "an unknown request",
      );
      equal(
        (await store.listInputRequests(runId, { pending: true })).map((r) => r.requestId),
        ["r2"],
        "pending after the answer",
      );
      const answered = (await store.listInputRequests(runId)).find((r) => r.requestId === "r1");
      equal(answered?.answer?.value, { ok: true }, "the answer");
      ok(typeof answered?.answer?.answeredAt === "string", "answeredAt");
    });

    it("deletes a thread with everything under it", async () => {
      const store = await getStore();
      const { threadId, runId } = await newRun(store);
      const cp = uid("cp");
      await store.write([
        { kind: "appendEvents", runId, events: events(1, 2) },
        {
          kind: "putCheckpoint",
          id: cp,
          threadId,
          runId,
          formatVersion: 1,
          definitionHash: "h",
          seq: 2,
          state: {},
        },
        { kind: "putLedger", runId, entries: [{ key: "k", kind: "tool", status: "started" }] },
        { kind: "putInputRequest", runId, requestId: "r", prompt: "?" },
      ]);
      const other = await newRun(store);
      ok(await store.deleteThread(threadId), "deleted");
      equal(await store.getThread(threadId), undefined, "thread");
      equal(await store.getRun(runId), undefined, "run");
      equal(await store.readEvents(runId), [], "events");
      equal(await store.getCheckpoint(cp), undefined, "checkpoint");
      equal(await store.readLedger(runId), [], "ledger");
      equal(await store.listInputRequests(runId), [], "requests");
      equal(await store.deleteThread(threadId), false, "a second delete");
      ok((await store.getRun(other.runId)) !== undefined, "another thread's run stays");
    });

    it("follows a run's events after a sequence number until the run settles", async () => {
      const store = await getStore();
      const { runId } = await newRun(store);
      await store.write([{ kind: "appendEvents", runId, events: events(1, 2) }]);
      const seen: number[] = [];
      const following = (async () => {
        for await (const e of followEvents(store, runId, { afterSeq: 1, pollMs: 20 })) seen.push(e.seq);
      })();
      await store.write([{ kind: "appendEvents", runId, events: events(3, 2) }]);
      await store.write([
        { kind: "appendEvents", runId, events: events(5, 1) },
        { kind: "updateRun", id: runId, status: "completed", ended: true },
      ]);
      await following;
      equal(seen, [2, 3, 4, 5], "followed events");
    });

    if (options.skipSubscribe !== true) {
      it("notifies subscribers of appended events, when the store can", async () => {
        const store = await getStore();
        if (store.subscribe === undefined) return;
        const { runId } = await newRun(store);
        const seen: number[] = [];
        const stop = store.subscribe(runId, (seq) => seen.push(seq));
        await store.write([{ kind: "appendEvents", runId, events: events(1, 3) }]);
        stop();
        await store.write([{ kind: "appendEvents", runId, events: events(4, 1) }]);
        equal(seen, [3], "notified once per batch, not after unsubscribing");
      });
    }
  });
}
