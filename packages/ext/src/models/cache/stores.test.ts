import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { StoreError, ValidationError } from "@autogen-ts/core";
import { createClient } from "redis";
import { afterAll, describe, expect, it } from "vitest";
import { requireService, SERVICE_URLS, tcpReachable } from "../../../../core/test/support/services.js";
import { TcpProxy } from "../../../test/support/tcp-proxy.js";
import { describeCacheStoreConformance } from "../../testing/index.js";
import { RedisCacheStore } from "./redis/index.js";
import { SqliteCacheStore } from "./sqlite/index.js";
import { InMemoryCacheStore } from "./store.js";

const dir = await mkdtemp(join(tmpdir(), "autogen-cache-"));
afterAll(() => rm(dir, { recursive: true, force: true }));
const redisUp = requireService("Redis", await tcpReachable(SERVICE_URLS.redis), SERVICE_URLS.redis);
// Each run of this file writes under its own prefix, so it never meets another run's keys.
const prefix = `autogen-test:${crypto.randomUUID()}:`;

describeCacheStoreConformance(
  "InMemoryCacheStore",
  { describe, it },
  {
    open: async (options) => new InMemoryCacheStore(options),
  },
);

describeCacheStoreConformance(
  "SqliteCacheStore",
  { describe, it },
  {
    open: (options) => SqliteCacheStore.open({ path: join(dir, "conformance.db"), ...options }),
  },
);

describe.skipIf(!redisUp)("RedisCacheStore conformance", () => {
  describeCacheStoreConformance(
    "RedisCacheStore",
    { describe, it },
    {
      open: (options) => RedisCacheStore.connect({ url: SERVICE_URLS.redis, keyPrefix: prefix, ...options }),
    },
  );
});

describe("SqliteCacheStore", () => {
  it("keeps its entries across a reopen, and prunes expired ones", async () => {
    const path = join(dir, "reopen.db");
    const first = await SqliteCacheStore.open({ path });
    await first.set("k", { answer: 4 });
    await first.close();
    const second = await SqliteCacheStore.open({ path, ttlMs: 1 });
    expect(await second.get("k")).toEqual({ answer: 4 });
    await second.set("short", 1);
    await new Promise((r) => setTimeout(r, 20));
    expect(await second.size()).toBe(1);
    expect(await second.prune()).toBe(1);
    await second.delete("k");
    expect(await second.get("k")).toBeUndefined();
    await second.close();
  });

  it("refuses a value with no JSON form, a bad table name and a bad ttl with ValidationError", async () => {
    const store = await SqliteCacheStore.open({ path: ":memory:" });
    await expect(store.set("k", undefined)).rejects.toSatisfy(ValidationError.isInstance);
    await store.close();
    await expect(SqliteCacheStore.open({ path: ":memory:", table: "x; DROP" })).rejects.toSatisfy(
      ValidationError.isInstance,
    );
    await expect(SqliteCacheStore.open({ path: ":memory:", ttlMs: -1 })).rejects.toThrow(/ttlMs/);
  });

  it("fails with a StoreError naming the store when the file is not a database", async () => {
    const path = join(dir, "not-a-db.db");
    await import("node:fs/promises").then((fs) => fs.writeFile(path, "this is not sqlite ".repeat(100)));
    const error = await SqliteCacheStore.open({ path }).catch((e: unknown) => e);
    expect(StoreError.isInstance(error) && error.code).toBe("store_schema");
    expect((error as Error).message).toContain(`sqlite:${path}`);
  });
});

describe.skipIf(!redisUp)("RedisCacheStore", () => {
  it("sets a server-side time to live, and clear() removes only its own prefix", async () => {
    const own = `${prefix}own:`;
    const store = await RedisCacheStore.connect({ url: SERVICE_URLS.redis, keyPrefix: own, ttlMs: 60_000 });
    const raw = createClient({ url: SERVICE_URLS.redis });
    await raw.connect();
    try {
      await store.set("a", { x: 1 });
      await store.set("b", 2);
      await raw.set(`${prefix}other`, "kept");
      const ttl = await raw.pTTL(`${own}a`);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(60_000);
      expect(JSON.parse(String(await raw.get(`${own}a`)))).toEqual({ x: 1 });
      await store.clear();
      expect(await store.get("a")).toBeUndefined();
      expect(await raw.get(`${prefix}other`)).toBe("kept");
    } finally {
      await raw.del(`${prefix}other`);
      await raw.close();
      await store.close();
    }
  });

  it("takes a client you connected and leaves it open", async () => {
    const raw = createClient({ url: SERVICE_URLS.redis });
    await raw.connect();
    const store = await RedisCacheStore.connect({ client: raw, keyPrefix: `${prefix}mine:` });
    await store.set("k", "v");
    await store.close();
    expect(raw.isOpen).toBe(true);
    expect(await raw.get(`${prefix}mine:k`)).toBe('"v"');
    await raw.del(`${prefix}mine:k`);
    await raw.close();
    await expect(store.get("k")).rejects.toMatchObject({ code: "store_unavailable" });
  });
});

describe.skipIf(!redisUp)("RedisCacheStore when Redis goes away", () => {
  it("fails with store_unavailable naming the store while Redis is gone, and works once it is back", async () => {
    const target = new URL(SERVICE_URLS.redis);
    const proxy = new TcpProxy(target.hostname, Number(target.port || 6379));
    const port = await proxy.start();
    const store = await RedisCacheStore.connect({
      url: `redis://127.0.0.1:${port}`,
      keyPrefix: `${prefix}cut:`,
    });
    try {
      await store.set("k", "before");
      await proxy.cut();
      const error = await store.get("k").catch((e: unknown) => e);
      expect(StoreError.isInstance(error) && error.code).toBe("store_unavailable");
      expect((error as Error).message).toContain(`redis://127.0.0.1:${port}`);
      await proxy.start();
      // The client reconnects by itself; wait (bounded) until it has, then the same store answers.
      let value: unknown;
      for (let attempt = 0; attempt < 100; attempt++) {
        value = await store.get("k").catch(() => undefined);
        if (value !== undefined) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(value).toBe("before");
      await store.clear();
    } finally {
      await store.close().catch(() => {});
      await proxy.cut();
    }
  });
});

describe("RedisCacheStore without a server", () => {
  it("fails to connect with store_unavailable naming the URL without its password", async () => {
    // A port nothing listens on: bind one, note it, close it.
    const { createServer } = await import("node:net");
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const { port } = server.address() as { port: number };
    await new Promise((r) => server.close(r));
    const error = await RedisCacheStore.connect({
      url: `redis://user:s3cret@127.0.0.1:${port}`,
      connectTimeoutMs: 1000,
    }).catch((e: unknown) => e);
    expect(StoreError.isInstance(error) && error.code).toBe("store_unavailable");
    expect((error as Error).message).toContain(`redis://127.0.0.1:${port}`);
    expect((error as Error).message).not.toContain("s3cret");
  });
});
