/**
 * A second run on a busy thread follows its request's `ifBusy` (reject, enqueue, interrupt); a stream's
 * run outlives a dropped connection unless the request says `onDisconnect: "cancel"`; a server that shuts
 * down stops taking runs and records its live ones as interrupted, to be resumed.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeOpenAI, startFakeOpenAI } from "./support/fake-openai.js";
import { readSse, runWhen, startServer, type TestServer } from "./support/server.js";
import { assistantTeam, chatTeam } from "./support/teams.js";

let slow: FakeOpenAI;
let server: TestServer;

beforeAll(async () => {
  slow = await startFakeOpenAI({ delayMs: 30 });
  server = await startServer({ teams: [chatTeam(slow.url, 30), assistantTeam(slow.url)] });
});
afterAll(async () => {
  await server?.close();
  await slow?.close();
});

type RunBody = {
  runId: string;
  status: string;
  stopReason?: string;
  lastSeq: number;
  error?: { code: string };
};
const json = async <T>(res: Response | Promise<Response>) => (await (await res).json()) as T;
const post = (path: string, body: unknown, signal?: AbortSignal) =>
  fetch(`${server.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
    ...(signal ? { signal } : {}),
  });
const newThread = async () => (await json<{ threadId: string }>(post("/threads", {}))).threadId;
const ended = (run: { status: string }) => ["completed", "failed", "cancelled"].includes(run.status);

/** A thread with a long run started on it (its first messages are in). */
async function busyThread(): Promise<{ threadId: string; first: RunBody }> {
  const threadId = await newThread();
  const first = await json<RunBody>(post(`/threads/${threadId}/runs`, { team: "chat", task: "long story" }));
  expect(first.status).toBe("running");
  return { threadId, first };
}

describe("ifBusy", () => {
  it("reject (the default): 409 thread_busy, and the first run goes on", async () => {
    const { threadId, first } = await busyThread();
    const second = await post(`/threads/${threadId}/runs`, { team: "assistant", task: "me too" });
    expect(second.status).toBe(409);
    expect(await second.json()).toMatchObject({ error: { code: "thread_busy" } });
    const explicit = await post(`/threads/${threadId}/runs`, {
      team: "assistant",
      task: "x",
      ifBusy: "reject",
    });
    expect(explicit.status).toBe(409);
    await post(`/runs/${first.runId}/cancel`, {});
  });

  it("enqueue: the run waits as pending, then runs on the thread after the first one ends", async () => {
    const { threadId, first } = await busyThread();
    const queued = await json<RunBody>(
      post(`/threads/${threadId}/runs`, { team: "chat", task: "after you", ifBusy: "enqueue" }),
    );
    expect(queued.status).toBe("pending");
    expect((await json<RunBody>(fetch(`${server.url}/runs/${queued.runId}`))).status).toBe("pending");
    const firstDone = await runWhen<RunBody>(server.url, first.runId, ended);
    expect(firstDone.status).toBe("completed");
    const second = await runWhen<RunBody>(server.url, queued.runId, ended);
    expect(second.status).toBe("completed");
    // It ran on the thread's state: the model's first answer counts the first run's turns.
    const events = await server.store.readEvents(queued.runId);
    const reply = events[1]!.data as { content: string };
    expect(reply.content).toMatch(/^reply \d+ to: after you$/);
    expect(Number(/reply (\d+)/.exec(reply.content)![1])).toBeGreaterThan(10);
    const firstEvents = await server.store.readEvents(first.runId);
    expect(events[0]!.createdAt >= firstEvents.at(-1)!.createdAt).toBe(true);
  });

  it("enqueue: a queued run can be cancelled before its turn, and never runs", async () => {
    const { threadId, first } = await busyThread();
    const queued = await json<RunBody>(
      post(`/threads/${threadId}/runs`, { team: "assistant", task: "never", ifBusy: "enqueue" }),
    );
    const cancelled = await json<RunBody>(post(`/runs/${queued.runId}/cancel`, {}));
    expect(cancelled.status).toBe("cancelled");
    await post(`/runs/${first.runId}/cancel`, {});
    await runWhen<RunBody>(server.url, first.runId, ended);
    expect(await server.store.readEvents(queued.runId)).toEqual([]);
  });

  it("interrupt: the active run is cancelled (its messages kept), the new one runs", async () => {
    const { threadId, first } = await busyThread();
    const second = await json<RunBody>(
      post(`/threads/${threadId}/runs`, { team: "chat", task: "now", ifBusy: "interrupt" }),
    );
    expect(second.status).toBe("running");
    const firstAfter = await json<RunBody>(fetch(`${server.url}/runs/${first.runId}`));
    expect(firstAfter).toMatchObject({
      status: "cancelled",
      stopReason: `interrupted by run ${second.runId}`,
    });
    expect(firstAfter.lastSeq).toBeGreaterThan(0);
    expect(await server.store.readEvents(first.runId)).toHaveLength(firstAfter.lastSeq);
    expect((await runWhen<RunBody>(server.url, second.runId, ended)).status).toBe("completed");
  });
});

it("a team that cannot restore the thread's state: the run is recorded failed, with the reason", async () => {
  const threadId = await newThread();
  await post(`/threads/${threadId}/runs`, { team: "assistant", task: "first", mode: "wait" });
  // The thread's checkpoint is an AssistantAgent's; the chat team cannot load it.
  const res = await post(`/threads/${threadId}/runs`, { team: "chat", task: "other", mode: "wait" });
  expect(res.status).toBe(200);
  const { run } = await json<{ run: RunBody }>(res);
  expect(run).toMatchObject({ status: "failed", error: { code: "definition_changed" } });
  expect((await json<RunBody>(fetch(`${server.url}/runs/${run.runId}`))).status).toBe("failed");
});

describe("onDisconnect", () => {
  it("continue (the default): a dropped stream leaves the run running to its end", async () => {
    const threadId = await newThread();
    const abort = new AbortController();
    const res = await post(
      `/threads/${threadId}/runs`,
      { team: "chat", task: "go", mode: "stream" },
      abort.signal,
    );
    const runId = res.headers.get("x-run-id")!;
    await readSse(res, { stopAfter: 2 });
    abort.abort();
    expect((await runWhen<RunBody>(server.url, runId, ended)).status).toBe("completed");
  });

  it("cancel: a dropped stream cancels the run", async () => {
    const threadId = await newThread();
    const abort = new AbortController();
    const res = await post(
      `/threads/${threadId}/runs`,
      { team: "chat", task: "go", mode: "stream", onDisconnect: "cancel" },
      abort.signal,
    );
    const runId = res.headers.get("x-run-id")!;
    await readSse(res, { stopAfter: 2 });
    abort.abort();
    const run = await runWhen<RunBody>(server.url, runId, ended);
    expect(run).toMatchObject({ status: "cancelled", stopReason: "the client disconnected" });
    expect(await server.store.readEvents(runId)).toHaveLength(run.lastSeq);
  });
});

describe("shutdown", () => {
  it("stops taking runs (503, /ready false) and records the live run as interrupted, resumable", async () => {
    const own = await startServer({ teams: [chatTeam(slow.url, 30)] });
    try {
      const { threadId } = await json<{ threadId: string }>(
        fetch(`${own.url}/threads`, {
          method: "POST",
          body: "{}",
          headers: { "content-type": "application/json" },
        }),
      );
      const run = await json<RunBody>(
        fetch(`${own.url}/threads/${threadId}/runs`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ team: "chat", task: "long" }),
        }),
      );
      const stopping = own.server.shutdown();
      const ready = await fetch(`${own.url}/ready`);
      expect(ready.status).toBe(503);
      const refused = await fetch(`${own.url}/threads/${threadId}/runs`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ team: "chat", task: "another" }),
      });
      expect(refused.status).toBe(503);
      expect(await refused.json()).toMatchObject({ error: { code: "not_running" } });
      await stopping;
      const record = await own.store.getRun(run.runId);
      expect(record).toMatchObject({ status: "interrupted", stopReason: "the server stopped" });
      expect(await own.store.readEvents(run.runId)).toHaveLength(record!.lastSeq);
      expect((await own.store.listCheckpoints(threadId)).items.length).toBeGreaterThan(0);
    } finally {
      await own.close();
    }
  });
});
