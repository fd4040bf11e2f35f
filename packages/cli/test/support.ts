/** Runs the command line from its TypeScript sources as a real child process, for the CLI tests. */
import { spawn } from "node:child_process";

const BIN = new URL("../src/bin.ts", import.meta.url).pathname;

/** What one run of the command line left: its exit code and both streams. */
export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `autogen-ts <args>` without colour and without an OpenAI key unless `env` gives one. */
export function cli(args: string[], env: Record<string, string | undefined> = {}): Promise<CliRun> {
  return new Promise<CliRun>((resolve) => {
    const childEnv = { ...process.env, NO_COLOR: "1", OPENAI_API_KEY: undefined, ...env };
    const child = spawn(
      process.execPath,
      ["--conditions", "@autogen-ts/source", "--import", "tsx", BIN, ...args],
      {
        env: childEnv as NodeJS.ProcessEnv,
      },
    );
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}
