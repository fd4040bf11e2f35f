/**
 * Bad input and faults, each with a clear status and body, and nothing that was streamed lost from the
 * run's record: answers to a request already answered or unknown, a client that reads slowly (the server
 * stops pulling: backpressure through the stream), 10,000 SSE clients on one run, a store that fails
 * mid-run, and a store that is down.
 */
import { connect } from "node:net";
import { InMemoryRunStore, type RunStore, StoreError, type StoreWrite } from "@autogen-ts/core";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createServerApp } from "../src/index.js";
import { FloodAgent, gate } from "./support/agents.js";
import { type FakeOpenAI, startFakeOpenAI } from "./support/fake-openai.js";
import { parseSse, readSse, runWhen, startServer } from "./support/server.js";
import { reviewTeam } from "./support/teams.js";

let model: FakeOpenAI;
beforeAll(async () => {
  model = await startFakeOpenAI();
});
afterAll(() => model?.close());

const jsonInit = (body: unknown): RequestInit => ({
  method: "POST",
  headers: { "content-type": "application/json" },
  body: JSON.stringify(body),
});
type RunBody = {
  runId: string;
  status: string;
  lastSeq: number;
  error?: { code: string; message: string };
  pendingInput: { requestId: string }[];
};

describe("input", () => {
  it("an unknown request is 404, an answered one 409 already_answered, a malformed answer 400", async () => {
    const server = await startServer({ teams: [reviewTeam(model.url)] });
    try {
      const { threadId } = (await (await fetch(`${server.url}/threads`, jsonInit({}))).json()) as {
        threadId: string;
      };
      const { run } = (await (
        await fetch(
          `${server.url}/threads/${threadId}/runs`,
          jsonInit({ team: "review", task: "t", mode: "wait" }),
        )
      ).json()) as { run: RunBody };
      const requestId = run.pendingInput[0]!.requestId;
      const input = (body: unknown) => fetch(`${server.url}/runs/${run.runId}/input`, jsonInit(body));
      const unknown = await input({ requestId: "nope", value: "x" });
      expect(unknown.status).toBe(404);
      expect(await unknown.json()).toMatchObject({ error: { code: "not_found" } });
      const malformed = await input({ value: "no id" });
      expect(malformed.status).toBe(400);
      expect(await malformed.json()).toMatchObject({ error: { code: "bad_request" } });
      expect((await input({ requestId, value: "APPROVE" })).status).toBe(202);
      const again = await input({ requestId, value: "APPROVE" });
      expect(again.status).toBe(409);
      expect(await again.json()).toMatchObject({ error: { code: "already_answered" } });
      const done = await runWhen<RunBody>(server.url, run.runId, (r) => r.status === "completed");
      expect((await server.store.readEvents(run.runId)).length).toBe(done.lastSeq);
    } finally {
      await server.close();
    }
  });
});

describe("a client that reads slowly", () => {
  it("is not buffered for: the server pulls only what the socket takes, and the client then gets every event", async () => {
    const EVENTS = 3000;
    const SIZE = 8192; // 24 MiB in all: far beyond what the socket buffers hold
    const start = gate();
    const server = await startServer({
      teams: [
        { name: "flood", create: () => new FloodAgent({ events: EVENTS, size: SIZE, gate: start.wait }) },
      ],
    });
    try {
      const { threadId } = (await (await fetch(`${server.url}/threads`, jsonInit({}))).json()) as {
        threadId: string;
      };
      const run = (await (
        await fetch(`${server.url}/threads/${threadId}/runs`, jsonInit({ team: "flood", task: "go" }))
      ).json()) as RunBody;
      const feed = await server.server.manager.feed((await server.store.getRun(run.runId))!);
      const pulled = { events: 0 };
      const read = feed.read.bind(feed);
      vi.spyOn(feed, "read").mockImplementation(async (...args) => {
        const result = await read(...args);
        if (result.kind === "events") pulled.events += result.events.length;
        return result;
      });
      // A raw socket that sends the request and then reads nothing.
      const { port } = new URL(server.url);
      const socket = connect({ host: "127.0.0.1", port: Number(port) });
      await new Promise<void>((resolve) => socket.once("connect", () => resolve()));
      socket.pause();
      socket.write(`GET /runs/${run.runId}/stream HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`);
      // The run goes on once the stream follows it (else it could end before the request arrives).
      while (feed.readers === 0) await new Promise((r) => setTimeout(r, 5));
      start.open();
      await runWhen<RunBody>(server.url, run.runId, (r) => r.status === "completed");
      // Let the stream's pulls settle against the full socket.
      for (let i = 0; i < 20; i++) await new Promise((r) => setTimeout(r, 10));
      const held = pulled.events;
      expect(held).toBeGreaterThan(0);
      expect(held).toBeLessThan(EVENTS / 2);
      // Now the client reads: every event arrives, in order, from the record.
      let text = "";
      socket.setEncoding("utf8");
      socket.on("data", (d: string) => {
        text += d;
      });
      socket.resume();
      await new Promise<void>((resolve) => {
        const check = () => (text.includes("event: status") ? resolve() : setTimeout(check, 10));
        check();
      });
      socket.destroy();
      const ids = [...text.matchAll(/^id: (\d+)$/gm)].map((m) => Number(m[1]));
      const record = await server.store.readEvents(run.runId);
      expect(record).toHaveLength(EVENTS + 2);
      expect(ids.slice(0, -1)).toEqual(record.map((e) => e.seq));
    } finally {
      await server.close();
    }
  });
});

describe("10,000 SSE clients on one run", () => {
  it("each gets every event, the 10,001st is refused (503), and none is left attached", async () => {
    const start = gate();
    const store = new InMemoryRunStore();
    const { app, manager } = createServerApp({
      store,
      teams: [{ name: "flood", create: () => new FloodAgent({ events: 20, gate: start.wait }) }],
    });
    // In process: no socket, so the Host header the guard checks is set by hand.
    const call = (path: string, init: RequestInit = {}) =>
      app.fetch(
        new Request(`http://127.0.0.1${path}`, {
          ...init,
          headers: { host: "127.0.0.1", ...(init.headers as Record<string, string> | undefined) },
        }),
      );
    const { threadId } = (await (await call("/threads", jsonInit({}))).json()) as { threadId: string };
    const run = (await (
      await call(`/threads/${threadId}/runs`, jsonInit({ team: "flood", task: "go" }))
    ).json()) as RunBody;
    const responses: Response[] = [];
    for (let i = 0; i < 10; i++) {
      responses.push(
        ...(await Promise.all(Array.from({ length: 1000 }, () => call(`/runs/${run.runId}/stream`)))),
      );
    }
    expect(responses.filter((r) => r.status !== 200).map((r) => r.status)).toEqual([]);
    const feed = await manager.feed((await store.getRun(run.runId))!);
    expect(feed.readers).toBe(10_000);
    const extra = await call(`/runs/${run.runId}/stream`);
    expect(extra.status).toBe(503);
    expect(((await extra.json()) as { error: { message: string } }).error.message).toContain("10000 readers");
    start.open();
    // Each body read whole (all 10,000 at once), then parsed.
    const results = (await Promise.all(responses.map((r) => r.text()))).map(parseSse);
    const expected = results[0]!;
    expect(expected.map((e) => e.event)).toEqual([
      "TextMessage",
      ...Array(20).fill("ThoughtEvent"),
      "TextMessage",
      "status",
    ]);
    for (const events of results) expect(events).toEqual(expected);
    expect(feed.readers).toBe(0);
    expect((await store.readEvents(run.runId)).map((e) => e.seq)).toEqual(
      expected.slice(0, -1).map((e) => Number(e.id)),
    );
  }, 240_000);
});

/** A store whose event appends fail from the `failAt`-th on (a disk that filled, a dropped connection). */
function failingStore(inner: RunStore, failAt: number): RunStore & { appends: number } {
  const state = { appends: 0 };
  return new Proxy(inner, {
    get(target, key, receiver) {
      if (key === "appends") return state.appends;
      if (key === "write") {
        return async (writes: readonly StoreWrite[]) => {
          if (writes.some((w) => w.kind === "appendEvents") && ++state.appends >= failAt) {
            throw new StoreError("store_unavailable", "test store", "the connection dropped");
          }
          return target.write(writes);
        };
      }
      const value = Reflect.get(target, key, receiver);
      return typeof value === "function" ? value.bind(target) : value;
    },
  }) as RunStore & { appends: number };
}

describe("a store that fails", () => {
  it("mid-run: the run is failed with the store's code, and every streamed event is in the record", async () => {
    const store = failingStore(new InMemoryRunStore(), 8);
    const server = await startServer({
      store,
      teams: [{ name: "flood", create: () => new FloodAgent({ events: 50, delayMs: 1 }) }],
    });
    try {
      const { threadId } = (await (await fetch(`${server.url}/threads`, jsonInit({}))).json()) as {
        threadId: string;
      };
      const res = await fetch(
        `${server.url}/threads/${threadId}/runs`,
        jsonInit({ team: "flood", task: "go", mode: "stream" }),
      );
      const runId = res.headers.get("x-run-id")!;
      const streamed = await readSse(res);
      const stop = streamed.at(-1)!;
      expect(stop.event).toBe("status");
      expect(stop.data).toMatchObject({ data: { status: "failed", error: { code: "store_unavailable" } } });
      const run = (await (await fetch(`${server.url}/runs/${runId}`)).json()) as RunBody;
      expect(run).toMatchObject({ status: "failed", error: { code: "store_unavailable" } });
      const record = await store.readEvents(runId);
      const streamedEvents = streamed.slice(0, -1);
      expect(streamedEvents.length).toBeGreaterThan(0);
      expect(streamedEvents.map((e) => Number(e.id))).toEqual(record.map((e) => e.seq));
      expect(streamedEvents.map((e) => (e.data as { data: unknown }).data)).toEqual(
        record.map((e) => e.data),
      );
      // Rejoining reads the same record.
      expect(await readSse(await fetch(`${server.url}/runs/${runId}/stream`))).toEqual(streamed);
    } finally {
      await server.close();
    }
  });

  it("down: reads answer 503 store_unavailable, naming no secret", async () => {
    const inner = new InMemoryRunStore();
    const down = new Proxy(inner, {
      get(target, key, receiver) {
        if (key === "getThread" || key === "getRun") {
          return () => Promise.reject(new StoreError("store_unavailable", "postgres", "connection refused"));
        }
        const value = Reflect.get(target, key, receiver);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
    const server = await startServer({ store: down, teams: [reviewTeam(model.url)] });
    try {
      const res = await fetch(`${server.url}/runs/some-run`);
      expect(res.status).toBe(503);
      expect(await res.json()).toMatchObject({ error: { code: "store_unavailable" } });
      expect((await fetch(`${server.url}/threads/t1`)).status).toBe(503);
    } finally {
      await server.close();
    }
  });
});
