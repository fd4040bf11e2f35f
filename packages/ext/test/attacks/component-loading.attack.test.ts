/**
 * Attacks through component documents: code and commands a config carries (an MCP server command, an
 * unsandboxed executor, a function's source) must not load without `allowCode`, and the `sandbox` setting
 * covers every executor a load builds.
 */
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ValidationError } from "@autogen-ts/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LocalCommandLineCodeExecutor } from "../../src/code-executors/local/index.js";
import { loadComponent } from "../../src/components/index.js";
import type { McpWorkbench } from "../../src/tools/mcp/index.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "autogen-attack-load-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function stdioWorkbench(marker: string, typed = true) {
  return {
    provider: "autogen_ext.tools.mcp.McpWorkbench",
    component_type: "workbench",
    config: {
      server_params: {
        ...(typed ? { type: "StdioServerParams" } : {}),
        command: "sh",
        args: ["-c", `touch ${marker}; exit 1`],
      },
    },
  };
}

async function refusal(promise: Promise<unknown>): Promise<ValidationError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(ValidationError.isInstance(error)).toBe(true);
  return error as ValidationError;
}

describe("code a config carries", () => {
  it.each([true, false])(
    "mcp-stdio-command (typed: %s): an MCP server command needs allowCode",
    async (typed) => {
      const marker = join(dir, `mcp-${typed}`);
      const error = await refusal(loadComponent<McpWorkbench>(stdioWorkbench(marker, typed)));
      expect(error.code).toBe("invalid_config");
      expect(error.message).toMatch(/McpWorkbench carries code.*allowCode: true/);
      expect(existsSync(marker)).toBe(false);
    },
  );

  it("mcp-stdio-nested: an MCP command inside an agent inside a team is refused with its path", async () => {
    const marker = join(dir, "nested");
    const doc = {
      provider: "autogen_agentchat.teams.RoundRobinGroupChat",
      component_type: "team",
      config: {
        participants: [
          {
            provider: "autogen_agentchat.agents.AssistantAgent",
            component_type: "agent",
            config: {
              name: "a",
              model_client: {
                provider: "autogen_ext.models.openai.OpenAIChatCompletionClient",
                config: { model: "gpt-4o", api_key: "sk-test" },
              },
              workbench: [stdioWorkbench(marker)],
            },
          },
        ],
      },
    };
    const error = await refusal(loadComponent(doc));
    expect(error.message).toMatch(/^config\.participants\[0\]\.config\.workbench\[0\]: /);
    expect(existsSync(marker)).toBe(false);
  });

  it("mcp-http-is-not-code: an MCP server reached by URL loads without allowCode", async () => {
    const workbench = await loadComponent<McpWorkbench>({
      provider: "autogen_ext.tools.mcp.McpWorkbench",
      config: { server_params: { type: "StreamableHttpServerParams", url: "http://127.0.0.1:9/mcp" } },
    });
    expect(workbench.server).toMatchObject({ url: "http://127.0.0.1:9/mcp" });
  });

  it("mcp-stdio-with-allow-code: the same document loads when the caller trusts it", async () => {
    const workbench = await loadComponent<McpWorkbench>(stdioWorkbench(join(dir, "trusted")), {
      allowCode: true,
    });
    expect(workbench.server).toMatchObject({ command: "sh" });
  });

  const executorDoc = (config: Record<string, unknown>) => ({
    provider: "autogen_ext.code_executors.local.LocalCommandLineCodeExecutor",
    component_type: "code_executor",
    config,
  });

  it("unsandboxed-executor: an executor that would run model code with the user's rights needs allowCode", async () => {
    const error = await refusal(loadComponent(executorDoc({ timeout: 5 })));
    expect(error.message).toMatch(/LocalCommandLineCodeExecutor carries code/);
  });

  it("sandbox-setting-overrides-config: the sandbox setting sandboxes an executor whose config says sandbox: false", async () => {
    const executor = await loadComponent<LocalCommandLineCodeExecutor>(executorDoc({ sandbox: false }), {
      settings: { sandbox: true },
    });
    expect(executor.sandboxed).toBe(true);
  });

  it("function-source: a FunctionTool's source code needs allowCode", async () => {
    const error = await refusal(
      loadComponent({
        provider: "autogen_core.tools.FunctionTool",
        config: {
          name: "f",
          description: "d",
          source_code: "def f() -> str:\n    return 'x'\n",
          global_imports: [],
          has_cancellation_support: false,
        },
      }),
    );
    expect(error.message).toMatch(/carries code/);
  });
});
