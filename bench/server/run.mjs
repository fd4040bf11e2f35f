// HTTP server benchmarks (@autogen-ts/server), each figure beside a raw Hono endpoint in the same run,
// served by the same listener code on the same machine and read by the same client:
//   1. events per second through one run's SSE stream (a model-free agent emitting events as fast as the
//      run records them), against Hono's own `streamSSE` writing the same frames from memory;
//   2. the wall time of 1,000 concurrent streamed runs (thread, run, stream to the end) with a 20 ms fake
//      model, against 1,000 concurrent requests to a raw endpoint that waits 20 ms and streams the same
//      events (the ideal: what HTTP and SSE cost with nothing else); bar within 1.3x;
//   3. the memory one idle thread holds, on the in-memory store and on SQLite, beside a plain Map of the
//      same records.
//
//   npm run bench:server   (builds first; --quick for a short run)
import { mkdtempSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { AssistantAgent, BaseChatAgent, TextMessage, ThoughtEvent } from "@autogen-ts/agentchat";
import { InMemoryRunStore } from "@autogen-ts/core";
import { ReplayChatCompletionClient } from "@autogen-ts/core/testing";
import { listen } from "@autogen-ts/ext/http";
import { SqliteRunStore } from "@autogen-ts/ext/stores/sqlite";
import { createServerApp } from "@autogen-ts/server";
import { Hono } from "hono";
import { streamSSE } from "hono/streaming";

const quick = process.argv.includes("--quick");
const EVENTS = quick ? 5_000 : 20_000;
const RUNS = quick ? 200 : 1_000;
const THREADS = quick ? 2_000 : 10_000;
const MODEL_MS = 20;
const now = () => performance.now();
const ratio = (a, b) => `${(a / b).toFixed(2)}x`;
const pad = "x".repeat(80);

/** An agent with no model: `events` ThoughtEvents, then its reply. */
class FloodAgent extends BaseChatAgent {
  producedMessageTypes = ["TextMessage"];
  constructor(events) {
    super({ name: "flood" });
    this.events = events;
  }
  async onMessages() {
    throw new Error("streams only");
  }
  async *onMessagesStream() {
    for (let i = 0; i < this.events; i++)
      yield new ThoughtEvent({ source: this.name, content: `${i} ${pad}` });
    yield { chatMessage: new TextMessage({ source: this.name, content: "done" }) };
  }
  async onReset() {}
}

/** Reads an SSE body to its end, counting frames (the client's cost is the same for both sides). */
async function countFrames(response) {
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let frames = 0;
  let tail = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    const text = tail + decoder.decode(value, { stream: true });
    const parts = text.split("\n\n");
    tail = parts.pop();
    frames += parts.filter(
      (p) => p.startsWith("id:") || p.startsWith("event:") || p.startsWith("data:"),
    ).length;
  }
  return frames;
}

const json = { "content-type": "application/json" };

/** The raw side: Hono, its own SSE helper, the same frames. */
function rawApp() {
  const app = new Hono();
  const frame = (seq, type, data) => ({
    id: String(seq),
    event: type,
    data: JSON.stringify({ seq, type, data }),
  });
  app.get("/raw/flood", (c) =>
    streamSSE(c, async (s) => {
      for (let i = 0; i < EVENTS; i++)
        await s.writeSSE(frame(i + 2, "ThoughtEvent", { content: `${i} ${pad}` }));
      await s.writeSSE(frame(EVENTS + 2, "TextMessage", { content: "done" }));
    }),
  );
  app.post("/raw/run", async (c) => {
    const body = await c.req.json();
    return streamSSE(c, async (s) => {
      await s.writeSSE(frame(1, "TextMessage", { source: "user", content: body.task }));
      await new Promise((r) => setTimeout(r, MODEL_MS));
      await s.writeSSE(frame(2, "TextMessage", { source: "assistant", content: "an answer" }));
      await s.writeSSE(frame(2, "status", { status: "completed" }));
    });
  });
  return app;
}

async function eventsPerSecond(serverUrl, rawUrl) {
  const raw = [];
  const ours = [];
  for (let round = 0; round < 3; round++) {
    let start = now();
    const rawFrames = await countFrames(await fetch(`${rawUrl}/raw/flood`));
    raw.push(rawFrames / ((now() - start) / 1000));
    start = now();
    const { threadId } = await (
      await fetch(`${serverUrl}/threads`, { method: "POST", headers: json, body: "{}" })
    ).json();
    const res = await fetch(`${serverUrl}/threads/${threadId}/runs`, {
      method: "POST",
      headers: json,
      body: JSON.stringify({ team: "flood", task: "go", mode: "stream" }),
    });
    const frames = await countFrames(res);
    ours.push(frames / ((now() - start) / 1000));
  }
  const best = (xs) => Math.max(...xs);
  return { raw: best(raw), ours: best(ours) };
}

async function concurrentRuns(serverUrl, rawUrl) {
  // Threads are made beforehand: the figure is the runs (one request each, as on the raw side).
  const threads = async (n) =>
    Promise.all(
      Array.from({ length: n }, async () => {
        const res = await fetch(`${serverUrl}/threads`, { method: "POST", headers: json, body: "{}" });
        return (await res.json()).threadId;
      }),
    );
  const one = async (threadId) => {
    const res = await fetch(`${serverUrl}/threads/${threadId}/runs`, {
      method: "POST",
      headers: json,
      body: JSON.stringify({ team: "assistant", task: "a question", mode: "stream" }),
    });
    return countFrames(res);
  };
  const rawOne = async () =>
    countFrames(
      await fetch(`${rawUrl}/raw/run`, { method: "POST", headers: json, body: '{"task":"a question"}' }),
    );
  // Warm both (connections, JIT), then measure each twice, alternating, and keep the better.
  await Promise.all((await threads(50)).map(one));
  await Promise.all(Array.from({ length: 50 }, rawOne));
  const raw = [];
  const ours = [];
  let frames = 0;
  for (let round = 0; round < 2; round++) {
    let start = now();
    await Promise.all(Array.from({ length: RUNS }, rawOne));
    raw.push(now() - start);
    const ids = await threads(RUNS);
    start = now();
    const counts = await Promise.all(ids.map(one));
    ours.push(now() - start);
    frames = counts[0];
  }
  return { raw: Math.min(...raw), ours: Math.min(...ours), frames };
}

async function heapAfterGc() {
  for (let i = 0; i < 3; i++) {
    globalThis.gc?.();
    await new Promise((r) => setImmediate(r));
  }
  return process.memoryUsage().heapUsed;
}

async function memoryPerThread(store) {
  const { app } = createServerApp({ store, teams: [{ name: "x", create: () => new FloodAgent(0) }] });
  const post = () =>
    app.fetch(
      new Request("http://127.0.0.1/threads", {
        method: "POST",
        headers: { host: "127.0.0.1", ...json },
        body: "{}",
      }),
    );
  await post();
  const before = await heapAfterGc();
  for (let i = 0; i < THREADS; i++) await post();
  const after = await heapAfterGc();
  return (after - before) / THREADS;
}

async function memoryPerRawRecord() {
  const map = new Map();
  const before = await heapAfterGc();
  for (let i = 0; i < THREADS; i++) {
    const id = crypto.randomUUID();
    const at = new Date().toISOString();
    map.set(id, { id, owner: "anonymous", metadata: {}, head: undefined, createdAt: at, updatedAt: at });
  }
  const after = await heapAfterGc();
  if (map.size !== THREADS) throw new Error("unreachable");
  return (after - before) / THREADS;
}

// Memory first: the later phases leave garbage (their streams' keep-alive timers) that would be freed
// during the count and net against it.
console.log(
  `server bench (${quick ? "quick" : "full"}; Node ${process.version}; gc exposed: ${Boolean(globalThis.gc)}; load ${loadavg()[0].toFixed(1)} on ${cpus().length} cores)`,
);
const memory = await memoryPerThread(new InMemoryRunStore());
const dir = mkdtempSync(join(tmpdir(), "bench-server-"));
const sqlite = await SqliteRunStore.open({ path: join(dir, "runs.db") });
const onDisk = await memoryPerThread(sqlite);
await sqlite.close();
rmSync(dir, { recursive: true, force: true });
const plain = await memoryPerRawRecord();
console.log(
  `memory per idle thread (${THREADS.toLocaleString()} threads): in-memory store ${Math.round(memory)} B, SQLite store ${Math.round(onDisk)} B (in the heap)  raw Map of the same records: ${Math.round(plain)} B`,
);
const server = createServerApp({
  store: new InMemoryRunStore(),
  teams: [
    { name: "flood", create: () => new FloodAgent(EVENTS) },
    {
      name: "assistant",
      create: () =>
        new AssistantAgent({
          name: "assistant",
          modelClient: new ReplayChatCompletionClient({ responses: ["an answer"], latencyMs: MODEL_MS }),
        }),
    },
  ],
  maxBodyBytes: 1024 * 1024,
});
const ours = await listen(server.app, { port: 0 });
const raw = await listen(rawApp(), { port: 0 });

// Node closes a keep-alive connection idle for 5 s; a client reusing it just then gets ECONNRESET. Under
// load the phases idle connections that long, so both listeners keep them for a minute.
for (const l of [ours, raw]) l.server.keepAliveTimeout = 60_000;
const eps = await eventsPerSecond(ours.url, raw.url);
console.log(
  `events/s through one run's stream: ${Math.round(eps.ours).toLocaleString()}  raw Hono streamSSE: ${Math.round(eps.raw).toLocaleString()}  (raw/ours ${ratio(eps.raw, eps.ours)})`,
);
const runs = await concurrentRuns(ours.url, raw.url);
console.log(
  `${RUNS} concurrent streamed runs, ${MODEL_MS} ms model: ${runs.ours.toFixed(0)} ms  raw Hono (wait ${MODEL_MS} ms, same events): ${runs.raw.toFixed(0)} ms  ratio ${ratio(runs.ours, runs.raw)} (bar 1.3x: ${runs.ours / runs.raw <= 1.3 ? "met" : "missed"}); ${runs.frames} frames per run`,
);
await ours.close();
await raw.close();
await server.shutdown();
