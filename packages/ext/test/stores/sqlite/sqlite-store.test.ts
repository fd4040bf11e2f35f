import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { StoreError } from "@autogen-ts/core";
import { describeRunStoreConformance } from "@autogen-ts/core/testing";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { SqliteRunStore } from "../../../src/stores/sqlite/sqlite-store.js";

const dir = mkdtempSync(join(tmpdir(), "autogen-sqlite-store-"));
const shared = SqliteRunStore.open({ path: join(dir, "conformance.db") });

afterAll(async () => {
  await (await shared).close();
  rmSync(dir, { recursive: true, force: true });
});

describeRunStoreConformance("SqliteRunStore conformance", { describe, it }, () => shared);

describe("SqliteRunStore", () => {
  it("keeps what it stored across a reopen", async () => {
    const path = join(dir, "reopen.db");
    const first = await SqliteRunStore.open({ path });
    await first.write([
      { kind: "createThread", id: "t" },
      { kind: "createRun", id: "r", threadId: "t", task: "hi" },
      {
        kind: "appendEvents",
        runId: "r",
        events: [{ seq: 1, type: "TextMessage", data: { content: "hi" } }],
      },
    ]);
    await first.close();
    const second = await SqliteRunStore.open({ path });
    expect((await second.getRun("r"))?.lastSeq).toBe(1);
    expect((await second.readEvents("r")).map((e) => e.data)).toEqual([{ content: "hi" }]);
    await second.close();
  });

  it("refuses a database whose schema is from a newer release, and changes nothing", async () => {
    const path = join(dir, "newer.db");
    await (await SqliteRunStore.open({ path })).close();
    const raw = new Database(path);
    raw.prepare("UPDATE autogen_schema SET version = 99").run();
    raw.close();
    const error = await SqliteRunStore.open({ path }).catch((e: unknown) => e);
    expect(StoreError.isInstance(error) && error.code).toBe("store_schema");
    expect(String((error as Error).message)).toMatch(/sqlite:.*newer\.db: the store's schema is version 99/);
    const check = new Database(path);
    expect(check.prepare("SELECT version FROM autogen_schema").get()).toEqual({ version: 99 });
    check.close();
  });

  it("says a file that is not a database is not a usable run store", async () => {
    const path = join(dir, "not-a-db.db");
    const { writeFileSync } = await import("node:fs");
    writeFileSync(path, "this is not sqlite ".repeat(100));
    const error = await SqliteRunStore.open({ path }).catch((e: unknown) => e);
    expect(StoreError.isInstance(error) && error.code).toBe("store_schema");
  });

  it("turns a full disk into store_full, and the batch leaves nothing behind", async () => {
    const store = await SqliteRunStore.open({ path: join(dir, "full.db"), pragmas: { max_page_count: 40 } });
    await store.write([
      { kind: "createThread", id: "t" },
      { kind: "createRun", id: "r", threadId: "t" },
    ]);
    const big = "x".repeat(4000);
    let seq = 0;
    let error: unknown;
    try {
      for (let i = 0; i < 200; i++) {
        await store.write([
          { kind: "appendEvents", runId: "r", events: [{ seq: seq + 1, type: "TextMessage", data: big }] },
        ]);
        seq += 1;
      }
    } catch (e) {
      error = e;
    }
    expect(StoreError.isInstance(error) && error.code).toBe("store_full");
    expect(String((error as Error).message)).toContain("full.db");
    // Every event that was acknowledged is there; the failed one is not.
    const events = await store.readEvents("r");
    expect(events.map((e) => e.seq)).toEqual(Array.from({ length: seq }, (_, i) => i + 1));
    expect((await store.getRun("r"))?.lastSeq).toBe(seq);
    await store.close();
  });

  it("refuses PRAGMAs that are not plain names and values", async () => {
    await expect(
      SqliteRunStore.open({ path: join(dir, "bad.db"), pragmas: { "x; DROP": 1 } }),
    ).rejects.toThrow(/Not a PRAGMA/);
  });
});
