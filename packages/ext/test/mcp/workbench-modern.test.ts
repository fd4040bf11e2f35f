/**
 * McpWorkbench against servers built on the v2 SDK that speak the stateless 2026-07-28 revision, over
 * stdio (`serveStdio`, a spawned script) and Streamable HTTP (`createMcpHandler`, in this process): the
 * negotiated revision, tools, `input_required` round trips answered by the model client and by the
 * elicitation function, tool-list changes through `subscriptions/listen`, cancellation; and the fallback to
 * 2025-11-25 and 2024-11-05 servers.
 */
import { join } from "node:path";
import { CancelledError, ToolError } from "@autogen-ts/core";
import { ReplayChatCompletionClient } from "@autogen-ts/core/testing";
import {
  type McpElicitationRequest,
  type McpServerParams,
  McpWorkbench,
  type McpWorkbenchOptions,
} from "@autogen-ts/ext/tools/mcp";
import { createMcpHandler, type McpHttpHandler } from "@modelcontextprotocol/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type ModernServerState, makeModernServer, newState } from "./fixtures/modern-server.js";
import {
  bin,
  type FetchServer,
  readPid,
  serveFetch,
  startEverythingHttp,
  stdioWithPidFile,
  tempDir,
} from "./support.js";

const FIXTURES = join(import.meta.dirname, "fixtures");

const modernStdio: McpServerParams = {
  command: process.execPath,
  args: ["--import", "tsx", join(FIXTURES, "modern-stdio.ts")],
};

function text(result: { result: readonly { type: string; text?: string }[] }): string {
  return result.result.map((p) => (p.type === "text" ? p.text : `[${p.type}]`)).join("\n");
}

/**
 * The same checks on both transports. `cancellations` tells how many calls the server saw cancelled
 * (over stdio each workbench has its own server process, so it asks that workbench's server).
 */
function modernSuite(
  transport: string,
  params: () => McpServerParams,
  cancellations: (workbench: McpWorkbench) => Promise<number>,
) {
  const open = (options: Omit<McpWorkbenchOptions, "server"> = {}) =>
    new McpWorkbench({ ...options, server: params() });

  describe(`McpWorkbench on a 2026-07-28 server over ${transport}`, () => {
    it("negotiates 2026-07-28 through server/discover and lists and calls tools", async () => {
      const workbench = open();
      try {
        const info = await workbench.serverInfo();
        expect(info).toMatchObject({
          name: "modern-fixture",
          version: "2.0.0",
          protocolVersion: "2026-07-28",
          era: "modern",
          instructions: "A test server.",
        });
        const tools = await workbench.listTools();
        expect(tools.map((t) => t.name)).toEqual(
          expect.arrayContaining(["echo", "ask-model", "confirm", "add-tool", "slow"]),
        );
        expect(tools.find((t) => t.name === "echo")?.parameters).toMatchObject({
          type: "object",
          properties: { message: { type: "string" } },
        });
        expect(await workbench.callTool("echo", { message: "modern" })).toEqual({
          name: "echo",
          result: [{ type: "text", text: "Echo: modern" }],
          isError: false,
        });
        const bad = await workbench.callTool("echo", { message: 42 });
        expect(bad.isError).toBe(true);
        expect(text(await workbench.callTool("nope", {}))).toMatch(/Unknown tool "nope"/);
      } finally {
        await workbench.stop();
      }
    });

    it("answers an input_required sampling request with the model client and retries the call", async () => {
      const model = new ReplayChatCompletionClient({ responses: ["Forty-two."] });
      const workbench = open({ modelClient: model });
      try {
        const result = await workbench.callTool("ask-model", { question: "The answer?" });
        expect(result).toMatchObject({ isError: false });
        expect(text(result)).toBe("The model said: Forty-two.");
        expect(model.requests).toHaveLength(1);
        expect(model.requests[0]?.messages).toEqual([
          { type: "SystemMessage", content: "Answer briefly." },
          expect.objectContaining({ type: "UserMessage", content: "The answer?" }),
        ]);
      } finally {
        await workbench.stop();
      }
    });

    it("fails the call clearly when the server needs sampling and no model client is given", async () => {
      const workbench = open();
      try {
        const result = await workbench.callTool("ask-model", { question: "The answer?" });
        expect(result.isError).toBe(true);
        expect(text(result)).toMatch(/sampling/i);
        // The connection is still good.
        expect(text(await workbench.callTool("echo", { message: "after" }))).toBe("Echo: after");
      } finally {
        await workbench.stop();
      }
    });

    it("routes an input_required form to the elicitation function (accept and decline)", async () => {
      const asked: McpElicitationRequest[] = [];
      let answer: "accept" | "decline" = "accept";
      const workbench = open({
        elicitation: async (request, { server }) => {
          asked.push(request);
          expect(server).toContain(transport === "stdio" ? "modern-stdio.ts" : "127.0.0.1");
          return answer === "accept"
            ? { action: "accept", content: { sure: true, note: "go" } }
            : { action: "decline" };
        },
      });
      try {
        expect(text(await workbench.callTool("confirm", { action: "deploy" }))).toBe(
          'deploy: {"sure":true,"note":"go"}',
        );
        expect(asked[0]).toMatchObject({
          mode: "form",
          message: "Really deploy?",
          requestedSchema: { type: "object", required: ["sure"] },
        });
        answer = "decline";
        expect(text(await workbench.callTool("confirm", { action: "delete" }))).toBe("delete: decline");
        expect(asked).toHaveLength(2);
      } finally {
        await workbench.stop();
      }
    });

    it("refreshes the tool list when the server announces a change on its listen stream", async () => {
      const workbench = open();
      let changes = 0;
      workbench.onToolsChanged(() => changes++);
      try {
        const before = (await workbench.listTools()).map((t) => t.name);
        const name = `weather_${transport.replaceAll(" ", "_")}`;
        expect(before).not.toContain(name);
        expect(text(await workbench.callTool("add-tool", { name }))).toBe(`added ${name}`);
        await vi.waitFor(() => expect(changes).toBeGreaterThan(0), { timeout: 10_000 });
        const after = await workbench.listTools();
        expect(after.find((t) => t.name === name)?.description).toBe(`The ${name} tool.`);
        expect(text(await workbench.callTool(name, {}))).toBe(`I am ${name}`);
      } finally {
        await workbench.stop();
      }
    });

    it("cancels a running call: the caller gets CancelledError and the server's handler sees the abort", async () => {
      const workbench = open();
      try {
        const before = await cancellations(workbench);
        const controller = new AbortController();
        const progress: number[] = [];
        const call = workbench.callTool(
          "slow",
          {},
          {
            signal: controller.signal,
            onProgress: (p) => {
              progress.push(p.progress);
              if (p.progress === 2) controller.abort(new Error("enough"));
            },
          },
        );
        await expect(call).rejects.toSatisfy((e) => CancelledError.isInstance(e));
        expect(progress.slice(0, 2)).toEqual([1, 2]);
        await vi.waitFor(async () => expect(await cancellations(workbench)).toBe(before + 1), {
          timeout: 10_000,
        });
        expect(text(await workbench.callTool("echo", { message: "still" }))).toBe("Echo: still");
      } finally {
        await workbench.stop();
      }
    });

    it("speaks 2025-11-25 to the same server when told to skip the probe", async () => {
      const workbench = open({ protocol: "legacy" });
      try {
        expect(await workbench.serverInfo()).toMatchObject({ protocolVersion: "2025-11-25", era: "legacy" });
        expect(text(await workbench.callTool("echo", { message: "old" }))).toBe("Echo: old");
      } finally {
        await workbench.stop();
      }
    });
  });
}

describe("over stdio", () => {
  modernSuite(
    "stdio",
    () => modernStdio,
    async (workbench) => JSON.parse(text(await workbench.callTool("stats", {}))).cancelled as number,
  );

  it("reports a server killed mid-call as an error result and starts it again, on 2026-07-28", async () => {
    const dir = await tempDir();
    const pidFile = join(dir.path, "pid");
    const workbench = new McpWorkbench({
      server: stdioWithPidFile(modernStdio.command, modernStdio.args ?? [], pidFile),
    });
    try {
      expect((await workbench.serverInfo()).era).toBe("modern");
      const firstPid = await readPid(pidFile);
      let killed = false;
      const result = await workbench.callTool(
        "slow",
        {},
        {
          onProgress: () => {
            if (!killed) process.kill(firstPid, "SIGKILL");
            killed = true;
          },
        },
      );
      expect(result.isError).toBe(true);
      expect(text(result)).toMatch(/failed during the call to "slow".*restarted/s);
      expect(text(await workbench.callTool("echo", { message: "back" }))).toBe("Echo: back");
      expect(await readPid(pidFile)).not.toBe(firstPid);
      expect((await workbench.serverInfo()).protocolVersion).toBe("2026-07-28");
    } finally {
      await workbench.stop();
      await dir.remove();
    }
  });
});

describe("over Streamable HTTP", () => {
  let state: ModernServerState;
  let handler: McpHttpHandler;
  let http: FetchServer;
  beforeAll(async () => {
    state = newState();
    handler = createMcpHandler(({ era }) =>
      makeModernServer(state, era, () => handler.notify.toolsChanged()),
    );
    http = await serveFetch((request) => handler.fetch(request));
  });
  afterAll(async () => {
    await handler.close();
    await http.close();
  });

  modernSuite(
    "Streamable HTTP",
    () => ({ url: http.url, headers: { "X-Test": "modern" } }),
    async () => state.cancelled,
  );

  it("is stateless: no session id, the revision in every request, and a server restart needs no re-init", async () => {
    const workbench = new McpWorkbench({ server: { url: http.url } });
    try {
      const seen = http.requests.length;
      expect(text(await workbench.callTool("echo", { message: "a" }))).toBe("Echo: a");
      const posts = http.requests.slice(seen).filter((r) => r.method === "POST");
      expect(posts.length).toBeGreaterThan(0);
      expect(posts.every((r) => r.headers["mcp-session-id"] === undefined)).toBe(true);
      expect(posts.some((r) => r.headers["mcp-protocol-version"] === "2026-07-28")).toBe(true);

      // The server goes away and comes back on the same port: the next call just works.
      const port = Number(new URL(http.url).port);
      await http.close();
      const down = await workbench.callTool("echo", { message: "down" });
      expect(down.isError).toBe(true);
      http = await serveFetch((request) => handler.fetch(request), "/mcp", port);
      await vi.waitFor(
        async () => expect(text(await workbench.callTool("echo", { message: "back" }))).toBe("Echo: back"),
        { timeout: 10_000, interval: 200 },
      );
      expect((await workbench.serverInfo()).protocolVersion).toBe("2026-07-28");
    } finally {
      await workbench.stop();
    }
  });
});

describe("McpWorkbench falling back to older servers", () => {
  it("speaks 2025-11-25 to server-everything over stdio after its server/discover probe fails", async () => {
    const workbench = new McpWorkbench({
      server: { command: bin("mcp-server-everything"), args: ["stdio"] },
    });
    try {
      expect(await workbench.serverInfo()).toMatchObject({
        name: "mcp-servers/everything",
        protocolVersion: "2025-11-25",
        era: "legacy",
      });
      expect(text(await workbench.callTool("echo", { message: "fallback" }))).toBe("Echo: fallback");
    } finally {
      await workbench.stop();
    }
  });

  it("speaks 2025-11-25 to server-everything over Streamable HTTP, with a session", async () => {
    const server = await startEverythingHttp("streamableHttp");
    const workbench = new McpWorkbench({ server: { url: server.url } });
    try {
      expect(await workbench.serverInfo()).toMatchObject({ protocolVersion: "2025-11-25", era: "legacy" });
      expect(text(await workbench.callTool("get-sum", { a: 1, b: 2 }))).toBe("The sum of 1 and 2 is 3.");
    } finally {
      await workbench.stop();
      await server.kill();
    }
  });

  it("speaks 2024-11-05 to a server that knows nothing newer", async () => {
    const workbench = new McpWorkbench({
      server: { command: process.execPath, args: [join(FIXTURES, "old-server.mjs")] },
    });
    try {
      expect(await workbench.serverInfo()).toMatchObject({ protocolVersion: "2024-11-05", era: "legacy" });
      expect(text(await workbench.callTool("shout", { text: "hey" }))).toBe("HEY");
    } finally {
      await workbench.stop();
    }
  });

  it("refuses an older server when told to insist on 2026-07-28", async () => {
    const workbench = new McpWorkbench({
      server: { command: process.execPath, args: [join(FIXTURES, "old-server.mjs")] },
      protocol: "modern",
    });
    try {
      await expect(workbench.start()).rejects.toSatisfy(
        (e) => ToolError.isInstance(e) && /Could not start the MCP server/.test(e.message),
      );
      const result = await workbench.callTool("shout", { text: "x" });
      expect(result.isError).toBe(true);
    } finally {
      await workbench.stop();
    }
  });
});
