import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { StoreError, ValidationError } from "@autogen-ts/core";
import { afterAll, describe, expect, it } from "vitest";
import { InMemoryVectorStore } from "../../src/memory/index.js";
import { SqliteVectorStore } from "../../src/memory/sqlite/index.js";
import { describeVectorStoreConformance } from "../../src/testing/index.js";

const dir = await mkdtemp(join(tmpdir(), "autogen-vectors-"));
afterAll(() => rm(dir, { recursive: true, force: true }));

describeVectorStoreConformance(
  "InMemoryVectorStore",
  { describe, it },
  {
    open: async () => new InMemoryVectorStore(),
  },
);

// One file for the whole suite: each test gets its own collection, as memories sharing a file would.
describeVectorStoreConformance(
  "SqliteVectorStore",
  { describe, it },
  {
    open: () =>
      SqliteVectorStore.open({ path: join(dir, "conformance.db"), collection: crypto.randomUUID() }),
  },
);

describe("SqliteVectorStore", () => {
  it("turns a full disk into store_full naming the file, and the refused batch leaves nothing behind", async () => {
    const path = join(dir, "full.db");
    const store = await SqliteVectorStore.open({ path, pragmas: { max_page_count: 30 } });
    const batch = (n: number) =>
      Array.from({ length: 10 }, (_, i) => ({
        id: `r${n}-${i}`,
        content: { content: "x".repeat(2000), mimeType: "text/plain" },
        embedding: Array.from({ length: 64 }, (_, d) => (d === i ? 1 : 0.01)),
      }));
    let added = 0;
    let error: unknown;
    try {
      for (let n = 0; n < 50; n++) {
        await store.add(batch(n));
        added += 10;
      }
    } catch (e) {
      error = e;
    }
    expect(StoreError.isInstance(error) && error.code).toBe("store_full");
    expect((error as Error).message).toContain("full.db");
    expect(await store.count()).toBe(added);
    await store.close();
  });

  it("keeps collections of one file apart, and its records across a reopen", async () => {
    const path = join(dir, "shared.db");
    const a = await SqliteVectorStore.open({ path, collection: "a" });
    const b = await SqliteVectorStore.open({ path, collection: "b" });
    await a.add([{ id: "x", content: { content: "in a", mimeType: "text/plain" }, embedding: [1, 0] }]);
    await b.add([{ id: "x", content: { content: "in b", mimeType: "text/plain" }, embedding: [0, 1, 0] }]);
    expect((await a.list()).map((r) => r.content.content)).toEqual(["in a"]);
    await b.clear();
    expect(await a.count()).toBe(1);
    await a.close();
    await b.close();
    const again = await SqliteVectorStore.open({ path, collection: "a" });
    expect((await again.search({ embedding: [1, 0], k: 1 }))[0]?.record.id).toBe("x");
    await again.close();
  });

  it("refuses bad names and PRAGMAs with ValidationError, and a file that is not a database with store_schema", async () => {
    await expect(SqliteVectorStore.open({ path: ":memory:", table: "t; DROP" })).rejects.toSatisfy(
      ValidationError.isInstance,
    );
    await expect(SqliteVectorStore.open({ path: ":memory:", pragmas: { "x; DROP": 1 } })).rejects.toThrow(
      /Not a PRAGMA/,
    );
    const path = join(dir, "not-a-db.db");
    await writeFile(path, "this is not sqlite ".repeat(100));
    const error = await SqliteVectorStore.open({ path }).catch((e: unknown) => e);
    expect(StoreError.isInstance(error) && error.code).toBe("store_schema");
  });
});
