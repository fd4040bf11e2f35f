/**
 * Attacks through `autogen-ts run`: a file whose MCP server is a command (it would run when the agent
 * lists its tools), and a CodeExecutorAgent whose executor the file leaves unsandboxed while the user
 * asked for `--sandbox`. Each runs the real command line as a child process and checks that nothing ran
 * outside the guard.
 */
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkSandbox } from "../../../ext/src/code-executors/local/sandbox.js";
import { cli } from "../support.js";

let dir: string;
let sandboxProblem: string | undefined;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "autogen-attack-cli-"));
  sandboxProblem = await checkSandbox("bwrap").then(
    () => undefined,
    (error: Error) => error.message,
  );
  if (sandboxProblem !== undefined) {
    if (process.env.CI === "true") throw new Error(`The sandbox attack cannot run: ${sandboxProblem}`);
    process.stderr.write(`Skipping the --sandbox attack: ${sandboxProblem}\n`);
  }
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("autogen-ts run", () => {
  it("mcp-stdio-without-allow-code: a file's MCP server command does not run without --allow-code", async () => {
    const marker = join(dir, "mcp-ran");
    const doc = {
      provider: "autogen_agentchat.agents.AssistantAgent",
      component_type: "agent",
      config: {
        name: "helper",
        model_client: {
          provider: "autogen_ext.models.openai.OpenAIChatCompletionClient",
          component_type: "model",
          // Nothing listens there: the run would fail at the model call, after the tools were listed.
          config: { model: "gpt-4o", api_key: "sk-test", base_url: "http://127.0.0.1:9/v1" },
        },
        workbench: [
          {
            provider: "autogen_ext.tools.mcp.McpWorkbench",
            component_type: "workbench",
            config: {
              server_params: { type: "StdioServerParams", command: "sh", args: ["-c", `touch ${marker}`] },
            },
          },
        ],
      },
    };
    const file = join(dir, "mcp.json");
    await writeFile(file, JSON.stringify(doc));
    const run = await cli(["run", file, "--task", "hi"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/config\.workbench\[0\]: autogen_ext\.tools\.mcp\.McpWorkbench carries code/);
    expect(existsSync(marker)).toBe(false);
  });

  it("sandbox-covers-code-executor-agent: --sandbox sandboxes a CodeExecutorAgent's unsandboxed executor", async (ctx) => {
    if (sandboxProblem !== undefined) return ctx.skip();
    const marker = join(dir, "executor-escaped");
    const doc = {
      provider: "autogen_agentchat.agents.CodeExecutorAgent",
      component_type: "agent",
      config: {
        name: "runner",
        code_executor: {
          provider: "autogen_ext.code_executors.local.LocalCommandLineCodeExecutor",
          component_type: "code_executor",
          config: { timeout: 20, sandbox: false },
        },
      },
    };
    const file = join(dir, "executor.json");
    await writeFile(file, JSON.stringify(doc));
    const task = `Run this:\n\`\`\`sh\ntouch ${marker} && echo wrote-$((40+2))\n\`\`\``;
    const run = await cli(["run", file, "--task", task, "--sandbox"]);
    expect(run.stderr).toContain("every code executor of this run runs in the bubblewrap sandbox");
    expect(run.code).toBe(0);
    // The sandbox has a private /tmp: the host's dir is not there to write into.
    expect(existsSync(marker)).toBe(false);
    expect(run.stdout).not.toContain("wrote-42");
  });

  it("unsandboxed-executor-without-allow-code: an unsandboxed executor in a file needs --allow-code", async () => {
    const doc = {
      provider: "autogen_agentchat.agents.CodeExecutorAgent",
      component_type: "agent",
      config: {
        name: "runner",
        code_executor: {
          provider: "autogen_ext.code_executors.local.LocalCommandLineCodeExecutor",
          component_type: "code_executor",
          config: { timeout: 20 },
        },
      },
    };
    const file = join(dir, "executor-plain.json");
    await writeFile(file, JSON.stringify(doc));
    const marker = join(dir, "plain-ran");
    const run = await cli(["run", file, "--task", `\`\`\`sh\ntouch ${marker}\n\`\`\``]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/config\.code_executor: .*LocalCommandLineCodeExecutor carries code/);
    expect(existsSync(marker)).toBe(false);
  });

  it("validate-without-key: validate checks a file whose key is unset without failing on it", async () => {
    const doc = {
      provider: "autogen_agentchat.agents.AssistantAgent",
      config: {
        name: "helper",
        model_client: {
          provider: "autogen_ext.models.openai.OpenAIChatCompletionClient",
          config: { model: "gpt-4o", api_key: { $env: "OPENAI_API_KEY" } },
        },
      },
    };
    const file = join(dir, "no-key.json");
    await writeFile(file, JSON.stringify(doc));
    const run = await cli(["validate", file]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("valid");
  });

  it("validate-typo: validate names a typo's path and suggests the field", async () => {
    const doc = {
      provider: "autogen_ext.models.openai.OpenAIChatCompletionClient",
      config: { model: "gpt-4o", temprature: 0.3 },
    };
    const file = join(dir, "typo.json");
    await writeFile(file, JSON.stringify(doc));
    const run = await cli(["validate", file]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/config\.temprature: is not a field of .*did you mean "temperature"\?/);
  });
});
