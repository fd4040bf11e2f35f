import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FunctionTool, ToolError } from "@autogen-ts/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LocalCommandLineCodeExecutor } from "../../../src/code-executors/local/local-executor.js";
import { checkSandbox } from "../../../src/code-executors/local/sandbox.js";
import { pythonThatLeavesAChild, waitUntilGone } from "../support.js";

// Whether bubblewrap can build a sandbox on this machine. Missing it is a failure under CI=true (.ci/run
// installs it); elsewhere the sandbox tests are skipped with the reason printed.
const unavailable = await checkSandbox("bwrap").then(
  () => undefined,
  (error: unknown) => (error instanceof Error ? error.message : String(error)),
);
if (unavailable !== undefined) {
  if (process.env.CI === "true") throw new Error(`The sandbox tests need bubblewrap: ${unavailable}`);
  console.warn(`Skipping the sandbox tests: ${unavailable}`);
}

let root: string;
let outside: string;
let secretFile: string;
let server: Server;
let port: number;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "autogen-sandbox-test-"));
  // A host folder that is not the work dir, holding a file the sandboxed code must not read.
  outside = await mkdtemp(join(tmpdir(), "autogen-outside-"));
  secretFile = join(outside, "secret.txt");
  await writeFile(secretFile, "top secret");
  // A host TCP server on loopback that sandboxed code must not reach.
  server = createServer((socket) => socket.end("hello from the host\n"));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as { port: number }).port;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await rm(root, { recursive: true, force: true });
  await rm(outside, { recursive: true, force: true });
});

function executor(
  sandbox: boolean,
  options: ConstructorParameters<typeof LocalCommandLineCodeExecutor>[0] = {},
) {
  return new LocalCommandLineCodeExecutor({
    workDir: join(root, randomUUID()),
    timeoutMs: 20_000,
    sandbox,
    ...options,
  });
}

const readSecret = () => `print(open(${JSON.stringify(secretFile)}).read())`;
const writeOutside = (path: string) => `open(${JSON.stringify(path)}, "w").write("escaped")\nprint("wrote")`;
const connectToHost = () =>
  `import socket\ns = socket.create_connection(("127.0.0.1", ${port}), timeout=5)\nprint(s.recv(100).decode().strip())`;

describe.skipIf(unavailable !== undefined)("LocalCommandLineCodeExecutor in the bubblewrap sandbox", () => {
  it("runs Python, shell, JavaScript and TypeScript, and reports files written to the work dir", async () => {
    const ex = executor(true);
    expect(ex.sandboxed).toBe(true);
    const result = await ex.executeCodeBlocks([
      { language: "python", code: "open('made.txt', 'w').write('inside')\nprint('py ok')" },
      { language: "sh", code: "cat made.txt; echo" },
      { language: "javascript", code: 'console.log("js ok")' },
      { language: "typescript", code: 'const s: string = "ts ok";\nconsole.log(s);' },
    ]);
    expect(result.output).toBe("py ok\ninside\njs ok\nts ok\n");
    expect(result.exitCode).toBe(0);
    expect(result.files).toEqual([expect.stringMatching(/\/made\.txt$/)]);
  });

  it("escape attempt 1: reading a host file outside the work dir fails (it works unsandboxed)", async () => {
    const control = await executor(false).executeCodeBlocks([{ language: "python", code: readSecret() }]);
    expect(control.output).toBe("top secret\n");
    const result = await executor(true).executeCodeBlocks([{ language: "python", code: readSecret() }]);
    expect(result.exitCode).not.toBe(0);
    expect(result.output).toContain("FileNotFoundError");
    expect(result.output).not.toContain("top secret");
  });

  it("escape attempt 2: reading the host's /root, /etc/shadow and project folders fails", async () => {
    const result = await executor(true).executeCodeBlocks([
      {
        language: "python",
        code: [
          "import os",
          `for path in ["/etc/shadow", "/root/.bashrc", ${JSON.stringify(process.cwd())}]:`,
          "    print(path, os.path.exists(path))",
        ].join("\n"),
      },
    ]);
    expect(result.output).toBe(`/etc/shadow False\n/root/.bashrc False\n${process.cwd()} False\n`);
  });

  it("escape attempt 3: writing outside the work dir fails, and nothing appears on the host", async () => {
    const target = join(outside, "escaped.txt");
    const intoHostFolder = await executor(true).executeCodeBlocks([
      { language: "python", code: writeOutside(target) },
    ]);
    expect(intoHostFolder.exitCode).not.toBe(0);
    expect(intoHostFolder.output).not.toContain("wrote");
    expect(existsSync(target)).toBe(false);

    const intoSystem = await executor(true).executeCodeBlocks([
      { language: "python", code: writeOutside("/usr/autogen-escape.txt") },
    ]);
    expect(intoSystem.exitCode).not.toBe(0);
    expect(intoSystem.output).toMatch(/Read-only file system|Permission denied/);
    expect(existsSync("/usr/autogen-escape.txt")).toBe(false);

    // A write to the sandbox's private /tmp succeeds but never reaches the host's /tmp.
    const name = `autogen-private-${randomUUID()}`;
    const intoTmp = await executor(true).executeCodeBlocks([
      { language: "python", code: writeOutside(`/tmp/${name}`) },
    ]);
    expect(intoTmp.output).toBe("wrote\n");
    expect(existsSync(join("/tmp", name))).toBe(false);
  });

  it("escape attempt 4: opening a network socket to a host server fails (it works unsandboxed)", async () => {
    const control = await executor(false).executeCodeBlocks([{ language: "python", code: connectToHost() }]);
    expect(control.output).toBe("hello from the host\n");
    const result = await executor(true).executeCodeBlocks([{ language: "python", code: connectToHost() }]);
    expect(result.exitCode).not.toBe(0);
    expect(result.output).toMatch(/Network is unreachable|Connection refused|OSError/);
    expect(result.output).not.toContain("hello from the host");
  });

  it("escape attempt 5: seeing or signalling host processes fails (own PID namespace)", async () => {
    const result = await executor(true).executeCodeBlocks([
      {
        language: "python",
        code: `import os\nprint(os.path.exists("/proc/${process.pid}/cmdline"), os.getpid() < 10)`,
      },
    ]);
    expect(result.output).toBe("False True\n");
  });

  it("kills the sandboxed process tree when the time runs out", async () => {
    const marker = `autogen-sandbox-timeout-${randomUUID()}`;
    const result = await executor(true, { timeoutMs: 2000 }).executeCodeBlocks([
      { language: "python", code: pythonThatLeavesAChild(marker) },
    ]);
    expect(result).toMatchObject({ exitCode: 124, timedOut: true });
    expect(result.output).toContain("child started");
    expect(await waitUntilGone(marker)).toEqual([]);
  });

  it("still offers functions through the socket, with no network", async () => {
    const double = new FunctionTool({
      name: "double",
      description: "Doubles a number.",
      parameters: { type: "object", properties: { n: { type: "number" } }, required: ["n"] },
      run: (args: Record<string, unknown>) => Number(args.n) * 2,
    });
    const result = await executor(true, { functions: [double] }).executeCodeBlocks([
      { language: "python", code: "from functions import double\nprint(double(21))" },
    ]);
    expect(result.output).toBe("42\n");
  });
});

describe("the sandbox's failure modes", () => {
  it("refuses to run when bubblewrap is missing, and never runs the code unsandboxed", async () => {
    const marker = join(root, `ran-${randomUUID()}`);
    const ex = executor(false, { sandbox: { bwrapPath: "/nonexistent/bwrap" } });
    const error = await ex
      .executeCodeBlocks([{ language: "sh", code: `touch ${marker}` }])
      .catch((e: unknown) => e);
    expect(ToolError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ code: "invalid_config" });
    expect((error as Error).message).toContain("apt-get install bubblewrap");
    expect(existsSync(marker)).toBe(false);
  });

  it("says so when bubblewrap exists but cannot build a sandbox", async () => {
    // `false` stands in for a bwrap that runs but fails, as it does without user namespaces.
    const error = await checkSandbox("false").catch((e: unknown) => e);
    expect(error).toMatchObject({ name: "ToolError", code: "invalid_config" });
  });
});
