/**
 * Helpers for the MCP tests: paths of the reference servers installed as dev dependencies, a
 * server-everything started in Streamable HTTP mode on a free loopback port, and a stdio launch that
 * records the server's pid so a test can kill it, and a loopback HTTP server for fetch-shaped handlers
 * (the v2 SDK's stateless `createMcpHandler`).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createServer as createHttpServer } from "node:http";
import { createServer, type Socket } from "node:net";
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

/** A fetch-shaped handler served on loopback by {@link serveFetch}. */
export interface FetchServer {
  readonly url: string;
  /** The headers of every request received, lower-cased names. */
  readonly requests: { method: string; headers: Record<string, string> }[];
  close(): Promise<void>;
}

/**
 * Serves a web-standard `(request) => Response` handler (such as the v2 SDK's `createMcpHandler`) over
 * node:http on 127.0.0.1, streaming response bodies so SSE answers arrive as they are written. A client
 * that goes away aborts the request's signal.
 */
export async function serveFetch(
  handle: (request: Request) => Promise<Response>,
  path = "/mcp",
  port = 0,
): Promise<FetchServer> {
  const requests: FetchServer["requests"] = [];
  const sockets = new Set<Socket>();
  const server = createHttpServer(async (req, res) => {
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (typeof value === "string") headers[name] = value;
    }
    requests.push({ method: req.method ?? "GET", headers });
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const aborter = new AbortController();
    res.on("close", () => aborter.abort());
    const body = chunks.length > 0 ? Buffer.concat(chunks) : undefined;
    const request = new Request(`http://${req.headers.host}${req.url}`, {
      method: req.method ?? "GET",
      headers: headers,
      ...(body && req.method !== "GET" && req.method !== "HEAD" ? { body } : {}),
      signal: aborter.signal,
    });
    let response: Response;
    try {
      response = await handle(request);
    } catch (error) {
      res.writeHead(500).end(String(error));
      return;
    }
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.flushHeaders();
    if (!response.body) {
      res.end();
      return;
    }
    const reader = response.body.getReader();
    res.on("close", () => void reader.cancel().catch(() => {}));
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        res.write(value);
      }
    } catch {
      // The client went away.
    }
    res.end();
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  });
  await new Promise<void>((ready) => server.listen(port, "127.0.0.1", ready));
  const address = server.address();
  const bound = typeof address === "object" && address ? address.port : port;
  return {
    url: `http://127.0.0.1:${bound}${path}`,
    requests,
    close: () =>
      new Promise<void>((done) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => done());
      }),
  };
}
