import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, it } from "vitest";
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
