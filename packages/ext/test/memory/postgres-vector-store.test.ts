import { StoreError, ValidationError } from "@autogen-ts/core";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requireService, SERVICE_URLS, tcpReachable } from "../../../core/test/support/services.js";
import { PostgresVectorStore } from "../../src/memory/postgres/index.js";
import { describeVectorStoreConformance } from "../../src/testing/index.js";
import { type PgliteServer, startPgliteServer } from "../support/pglite-server.js";
import { TcpProxy } from "../support/tcp-proxy.js";

// The machine's PostgreSQL has no pgvector package, so the vector paths run on PGlite's pgvector
// through its wire-protocol server (the same pg code as against a real server).
let server: PgliteServer;
beforeAll(async () => {
  server = await startPgliteServer();
}, 120_000);
afterAll(() => server?.stop());

const open = (options: Partial<Parameters<typeof PostgresVectorStore.open>[0]> = {}) =>
  PostgresVectorStore.open({
    connectionString: server.url,
    maxConnections: 1,
    collection: crypto.randomUUID(),
    ...options,
  });

describeVectorStoreConformance(
  "PostgresVectorStore (pgvector on PGlite)",
  { describe, it },
  { open: () => open() },
);

describe("PostgresVectorStore", () => {
  it("creates the extension, the schema and the table itself, and keeps collections apart", async () => {
    const a = await open({ schema: "mem_test", collection: "a" });
    const b = await open({ schema: "mem_test", collection: "b" });
    await a.add([{ id: "x", content: { content: "in a", mimeType: "text/plain" }, embedding: [1, 0] }]);
    expect(await b.count()).toBe(0);
    expect(await a.count()).toBe(1);
    const client = new pg.Client({ connectionString: server.url });
    await client.connect();
    const ext = await client.query("SELECT extname FROM pg_extension WHERE extname = 'vector'");
    expect(ext.rows).toHaveLength(1);
    const cols = await client.query(
      "SELECT data_type, udt_name FROM information_schema.columns WHERE table_schema = 'mem_test' AND column_name = 'embedding'",
    );
    expect(cols.rows[0]?.udt_name).toBe("vector");
    await client.end();
    await a.close();
    await b.close();
  });

  it("with a fixed length: an HNSW index on the column, and other lengths refused before the database", async () => {
    const store = await open({ table: "memory_fixed", dimensions: 3 });
    await store.add([
      { id: "a", content: { content: "a", mimeType: "text/plain" }, embedding: [1, 0, 0] },
      { id: "b", content: { content: "b", mimeType: "text/plain" }, embedding: [0, 1, 0] },
    ]);
    const found = await store.search({ embedding: [1, 0.1, 0], k: 1 });
    expect(found.map((f) => f.record.id)).toEqual(["a"]);
    await expect(
      store.add([{ id: "c", content: { content: "c", mimeType: "text/plain" }, embedding: [1, 0] }]),
    ).rejects.toMatchObject({ code: "invalid_argument" });
    const client = new pg.Client({ connectionString: server.url });
    await client.connect();
    const index = await client.query(
      "SELECT indexdef FROM pg_indexes WHERE indexname = 'memory_fixed_embedding_hnsw'",
    );
    expect(index.rows[0]?.indexdef).toMatch(/USING hnsw \(embedding vector_cosine_ops\)/);
    await client.end();
    await store.close();
    const reopened = await open({ table: "memory_fixed" });
    expect(reopened.dimensions).toBe(3);
    await expect(reopened.search({ embedding: [1, 0], k: 1 })).rejects.toMatchObject({
      code: "invalid_argument",
    });
    await reopened.close();
    const error = await open({ table: "memory_fixed", dimensions: 4 }).catch((e: unknown) => e);
    expect(ValidationError.isInstance(error) && error.code).toBe("invalid_config");
    expect((error as Error).message).toContain("holds vector(3), not vector(4)");
    await expect(open({ dimensions: 3 })).rejects.toThrow(/holds vectors of any length, not vector\(3\)/);
  });

  it("persists: a second store on the same collection finds what the first added", async () => {
    const collection = crypto.randomUUID();
    const first = await open({ collection });
    await first.add([
      { id: "kept", content: { content: "kept", mimeType: "text/plain" }, embedding: [0.5, 0.5] },
    ]);
    await first.close();
    const second = await open({ collection });
    expect((await second.list()).map((r) => r.id)).toEqual(["kept"]);
    await second.close();
  });

  it("fails with store_unavailable naming the store while the server is gone, and works once it is back", async () => {
    const target = new URL(server.url);
    const proxy = new TcpProxy(target.hostname, Number(target.port));
    const port = await proxy.start();
    const via = new URL(server.url);
    via.port = String(port);
    via.password = "s3cret";
    const store = await PostgresVectorStore.open({
      connectionString: via.toString(),
      maxConnections: 1,
      connectTimeoutMs: 1000,
      collection: crypto.randomUUID(),
    });
    try {
      await store.add([{ id: "a", content: { content: "a", mimeType: "text/plain" }, embedding: [1, 0] }]);
      await proxy.cut();
      const error = await store.search({ embedding: [1, 0], k: 1 }).catch((e: unknown) => e);
      expect(StoreError.isInstance(error) && error.code).toBe("store_unavailable");
      expect((error as Error).message).toContain(`127.0.0.1:${port}`);
      expect((error as Error).message).not.toContain("s3cret");
      await expect(
        store.add([{ id: "b", content: { content: "b", mimeType: "text/plain" }, embedding: [0, 1] }]),
      ).rejects.toMatchObject({ code: "store_unavailable" });
      await proxy.start();
      expect((await store.search({ embedding: [1, 0], k: 5 })).map((f) => f.record.id)).toEqual(["a"]);
    } finally {
      await store.close();
      await proxy.cut();
    }
  });

  it("refuses bad names and options with ValidationError before connecting", async () => {
    await expect(open({ schema: "x; drop" })).rejects.toMatchObject({ code: "invalid_argument" });
    await expect(open({ dimensions: 0 })).rejects.toMatchObject({ code: "invalid_argument" });
    await expect(PostgresVectorStore.open({})).rejects.toMatchObject({ code: "invalid_argument" });
  });

  it("fails with store_unavailable naming the server without its password when nothing listens", async () => {
    const error = await PostgresVectorStore.open({
      connectionString: "postgres://me:s3cret@127.0.0.1:1/db",
      connectTimeoutMs: 1000,
    }).catch((e: unknown) => e);
    expect(StoreError.isInstance(error) && error.code).toBe("store_unavailable");
    expect((error as Error).message).toContain("postgres://127.0.0.1:1/db");
    expect((error as Error).message).not.toContain("s3cret");
  });
});

// The machine's real PostgreSQL: no pgvector there, so opening must fail with the typed error that says
// what to install, and leave nothing half-created.
const realUrl = (() => {
  const url = new URL(SERVICE_URLS.postgres);
  if (url.username === "") url.username = process.env.PGUSER ?? "postgres";
  return url.toString();
})();
const realUp = requireService("PostgreSQL", await tcpReachable(realUrl), realUrl);

describe.skipIf(!realUp)("PostgresVectorStore on the machine's PostgreSQL", () => {
  it("opens when pgvector is installed there, and otherwise says to install it (store_schema)", async () => {
    const schema = `t_mem_${crypto.randomUUID().replaceAll("-", "").slice(0, 10)}`;
    const client = new pg.Client({ connectionString: realUrl });
    await client.connect();
    try {
      const available = await client.query("SELECT 1 FROM pg_available_extensions WHERE name = 'vector'");
      const result = await PostgresVectorStore.open({ connectionString: realUrl, schema }).then(
        async (store) => {
          await store.add([
            { id: "a", content: { content: "a", mimeType: "text/plain" }, embedding: [1, 2] },
          ]);
          const n = await store.count();
          await store.close();
          return n;
        },
        (e: unknown) => e,
      );
      if (available.rows.length > 0) {
        expect(result).toBe(1);
      } else {
        expect(StoreError.isInstance(result) && result.code).toBe("store_schema");
        expect((result as Error).message).toMatch(/pgvector extension is not installed/);
        const left = await client.query("SELECT 1 FROM information_schema.schemata WHERE schema_name = $1", [
          schema,
        ]);
        expect(left.rows).toHaveLength(0);
      }
    } finally {
      await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await client.end();
    }
  });
});
