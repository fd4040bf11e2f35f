/**
 * A private nats-server for one test file (/usr/sbin/nats-server, Debian's `nats-server` package), on a
 * free loopback port with the configuration the test writes, and self-signed certificates made with
 * openssl, for the TLS and authentication tests.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileExists, tcpReachable } from "../../../../core/test/support/services.js";

export const NATS_SERVER = process.env.NATS_SERVER_BIN ?? "/usr/sbin/nats-server";

/** Whether the nats-server binary and openssl are there. */
export async function canRunServers(): Promise<boolean> {
  return (await fileExists(NATS_SERVER)) && (await fileExists("/usr/bin/openssl"));
}

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** A running private server. */
export interface PrivateServer {
  readonly port: number;
  readonly dir: string;
  stop(): Promise<void>;
}

/** A temporary directory removed by {@link removeDir}. */
export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), "autogen-nats-"));
}

/** Removes a temporary directory. */
export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** Starts nats-server with `config` (its `port` and `host` lines are added) and waits until it listens. */
export async function startServer(
  config: string,
  options: { port?: number; dir?: string } = {},
): Promise<PrivateServer> {
  const port = options.port ?? (await freePort());
  const dir = options.dir ?? tempDir();
  const file = join(dir, `server-${port}.conf`);
  writeFileSync(file, `host: 127.0.0.1\nport: ${port}\n${config}\n`);
  const child: ChildProcess = spawn(NATS_SERVER, ["-c", file], { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  let exited = false;
  child.once("exit", () => {
    exited = true;
  });
  while (!(await tcpReachable(`nats://127.0.0.1:${port}`, 200))) {
    if (exited) throw new Error(`nats-server did not start: ${stderr}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  return {
    port,
    dir,
    stop: async () => {
      if (exited) return;
      const gone = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      await gone;
    },
  };
}

/** Paths of a CA and a server certificate for 127.0.0.1 / localhost signed by it. */
export interface Certificates {
  readonly caFile: string;
  readonly certFile: string;
  readonly keyFile: string;
}

/** Makes a CA and a server certificate with openssl in `dir`. */
export function makeCertificates(dir: string): Certificates {
  const at = (name: string) => join(dir, name);
  const run = (...args: string[]) => execFileSync("openssl", args, { stdio: "pipe" });
  run(
    "req",
    "-x509",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-days",
    "1",
    "-subj",
    "/CN=autogen-test-ca",
    "-keyout",
    at("ca.key"),
    "-out",
    at("ca.pem"),
  );
  run(
    "req",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-subj",
    "/CN=localhost",
    "-keyout",
    at("server.key"),
    "-out",
    at("server.csr"),
  );
  writeFileSync(at("san.ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
  run(
    "x509",
    "-req",
    "-in",
    at("server.csr"),
    "-CA",
    at("ca.pem"),
    "-CAkey",
    at("ca.key"),
    "-CAcreateserial",
    "-days",
    "1",
    "-extfile",
    at("san.ext"),
    "-out",
    at("server.pem"),
  );
  return { caFile: at("ca.pem"), certFile: at("server.pem"), keyFile: at("server.key") };
}
