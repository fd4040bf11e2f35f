/**
 * Done-when of #15: a whole human-in-the-loop run over HTTP with a client typed from `/openapi.json`
 * (openapi-typescript's types, checked in and verified against the served document; openapi-fetch), and
 * the server process killed and started again between the input request and the answer.
 */
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import createClient from "openapi-fetch";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { paths } from "../../server/test/support/api.generated.js";
import { type FakeOpenAI, startFakeOpenAI } from "../../server/test/support/fake-openai.js";
import { API_TYPES_FILE, apiTypes } from "../../server/test/support/openapi.js";
import { readSse } from "../../server/test/support/server.js";
import { writeReviewTeam } from "./serve-fixtures.js";
import { exited, type ServeProcess, startServe } from "./serve-process.js";

const KEY = "restart-key-1";
let dir: string;
let model: FakeOpenAI;
let reviewFile: string;
const running: ServeProcess[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "autogen-serve-restart-"));
  model = await startFakeOpenAI();
  reviewFile = await writeReviewTeam(dir, model.url);
});
afterAll(async () => {
  for (const p of running)
    if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill("SIGKILL");
  await model?.close();
});

function serveOn(db: string): ServeProcess {
  const p = startServe([reviewFile, "--port", "0", "--store", `sqlite:${db}`, "--api-key", KEY]);
  running.push(p);
  return p;
}

const typed = (baseUrl: string) =>
  createClient<paths>({ baseUrl, headers: { authorization: `Bearer ${KEY}` } });

describe("a human-in-the-loop run across a server restart, typed from /openapi.json", () => {
  it("the checked-in types are what the served /openapi.json generates", async () => {
    const server = serveOn(join(dir, "types.db"));
    const url = await server.url;
    try {
      const document = await (await fetch(`${url}/openapi.json`)).json();
      const served = await apiTypes(document);
      const checkedIn = await readFile(API_TYPES_FILE, "utf8");
      expect(served, "run `npm run api-types -w @autogen-ts/server` after changing the API").toBe(checkedIn);
    } finally {
      server.child.kill("SIGTERM");
      await exited(server.child);
    }
  });

  it("asks, is killed, restarts on the same store, takes the answer and completes", async () => {
    const db = join(dir, "runs.db");
    const first = serveOn(db);
    const api1 = typed(await first.url);

    const thread = await api1.POST("/threads", { body: { metadata: { case: "restart" } } });
    expect(thread.response.status).toBe(201);
    const threadId = thread.data!.threadId;
    const started = await api1.POST("/threads/{threadId}/runs", {
      params: { path: { threadId } },
      body: { team: "Review Team", task: "draft a haiku", mode: "wait" },
    });
    expect(started.response.status).toBe(200);
    const waiting = started.data as Extract<typeof started.data, { run: unknown }>;
    expect(waiting.run.status).toBe("interrupted");
    const request = waiting.run.pendingInput[0]!;
    expect(request.requestId).toBeTruthy();
    const runId = waiting.run.runId;
    const asked = waiting.events.map((e) => e.type);
    expect(asked).toEqual(["TextMessage", "TextMessage", "UserInputRequestedEvent"]);

    // The process dies with the run waiting for a person: nothing is flushed on the way out.
    first.child.kill("SIGKILL");
    expect(await exited(first.child)).toBeNull();

    const second = serveOn(db);
    const api2 = typed(await second.url);
    const parked = await api2.GET("/runs/{runId}", { params: { path: { runId } } });
    expect(parked.data).toMatchObject({ runId, threadId, status: "interrupted" });
    expect(parked.data!.pendingInput.map((r) => r.requestId)).toEqual([request.requestId]);

    const answered = await api2.POST("/runs/{runId}/input", {
      params: { path: { runId } },
      body: { requestId: request.requestId, value: "APPROVE" },
    });
    expect(answered.response.status).toBe(202);
    const again = await api2.POST("/runs/{runId}/input", {
      params: { path: { runId } },
      body: { requestId: request.requestId, value: "APPROVE" },
    });
    expect(again.response.status).toBe(409);
    expect(again.error).toMatchObject({ error: { code: "already_answered" } });

    // The stream, rejoined where the first process left it, carries the rest of the run and its end.
    const stream = await api2.GET("/runs/{runId}/stream", {
      params: { path: { runId }, header: { "last-event-id": String(waiting.run.lastSeq) } },
      parseAs: "stream",
    });
    const rest = await readSse(stream.response);
    expect(rest.map((e) => e.event)).toEqual(["TextMessage", "status"]);
    const history = await api2.GET("/threads/{threadId}/history", {
      params: { path: { threadId }, query: { state: "false" } },
    });
    expect(history.data!.items.length).toBeGreaterThan(0);
    const thread2 = await api2.GET("/threads/{threadId}", { params: { path: { threadId } } });
    expect(thread2.data).toMatchObject({ threadId, status: "idle", metadata: { case: "restart" } });

    second.child.kill("SIGTERM");
    expect(await exited(second.child)).toBe(0);
    expect(first.stderr() + second.stderr()).not.toContain(KEY);
  });
});
