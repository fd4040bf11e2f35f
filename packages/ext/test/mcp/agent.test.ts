/**
 * AssistantAgent (on the replay model) using MCP servers through McpWorkbench: the ToolCallExecutionEvent
 * carries the server's answer; tools of two MCP servers and local tools mix; an agent served over MCP is
 * a tool of another agent.
 */
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import {
  AssistantAgent,
  MaxMessageTermination,
  RoundRobinGroupChat,
  ToolCallExecutionEvent,
  ToolCallRequestEvent,
} from "@autogen-ts/agentchat";
import { FunctionTool, StaticWorkbench } from "@autogen-ts/core";
import { ReplayChatCompletionClient } from "@autogen-ts/core/testing";
import { serveMcp } from "@autogen-ts/ext/mcp/server";
import { McpWorkbench } from "@autogen-ts/ext/tools/mcp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bin, tempDir } from "./support.js";

const everything = { command: bin("mcp-server-everything"), args: ["stdio"] };

function executions(messages: readonly unknown[]): ToolCallExecutionEvent[] {
  return messages.filter((m): m is ToolCallExecutionEvent => m instanceof ToolCallExecutionEvent);
}

describe("AssistantAgent with MCP workbenches", () => {
  let dir: { path: string; remove: () => Promise<void> };
  beforeAll(async () => {
    dir = await tempDir();
    await writeFile(join(dir.path, "plan.txt"), "ship on Friday");
  });
  afterAll(() => dir.remove());

  it("calls a server-everything tool, and the ToolCallExecutionEvent carries the server's answer", async () => {
    const workbench = new McpWorkbench({ server: everything });
    const model = new ReplayChatCompletionClient({
      responses: [{ content: [{ id: "c1", name: "get-sum", arguments: '{"a": 2, "b": 40}' }] }, "It is 42."],
    });
    const agent = new AssistantAgent({ name: "calc", modelClient: model, workbench, reflectOnToolUse: true });
    try {
      const result = await agent.run({ task: "What is 2 + 40?" });
      const [execution] = executions(result.messages);
      expect(execution?.content).toEqual([
        { name: "get-sum", callId: "c1", content: "The sum of 2 and 40 is 42.", isError: false },
      ]);
      expect(result.messages.at(-1)?.toText()).toBe("It is 42.");
      const offered = model.requests[0]?.options.tools?.map((t) => t.name) ?? [];
      expect(offered).toEqual(expect.arrayContaining(["echo", "get-sum", "get-tiny-image"]));
    } finally {
      await workbench.stop();
    }
  });

  it("calls an MCP tool inside a team run", async () => {
    const workbench = new McpWorkbench({ server: everything, toolNamePrefix: "ev_" });
    const researcher = new AssistantAgent({
      name: "researcher",
      modelClient: new ReplayChatCompletionClient({
        responses: [{ content: [{ id: "e1", name: "ev_echo", arguments: '{"message":"from the team"}' }] }],
      }),
      workbench,
    });
    const writer = new AssistantAgent({
      name: "writer",
      modelClient: new ReplayChatCompletionClient({ responses: ["Written up."] }),
    });
    const team = new RoundRobinGroupChat({
      participants: [researcher, writer],
      terminationCondition: new MaxMessageTermination({ maxMessages: 3 }),
    });
    try {
      const result = await team.run({ task: "Research, then write." });
      const [execution] = executions(result.messages);
      expect(execution?.source).toBe("researcher");
      expect(execution?.content).toEqual([
        { name: "ev_echo", callId: "e1", content: "Echo: from the team", isError: false },
      ]);
      expect(result.messages.at(-1)?.toText()).toBe("Written up.");
    } finally {
      await workbench.stop();
    }
  });

  it("mixes the tools of two MCP servers with local tools in one turn", async () => {
    const ev = new McpWorkbench({ server: everything, toolNamePrefix: "ev_" });
    const fs = new McpWorkbench({
      server: { command: bin("mcp-server-filesystem"), args: [dir.path] },
      toolNamePrefix: "fs_",
    });
    const clock = new FunctionTool({
      name: "local_clock",
      description: "The current time.",
      parameters: { type: "object", properties: {} },
      run: () => "12:00",
    });
    const model = new ReplayChatCompletionClient({
      responses: [
        {
          content: [
            { id: "a", name: "ev_echo", arguments: '{"message":"hi"}' },
            {
              id: "b",
              name: "fs_read_text_file",
              arguments: JSON.stringify({ path: join(dir.path, "plan.txt") }),
            },
            { id: "c", name: "local_clock", arguments: "{}" },
            { id: "d", name: "fs_read_text_file", arguments: JSON.stringify({ path: "/etc/passwd" }) },
          ],
        },
        "Done.",
      ],
    });
    const agent = new AssistantAgent({
      name: "mixer",
      modelClient: model,
      workbench: [new StaticWorkbench({ tools: [clock] }), ev, fs],
      reflectOnToolUse: true,
    });
    try {
      const result = await agent.run({ task: "Use everything." });
      const requested = result.messages.find((m) => m instanceof ToolCallRequestEvent);
      expect(requested).toBeDefined();
      const [execution] = executions(result.messages);
      const byId = new Map(execution?.content.map((r) => [r.callId, r]));
      expect(byId.get("a")).toMatchObject({ name: "ev_echo", content: "Echo: hi", isError: false });
      expect(byId.get("b")).toMatchObject({
        name: "fs_read_text_file",
        content: "ship on Friday",
        isError: false,
      });
      expect(byId.get("c")).toMatchObject({ name: "local_clock", content: "12:00", isError: false });
      expect(byId.get("d")).toMatchObject({ name: "fs_read_text_file", isError: true });
      expect(byId.get("d")?.content).toMatch(/denied|outside/i);

      const offered = model.requests[0]?.options.tools?.map((t) => t.name) ?? [];
      expect(offered).toEqual(
        expect.arrayContaining(["local_clock", "ev_echo", "ev_get-sum", "fs_read_text_file"]),
      );
      expect(new Set(offered).size).toBe(offered.length);
    } finally {
      await Promise.all([ev.stop(), fs.stop()]);
    }
  });

  it("uses another agent served over MCP as a tool", async () => {
    const inner = new AssistantAgent({
      name: "poet",
      description: "Writes one-line poems.",
      modelClient: new ReplayChatCompletionClient({ responses: ["Moonlight on the bay."] }),
    });
    const served = await serveMcp(inner, { transport: "http" });
    const workbench = new McpWorkbench({ server: { url: served.url! } });
    const outer = new AssistantAgent({
      name: "editor",
      modelClient: new ReplayChatCompletionClient({
        responses: [{ content: [{ id: "p", name: "poet", arguments: '{"task":"A poem about the sea."}' }] }],
      }),
      workbench,
    });
    try {
      const result = await outer.run({ task: "Get me a poem." });
      const [execution] = executions(result.messages);
      expect(execution?.content).toEqual([
        { name: "poet", callId: "p", content: "Moonlight on the bay.", isError: false },
      ]);
    } finally {
      await workbench.stop();
      await served.close();
    }
  });
});
