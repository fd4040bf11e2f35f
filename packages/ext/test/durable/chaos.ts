/**
 * The chaos test of durable runs: a three-agent team with tools, on a loopback OpenAI server with a small
 * delay per call, is SIGKILLed at 20 seeded points (inside model calls, inside tools, between messages);
 * after each kill a fresh process resumes it. The final transcript must equal an uninterrupted reference
 * run's, message for message; every completed call (one whose result the store holds: checked after each
 * attempt, once nothing of the dead process can still commit) executed exactly once and never again, and
 * the only other executions are the calls in flight when a kill landed (at most the two parallel calls of
 * one reply); the model was asked again only for calls a kill cut short. On SQLite and on PostgreSQL.
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

/** One execution of the counting tool: the call it served, the attempt (process) it ran in, whether it ended. */
interface Execution {
  readonly callId: string;
  readonly attempt: number;
  ended: boolean;
}

/** The counting tool's log, one {@link Execution} per start line (an attempt runs a call at most once). */
function executions(file: string): Execution[] {
  const text = existsSync(file) ? readFileSync(file, "utf8") : "";
  const runs: Execution[] = [];
  for (const line of text.split("\n")) {
    const [what, callId, attempt] = line.split(" ");
    if (callId === undefined || attempt === undefined) continue;
    if (what === "start") runs.push({ callId, attempt: Number(attempt), ended: false });
    else {
      const run = runs.findLast((r) => r.callId === callId && r.attempt === Number(attempt));
      if (run === undefined || run.ended) throw new Error(`the count log has a stray line: ${line}`);
      run.ended = true;
    }
  }
  return runs;
}

/**
 * The tool calls whose result the store holds (a completed ledger entry): "completed" in the sense of
 * the exactly-once rule. A call whose tool ran to its end but whose result was not committed when the
 * process died is not completed: nothing proves it ran, and it runs again.
 */
async function completedCalls(store: RunStore, runId: string): Promise<Set<string>> {
  const done = new Set<string>();
  for (const e of await store.readLedger(runId)) {
    const callId = (e.value as { callId?: unknown } | undefined)?.callId;
    if (e.kind === "tool" && e.status === "completed" && typeof callId === "string") done.add(callId);
  }
  return done;
}

/** Where a chaos run keeps its store. */
export interface Backend {
  label: string;
  env: (name: string) => Record<string, string>;
  open: (name: string) => Promise<RunStore>;
  /**
   * Resolves once nothing a dead child sent can still commit. SQLite: at once (a killed process's open
   * transaction is rolled back). PostgreSQL: once the server has ended the child's sessions, since a
   * COMMIT the child sent just before it died is still carried out after its death.
   */
  settle: (name: string) => Promise<void>;
}

/** The chaos run on a SQLite file. */
export const sqlite: Backend = {
  label: "SQLite",
  env: (name) => ({ STORE: `sqlite:${join(dir, `${name}.db`)}` }),
  open: (name) => SqliteRunStore.open({ path: join(dir, `${name}.db`) }),
  settle: async () => {},
};

const prefix = `chaos_${crypto.randomUUID().replaceAll("-", "").slice(0, 10)}`;
/** The chaos run in a PostgreSQL schema of its own. */
export const postgres: Backend = {
  label: "PostgreSQL",
  env: (name) => {
    const schema = `${prefix}_${name}`;
    if (!schemas.includes(schema)) schemas.push(schema);
    const url = new URL(PG_URL);
    url.searchParams.set("application_name", schema);
    return { STORE: url.toString(), PG_SCHEMA: schema };
  },
  open: (name) => PostgresRunStore.open({ connectionString: PG_URL, schema: `${prefix}_${name}` }),
  settle: async (name) => {
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    try {
      for (let i = 0; ; i++) {
        const { rows } = await admin.query(
          "SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1",
          [`${prefix}_${name}`],
        );
        if (rows[0].n === 0) return;
        if (i === 1000) throw new Error(`a dead chaos child's PostgreSQL sessions did not end`);
        await new Promise((r) => setTimeout(r, 10));
      }
    } finally {
      await admin.end();
    }
  },
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
      {
        ...base,
        ...backend.env("ref"),
        MODE: "run",
        RUN_ID: "reference",
        COUNT_FILE: refCount,
        ATTEMPT: "0",
      },
      server,
      undefined,
    );
    expect(ref.code, ref.stderr).toBe(0);
    const refRequests = server.requests.length;
    const refStore = await backend.open("ref");
    const reference = transcriptOf(await refStore.readEvents("reference"));
    expect((await refStore.getRun("reference"))?.status).toBe("completed");
    await refStore.close();

    // The same run, killed at each point in turn and resumed by a fresh process after each kill. After
    // each attempt, once nothing of it can still commit, the calls whose results the store holds.
    const before = server.requests.length;
    const counts = join(dir, `${backend.label}-chaos.log`);
    writeFileSync(counts, "");
    const env = { ...base, ...backend.env("chaos"), RUN_ID: "chaos", COUNT_FILE: counts };
    const landed: Kill[] = [];
    const completedAfter: Set<string>[] = [];
    let store: RunStore | undefined;
    const attempt = async (i: number, kill: Kill | undefined): Promise<Attempt> => {
      const mode = i === 0 ? "run" : "resume";
      const result = await child({ ...env, MODE: mode, ATTEMPT: String(i) }, server, kill);
      await backend.settle("chaos");
      store ??= await backend.open("chaos");
      completedAfter.push(await completedCalls(store, "chaos"));
      return result;
    };
    try {
      for (const [i, kill] of killPoints(14).entries()) {
        const result = await attempt(i, kill);
        if (!result.killed) {
          expect.fail(
            `kill ${i} (${kill.kind} ${kill.at}) did not land: exit ${result.code}: ${result.stderr}`,
          );
        }
        landed.push(kill);
      }
      const last = await attempt(KILLS, undefined);
      expect(last.code, last.stderr).toBe(0);
      expect(landed).toHaveLength(KILLS);
      const run = await (store as RunStore).getRun("chaos");
      expect(run?.status).toBe("completed");
      expect(transcriptOf(await (store as RunStore).readEvents("chaos"))).toEqual(reference);
    } finally {
      await store?.close();
    }

    // The reference ran each call once, to its end.
    const refRuns = executions(refCount);
    const refCalls = [...new Set(refRuns.map((r) => r.callId))].sort();
    expect(refRuns.filter((r) => r.ended)).toHaveLength(refCalls.length);
    expect(refRuns).toHaveLength(refCalls.length);
    // The resumed run completed the same calls.
    expect([...(completedAfter.at(-1) as Set<string>)].sort()).toEqual(refCalls);
    // Exactly once: a call that is completed (its result committed) after an attempt never runs again,
    // and its committed result is the one execution of the attempt that first holds it.
    const runs = executions(counts);
    for (const [i, done] of completedAfter.entries()) {
      for (const callId of done) {
        const later = runs.filter((r) => r.callId === callId && r.attempt > i);
        expect(later, `${callId} completed in attempt ${i}, then ran again`).toEqual([]);
        const first = completedAfter.findIndex((d) => d.has(callId));
        const committed = runs.filter((r) => r.callId === callId && r.attempt === first);
        expect(committed, `${callId}'s committed execution`).toEqual([
          { callId, attempt: first, ended: true },
        ]);
      }
    }
    // Every other execution was cut short by its attempt's kill: at most the two parallel calls of
    // the reply in flight when it landed, whether or not the tool reached its end before the commit.
    for (let i = 0; i < KILLS; i++) {
      const cut = runs.filter((r) => r.attempt === i && !(completedAfter[i] as Set<string>).has(r.callId));
      expect(cut.length, `calls cut short in attempt ${i}`).toBeLessThanOrEqual(2);
    }
    const final = completedAfter[KILLS] as Set<string>;
    expect(runs.filter((r) => r.attempt === KILLS && !(r.ended && final.has(r.callId)))).toEqual([]);
    expect(landed.some((k) => k.kind === "tool")).toBe(true);
    // The model was asked again only for calls a kill cut short (at most one per kill).
    const chaosRequests = server.requests.length - before;
    expect(chaosRequests).toBeGreaterThanOrEqual(refRequests);
    expect(chaosRequests).toBeLessThanOrEqual(refRequests + KILLS);
  } finally {
    server.hook = undefined;
    await server.close();
  }
}
