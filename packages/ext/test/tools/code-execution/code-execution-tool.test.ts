import { randomUUID } from "node:crypto";
import { rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CancelledError, toolResultText } from "@autogen-ts/core";
import { afterAll, describe, expect, it } from "vitest";
import { LocalCommandLineCodeExecutor } from "../../../src/code-executors/local/index.js";
import {
  CodeExecutionTool,
  JavaScriptCodeExecutionTool,
  PythonCodeExecutionTool,
} from "../../../src/tools/code-execution/index.js";

const workDir = join(tmpdir(), `autogen-tool-test-${randomUUID()}`);
const executor = new LocalCommandLineCodeExecutor({ workDir, timeoutMs: 20_000 });
afterAll(async () => {
  await executor.stop();
  await rm(workDir, { recursive: true, force: true });
});

describe("code execution tools", () => {
  it("describe themselves to a model with one required code argument", () => {
    const tool = new PythonCodeExecutionTool({ executor });
    expect(tool.name).toBe("run_python_code");
    expect(tool.schema.parameters).toMatchObject({ type: "object", required: ["code"] });
    expect(new JavaScriptCodeExecutionTool({ executor }).name).toBe("run_javascript_code");
    expect(new CodeExecutionTool({ executor, language: "bash", name: "shell" }).name).toBe("shell");
  });

  it("run Python from the model's JSON arguments and return what it prints and writes", async () => {
    const tool = new PythonCodeExecutionTool({ executor });
    const result = await tool.call(
      JSON.stringify({ code: "open('r.txt','w').write('1')\nprint(sum(range(10)))" }),
    );
    expect(result.isError).toBe(false);
    expect(toolResultText(result)).toMatch(/^45\nFiles written: run-[^/]+\/r\.txt$/);
  });

  it("run JavaScript with top-level await", async () => {
    const tool = new JavaScriptCodeExecutionTool({ executor });
    const result = await tool.call({ code: "console.log(await Promise.resolve(7 * 6));" });
    expect(toolResultText(result)).toBe("42");
  });

  it("turn failing code into an error result with the exit code and the traceback", async () => {
    const tool = new PythonCodeExecutionTool({ executor });
    const result = await tool.call({ code: "raise ValueError('bad input')" });
    expect(result.isError).toBe(true);
    expect(toolResultText(result)).toMatch(
      /^Error: ToolError: The code exited with code 1\.\n[\s\S]*ValueError: bad input/,
    );
  });

  it("turn a refusal into an error result that says why", async () => {
    const gated = new LocalCommandLineCodeExecutor({
      workDir,
      approvalFunc: () => ({ approved: false, reason: "not now" }),
    });
    const result = await new PythonCodeExecutionTool({ executor: gated }).call({ code: "print(1)" });
    expect(result.isError).toBe(true);
    expect(toolResultText(result)).toBe(
      "Error: ToolError: The code was refused.\nCode execution was not approved. Reason: not now",
    );
  });

  it("give bad arguments back to the model as an error", async () => {
    const result = await new PythonCodeExecutionTool({ executor }).call({ source: "print(1)" });
    expect(result.isError).toBe(true);
  });

  it("reject when cancelled", async () => {
    const controller = new AbortController();
    const call = new PythonCodeExecutionTool({ executor }).call(
      { code: "import time\ntime.sleep(30)" },
      { signal: controller.signal },
    );
    setTimeout(() => controller.abort(), 200);
    await expect(call).rejects.toSatisfy((e: unknown) => CancelledError.isInstance(e));
  });
});
