import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SqliteRunStore } from "@autogen-ts/ext/stores/sqlite";
import Database from "better-sqlite3";

const dir = mkdtempSync(join(tmpdir(), "p-"));
const N = 1000;
const data = JSON.stringify({ type: "TextMessage", content: "message 1 ".repeat(8), source: "writer" });
const s = await SqliteRunStore.open({ path: join(dir, "s.db") });
await s.write([
  { kind: "createThread", id: "t" },
  { kind: "createRun", id: "r", threadId: "t" },
]);
const s2 = await SqliteRunStore.open({ path: join(dir, "h.db") });
await s2.write([
  { kind: "createThread", id: "t" },
  { kind: "createRun", id: "r", threadId: "t" },
]);
await s2.close();
const db = new Database(join(dir, "h.db"));
db.pragma("journal_mode = WAL");
db.pragma("synchronous = NORMAL");
db.pragma("foreign_keys = ON");
const bump = db.prepare(`UPDATE "runs" SET last_seq = ?, updated_at = ? WHERE id = ? AND last_seq = ?`);
const ins = db.prepare(`INSERT INTO "events" (run_id, seq, type, data, created_at) VALUES (?, ?, ?, ?, ?)`);
const begin = db.prepare("BEGIN IMMEDIATE");
const commit = db.prepare("COMMIT");
let a = 1,
  b = 1;
const ta = [],
  tb = [];
for (let round = 0; round < 8; round++) {
  let t = performance.now();
  for (let i = 0; i < N; i++, a++)
    await s.write([
      { kind: "appendEvents", runId: "r", events: [{ seq: a, type: "TextMessage", data: JSON.parse(data) }] },
    ]);
  ta.push(((performance.now() - t) * 1000) / N);
  t = performance.now();
  for (let i = 0; i < N; i++, b++) {
    const now = new Date().toISOString();
    begin.run();
    bump.run(b, now, "r", b - 1);
    ins.run("r", b, "TextMessage", JSON.stringify(JSON.parse(data)), now);
    commit.run();
  }
  tb.push(((performance.now() - t) * 1000) / N);
}
console.log("store", ta.map((x) => x.toFixed(0)).join(" "), "min", Math.min(...ta).toFixed(1));
console.log("hand ", tb.map((x) => x.toFixed(0)).join(" "), "min", Math.min(...tb).toFixed(1));
