/**
 * Attacks on the code executors and their sandbox: code that plants links for the host to write
 * through, processes that escape the timeout, a functions bridge fed without end. Each test performs the
 * attack and checks it failed. The sandboxed ones need bubblewrap (CI installs it); where it cannot run
 * they are skipped with the reason printed, and under CI=true that is a failure.
 */
import { randomUUID } from "node:crypto";
import { existsSync, linkSync, lstatSync, readFileSync, writeFileSync } from "node:fs";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FunctionTool } from "@autogen-ts/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_REQUEST_BYTES, startFunctionBridge } from "../../src/code-executors/local/functions.js";
import { checkSandbox, LocalCommandLineCodeExecutor } from "../../src/code-executors/local/index.js";
import { DirectoryHandle } from "../../src/support/beneath.js";
import { processesWithMarker, waitUntilGone } from "../code-executors/support.js";

let root: string;
let outside: string;
let sandboxProblem: string | undefined;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "autogen-attack-exec-"));
  outside = join(root, "outside");
  await mkdir(outside);
  writeFileSync(join(outside, "victim.txt"), "ORIGINAL\n");
  sandboxProblem = await checkSandbox("bwrap").then(
    () => undefined,
    (error: Error) => error.message,
  );
  if (sandboxProblem !== undefined) {
    const message = `Sandbox attacks cannot run: ${sandboxProblem}`;
    if (process.env.CI === "true") throw new Error(message);
    process.stderr.write(`Skipping the sandboxed attacks: ${message}\n`);
  }
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const modes = [
  { name: "unsandboxed", sandbox: false },
  { name: "sandboxed", sandbox: true },
] as const;

function executor(sandbox: boolean, options: { isolateExecutions?: boolean; timeoutMs?: number } = {}) {
  return new LocalCommandLineCodeExecutor({
    workDir: join(root, randomUUID()),
    timeoutMs: options.timeoutMs ?? 20_000,
    sandbox,
    ...(options.isolateExecutions === undefined ? {} : { isolateExecutions: options.isolateExecutions }),
  });
}

describe.each(modes)("planted links, $name", ({ sandbox }) => {
  const skip = () => sandbox && sandboxProblem !== undefined;

  it("link-dir-then-filename: a folder link planted by one block is not written through by the next", async (ctx) => {
    if (skip()) return ctx.skip();
    const ex = executor(sandbox);
    const result = await ex.executeCodeBlocks([
      { language: "sh", code: `ln -s ${outside} link` },
      { language: "sh", code: "# filename: link/planted.sh\necho pwned" },
    ]);
    expect(result.exitCode).toBe(1);
    expect(result.output).toMatch(/symbolic link/);
    expect(existsSync(join(outside, "planted.sh"))).toBe(false);
    await ex.stop();
  });

  it("link-at-next-block-name: a file link where the next block will be saved is not written through", async (ctx) => {
    if (skip()) return ctx.skip();
    const ex = executor(sandbox);
    const result = await ex.executeCodeBlocks([
      { language: "sh", code: `ln -s ${join(outside, "victim.txt")} block_2.sh` },
      { language: "sh", code: "echo overwritten" },
    ]);
    expect(result.exitCode).toBe(1);
    expect(readFileSync(join(outside, "victim.txt"), "utf8")).toBe("ORIGINAL\n");
    await ex.stop();
  });

  it("link-across-executions: a link left in a shared folder is not followed by a later execution", async (ctx) => {
    if (skip()) return ctx.skip();
    const ex = executor(sandbox, { isolateExecutions: false });
    await ex.executeCodeBlocks([{ language: "sh", code: `ln -s ${outside} shared-link` }]);
    const second = await ex.executeCodeBlocks([
      { language: "sh", code: "# filename: shared-link/later.sh\necho pwned" },
    ]);
    expect(second.exitCode).toBe(1);
    expect(existsSync(join(outside, "later.sh"))).toBe(false);
    await ex.stop();
  });
});

describe("hard links", () => {
  it("hard-link-at-block-name: a hard link to an outside file is refused, not overwritten", async () => {
    const ex = executor(false, { isolateExecutions: false });
    await ex.start();
    const victim = join(root, `victim-${randomUUID()}.txt`);
    writeFileSync(victim, "ORIGINAL\n");
    linkSync(victim, join(ex.workDir!, "planted.sh"));
    const result = await ex.executeCodeBlocks([
      { language: "sh", code: "# filename: planted.sh\necho overwritten" },
    ]);
    expect(result.exitCode).toBe(1);
    expect(result.output).toMatch(/hard link/);
    expect(readFileSync(victim, "utf8")).toBe("ORIGINAL\n");
    await ex.stop();
  });
});

describe("escaping the timeout", () => {
  it("setsid-child-holding-stdout: a setsid'd child keeping stdout open does not hold the execution past its limit", async () => {
    const marker = `autogen-setsid-${randomUUID()}`;
    const ex = executor(false, { timeoutMs: 1500 });
    const result = await ex.executeCodeBlocks([
      { language: "bash", code: `setsid bash -c 'exec -a ${marker} sleep 300' &\necho started\nsleep 300` },
    ]);
    // Before the fix the call never came back (the child held stdout for 300 s): the test timed out.
    expect(result.timedOut).toBe(true);
    expect(result.output).toContain("started");
    expect(await waitUntilGone(marker)).toEqual([]);
    await ex.stop();
  });

  it("double-fork-daemon: a daemon that double-forks and keeps stdout is killed when the code ends", async () => {
    const marker = `autogen-daemon-${randomUUID()}`;
    const ex = executor(false, { timeoutMs: 20_000 });
    const code = [
      "import os, sys, time",
      "if os.fork() == 0:",
      "    os.setsid()",
      "    if os.fork() == 0:",
      `        os.execvp("bash", ["bash", "-c", "exec -a ${marker} sleep 300"])`,
      "    os._exit(0)",
      "time.sleep(0.5)",
      "print('parent done')",
    ].join("\n");
    const result = await ex.executeCodeBlocks([{ language: "python", code }]);
    expect(result).toMatchObject({ exitCode: 0 });
    expect(result.output).toContain("parent done");
    expect(await waitUntilGone(marker)).toEqual([]);
    await ex.stop();
  });

  it("sandboxed-setsid-child: a setsid'd child inside the sandbox dies with the sandbox's PID namespace", async (ctx) => {
    if (sandboxProblem !== undefined) return ctx.skip();
    const marker = `autogen-sbx-setsid-${randomUUID()}`;
    const ex = executor(true, { timeoutMs: 1500 });
    const result = await ex.executeCodeBlocks([
      {
        language: "bash",
        code: `setsid bash -c 'exec -a ${marker} sleep 300' < /dev/null > /dev/null 2>&1 &\necho started`,
      },
    ]);
    expect(result.output).toContain("started");
    expect(await waitUntilGone(marker)).toEqual([]);
    expect(processesWithMarker(marker)).toEqual([]);
    await ex.stop();
  });
});

describe("the functions bridge", () => {
  it("endless-request-line: a request with no newline is cut off at the cap, not buffered without end", async () => {
    const dir = await mkdtemp(join(root, "bridge-"));
    const handle = await DirectoryHandle.open(dir);
    const tool = new FunctionTool({
      name: "echo_it",
      description: "echo",
      parameters: { type: "object" },
      run: () => "ok",
    });
    const bridge = await startFunctionBridge(handle, [tool], undefined);
    try {
      const reply = await new Promise<string>((resolve, reject) => {
        const socket = connect(bridge.socketPath);
        let text = "";
        socket.setEncoding("utf8");
        socket.on("data", (chunk) => {
          text += chunk;
        });
        socket.on("error", reject);
        socket.on("close", () => resolve(text));
        const block = Buffer.alloc(1024 * 1024, 0x61);
        let sent = 0;
        const pump = () => {
          // Twice the cap, and never a newline.
          while (sent < 2 * MAX_REQUEST_BYTES + 2 * block.length) {
            sent += block.length;
            if (!socket.write(block)) {
              socket.once("drain", pump);
              return;
            }
          }
        };
        socket.on("connect", pump);
      });
      expect(reply).toContain("longer than");
    } finally {
      await bridge.close();
      await handle.close();
    }
    expect(lstatSync(dir).isDirectory()).toBe(true);
  });
});
