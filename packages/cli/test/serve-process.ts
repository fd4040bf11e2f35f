/** `autogen-ts serve` as a real child process, for the tests that stop, kill and restart it. */
import { type ChildProcess, spawn } from "node:child_process";

const BIN = new URL("../src/bin.ts", import.meta.url).pathname;

/** A started `autogen-ts serve`. */
export interface ServeProcess {
  readonly child: ChildProcess;
  /** Resolves with the URL once it printed `listening on ...`; rejects if it exits first. */
  readonly url: Promise<string>;
  /** Everything it wrote to stderr so far. */
  stderr(): string;
}

/** Starts `autogen-ts serve <args>` from the sources. */
export function startServe(args: readonly string[], env: Record<string, string> = {}): ServeProcess {
  const child = spawn(
    process.execPath,
    ["--conditions", "@autogen-ts/source", "--import", "tsx", BIN, "serve", ...args],
    { env: { ...process.env, OPENAI_API_KEY: "sk-env", ...env } },
  );
  let stderr = "";
  const url = new Promise<string>((resolve, reject) => {
    child.stderr!.on("data", (d) => {
      stderr += d;
      const match = /^listening on (http:\/\/127\.0\.0\.1:\d+)$/m.exec(stderr);
      if (match) resolve(match[1]!);
    });
    child.once("exit", (code) => reject(new Error(`exited ${code}: ${stderr}`)));
  });
  // A test that never awaits `url` (it expects a refusal elsewhere) must not leave a rejection unhandled.
  url.catch(() => {});
  return { child, url, stderr: () => stderr };
}

/** Resolves with the exit code (null when killed by a signal) once the process has exited. */
export function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
}
