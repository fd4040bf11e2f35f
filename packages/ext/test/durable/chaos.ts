/**
 * The chaos test of durable runs: a three-agent team with tools, on a loopback OpenAI server with a small
 * delay per call, is SIGKILLed at 20 seeded points (inside model calls, inside tools, between messages);
 * after each kill a fresh process resumes it. The final transcript must equal an uninterrupted reference
 * run's, message for message; the counting tool's log shows every completed call executed exactly once
 * (only calls a kill landed inside ran again); and the model was asked again only for calls a kill cut.
 * On SQLite and on PostgreSQL.
 *
 * The child processes run the built packages (`npm run build`; CI builds before testing).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { RunStore } from "@autogen-ts/core";
import pg from "pg";
import { afterAll, expect } from "vitest";
import { requireService, SERVICE_URLS, tcpReachable } from "../../../core/test/support/services.js";
import { PostgresRunStore } from "../../src/stores/postgres/index.js";
import { SqliteRunStore } from "../../src/stores/sqlite/index.js";
import { type ConversationServer, startConversationServer } from "../support/conversation-server.js";

const CHILD = new URL("./chaos-child.mjs", import.meta.url).pathname;
const BUILT = [
  new URL("../../dist/stores/sqlite/index.js", import.meta.url).pathname,
  new URL("../../../agentchat/dist/bundle/index.js", import.meta.url).pathname,
];
const KILLS = 20;
const dir = mkdtempSync(join(tmpdir(), "autogen-chaos-"));
const PG_URL = (() => {
  const url = new URL(SERVICE_URLS.postgres);
  if (url.username === "") url.username = process.env.PGUSER ?? "postgres";
  return url.toString();
})();
/** Whether PostgreSQL is there (under CI its absence is a failure). */
export async function postgresAvailable(): Promise<boolean> {
  pgAvailable = requireService("PostgreSQL", await tcpReachable(PG_URL), PG_URL);
  return pgAvailable;
}
let pgAvailable = false;
const schemas: string[] = [];

afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  if (!pgAvailable || schemas.length === 0) return;
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  for (const s of schemas) await admin.query(`DROP SCHEMA IF EXISTS "${s}" CASCADE`);
  await admin.end();
});

type Kill = { kind: "model" | "tool" | "message"; at: number };

/** The 20 kill points, from a fixed seed: what they are does not depend on the machine or the run. */
function killPoints(seed: number): Kill[] {
  let state = seed;
  const next = () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
  const kinds = ["model", "tool", "message"] as const;
  return Array.from({ length: KILLS }, () => {
    const kind = kinds[Math.floor(next() * 3)] as Kill["kind"];
    return { kind, at: 1 + Math.floor(next() * (kind === "message" ? 4 : 2)) };
  });
}

interface Attempt {
  killed: boolean;
  code: number | null;
  stderr: string;
}

function child(
  env: Record<string, string>,
  server: ConversationServer,
  kill: Kill | undefined,
): Promise<Attempt> {
  return new Promise((resolve, reject) => {
    let proc: ChildProcess | undefined;
    let modelRequests = 0;
    // The parent kills inside a model call: the server holds the request while the child dies.
    server.hook = async () => {
      modelRequests += 1;
      if (kill?.kind === "model" && modelRequests === kill.at && proc?.exitCode === null) {
        const gone = new Promise((r) => proc?.once("exit", r));
        proc.kill("SIGKILL");
        await gone;
      }
    };
    proc = spawn(process.execPath, [CHILD], {
      env: {
        ...process.env,
        ...env,
        ...(kill === undefined || kill.kind === "model"
          ? {}
          : { KILL_KIND: kill.kind, KILL_AT: String(kill.at) }),
      },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    proc.stderr?.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => {
      proc?.kill("SIGKILL");
      reject(new Error(`a chaos child hung: ${stderr}`));
    }, 30_000);
    proc.on("exit", (code, signal) => {
      clearTimeout(timer);
      resolve({ killed: signal === "SIGKILL", code, stderr });
    });
  });
}

function transcriptOf(events: readonly { type: string; data: unknown }[]): string[] {
  return events.map((e) => {
    const d = e.data as { source?: string; content?: unknown };
    return `${e.type}|${d.source}|${JSON.stringify(d.content)}`;
  });
}

function countLog(file: string): { starts: Map<string, number>; ends: Map<string, number> } {
  const starts = new Map<string, number>();
  const ends = new Map<string, number>();
  const text = existsSync(file) ? readFileSync(file, "utf8") : "";
  for (const line of text.split("\n")) {
    const [what, id] = line.split(" ");
    if (id === undefined) continue;
    const map = what === "start" ? starts : ends;
    map.set(id, (map.get(id) ?? 0) + 1);
  }
  return { starts, ends };
}

/** Where a chaos run keeps its store. */
export interface Backend {
  label: string;
  env: (name: string) => Record<string, string>;
  open: (name: string) => Promise<RunStore>;
}

/** The chaos run on a SQLite file. */
export const sqlite: Backend = {
  label: "SQLite",
  env: (name) => ({ STORE: `sqlite:${join(dir, `${name}.db`)}` }),
  open: (name) => SqliteRunStore.open({ path: join(dir, `${name}.db`) }),
};

const prefix = `chaos_${crypto.randomUUID().replaceAll("-", "").slice(0, 10)}`;
/** The chaos run in a PostgreSQL schema of its own. */
export const postgres: Backend = {
  label: "PostgreSQL",
  env: (name) => {
    const schema = `${prefix}_${name}`;
    if (!schemas.includes(schema)) schemas.push(schema);
    return { STORE: PG_URL, PG_SCHEMA: schema };
  },
  open: (name) => PostgresRunStore.open({ connectionString: PG_URL, schema: `${prefix}_${name}` }),
};

/** Runs the reference, then the run killed at the 20 points and resumed after each, and checks them. */
export async function chaos(backend: Backend): Promise<void> {
  for (const file of BUILT) {
    if (!existsSync(file))
      throw new Error(`the chaos test runs the built packages: run "npm run build" (${file})`);
  }
  const server = await startConversationServer({ delayMs: 3 });
  try {
    const base = { BASE_URL: server.url, MAX_TURNS: "15" };
    // The reference: one uninterrupted run.
    const refCount = join(dir, `${backend.label}-ref.log`);
    writeFileSync(refCount, "");
    const ref = await child(
      { ...base, ...backend.env("ref"), MODE: "run", RUN_ID: "reference", COUNT_FILE: refCount },
      server,
      undefined,
    );
    expect(ref.code, ref.stderr).toBe(0);
    const refRequests = server.requests.length;
    const refStore = await backend.open("ref");
    const reference = transcriptOf(await refStore.readEvents("reference"));
    expect((await refStore.getRun("reference"))?.status).toBe("completed");
    await refStore.close();

    // The same run, killed at each point in turn and resumed by a fresh process after each kill.
    const before = server.requests.length;
    const counts = join(dir, `${backend.label}-chaos.log`);
    writeFileSync(counts, "");
    const env = { ...base, ...backend.env("chaos"), RUN_ID: "chaos", COUNT_FILE: counts };
    let kills = 0;
    const landed: Kill[] = [];
    for (const [i, kill] of killPoints(14).entries()) {
      const attempt = await child({ ...env, MODE: i === 0 ? "run" : "resume" }, server, kill);
      if (!attempt.killed) {
        expect.fail(
          `kill ${i} (${kill.kind} ${kill.at}) did not land: exit ${attempt.code}: ${attempt.stderr}`,
        );
      }
      kills += 1;
      landed.push(kill);
    }
    const last = await child({ ...env, MODE: "resume" }, server, undefined);
    expect(last.code, last.stderr).toBe(0);
    expect(kills).toBe(KILLS);

    const store = await backend.open("chaos");
    const run = await store.getRun("chaos");
    expect(run?.status).toBe("completed");
    expect(transcriptOf(await store.readEvents("chaos"))).toEqual(reference);
    await store.close();

    // Exactly once for every completed call; only calls a kill landed inside started twice.
    const { starts, ends } = countLog(counts);
    const refLog = countLog(refCount);
    expect([...ends.keys()].sort()).toEqual([...refLog.ends.keys()].sort());
    for (const [id, n] of ends) expect([id, n]).toEqual([id, 1]);
    // A kill can land while both parallel calls of a reply are running: each then runs again.
    const restarted = [...starts].reduce((sum, [id, n]) => sum + n - (ends.get(id) ?? 0), 0);
    expect(restarted).toBeLessThanOrEqual(2 * kills);
    expect(landed.some((k) => k.kind === "tool")).toBe(true);
    // The model was asked again only for calls a kill cut short (at most one per kill).
    const chaosRequests = server.requests.length - before;
    expect(chaosRequests).toBeGreaterThanOrEqual(refRequests);
    expect(chaosRequests).toBeLessThanOrEqual(refRequests + kills);
  } finally {
    server.hook = undefined;
    await server.close();
  }
}
