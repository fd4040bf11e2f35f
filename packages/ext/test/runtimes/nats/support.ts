/**
 * Shared pieces of the NATS runtime suites: runtimes on a prefix unique to the test, worker processes
 * (fixtures/worker.ts) and waiting on conditions without time limits.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { jsonSerializer, type Logger } from "@autogen-ts/core";
import {
  jetStreamNames,
  NatsAgentRuntime,
  type NatsAgentRuntimeConnectOptions,
} from "@autogen-ts/ext/runtimes/nats";
import { jetstreamManager } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";
import { SERVICE_URLS } from "../../../../core/test/support/services.js";

export const NATS = SERVICE_URLS.nats;

/** A message class the suites share. */
export class Increment {
  constructor(readonly by: number) {}
}
/** Another one. */
export class Note {
  constructor(readonly text: string) {}
}

const runtimes: NatsAgentRuntime[] = [];
const children: ChildProcess[] = [];
const prefixes: string[] = [];
let prefixCounter = 0;

/** A runtime on `prefix` (pass the same prefix to connect several), closed by {@link cleanUp}. */
export async function runtime(
  prefix: string,
  extra: Partial<NatsAgentRuntimeConnectOptions> = {},
): Promise<NatsAgentRuntime> {
  const rt = await NatsAgentRuntime.connect({
    servers: NATS,
    subjectPrefix: prefix,
    livenessIntervalMs: 100,
    livenessTimeoutMs: 2000,
    ...extra,
  });
  rt.addMessageSerializer([jsonSerializer(Increment), jsonSerializer(Note)]);
  runtimes.push(rt);
  return rt;
}

/** A prefix no other test (or helper's run) uses. */
export function newPrefix(): string {
  prefixCounter += 1;
  const prefix = `t${process.pid}x${Date.now().toString(36)}x${prefixCounter}`;
  prefixes.push(prefix);
  return prefix;
}

/** A logger that keeps its lines. */
export function capturingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const push = (m: string) => {
    lines.push(m);
  };
  return { lines, debug: push, info: push, warn: push, error: push };
}

/** Resolves when `condition` holds, checking on every turn of the event loop (no time limits). */
export async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((r) => setTimeout(r, 5));
}

/** A worker process (fixtures/worker.ts) and what it printed. */
export interface WorkerProcess {
  readonly child: ChildProcess;
  readonly exited: Promise<unknown>;
  output(): string;
  dead(): boolean;
}

/** Starts fixtures/worker.ts serving `type` as `workerId` under `prefix`, and waits for "ready". */
export async function spawnWorker(
  type: string,
  prefix: string,
  workerId: string,
  env: Record<string, string> = {},
): Promise<WorkerProcess> {
  const script = fileURLToPath(new URL("./fixtures/worker.ts", import.meta.url));
  const child = spawn(
    process.execPath,
    ["--conditions", "@autogen-ts/source", "--import", "tsx", script, type, prefix, workerId],
    { env: { ...process.env, NATS_URL: NATS, ...env }, stdio: ["ignore", "pipe", "inherit"] },
  );
  children.push(child);
  let out = "";
  let dead = false;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  void exited.then(() => {
    dead = true;
  });
  child.stdout?.on("data", (chunk: Buffer) => {
    out += chunk.toString();
  });
  await until(() => out.includes("ready") || dead);
  if (dead) throw new Error(`worker ${workerId} exited before it was ready: ${out}`);
  return { child, exited, output: () => out, dead: () => dead };
}

/** Kills the worker processes and closes the runtimes of the test that ran. */
export async function cleanUp(): Promise<void> {
  for (const child of children.splice(0)) {
    child.kill("SIGCONT");
    child.kill("SIGKILL");
  }
  await Promise.allSettled(runtimes.splice(0).map((rt) => rt.close()));
  // The JetStream streams and buckets each test's network made (they outlive the runtimes).
  const used = prefixes.splice(0);
  if (used.length === 0) return;
  const nc = await connect({ servers: NATS });
  try {
    const jsm = await jetstreamManager(nc);
    for (const prefix of used) {
      for (const name of Object.values(jetStreamNames(prefix)))
        await jsm.streams.delete(name).catch(() => false);
    }
  } finally {
    await nc.close();
  }
}
