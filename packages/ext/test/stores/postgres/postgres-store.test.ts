import { StoreError } from "@autogen-ts/core";
import { describeRunStoreConformance } from "@autogen-ts/core/testing";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { requireService, SERVICE_URLS, tcpReachable } from "../../../../core/test/support/services.js";
import { PostgresRunStore, redactConnectionString } from "../../../src/stores/postgres/postgres-store.js";
import { TcpProxy } from "../../support/tcp-proxy.js";

// A URL without a user name would make pg use $USER, which CI may not set: the local server trusts postgres.
const URL_ = withUser(SERVICE_URLS.postgres);

function withUser(url: string): string {
  const parsed = new URL(url);
  if (parsed.username === "") parsed.username = process.env.PGUSER ?? "postgres";
  return parsed.toString();
}
const available = requireService("PostgreSQL", await tcpReachable(URL_), URL_);
const prefix = `t_${crypto.randomUUID().replaceAll("-", "").slice(0, 12)}`;
const schemas: string[] = [];

function schemaName(label: string): string {
  const name = `${prefix}_${label}`;
  schemas.push(name);
  return name;
}

const shared = available
  ? PostgresRunStore.open({ connectionString: URL_, schema: schemaName("conf") })
  : undefined;

afterAll(async () => {
  if (!available) return;
  await (await shared)?.close();
  const admin = new pg.Client({ connectionString: URL_ });
  await admin.connect();
  for (const s of schemas) await admin.query(`DROP SCHEMA IF EXISTS "${s}" CASCADE`);
  await admin.end();
});

describe.skipIf(!available)("PostgresRunStore", () => {
  describeRunStoreConformance(
    "conformance",
    { describe, it },
    async () => (await shared) as PostgresRunStore,
  );

  it("never names credentials", () => {
    expect(redactConnectionString("postgres://me:s3cret@db.example:5432/app?sslmode=require")).toBe(
      "postgres://db.example:5432/app",
    );
  });

  it("refuses a schema from a newer release and leaves it alone", async () => {
    const schema = schemaName("newer");
    await (await PostgresRunStore.open({ connectionString: URL_, schema })).close();
    const admin = new pg.Client({ connectionString: URL_ });
    await admin.connect();
    await admin.query(`UPDATE "${schema}".autogen_schema SET version = 7`);
    const error = await PostgresRunStore.open({ connectionString: URL_, schema }).catch((e: unknown) => e);
    expect(StoreError.isInstance(error) && error.code).toBe("store_schema");
    expect((error as Error).message).toContain(`schema ${schema}`);
    expect((error as Error).message).toContain("version 7, from a newer release");
    const { rows } = await admin.query(`SELECT version FROM "${schema}".autogen_schema`);
    expect(rows).toEqual([{ version: 7 }]);
    await admin.end();
  });

  it("opens the same schema from several stores at once (one migrates, the others wait)", async () => {
    const schema = schemaName("race");
    const stores = await Promise.all(
      Array.from({ length: 4 }, () => PostgresRunStore.open({ connectionString: URL_, schema })),
    );
    await stores[0]?.write([{ kind: "createThread", id: "t" }]);
    expect((await stores[3]?.getThread("t"))?.id).toBe("t");
    await Promise.all(stores.map((s) => s.close()));
  });

  it("fails with store_unavailable naming the store while PostgreSQL is gone, and works once it is back", async () => {
    const target = new URL(URL_);
    const proxy = new TcpProxy(target.hostname, Number(target.port || 5432));
    const port = await proxy.start();
    const via = new URL(URL_);
    via.port = String(port);
    const store = await PostgresRunStore.open({
      connectionString: via.toString(),
      schema: schemaName("gone"),
      connectTimeoutMs: 1000,
    });
    await store.write([
      { kind: "createThread", id: "t" },
      { kind: "createRun", id: "r", threadId: "t" },
      { kind: "appendEvents", runId: "r", events: [{ seq: 1, type: "TextMessage", data: "one" }] },
    ]);
    await proxy.cut();
    const error = await store
      .write([{ kind: "appendEvents", runId: "r", events: [{ seq: 2, type: "TextMessage", data: "two" }] }])
      .catch((e: unknown) => e);
    expect(StoreError.isInstance(error) && error.code).toBe("store_unavailable");
    expect((error as Error).message).toContain(`127.0.0.1:${port}`);
    const readError = await store.getRun("r").catch((e: unknown) => e);
    expect(StoreError.isInstance(readError) && readError.code).toBe("store_unavailable");
    await proxy.start();
    await store.write([
      { kind: "appendEvents", runId: "r", events: [{ seq: 2, type: "TextMessage", data: "two" }] },
    ]);
    expect((await store.readEvents("r")).map((e) => e.data)).toEqual(["one", "two"]);
    await store.close();
    await proxy.cut();
  });
});
