/**
 * SIGTERM: `autogen-ts serve` stops taking runs, records the live one as interrupted (its messages and
 * checkpoints kept) and exits 0; started again with `--resume-interrupted` on the same store, it goes on
 * with the run to its end, in one numbered record with no message twice.
 */
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type FakeOpenAI, startFakeOpenAI } from "../../server/test/support/fake-openai.js";
import { readSse, runWhen } from "../../server/test/support/server.js";
import { writeChatTeam } from "./serve-fixtures.js";
import { exited, type ServeProcess, startServe } from "./serve-process.js";

const TURNS = 30;
let dir: string;
let model: FakeOpenAI;
let chatFile: string;
const running: ServeProcess[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "autogen-serve-sigterm-"));
  model = await startFakeOpenAI({ delayMs: 30 });
  chatFile = await writeChatTeam(dir, model.url, TURNS);
});
afterAll(async () => {
  for (const p of running)
    if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill("SIGKILL");
  await model?.close();
});

function serveOn(db: string, ...more: string[]): ServeProcess {
  const p = startServe([chatFile, "--port", "0", "--store", `sqlite:${db}`, ...more]);
  running.push(p);
  return p;
}
const post = (url: string, body: unknown) =>
  fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

it("SIGTERM interrupts the live run and exits 0; --resume-interrupted finishes it after the restart", async () => {
  const db = join(dir, "runs.db");
  const first = serveOn(db);
  const url1 = await first.url;
  const { threadId } = (await (await post(`${url1}/threads`, {})).json()) as { threadId: string };
  const { runId } = (await (
    await post(`${url1}/threads/${threadId}/runs`, { team: "chat", task: "a saga" })
  ).json()) as {
    runId: string;
  };
  // A few turns in, while the model is still being called.
  await readSse(await fetch(`${url1}/runs/${runId}/stream`), { stopAfter: 4 });
  first.child.kill("SIGTERM");
  expect(await exited(first.child)).toBe(0);

  // Without the flag the run waits, interrupted, with what it had.
  const waiting = serveOn(db);
  const url2 = await waiting.url;
  const parked = (await (await fetch(`${url2}/runs/${runId}`)).json()) as {
    status: string;
    stopReason: string;
    lastSeq: number;
  };
  expect(parked).toMatchObject({ status: "interrupted", stopReason: "the server stopped" });
  expect(parked.lastSeq).toBeGreaterThanOrEqual(4);
  expect(parked.lastSeq).toBeLessThan(TURNS + 1);
  const history = (await (await fetch(`${url2}/threads/${threadId}/history?state=false`)).json()) as {
    items: unknown[];
  };
  expect(history.items.length).toBeGreaterThan(0);
  // A new run on the thread is refused while the interrupted one holds it.
  expect((await post(`${url2}/threads/${threadId}/runs`, { team: "chat", task: "x" })).status).toBe(409);
  waiting.child.kill("SIGTERM");
  expect(await exited(waiting.child)).toBe(0);

  const resumed = serveOn(db, "--resume-interrupted");
  const url3 = await resumed.url;
  const done = await runWhen<{ status: string; lastSeq: number }>(url3, runId, (r) =>
    ["completed", "failed", "cancelled"].includes(r.status),
  );
  expect(done.status).toBe("completed");
  const events = await readSse(await fetch(`${url3}/runs/${runId}/stream`));
  const messages = events
    .filter((e) => e.event === "TextMessage")
    .map((e) => (e.data as { data: { content: string } }).data.content);
  expect(messages).toHaveLength(TURNS + 1);
  expect(new Set(messages).size).toBe(messages.length);
  expect(messages[0]).toBe("a saga");
  expect(events.slice(0, -1).map((e) => Number(e.id))).toEqual(events.slice(0, -1).map((_, i) => i + 1));
  resumed.child.kill("SIGTERM");
  expect(await exited(resumed.child)).toBe(0);
});
