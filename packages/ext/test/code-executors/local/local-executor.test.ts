import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CancelledError, FunctionTool, ValidationError } from "@autogen-ts/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LocalCommandLineCodeExecutor } from "../../../src/code-executors/local/local-executor.js";
import { processesWithMarker, pythonThatLeavesAChild, waitUntilGone } from "../support.js";

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "autogen-local-test-"));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

function executor(options: ConstructorParameters<typeof LocalCommandLineCodeExecutor>[0] = {}) {
  return new LocalCommandLineCodeExecutor({
    workDir: join(root, randomUUID()),
    timeoutMs: 20_000,
    ...options,
  });
}

describe("LocalCommandLineCodeExecutor", () => {
  it("runs Python and reports its output and code file", async () => {
    const ex = executor();
    const result = await ex.executeCodeBlocks([{ language: "python", code: "print(6 * 7)" }]);
    expect(result).toMatchObject({ exitCode: 0, output: "42\n", files: [] });
    expect(result.codeFiles).toHaveLength(1);
    expect(result.codeFiles?.[0]).toMatch(/^run-0001-[0-9a-f]{8}\/block_1\.py$/);
  });

  it("runs sh, bash, JavaScript and TypeScript blocks in order, in one folder", async () => {
    const ex = executor();
    const result = await ex.executeCodeBlocks([
      { language: "sh", code: "echo from-sh > shared.txt; cat shared.txt" },
      // biome-ignore lint/suspicious/noTemplateCurlyInString: bash's own ${...} syntax.
      { language: "bash", code: 'words=(a b c); echo "bash ${#words[@]}"' },
      {
        language: "js",
        code: 'import { readFileSync } from "node:fs";\nconsole.log("js", readFileSync("shared.txt", "utf8").trim());',
      },
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the TypeScript block's own template literal.
      { language: "ts", code: "const n: number = 2;\nconsole.log(`ts ${n * 21}`);" },
    ]);
    expect(result.output).toBe("from-sh\nbash 3\njs from-sh\nts 42\n");
    expect(result.exitCode).toBe(0);
    expect(result.files).toEqual([expect.stringMatching(/^run-[^/]+\/shared\.txt$/)]);
  });

  it("stops at the first failing block and returns its exit code and stderr", async () => {
    const ex = executor();
    const result = await ex.executeCodeBlocks([
      { language: "python", code: "print('first')" },
      { language: "python", code: "import sys\nprint('oops', file=sys.stderr)\nsys.exit(3)" },
      { language: "sh", code: "touch never.txt" },
    ]);
    expect(result.exitCode).toBe(3);
    expect(result.output).toBe("first\noops\n");
    expect(result.files).toEqual([]);
  });

  it("reports a Python exception with its traceback", async () => {
    const result = await executor().executeCodeBlocks([{ language: "python", code: "1 / 0" }]);
    expect(result.exitCode).toBe(1);
    expect(result.output).toContain("ZeroDivisionError");
  });

  it("reports the files the code writes, in subfolders too", async () => {
    const ex = executor();
    const result = await ex.executeCodeBlocks([
      {
        language: "python",
        code: "import os\nos.makedirs('out', exist_ok=True)\nopen('out/data.csv', 'w').write('a,b\\n1,2\\n')\nopen('notes.txt', 'w').write('hi')",
      },
    ]);
    expect(result.exitCode).toBe(0);
    const files = result.files ?? [];
    expect(files.map((f) => f.split("/").slice(1).join("/"))).toEqual(["notes.txt", "out/data.csv"]);
    expect(await readFile(join(ex.workDir!, files[1]!), "utf8")).toBe("a,b\n1,2\n");
  });

  it("keeps concurrent executions apart", async () => {
    const ex = executor();
    const write = (value: string) =>
      ex.executeCodeBlocks([
        {
          language: "python",
          code: `import time\nopen('result.txt', 'w').write('${value}')\ntime.sleep(0.5)\nprint(open('result.txt').read())`,
        },
      ]);
    const [a, b] = await Promise.all([write("alpha"), write("beta")]);
    expect(a.output).toBe("alpha\n");
    expect(b.output).toBe("beta\n");
    expect(a.files?.[0]).not.toBe(b.files?.[0]);
  });

  it("shares the work dir between executions when isolateExecutions is false", async () => {
    const ex = executor({ isolateExecutions: false });
    const first = await ex.executeCodeBlocks([{ language: "sh", code: "echo kept > state.txt" }]);
    expect(first.files).toEqual(["state.txt"]);
    const second = await ex.executeCodeBlocks([{ language: "sh", code: "cat state.txt" }]);
    expect(second.output).toBe("kept\n");
    expect(second.files).toEqual([]);
  });

  it("saves a block under the name of its filename comment, and refuses names outside the folder", async () => {
    const ex = executor();
    const named = await ex.executeCodeBlocks([
      { language: "python", code: "# filename: tools/hello.py\nprint('hi')" },
    ]);
    expect(named.codeFiles?.[0]).toMatch(/\/tools\/hello\.py$/);
    const escaping = await ex.executeCodeBlocks([
      { language: "python", code: "# filename: ../../evil.py\nprint(1)" },
    ]);
    expect(escaping.exitCode).toBe(1);
    expect(escaping.output).toContain("filename");
    expect(existsSync(join(root, "evil.py"))).toBe(false);
  });

  it("kills the whole process tree when the time runs out", async () => {
    const marker = `autogen-timeout-${randomUUID()}`;
    const ex = executor({ timeoutMs: 1500 });
    const result = await ex.executeCodeBlocks([{ language: "python", code: pythonThatLeavesAChild(marker) }]);
    expect(result.exitCode).toBe(124);
    expect(result.timedOut).toBe(true);
    expect(result.output).toContain("child started");
    expect(result.output).toContain("Timeout");
    expect(await waitUntilGone(marker)).toEqual([]);
  });

  it("leaves no background process behind when the code ends normally", async () => {
    const marker = `autogen-leftover-${randomUUID()}`;
    const result = await executor().executeCodeBlocks([
      // bash (dash has no `exec -a`); `kill -0` proves the child is alive when the code ends.
      { language: "bash", code: `(exec -a ${marker} sleep 300) &\nkill -0 $! && echo started` },
    ]);
    expect(result).toMatchObject({ exitCode: 0, output: "started\n" });
    expect(await waitUntilGone(marker)).toEqual([]);
  });

  it("caps flooding output and says how much was dropped", async () => {
    const ex = executor({ maxOutputBytes: 1000 });
    const result = await ex.executeCodeBlocks([
      {
        language: "python",
        code: "import sys\nfor i in range(200000):\n    sys.stdout.write('x' * 50 + '\\n')",
      },
    ]);
    expect(result.exitCode).toBe(0);
    expect(result.outputTruncated).toBe(true);
    const [kept, note] = result.output.split("[output truncated: ");
    // The kept part, then a line break so that the note stands on its own line.
    expect(kept).toHaveLength(1001);
    expect(kept?.endsWith("\n")).toBe(true);
    expect(note).toBe(`${200000 * 51 - 1000} more bytes]\n`);
  });

  it("passes only the environment variables it is told to", async () => {
    process.env.AUTOGEN_TEST_SECRET = "s3cret";
    process.env.AUTOGEN_TEST_SHARED = "shared-value";
    try {
      const code =
        "import os\nprint(os.environ.get('AUTOGEN_TEST_SECRET'), os.environ.get('AUTOGEN_TEST_SHARED'), os.environ.get('GIVEN'))";
      const closed = await executor().executeCodeBlocks([{ language: "python", code }]);
      expect(closed.output).toBe("None None None\n");
      const open = await executor({
        envPassthrough: ["AUTOGEN_TEST_SHARED"],
        env: { GIVEN: "yes" },
      }).executeCodeBlocks([{ language: "python", code }]);
      expect(open.output).toBe("None shared-value yes\n");
    } finally {
      delete process.env.AUTOGEN_TEST_SECRET;
      delete process.env.AUTOGEN_TEST_SHARED;
    }
  });

  it("makes tools importable as functions from Python and JavaScript", async () => {
    const calls: unknown[] = [];
    const add = new FunctionTool({
      name: "add",
      description: "Adds two numbers.",
      parameters: {
        type: "object",
        properties: { a: { type: "number" }, b: { type: "number" } },
        required: ["a", "b"],
      },
      run: (args: Record<string, unknown>) => {
        calls.push(args);
        return Number(args.a) + Number(args.b);
      },
    });
    const fail = new FunctionTool({
      name: "fail",
      description: "Always fails.",
      parameters: { type: "object", properties: {} },
      run: () => {
        throw new Error("no luck");
      },
    });
    const ex = executor({ functions: [add, fail] });
    expect(ex.functionsDescription()).toContain("- add(a: number, b: number): Adds two numbers.");
    const result = await ex.executeCodeBlocks([
      {
        language: "python",
        code: "from functions import add, fail, ToolCallError\nprint(add(2, 3) * 2)\ntry:\n    fail()\nexcept ToolCallError as e:\n    print('failed:', e)",
      },
      {
        language: "javascript",
        code: 'import { add } from "./functions.mjs";\nconsole.log(await add({ a: 40, b: 2 }));',
      },
    ]);
    expect(result.output).toBe("10\nfailed: Error: no luck\n42\n");
    expect(result.exitCode).toBe(0);
    expect(result.files).toEqual([]);
    expect(calls).toEqual([
      { a: 2, b: 3 },
      { a: 40, b: 2 },
    ]);
  });

  it("says which languages it runs when given another one", async () => {
    const result = await executor().executeCodeBlocks([{ language: "rust", code: "fn main() {}" }]);
    expect(result.exitCode).toBe(1);
    expect(result.output).toContain("Unsupported language: rust");
  });

  it("runs nothing that the approval gate refuses, and tells why", async () => {
    const seen: string[] = [];
    const ex = executor({
      approvalFunc: ({ code }) => {
        seen.push(code);
        return code.includes("rm ")
          ? { approved: false, reason: "deleting files is not allowed" }
          : { approved: true, reason: "fine" };
      },
    });
    const refused = await ex.executeCodeBlocks([
      { language: "sh", code: "touch made.txt; rm -rf /tmp/nothing" },
    ]);
    expect(refused).toEqual({
      exitCode: 1,
      output: "Code execution was not approved. Reason: deleting files is not allowed",
      approved: false,
    });
    expect(seen[0]).toBe("```sh\ntouch made.txt; rm -rf /tmp/nothing\n```");
    const allowed = await ex.executeCodeBlocks([{ language: "sh", code: "echo ok" }]);
    expect(allowed.output).toBe("ok\n");
  });

  it("cancels a running execution through its signal and kills its processes", async () => {
    const marker = `autogen-cancel-${randomUUID()}`;
    const controller = new AbortController();
    const ex = executor();
    const running = ex.executeCodeBlocks([{ language: "python", code: pythonThatLeavesAChild(marker) }], {
      signal: controller.signal,
    });
    while (processesWithMarker(marker).length === 0) await new Promise((r) => setTimeout(r, 50));
    controller.abort();
    const error = await running.catch((e: unknown) => e);
    expect(CancelledError.isInstance(error)).toBe(true);
    expect(await waitUntilGone(marker)).toEqual([]);
    await expect(
      ex.executeCodeBlocks([{ language: "sh", code: "echo x" }], { signal: controller.signal }),
    ).rejects.toSatisfy((e: unknown) => CancelledError.isInstance(e));
  });

  it("kills running code on stop() and deletes a temporary work dir", async () => {
    const marker = `autogen-stop-${randomUUID()}`;
    const ex = new LocalCommandLineCodeExecutor({ timeoutMs: 20_000 });
    const running = ex.executeCodeBlocks([{ language: "python", code: pythonThatLeavesAChild(marker) }]);
    while (processesWithMarker(marker).length === 0) await new Promise((r) => setTimeout(r, 50));
    const dir = ex.workDir!;
    expect(existsSync(dir)).toBe(true);
    await ex.stop();
    const result = await running;
    expect(result.exitCode).not.toBe(0);
    expect(await waitUntilGone(marker)).toEqual([]);
    expect(existsSync(dir)).toBe(false);
  });

  it("reports a Python that cannot start as a configuration error", async () => {
    const ex = executor({ pythonPath: "/nonexistent/python3" });
    await expect(ex.executeCodeBlocks([{ language: "python", code: "print(1)" }])).rejects.toMatchObject({
      name: "ToolError",
      code: "invalid_config",
    });
  });

  it("rejects bad options with ValidationError", () => {
    const bad = [
      () => new LocalCommandLineCodeExecutor({ timeoutMs: 0 }),
      () => new LocalCommandLineCodeExecutor({ maxOutputBytes: -1 }),
      () => new LocalCommandLineCodeExecutor({ envPassthrough: ["NOT VALID"] }),
      () =>
        new LocalCommandLineCodeExecutor({
          functions: [
            new FunctionTool({
              name: "bad-name",
              description: "",
              parameters: { type: "object" },
              run: () => 1,
            }),
          ],
        }),
    ];
    for (const make of bad) {
      let error: unknown;
      try {
        make();
      } catch (e) {
        error = e;
      }
      expect(ValidationError.isInstance(error)).toBe(true);
    }
  });
});
