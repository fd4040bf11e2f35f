/** Runs the official MCP conformance suite's CLI, and the servers it tests, for the conformance tests. */
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { afterAll } from "vitest";
import { ROOT, tempDir } from "../support.js";

export const HERE = import.meta.dirname;
const SUITE = join(ROOT, "node_modules", "@modelcontextprotocol", "conformance", "dist", "index.js");
const children: ChildProcess[] = [];
const dirs: { remove: () => Promise<void> }[] = [];

afterAll(async () => {
  for (const child of children) child.kill("SIGTERM");
  await Promise.all(dirs.map((d) => d.remove()));
});

/** Starts a server script and resolves with the URL it prints. */
export function startServer(script: string): Promise<string> {
  const child = spawn(
    process.execPath,
    ["--conditions=@autogen-ts/source", "--import", "tsx", join(HERE, script)],
    {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  children.push(child);
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    lines.once("line", (line) => resolve(line.trim()));
    child.once("exit", (code) => reject(new Error(`${script} exited (${code}): ${stderr}`)));
  });
}

/** Runs the suite's CLI; resolves with its exit code and output. */
export async function runSuite(args: readonly string[]): Promise<{ code: number; output: string }> {
  // The suite writes its results under its working directory.
  const dir = await tempDir("autogen-mcp-conformance-");
  dirs.push(dir);
  const cwd = dir.path;
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ["--import", join(HERE, "node20-fs-glob.mjs"), SUITE, ...args],
      { cwd, timeout: 240_000, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
        resolve({ code, output: `${stdout}\n${stderr}` });
      },
    );
  });
}

/** The suite's closing count: "Total: N passed, N failed" for a suite, "Passed: N/M, N failed" for one scenario. */
export function totals(output: string): { passed: number; failed: number } {
  const match =
    /Total: (\d+) passed, (\d+) failed/.exec(output) ?? /Passed: (\d+)\/\d+, (\d+) failed/.exec(output);
  if (!match) throw new Error(`The suite printed no total:\n${output.slice(-3000)}`);
  return { passed: Number(match[1]), failed: Number(match[2]) };
}
