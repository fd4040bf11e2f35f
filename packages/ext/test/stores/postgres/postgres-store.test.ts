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

  it("makes a takeover wait for a COMMIT the previous holder sent before it died", async () => {
    // A killed process's COMMIT still lands after its death; the process that takes the run over must
    // read the ledger after it, or it runs a call whose result is about to be committed again. The
    // gated pool holds the old holder's COMMIT back (as a slow server would) while its locks stand.
    const schema = schemaName("handover");
    const pool = new pg.Pool({ connectionString: URL_, max: 2 });
    const wrapped = new WeakSet<object>();
    let gate: { open: Promise<void>; sent: () => void } | undefined;
    const connect = pool.connect.bind(pool) as () => Promise<pg.PoolClient>;
    (pool as unknown as { connect: () => Promise<pg.PoolClient> }).connect = async () => {
      const client = await connect();
      if (!wrapped.has(client)) {
        wrapped.add(client);
        const query = client.query.bind(client) as (...args: unknown[]) => Promise<unknown>;
        (client as unknown as { query: (...args: unknown[]) => Promise<unknown> }).query = async (
          ...args: unknown[]
        ) => {
          const held = gate;
          if (args[0] === "COMMIT" && held !== undefined) {
            gate = undefined;
            held.sent();
            await held.open;
          }
          return query(...args);
        };
      }
      return client;
    };
    const old = await PostgresRunStore.open({ pool, schema });
    const next = await PostgresRunStore.open({ connectionString: URL_, schema });
    const lease = { holder: "worker", expiresAt: new Date(Date.now() + 60_000).toISOString() };
    await old.write([
      { kind: "createThread", id: "t" },
      { kind: "createRun", id: "r", threadId: "t", lease },
      { kind: "putLedger", runId: "r", entries: [{ key: "k", kind: "tool", status: "started" }] },
    ]);
    let open = (): void => {};
    const sent = new Promise<void>((resolve) => {
      gate = { open: new Promise<void>((r) => (open = r)), sent: resolve };
    });
    const completing = old.write([
      { kind: "putLedger", runId: "r", entries: [{ key: "k", kind: "tool", status: "completed", value: 1 }] },
    ]);
    await sent;
    let takenOver = false;
    const takeover = next
      .write([
        {
          kind: "updateRun",
          id: "r",
          lease: { ...lease, holder: "worker" },
          ifLeaseFree: { holder: "worker", now: new Date().toISOString() },
        },
      ])
      .then(() => {
        takenOver = true;
      });
    // The takeover waits on the run's row lock (seen in pg_stat_activity), not on the clock.
    const admin = new pg.Client({ connectionString: URL_ });
    await admin.connect();
    for (;;) {
      expect(takenOver, "the takeover did not wait for the old holder's COMMIT").toBe(false);
      const { rows } = await admin.query(
        "SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE $1",
        [`%"${schema}"."runs"%`],
      );
      if (rows[0].n > 0) break;
      await new Promise((r) => setTimeout(r, 5));
    }
    await admin.end();
    open();
    await completing;
    await takeover;
    expect((await next.readLedger("r")).map((e) => [e.key, e.status, e.value])).toEqual([
      ["k", "completed", 1],
    ]);
    await old.close();
    await pool.end();
    await next.close();
  });
});
