/** Principals: API keys, owners, and another principal seeing nothing of what it does not own. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createServerApp } from "../src/index.js";
import { type FakeOpenAI, startFakeOpenAI } from "./support/fake-openai.js";
import { readSse, startServer, type TestServer } from "./support/server.js";
import { reviewTeam } from "./support/teams.js";

let model: FakeOpenAI;
let server: TestServer;
const ALICE = { authorization: "Bearer alice-key-123" };
const BOB = { authorization: "Bearer bob-key-456" };

beforeAll(async () => {
  model = await startFakeOpenAI();
  server = await startServer({ teams: [reviewTeam(model.url)], apiKeys: ["alice-key-123", "bob-key-456"] });
});
afterAll(async () => {
  await server?.close();
  await model?.close();
});

const call = (method: string, path: string, headers: Record<string, string>, body?: unknown) =>
  fetch(`${server.url}${path}`, {
    method,
    headers: { ...headers, ...(body !== undefined ? { "content-type": "application/json" } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });

describe("principals", () => {
  it("refuses a request without a key or with a wrong one (401), but not /health", async () => {
    expect((await call("GET", "/threads", {})).status).toBe(401);
    const wrong = await call("GET", "/threads", { authorization: "Bearer nope" });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get("www-authenticate")).toContain("Bearer");
    expect(JSON.stringify(await wrong.json())).not.toContain("nope");
    expect((await call("GET", "/health", {})).status).toBe(200);
  });

  it("another principal cannot read, stream, answer or cancel a run it does not own (404)", async () => {
    const thread = (await (await call("POST", "/threads", ALICE, {})).json()) as { threadId: string };
    const run = (await (
      await call("POST", `/threads/${thread.threadId}/runs`, ALICE, { team: "review", task: "draft" })
    ).json()) as { runId: string };
    // Wait until the run asks Alice.
    const events = await readSse(await call("GET", `/runs/${run.runId}/stream`, ALICE), { stopAfter: 4 });
    const ask = events.find((e) => (e.data as { data: { status?: string } }).data.status === "interrupted");
    expect(ask).toBeDefined();
    const requestId = (ask!.data as { data: { requestId: string } }).data.requestId;
    expect(requestId).toBeTruthy();

    for (const [method, path, body] of [
      ["GET", `/runs/${run.runId}`],
      ["GET", `/runs/${run.runId}/stream`],
      ["POST", `/runs/${run.runId}/input`, { requestId, value: "APPROVE" }],
      ["POST", `/runs/${run.runId}/cancel`],
      ["GET", `/threads/${thread.threadId}`],
      ["GET", `/threads/${thread.threadId}/history`],
      ["DELETE", `/threads/${thread.threadId}`],
      ["POST", `/threads/${thread.threadId}/runs`, { team: "review", task: "hijack" }],
    ] as const) {
      const res = await call(method, path, BOB, body);
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe("not_found");
    }
    expect(((await (await call("GET", "/threads", BOB)).json()) as { items: unknown[] }).items).toEqual([]);
    // Bob's attempts changed nothing: Alice still owns a waiting run and answers it.
    const mine = (await (await call("GET", `/runs/${run.runId}`, ALICE)).json()) as {
      status: string;
      pendingInput: unknown[];
    };
    expect(mine.status).toBe("interrupted");
    expect(mine.pendingInput).toHaveLength(1);
    expect(
      (await call("POST", `/runs/${run.runId}/input`, ALICE, { requestId, value: "APPROVE" })).status,
    ).toBe(202);
    // The record names the owner by principal id, never by key.
    const record = await server.store.getRun(run.runId);
    expect(record?.owner).toBe("api-key-1");
    expect(JSON.stringify(await server.store.readEvents(run.runId))).not.toContain("alice-key-123");
  });

  it("a custom authorize hook decides (here: nobody may delete)", async () => {
    const { app } = createServerApp({
      teams: [reviewTeam(model.url)],
      store: server.store,
      apiKeys: ["k"],
      authorize: (principal, resource, action) =>
        action !== "delete" && (resource.owner === undefined || resource.owner === principal.id),
    });
    const headers = { host: "127.0.0.1", authorization: "Bearer k", "content-type": "application/json" };
    const thread = (await (
      await app.fetch(new Request("http://127.0.0.1/threads", { method: "POST", headers, body: "{}" }))
    ).json()) as { threadId: string };
    const res = await app.fetch(
      new Request(`http://127.0.0.1/threads/${thread.threadId}`, { method: "DELETE", headers }),
    );
    expect(res.status).toBe(404);
  });

  it("checks the Host header and the body size", async () => {
    const { app } = createServerApp({
      teams: [reviewTeam(model.url)],
      store: server.store,
      maxBodyBytes: 100,
    });
    const rebound = await app.fetch(
      new Request("http://evil.example/teams", { headers: { host: "evil.example" } }),
    );
    expect(rebound.status).toBe(403);
    const big = await app.fetch(
      new Request("http://127.0.0.1/threads", {
        method: "POST",
        headers: { host: "127.0.0.1", "content-type": "application/json" },
        body: JSON.stringify({ metadata: { x: "y".repeat(500) } }),
      }),
    );
    expect(big.status).toBe(413);
    expect(await big.json()).toMatchObject({ error: { code: "payload_too_large" } });
  });

  it("sends no CORS headers unless origins are configured", async () => {
    const res = await call("GET", "/health", { origin: "https://site.example" });
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
    const { app } = createServerApp({
      teams: [reviewTeam(model.url)],
      store: server.store,
      corsOrigins: ["https://ok.example"],
    });
    const allowed = await app.fetch(
      new Request("http://127.0.0.1/health", {
        headers: { host: "127.0.0.1", origin: "https://ok.example" },
      }),
    );
    expect(allowed.headers.get("access-control-allow-origin")).toBe("https://ok.example");
  });
});
