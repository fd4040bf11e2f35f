// Run-store benchmarks, each figure beside a raw baseline measured in the same run:
//   1. a message's commit (what a durable run writes per message) and a turn's checkpoint, through the
//      SQLite and PostgreSQL run stores, against the same rows written by hand with the same driver
//      (rounds of the two alternate; the median of the rounds' ratios is reported);
//   2. a team turn on a loopback OpenAI server with checkpoints in SQLite against the same turn without;
//   3. continuing a 10,000-message thread (restoring its head checkpoint) on SQLite, beside reading and
//      parsing that row by hand.
//
//   npm run bench:stores   (builds first; PostgreSQL figures need the local server, else skipped)
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AssistantAgent, DurableRunner, RoundRobinGroupChat, TextMessage } from "@autogen-ts/agentchat";
import { OpenAIChatCompletionClient } from "@autogen-ts/ext/models/openai";
import { PostgresRunStore } from "@autogen-ts/ext/stores/postgres";
import { SqliteRunStore } from "@autogen-ts/ext/stores/sqlite";
import Database from "better-sqlite3";
import pg from "pg";

const quick = process.argv.includes("--quick");
const N = quick ? 300 : 1500;
const dir = mkdtempSync(join(tmpdir(), "bench-stores-"));
const now = () => performance.now();
const us = (ms, n) => (ms * 1000) / n;
const ratio = (a, b) => `${(a / b).toFixed(2)}x`;
const message = (i) => new TextMessage({ source: "writer", content: `message ${i} `.repeat(8) }).toJSON();
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const STATE = { phase: "turn", state: { thread: Array.from({ length: 20 }, (_, i) => message(i)) } };

// Each writer offers `messages(n)` (n message commits) and `checkpoints(n)` (n turn checkpoints, each
// with its head move) and keeps its own sequence, so that rounds of the store and of its raw baseline can
// alternate: on a shared, noisy machine a figure is only comparable to one measured right beside it.

/** The run store: what a durable run writes per message and per turn. */
async function storeWriter(store, label) {
  await store.write([
    { kind: "createThread", id: `t-${label}` },
    { kind: "createRun", id: `r-${label}`, threadId: `t-${label}` },
  ]);
  let seq = 0;
  let cp = 0;
  let head = null;
  return {
    async messages(n) {
      for (let k = 0; k < n; k++) {
        seq += 1;
        await store.write([
          {
            kind: "appendEvents",
            runId: `r-${label}`,
            events: [{ seq, type: "TextMessage", data: message(seq) }],
          },
        ]);
      }
    },
    async checkpoints(n) {
      for (let k = 0; k < n; k++) {
        const id = `c-${label}-${cp++}`;
        await store.write([
          {
            kind: "putCheckpoint",
            id,
            threadId: `t-${label}`,
            runId: `r-${label}`,
            ...(head ? { parentId: head } : {}),
            formatVersion: 1,
            definitionHash: "h",
            seq: cp,
            state: STATE,
          },
          { kind: "setHead", threadId: `t-${label}`, expected: head, head: id },
        ]);
        head = id;
      }
    },
    close: () => store.close(),
  };
}

/** The same rows by hand with better-sqlite3: one transaction per message, per checkpoint. */
function sqliteRawWriter(path) {
  const db = new Database(path);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  db.exec(`CREATE TABLE runs (id TEXT PRIMARY KEY, last_seq INTEGER, updated_at TEXT);
    CREATE TABLE events (run_id TEXT, seq INTEGER, type TEXT, data TEXT, created_at TEXT, PRIMARY KEY (run_id, seq));
    CREATE TABLE threads (id TEXT PRIMARY KEY, head TEXT, updated_at TEXT);
    CREATE TABLE checkpoints (id TEXT PRIMARY KEY, thread_id TEXT, run_id TEXT, parent_id TEXT, format_version INTEGER,
      definition_hash TEXT, seq INTEGER, state TEXT, metadata TEXT, created_at TEXT);
    INSERT INTO runs VALUES ('r', 0, ''); INSERT INTO threads VALUES ('t', NULL, '');`);
  const bump = db.prepare("UPDATE runs SET last_seq = ?, updated_at = ? WHERE id = 'r' AND last_seq = ?");
  const insert = db.prepare("INSERT INTO events VALUES ('r', ?, 'TextMessage', ?, ?)");
  const put = db.prepare("INSERT INTO checkpoints VALUES (?, 't', 'r', ?, 1, 'h', ?, ?, '{}', ?)");
  const move = db.prepare("UPDATE threads SET head = ?, updated_at = ? WHERE id = 't'");
  const one = db.transaction((i) => {
    const t = new Date().toISOString();
    bump.run(i, t, i - 1);
    insert.run(i, JSON.stringify(message(i)), t);
  });
  const cp = db.transaction((i) => {
    const t = new Date().toISOString();
    put.run(`c${i}`, i === 0 ? null : `c${i - 1}`, i, JSON.stringify(STATE), t);
    move.run(`c${i}`, t);
  });
  let seq = 0;
  let c = 0;
  return {
    async messages(n) {
      for (let k = 0; k < n; k++) one(++seq);
    },
    async checkpoints(n) {
      for (let k = 0; k < n; k++) cp(c++);
    },
    close: async () => db.close(),
  };
}

/** The same rows by hand with pg: BEGIN, the statements, COMMIT. */
async function pgRawWriter(url, schema) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(`CREATE SCHEMA "${schema}"`);
  await client.query(`SET search_path = "${schema}"`);
  await client.query(`CREATE TABLE runs (id TEXT PRIMARY KEY, last_seq BIGINT, updated_at TEXT);
    CREATE TABLE events (run_id TEXT, seq BIGINT, type TEXT, data TEXT, created_at TEXT, PRIMARY KEY (run_id, seq));
    CREATE TABLE threads (id TEXT PRIMARY KEY, head TEXT, updated_at TEXT);
    CREATE TABLE checkpoints (id TEXT PRIMARY KEY, thread_id TEXT, run_id TEXT, parent_id TEXT, format_version INTEGER,
      definition_hash TEXT, seq BIGINT, state TEXT, metadata TEXT, created_at TEXT);
    INSERT INTO runs VALUES ('r', 0, ''); INSERT INTO threads VALUES ('t', NULL, '');`);
  let seq = 0;
  let c = 0;
  return {
    async messages(n) {
      for (let k = 0; k < n; k++) {
        seq += 1;
        const t = new Date().toISOString();
        await client.query("BEGIN");
        await client.query(
          "UPDATE runs SET last_seq = $1, updated_at = $2 WHERE id = 'r' AND last_seq = $3",
          [seq, t, seq - 1],
        );
        await client.query("INSERT INTO events VALUES ('r', $1, 'TextMessage', $2, $3)", [
          seq,
          JSON.stringify(message(seq)),
          t,
        ]);
        await client.query("COMMIT");
      }
    },
    async checkpoints(n) {
      for (let k = 0; k < n; k++) {
        const i = c++;
        const t = new Date().toISOString();
        await client.query("BEGIN");
        await client.query("INSERT INTO checkpoints VALUES ($1, 't', 'r', $2, 1, 'h', $3, $4, '{}', $5)", [
          `c${i}`,
          i === 0 ? null : `c${i - 1}`,
          i,
          JSON.stringify(STATE),
          t,
        ]);
        await client.query("UPDATE threads SET head = $1, updated_at = $2 WHERE id = 't'", [`c${i}`, t]);
        await client.query("COMMIT");
      }
    },
    close: async () => {
      await client.query(`DROP SCHEMA "${schema}" CASCADE`);
      await client.end();
    },
  };
}

/**
 * Alternates rounds of the store and of the raw writer (the first round of each a warm-up) and returns
 * the median time per write of each, and the median of the rounds' ratios.
 */
async function compare(store, raw, what) {
  const rounds = quick ? 4 : 9;
  const per = Math.ceil(N / rounds);
  const times = { store: [], raw: [], ratio: [] };
  for (let r = 0; r <= rounds; r++) {
    let start = now();
    await store[what](per);
    const a = us(now() - start, per);
    start = now();
    await raw[what](per);
    const b = us(now() - start, per);
    if (r === 0) continue;
    times.store.push(a);
    times.raw.push(b);
    times.ratio.push(a / b);
  }
  return { store: median(times.store), raw: median(times.raw), ratio: median(times.ratio) };
}

function line(label, fig) {
  return `${label}  ${fig.store.toFixed(1)} us  raw ${fig.raw.toFixed(1)} us  ${fig.ratio.toFixed(2)}x (median of round ratios; bar 1.5x)`;
}

/** A loopback OpenAI server answering each agent in words, at once. */
async function modelServer() {
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      const n = JSON.parse(body).messages.filter((m) => m.role === "assistant").length;
      res.writeHead(200, { "content-type": "application/json" });
      res.end(
        JSON.stringify({
          id: "x",
          object: "chat.completion",
          created: 1,
          model: "gpt-4o",
          choices: [
            { index: 0, message: { role: "assistant", content: `turn ${n}` }, finish_reason: "stop" },
          ],
          usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
        }),
      );
    });
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${server.address().port}/v1`,
    close: () => new Promise((r) => server.close(r)),
  };
}

function team(url, turns) {
  const agent = (name) =>
    new AssistantAgent({
      name,
      modelClient: new OpenAIChatCompletionClient({ model: "gpt-4o", apiKey: "k", baseURL: url }),
    });
  return new RoundRobinGroupChat({ participants: [agent("a"), agent("b")], maxTurns: turns });
}

async function teamTurns(url) {
  const turns = 20;
  const rounds = quick ? 5 : 11;
  const plain = [];
  const durable = [];
  const store = await SqliteRunStore.open({ path: join(dir, "team.db") });
  for (let r = 0; r < rounds + 1; r++) {
    let start = now();
    await team(url, turns).run({ task: "go" });
    if (r > 0) plain.push(us(now() - start, turns));
    start = now();
    await new DurableRunner({ store, runner: team(url, turns) }).run({ task: "go" }).result();
    if (r > 0) durable.push(us(now() - start, turns));
  }
  await store.close();
  return { plain: median(plain), durable: median(durable) };
}

async function resumeLong() {
  const store = await SqliteRunStore.open({ path: join(dir, "long.db") });
  const runner = team("http://127.0.0.1:9/v1", 1);
  const durable = new DurableRunner({ store, runner });
  // A thread whose head holds 10,000 messages: the team's state after a long conversation.
  const state = await runner.saveState();
  const thread = Array.from({ length: 10_000 }, (_, i) =>
    new TextMessage({ source: i % 2 ? "a" : "b", content: `message ${i} of a long talk` }).toJSON(),
  );
  state.manager.messageThread = thread;
  for (const name of ["a", "b"]) {
    state.agentStates[name].agentState.llmContext.messages = thread.map((m) => ({
      type: "UserMessage",
      content: m.content,
      source: m.source,
    }));
  }
  const { hash, descriptor } = durable.definition;
  await store.write([
    { kind: "createThread", id: "long" },
    {
      kind: "putCheckpoint",
      id: "head",
      threadId: "long",
      formatVersion: 1,
      definitionHash: hash,
      seq: 0,
      state: { definition: descriptor, state, phase: "end" },
    },
    { kind: "setHead", threadId: "long", expected: null, head: "head" },
  ]);
  const times = [];
  const raw = [];
  const db = new Database(join(dir, "long.db"), { readonly: true });
  const read = db.prepare("SELECT state FROM checkpoints WHERE id = 'head'");
  for (let i = 0; i < (quick ? 3 : 7); i++) {
    let start = now();
    JSON.parse(read.get().state);
    raw.push(now() - start);
    // A fresh team, as in a new process: restore the head, start the run (its first message committed).
    const fresh = new DurableRunner({ store, runner: team("http://127.0.0.1:9/v1", 1) });
    start = now();
    const run = fresh.run({ threadId: "long", task: "and now?" });
    const it = run[Symbol.asyncIterator]();
    await it.next();
    times.push(now() - start);
    await it.return?.();
  }
  db.close();
  await store.close();
  return { resume: median(times), raw: median(raw) };
}

const PG = process.env.DATABASE_URL ?? process.env.POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/test";
console.log(`bench/stores (${N} writes each${quick ? ", quick" : ""})`);
{
  const store = await storeWriter(await SqliteRunStore.open({ path: join(dir, "store.db") }), "s");
  const raw = sqliteRawWriter(join(dir, "raw.db"));
  console.log(line("SQLite   message commit", await compare(store, raw, "messages")));
  console.log(line("SQLite   checkpoint    ", await compare(store, raw, "checkpoints")));
  await store.close();
  await raw.close();
}
try {
  const schema = `bench_${Date.now()}`;
  const store = await storeWriter(await PostgresRunStore.open({ connectionString: PG, schema }), "p");
  const raw = await pgRawWriter(PG, `${schema}_raw`);
  console.log(line("Postgres message commit", await compare(store, raw, "messages")));
  console.log(line("Postgres checkpoint    ", await compare(store, raw, "checkpoints")));
  await store.close();
  await raw.close();
  const admin = new pg.Client({ connectionString: PG });
  await admin.connect();
  await admin.query(`DROP SCHEMA "${schema}" CASCADE`);
  await admin.end();
} catch (error) {
  console.log(`Postgres skipped: ${error.message}`);
}
const server = await modelServer();
const turns = await teamTurns(server.url);
await server.close();
console.log(
  `team turn (loopback OpenAI) durable on SQLite ${turns.durable.toFixed(0)} us  plain ${turns.plain.toFixed(0)} us  ${ratio(turns.durable, turns.plain)} (bar 2x)`,
);
const long = await resumeLong();
console.log(
  `continue a 10,000-message thread on SQLite ${long.resume.toFixed(1)} ms  (read + parse the row by hand ${long.raw.toFixed(1)} ms; bar 100 ms)`,
);
rmSync(dir, { recursive: true, force: true });
