/**
 * A model that misbehaves, by accident or because a page or a tool result told it to: calls to tools it
 * was not given, arguments that are not JSON or not the tool's schema, and code that tries to leave the
 * executor's folder. Each becomes an error the model reads (or a refusal), the run goes on, and nothing
 * outside the guards happens. (The model clients' own wire misbehaviour is in their client tests.)
 */
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AssistantAgent, CodeExecutorAgent, ToolCallExecutionEvent } from "@autogen-ts/agentchat";
import { FunctionTool } from "@autogen-ts/core";
import { ReplayChatCompletionClient } from "@autogen-ts/core/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LocalCommandLineCodeExecutor } from "../../src/code-executors/local/index.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "autogen-attack-model-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

let ran = 0;
const add = new FunctionTool<{ a: number; b: number }>({
  name: "add",
  description: "Adds two numbers.",
  parameters: {
    type: "object",
    properties: { a: { type: "number" }, b: { type: "number" } },
    required: ["a", "b"],
    additionalProperties: false,
  },
  run: ({ a, b }) => {
    ran++;
    return String(a + b);
  },
});

function calls(...list: { name: string; arguments: string }[]) {
  return { content: list.map((c, i) => ({ id: `call_${i}`, ...c })) };
}

async function results(response: ReturnType<typeof calls>) {
  const model = new ReplayChatCompletionClient({
    modelInfo: { functionCalling: true, vision: false },
    responses: [response, "done"],
  });
  const agent = new AssistantAgent({ name: "a", modelClient: model, tools: [add], reflectOnToolUse: true });
  const result = await agent.run({ task: "go" });
  const execution = result.messages.find(
    (m) => m instanceof ToolCallExecutionEvent,
  ) as ToolCallExecutionEvent;
  return { execution, result };
}

describe("a misbehaving model", () => {
  it("unknown-tool: a call to a tool it was not given is an error result, nothing runs", async () => {
    const before = ran;
    const { execution, result } = await results(calls({ name: "delete_everything", arguments: "{}" }));
    expect(execution.content[0]).toMatchObject({ isError: true });
    expect(execution.content[0]?.content).toMatch(/delete_everything/);
    expect(ran).toBe(before);
    expect(result.messages.at(-1)?.toJSON()).toMatchObject({ content: "done" });
  });

  it("non-json-arguments: arguments that are not JSON are an error result", async () => {
    const before = ran;
    const { execution } = await results(calls({ name: "add", arguments: '{"a": 1, "b": ' }));
    expect(execution.content[0]).toMatchObject({ isError: true });
    expect(ran).toBe(before);
  });

  it("schema-violating-arguments: extra or mistyped arguments are refused before the tool runs", async () => {
    const before = ran;
    const { execution } = await results(
      calls(
        { name: "add", arguments: '{"a": "1; rm -rf /", "b": 2}' },
        { name: "add", arguments: '{"a": 1, "b": 2, "__proto__": {"polluted": true}}' },
      ),
    );
    expect(execution.content.map((r) => r.isError)).toEqual([true, true]);
    expect(ran).toBe(before);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("code-leaving-its-folder: code the model sends with a filename outside the folder is refused", async () => {
    const executor = new LocalCommandLineCodeExecutor({ workDir: join(dir, "work") });
    const agent = new CodeExecutorAgent({ name: "runner", codeExecutor: executor });
    const target = join(dir, "escaped.sh");
    try {
      const result = await agent.run({ task: `\`\`\`sh\n# filename: ../escaped.sh\necho pwned\n\`\`\`` });
      expect(JSON.stringify(result.messages.map((m) => m.toJSON()))).toMatch(
        /filename comment must name a file inside/,
      );
      expect(existsSync(target)).toBe(false);
    } finally {
      await executor.stop();
    }
  });
});
