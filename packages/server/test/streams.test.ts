/** SSE: rejoining with Last-Event-ID, its faults, and many readers on one run. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeOpenAI, startFakeOpenAI } from "./support/fake-openai.js";
import { readSse, startServer, type TestServer } from "./support/server.js";
import { chatTeam } from "./support/teams.js";

let model: FakeOpenAI;
let server: TestServer;

beforeAll(async () => {
  model = await startFakeOpenAI({ delayMs: 15 });
  server = await startServer({ teams: [chatTeam(model.url, 12)] });
});
afterAll(async () => {
  await server?.close();
  await model?.close();
});

const json = async <T>(res: Response | Promise<Response>) => (await (await res).json()) as T;
const post = (path: string, body: unknown) =>
  fetch(`${server.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });

async function startRun(): Promise<string> {
  const { threadId } = await json<{ threadId: string }>(post("/threads", {}));
  const run = await json<{ runId: string }>(
    post(`/threads/${threadId}/runs`, { team: "chat", task: "a story", mode: "background" }),
  );
  return run.runId;
}

const stream = (runId: string, lastEventId?: string) =>
  fetch(
    `${server.url}/runs/${runId}/stream`,
    lastEventId === undefined ? {} : { headers: { "last-event-id": lastEventId } },
  );

/** A seeded generator, so a failure can be replayed. */
function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

describe("GET /runs/{runId}/stream", () => {
  it("dropped at three random points and rejoined with Last-Event-ID, yields exactly the uninterrupted events", async () => {
    const seed = Number(process.env.SSE_SEED ?? Date.now() % 100_000);
    const random = seeded(seed);
    const runId = await startRun();
    // The reference reader stays connected from the first event to the last, live.
    const reference = readSse(await stream(runId));
    const received: { id: string | undefined; data: unknown }[] = [];
    // The task, 12 turns and the stop notice: 14 events. Drop after 1..4 events, three times.
    for (let drop = 0; drop < 3; drop++) {
      const take = 1 + Math.floor(random() * 4);
      const last = received.at(-1)?.id;
      received.push(...(await readSse(await stream(runId, last), { stopAfter: take })));
    }
    received.push(...(await readSse(await stream(runId, received.at(-1)?.id))));
    const expected = await reference;
    expect(expected.length, `seed ${seed}`).toBe(14);
    expect(
      received.map((e) => e.id),
      `seed ${seed}`,
    ).toEqual(expected.map((e) => e.id));
    expect(
      received.map((e) => e.data),
      `seed ${seed}`,
    ).toEqual(expected.map((e) => e.data));
    // And both are the run's record.
    const record = await server.store.readEvents(runId);
    expect(expected.slice(0, -1).map((e) => Number(e.id))).toEqual(record.map((e) => e.seq));
    expect(expected.at(-1)).toMatchObject({ id: "13", event: "status" });
  });

  it("a finished run replays from any point and ends", async () => {
    const runId = await startRun();
    const all = await readSse(await stream(runId));
    const tail = await readSse(await stream(runId, "10"));
    expect(tail.map((e) => [e.id, e.event])).toEqual(all.slice(10).map((e) => [e.id, e.event]));
    expect(tail).toEqual(all.slice(10));
    // Rejoining at the last event: only the stop notice again.
    expect(await readSse(await stream(runId, "13"))).toEqual(all.slice(-1));
  });

  it("refuses a malformed Last-Event-ID or one beyond the end (400), and an unknown run (404)", async () => {
    const runId = await startRun();
    await readSse(await stream(runId));
    const malformed = await stream(runId, "abc");
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ error: { code: "bad_request" } });
    const negative = await stream(runId, "-1");
    expect(negative.status).toBe(400);
    const beyond = await stream(runId, "9999");
    expect(beyond.status).toBe(400);
    expect(((await beyond.json()) as { error: { message: string } }).error.message).toContain("beyond");
    expect((await stream("no-such-run")).status).toBe(404);
  });

  it("serves many readers of one run, each getting every event", async () => {
    const runId = await startRun();
    const readers = await Promise.all(Array.from({ length: 200 }, () => stream(runId)));
    const results = await Promise.all(readers.map((r) => readSse(r)));
    for (const events of results) expect(events).toEqual(results[0]);
    expect(results[0]!.map((e) => Number(e.id))).toEqual([
      ...Array.from({ length: 13 }, (_, i) => i + 1),
      13,
    ]);
    expect((await server.server.manager.feed((await server.store.getRun(runId))!)).readers).toBe(0);
  });
});
