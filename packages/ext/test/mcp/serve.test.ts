/**
 * serveMcp driven by the official SDK client: over stdio (a spawned script serving an AssistantAgent)
 * and over Streamable HTTP (in this process). Lists the tool, calls it, receives progress, gets the
 * answer; cancels a call mid-run and checks the run's signal aborted.
 */
import { readFile } from "node:fs/promises";
import { request } from "node:http";
import { join } from "node:path";
import { AssistantAgent, MaxMessageTermination, RoundRobinGroupChat } from "@autogen-ts/agentchat";
import { FunctionTool, ValidationError } from "@autogen-ts/core";
import { ReplayChatCompletionClient } from "@autogen-ts/core/testing";
import { type McpServerHandle, serveMcp } from "@autogen-ts/ext/mcp/server";
import { McpWorkbench } from "@autogen-ts/ext/tools/mcp";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { ProgressNotificationSchema } from "@modelcontextprotocol/sdk/types.js";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ROOT, tempDir } from "./support.js";

const FIXTURE = join(import.meta.dirname, "fixtures", "serve-agent.ts");

interface Progress {
  progress: number;
  message?: string;
}

function stdioClientTransport(env: Record<string, string> = {}) {
  return new StdioClientTransport({
    command: process.execPath,
    args: ["--conditions=@autogen-ts/source", "--import", "tsx", FIXTURE],
    cwd: ROOT,
    env,
    stderr: "pipe",
  });
}

function replayAgent(options: { slow?: { aborted: () => void }; calls?: number } = {}): AssistantAgent {
  const lookup = new FunctionTool({
    name: "lookup",
    description: "Looks up the weather of a city.",
    parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
    run: async (args: { city: string }, { signal }) => {
      if (options.slow) {
        // The cancellation may arrive before the tool starts.
        if (!signal.aborted) {
          await new Promise<void>((resolve) =>
            signal.addEventListener("abort", () => resolve(), { once: true }),
          );
        }
        options.slow.aborted();
        return "cancelled";
      }
      return `Sunny in ${args.city}`;
    },
  });
  const responses = Array.from({ length: options.calls ?? 1 }, (_, i) => [
    { content: [{ id: `call_${i}`, name: "lookup", arguments: `{"city":"City${i}"}` }] },
    `Answer ${i}: sunny.`,
  ]).flat();
  return new AssistantAgent({
    name: "weather_agent",
    description: "Answers questions about the weather.",
    modelClient: new ReplayChatCompletionClient({ responses }),
    tools: [lookup],
    reflectOnToolUse: true,
  });
}

describe("serveMcp over stdio (official SDK client, spawned script)", () => {
  it("lists the agent's tool, runs a task with progress, and returns the answer", async () => {
    const client = new Client({ name: "test-host", version: "1.0.0" });
    await client.connect(stdioClientTransport());
    try {
      const { tools } = await client.listTools();
      expect(tools).toHaveLength(1);
      expect(tools[0]).toMatchObject({
        name: "weather_agent",
        description: "Answers questions about the weather.",
        inputSchema: { required: ["task"] },
      });
      // Collected by a notification handler rather than `onprogress`: the SDK client drops progress that
      // it reads in the same chunk as the response (its notification handlers run a microtask late).
      const progress: Progress[] = [];
      client.setNotificationHandler(ProgressNotificationSchema, (n) => {
        progress.push({
          progress: n.params.progress,
          ...(n.params.message ? { message: n.params.message } : {}),
        });
      });
      const result = await client.callTool(
        { name: "weather_agent", arguments: { task: "Weather in Oslo?" } },
        undefined,
        {
          onprogress: () => {},
        },
      );
      expect(result.isError).toBeFalsy();
      expect(result.content).toEqual([{ type: "text", text: "It is sunny in Oslo." }]);
      expect(progress.map((p) => p.progress)).toEqual([1, 2, 3, 4]);
      expect(progress.map((p) => p.message)).toEqual([
        "user (TextMessage): Weather in Oslo?",
        'weather_agent (ToolCallRequestEvent): lookup({"city":"Oslo"})',
        "weather_agent (ToolCallExecutionEvent): lookup: Sunny in Oslo",
        "weather_agent (TextMessage): It is sunny in Oslo.",
      ]);
      expect(result.structuredContent).toMatchObject({
        answer: "It is sunny in Oslo.",
        messages: expect.any(Array),
      });

      const missing = await client.callTool({ name: "weather_agent", arguments: {} });
      expect(missing.isError).toBe(true);
      const unknown = await client.callTool({ name: "other", arguments: { task: "x" } });
      expect(unknown.isError).toBe(true);
    } finally {
      await client.close();
    }
  });

  it("aborts the run when the client cancels the call", async () => {
    const dir = await tempDir();
    const marker = join(dir.path, "marker");
    const client = new Client({ name: "test-host", version: "1.0.0" });
    await client.connect(stdioClientTransport({ SLOW: "1", MARKER: marker }));
    try {
      const controller = new AbortController();
      const call = client.callTool({ name: "weather_agent", arguments: { task: "Weather?" } }, undefined, {
        signal: controller.signal,
        onprogress: (p) => {
          if (p.message?.includes("ToolCallRequestEvent")) controller.abort("user stopped it");
        },
      });
      await expect(call).rejects.toThrow(/user stopped it/);
      await vi.waitFor(async () => expect(await readFile(marker, "utf8")).toBe("aborted"), {
        timeout: 10_000,
      });
    } finally {
      await client.close();
      await dir.remove();
    }
  });
});

describe("serveMcp over Streamable HTTP (official SDK client)", () => {
  let handle: McpServerHandle | undefined;
  afterEach(async () => {
    await handle?.close();
    handle = undefined;
  });

  async function connect(url: string): Promise<Client> {
    const client = new Client({ name: "test-host", version: "1.0.0" });
    await client.connect(new StreamableHTTPClientTransport(new URL(url)));
    return client;
  }

  it("lists the tool, streams progress, answers, and queues concurrent calls on a shared agent", async () => {
    handle = await serveMcp(replayAgent({ calls: 3 }), { transport: "http" });
    expect(handle.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
    const client = await connect(handle.url!);
    try {
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name)).toEqual(["weather_agent"]);
      const progress: Progress[] = [];
      client.setNotificationHandler(ProgressNotificationSchema, (n) => {
        progress.push({
          progress: n.params.progress,
          ...(n.params.message ? { message: n.params.message } : {}),
        });
      });
      const first = await client.callTool(
        { name: "weather_agent", arguments: { task: "Weather?" } },
        undefined,
        {
          onprogress: () => {},
        },
      );
      expect(first.content).toEqual([{ type: "text", text: "Answer 0: sunny." }]);
      expect(progress.map((p) => p.message)).toEqual([
        "user (TextMessage): Weather?",
        'weather_agent (ToolCallRequestEvent): lookup({"city":"City0"})',
        "weather_agent (ToolCallExecutionEvent): lookup: Sunny in City0",
        "weather_agent (TextMessage): Answer 0: sunny.",
      ]);
      // Two calls at once on one agent run one after the other, each with its own answer.
      const [second, third] = await Promise.all([
        client.callTool({ name: "weather_agent", arguments: { task: "Again?" } }),
        client.callTool({ name: "weather_agent", arguments: { task: "And again?" } }),
      ]);
      expect([second.content, third.content]).toEqual([
        [{ type: "text", text: "Answer 1: sunny." }],
        [{ type: "text", text: "Answer 2: sunny." }],
      ]);
      // The replay model is out of answers: a failed run is an error result, not a broken server.
      const failed = await client.callTool({ name: "weather_agent", arguments: { task: "Once more?" } });
      expect(failed.isError).toBe(true);
      expect(JSON.stringify(failed.content)).toMatch(/The run failed/);
    } finally {
      await client.close();
    }
  });

  it("aborts the run's signal when the client cancels, and serves the next call", async () => {
    let aborted = () => {};
    const sawAbort = new Promise<void>((resolve) => {
      aborted = resolve;
    });
    let fresh = 0;
    handle = await serveMcp(
      () => {
        fresh++;
        return fresh === 1 ? replayAgent({ slow: { aborted } }) : replayAgent();
      },
      { transport: "http", toolName: "weather" },
    );
    const client = await connect(handle.url!);
    try {
      const controller = new AbortController();
      const call = client.callTool({ name: "weather", arguments: { task: "Weather?" } }, undefined, {
        signal: controller.signal,
        onprogress: (p) => {
          if (p.message?.includes("ToolCallRequestEvent")) controller.abort();
        },
      });
      await expect(call).rejects.toThrow();
      await sawAbort;
      const next = await client.callTool({ name: "weather", arguments: { task: "Weather now?" } });
      expect(next.content).toEqual([{ type: "text", text: "Answer 0: sunny." }]);
    } finally {
      await client.close();
    }
  });

  it("serves a team: progress carries every member's messages, the answer is the last one", async () => {
    const team = new RoundRobinGroupChat({
      name: "desk",
      description: "A writer and an editor.",
      participants: [
        new AssistantAgent({
          name: "writer",
          modelClient: new ReplayChatCompletionClient({ responses: ["Draft: the sea is blue."] }),
        }),
        new AssistantAgent({
          name: "editor",
          modelClient: new ReplayChatCompletionClient({ responses: ["Final: the sea is deep blue."] }),
        }),
      ],
      terminationCondition: new MaxMessageTermination({ maxMessages: 3 }),
    });
    handle = await serveMcp(team, { transport: "http", answer: "all" });
    const client = await connect(handle.url!);
    try {
      const { tools } = await client.listTools();
      expect(tools.map((t) => [t.name, t.description])).toEqual([["desk", "A writer and an editor."]]);
      const progress: string[] = [];
      client.setNotificationHandler(ProgressNotificationSchema, (n) => {
        progress.push(n.params.message ?? "");
      });
      const result = await client.callTool(
        { name: "desk", arguments: { task: "Describe the sea." } },
        undefined,
        {
          onprogress: () => {},
        },
      );
      expect(progress).toEqual([
        "user (TextMessage): Describe the sea.",
        "writer (TextMessage): Draft: the sea is blue.",
        "editor (TextMessage): Final: the sea is deep blue.",
      ]);
      expect(result.content).toEqual([
        {
          type: "text",
          text: "user: Describe the sea.\n\nwriter: Draft: the sea is blue.\n\neditor: Final: the sea is deep blue.",
        },
      ]);
      expect(result.structuredContent).toMatchObject({ stopReason: expect.stringMatching(/message/i) });
    } finally {
      await client.close();
    }
  });

  it("answers unknown sessions with 404, other hosts with 403, and bad requests with 400", async () => {
    handle = await serveMcp(replayAgent(), { transport: "http" });
    const url = handle.url!;
    const post = (headers: Record<string, string>, body: string) =>
      fetch(url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          accept: "application/json, text/event-stream",
          ...headers,
        },
        body,
      });
    const ping = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "ping" });
    expect((await post({ "mcp-session-id": "no-such-session" }, ping)).status).toBe(404);
    expect((await post({}, ping)).status).toBe(400);
    expect((await post({}, "{not json")).status).toBe(400);
    expect((await fetch(url)).status).toBe(400);
    expect((await fetch(url.replace("/mcp", "/other"))).status).toBe(404);
    // A page on another site resolving its name to 127.0.0.1 sends its own Host header.
    const rebinding = await new Promise<number>((resolve, reject) => {
      const req = request(url, {
        method: "POST",
        headers: { host: "evil.example", "content-type": "application/json" },
      });
      req.on("response", (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on("error", reject);
      req.end(ping);
    });
    expect(rebinding).toBe(403);
  });

  it("serves McpWorkbench over 2026-07-28, statelessly: a restarted server just goes on", async () => {
    handle = await serveMcp(replayAgent({ calls: 2 }), { transport: "http" });
    const port = handle.port!;
    const workbench = new McpWorkbench({ server: { url: handle.url! } });
    try {
      const progress: string[] = [];
      const first = await workbench.callTool(
        "weather_agent",
        { task: "Weather?" },
        { onProgress: (p) => progress.push(p.message ?? "") },
      );
      expect(first.result).toEqual([{ type: "text", text: "Answer 0: sunny." }]);
      expect(progress).toHaveLength(4);
      // The workbench's server/discover probe is answered: the stateless revision.
      expect(await workbench.serverInfo()).toMatchObject({ protocolVersion: "2026-07-28", era: "modern" });
      await handle.close();
      handle = await serveMcp(replayAgent(), { transport: "http", port });
      const again = await workbench.callTool("weather_agent", { task: "Weather?" });
      expect(again.result).toEqual([{ type: "text", text: "Answer 0: sunny." }]);
    } finally {
      await workbench.stop();
    }
  });

  it("serves a 2025-11-25 McpWorkbench in a session, which re-initialises after the server restarts (404)", async () => {
    handle = await serveMcp(replayAgent({ calls: 2 }), { transport: "http" });
    const port = handle.port!;
    const workbench = new McpWorkbench({ server: { url: handle.url! }, protocol: "legacy" });
    try {
      const first = await workbench.callTool("weather_agent", { task: "Weather?" });
      expect(first.result).toEqual([{ type: "text", text: "Answer 0: sunny." }]);
      expect(await workbench.serverInfo()).toMatchObject({ protocolVersion: "2025-11-25", era: "legacy" });
      await handle.close();
      handle = await serveMcp(replayAgent(), { transport: "http", port });
      const again = await workbench.callTool("weather_agent", { task: "Weather?" });
      expect(again.result).toEqual([{ type: "text", text: "Answer 0: sunny." }]);
    } finally {
      await workbench.stop();
    }
  });

  it("rejects a bad tool name, an unknown transport, and a port in use", async () => {
    await expect(serveMcp(replayAgent(), { transport: "http", toolName: "has spaces" })).rejects.toSatisfy(
      ValidationError.isInstance,
    );
    await expect(serveMcp(replayAgent(), { transport: "carrier-pigeon" as "http" })).rejects.toSatisfy(
      ValidationError.isInstance,
    );
    handle = await serveMcp(replayAgent(), { transport: "http" });
    await expect(serveMcp(replayAgent(), { transport: "http", port: handle.port! })).rejects.toThrow(
      /EADDRINUSE/,
    );
  });
});
