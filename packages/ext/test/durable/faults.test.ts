/**
 * Durable runs through store faults: PostgreSQL going away mid-run (the run fails with a typed error
 * naming the store, and resumes once the server is back) and a SQLite database that fills up mid-run
 * (`store_full`, and the run resumes once there is room). In both, every message the run reported before
 * the fault is in the resumed run's transcript, in order: a message is committed before it is reported.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type BaseAgentMessage, DurableRunner, isDurableRunResult } from "@autogen-ts/agentchat";
import { InMemoryRunStore, type RunStore, StoreError } from "@autogen-ts/core";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { type Counters, counters, toolTeam, transcript } from "../../../agentchat/test/durable/fixtures.js";
import { requireService, SERVICE_URLS, tcpReachable } from "../../../core/test/support/services.js";
import { PostgresRunStore } from "../../src/stores/postgres/index.js";
import { SqliteRunStore } from "../../src/stores/sqlite/index.js";
import { TcpProxy } from "../support/tcp-proxy.js";

const PG_URL = (() => {
  const url = new URL(SERVICE_URLS.postgres);
  if (url.username === "") url.username = process.env.PGUSER ?? "postgres";
  return url.toString();
})();
const pgAvailable = requireService("PostgreSQL", await tcpReachable(PG_URL), PG_URL);
const schema = `faults_${crypto.randomUUID().replaceAll("-", "").slice(0, 10)}`;
const dir = mkdtempSync(join(tmpdir(), "autogen-faults-"));
// The same worker before and after the fault: the run's lease is still its own (a store that is gone
// cannot be told the run failed, so the lease of another worker would have to lapse first).
const holder = "worker-1";

afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  if (!pgAvailable) return;
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await admin.end();
});

const TASK = "count things";

async function reference(): Promise<string[]> {
  const result = await new DurableRunner({ store: new InMemoryRunStore(), runner: toolTeam(counters()) })
    .run({ task: TASK })
    .result();
  return transcript(result.messages);
}

/** Runs until `fault` (called inside the tool's `at`-th execution) breaks the store; returns what was reported. */
async function runIntoFault(store: RunStore, at: number, fault: () => Promise<void>) {
  const counts: Counters = counters();
  counts.onTool = async (index) => {
    if (index === at) await fault();
  };
  const run = new DurableRunner({ store, runner: toolTeam(counts), holder }).run({ task: TASK });
  const reported: BaseAgentMessage[] = [];
  let error: unknown;
  try {
    for await (const item of run) if (!isDurableRunResult(item)) reported.push(item);
  } catch (e) {
    error = e;
  }
  return { runId: run.runId, reported, error };
}

/** Resumes in a fresh team and checks the transcript: the reference's, holding every reported message. */
async function resumeAndCheck(store: RunStore, runId: string, reported: readonly BaseAgentMessage[]) {
  const done = await new DurableRunner({ store, runner: toolTeam(counters()), holder })
    .resume(runId)
    .result();
  expect(done.status).toBe("completed");
  const lines = transcript(done.messages);
  expect(lines).toEqual(await reference());
  const before = transcript(reported.filter((m) => m.type !== "ModelClientStreamingChunkEvent"));
  expect(before.length).toBeGreaterThan(0);
  expect(lines.slice(0, before.length)).toEqual(before);
}

describe.skipIf(!pgAvailable)("a durable run on PostgreSQL", () => {
  it("fails with store_unavailable naming the store when PostgreSQL goes away mid-run, and resumes when it is back", async () => {
    const target = new URL(PG_URL);
    const proxy = new TcpProxy(target.hostname, Number(target.port || 5432));
    const port = await proxy.start();
    const via = new URL(PG_URL);
    via.port = String(port);
    const store = await PostgresRunStore.open({
      connectionString: via.toString(),
      schema,
      connectTimeoutMs: 1000,
    });
    try {
      const { runId, reported, error } = await runIntoFault(store, 1, () => proxy.cut());
      expect(StoreError.isInstance(error) && error.code, String(error)).toBe("store_unavailable");
      expect((error as Error).message).toContain(`127.0.0.1:${port}`);
      expect((error as StoreError).details?.runId).toBe(runId);
      await proxy.start();
      // Resumed as a restarted worker would: a fresh store (connections) once the server is back.
      const again = await PostgresRunStore.open({ connectionString: via.toString(), schema });
      try {
        await resumeAndCheck(again, runId, reported);
      } finally {
        await again.close();
      }
    } finally {
      await store.close();
      await proxy.cut();
    }
  });
});

describe("a durable run on SQLite", () => {
  it("fails with store_full naming the file when the disk fills mid-run, and resumes once there is room", async () => {
    const path = join(dir, "full.db");
    const { default: Database } = await import("better-sqlite3");
    // The store may grow to `cap` pages; inside the second tool call, another connection fills the file
    // up to that cap, so the run's next write that needs a page finds the disk full.
    const cap = 400;
    const small = await SqliteRunStore.open({ path, pragmas: { max_page_count: cap } });
    const fill = async () => {
      const raw = new Database(path, { timeout: 5000 });
      const pages = raw.pragma("page_count", { simple: true }) as number;
      raw.exec("CREATE TABLE IF NOT EXISTS filler (b BLOB)");
      raw.prepare("INSERT INTO filler VALUES (zeroblob(?))").run((cap - pages) * 4096);
      raw.close();
    };
    const { runId, reported, error } = await runIntoFault(small, 1, fill);
    await small.close();
    expect(StoreError.isInstance(error) && error.code, String(error)).toBe("store_full");
    expect((error as Error).message).toContain("full.db");
    const roomy = await SqliteRunStore.open({ path });
    try {
      const raw = new Database(path);
      raw.exec("DROP TABLE filler");
      raw.close();
      expect((await roomy.readEvents(runId)).length).toBe(reported.length);
      await resumeAndCheck(roomy, runId, reported);
    } finally {
      await roomy.close();
    }
  });
});
