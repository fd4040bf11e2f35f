/**
 * Helpers for the MCP tests: paths of the reference servers installed as dev dependencies, a
 * server-everything started in Streamable HTTP mode on a free loopback port, and a stdio launch that
 * records the server's pid so a test can kill it.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root. */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../../../..");

/** The path of an installed bin, such as `mcp-server-everything`. */
export function bin(name: string): string {
  return join(ROOT, "node_modules/.bin", name);
}

/** A port that was free a moment ago on 127.0.0.1. */
export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolvePort(typeof address === "object" && address ? address.port : 0));
    });
  });
}

/** A reference server running in one of its HTTP modes. */
export interface HttpServer {
  readonly url: string;
  readonly port: number;
  readonly process: ChildProcess;
  /** Kills it and waits for the exit. */
  kill(): Promise<void>;
}

/**
 * Starts `mcp-server-everything streamableHttp` (or `sse`) on `port` (a free one by default) and waits
 * until it listens.
 */
export async function startEverythingHttp(
  mode: "streamableHttp" | "sse" = "streamableHttp",
  port?: number,
): Promise<HttpServer> {
  const chosen = port ?? (await freePort());
  const child = spawn(bin("mcp-server-everything"), [mode], {
    env: { ...process.env, PORT: String(chosen) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const exited = new Promise<void>((done) => child.once("exit", () => done()));
  await new Promise<void>((ready, fail) => {
    let seen = "";
    const onData = (chunk: Buffer) => {
      seen += chunk.toString();
      if (/listening on port|running on/i.test(seen)) ready();
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", (code) => fail(new Error(`server-everything ${mode} exited (${code}): ${seen}`)));
  });
  const path = mode === "sse" ? "/sse" : "/mcp";
  return {
    url: `http://127.0.0.1:${chosen}${path}`,
    port: chosen,
    process: child,
    kill: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      await exited;
    },
  };
}

/** A temporary folder, removed by the returned function. */
export async function tempDir(
  prefix = "autogen-mcp-",
): Promise<{ path: string; remove: () => Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), prefix));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

/**
 * Stdio params that run `command` through `sh`, which writes its pid to `pidFile` and then becomes the
 * server (`exec`), so the test can kill the very process the workbench talks to.
 */
export function stdioWithPidFile(command: string, args: readonly string[], pidFile: string) {
  const quoted = [command, ...args].map((a) => `'${a.replaceAll("'", "'\\''")}'`).join(" ");
  return { command: "sh", args: ["-c", `echo $$ > '${pidFile}'; exec ${quoted}`] };
}

/** Reads a pid written by {@link stdioWithPidFile}. */
export async function readPid(pidFile: string): Promise<number> {
  return Number.parseInt((await readFile(pidFile, "utf8")).trim(), 10);
}
