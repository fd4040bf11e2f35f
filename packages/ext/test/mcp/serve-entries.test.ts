/**
 * serveMcp serving several entries at once, driven by the official v2 client pinned to 2026-07-28 and by
 * 2025-era sessions: agents and a team each a tool with input and output schemas, a FunctionTool,
 * prompts with completions, resources (fixed, templates, component JSON, run transcripts), logging at the
 * level the client sets, bearer auth, and a 2025 stream resumed with Last-Event-ID.
 */
import { AssistantAgent, MaxMessageTermination, RoundRobinGroupChat } from "@autogen-ts/agentchat";
import { FunctionTool, ValidationError } from "@autogen-ts/core";
import { ReplayChatCompletionClient } from "@autogen-ts/core/testing";
import { currentMcpRequest, type McpServerHandle, serveMcp } from "@autogen-ts/ext/mcp/server";
import { OpenAIChatCompletionClient } from "@autogen-ts/ext/models/openai";
import { Client, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import { afterEach, describe, expect, it } from "vitest";

let handle: McpServerHandle | undefined;
afterEach(async () => {
  await handle?.close();
  handle = undefined;
});

const agent = (name: string, replies: string[]) =>
  new AssistantAgent({
    name,
    description: `The ${name}.`,
    modelClient: new ReplayChatCompletionClient({ responses: replies }),
    systemMessage: `You are the ${name}.`,
  });

const shout = new FunctionTool({
  name: "shout",
  description: "Upper-cases a text.",
  parameters: { type: "object", properties: { text: { type: "string" } }, required: ["text"] },
  run: async (args: { text: string }) => {
    await currentMcpRequest()?.log("warning", `shouting ${args.text.length} characters`, "shout");
    return args.text.toUpperCase();
  },
});

function entries() {
  return {
    agents: [
      { agent: agent("researcher", ["Found: 42.", "Found: 43."]) },
      {
        name: "pair",
        description: "Two agents taking turns.",
        agent: () =>
          new RoundRobinGroupChat({
            participants: [agent("researcher", ["Found."]), agent("writer", ["Written."])],
            terminationCondition: new MaxMessageTermination({ maxMessages: 3 }),
          }),
      },
    ],
    tools: [shout],
    prompts: [
      {
        name: "research",
        description: "A research task.",
        arguments: [
          {
            name: "topic",
            required: true,
            complete: (v: string) => ["mcp", "a2a", "autogen"].filter((t) => t.startsWith(v)),
          },
        ],
        render: (a: Readonly<Record<string, string>>) => `Research ${a.topic} and report.`,
      },
    ],
    resources: [
      { uri: "memo://readme", name: "readme", mimeType: "text/markdown", read: () => ({ text: "# Hello" }) },
    ],
  };
}

async function modernClient(url: string, headers: Record<string, string> = {}): Promise<Client> {
  const client = new Client(
    { name: "pinned-host", version: "1.0.0" },
    { versionNegotiation: { mode: { pin: "2026-07-28" } } },
  );
  await client.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers } }));
  return client;
}

describe("serveMcp with several entries", () => {
  it("a client pinned to 2026-07-28 connects, lists every entry, and calls agents, the team and the tool", async () => {
    handle = await serveMcp(entries(), { transport: "http" });
    const client = await modernClient(handle.url!);
    try {
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name)).toEqual(["researcher", "pair", "shout"]);
      expect(tools[0]).toMatchObject({
        inputSchema: { required: ["task"] },
        outputSchema: { required: ["answer", "runId", "messages"] },
      });
      const result = await client.callTool({ name: "researcher", arguments: { task: "Find it." } });
      const structured = result.structuredContent as { answer: string; runId: string; messages: unknown[] };
      expect(structured.answer).toBe("Found: 42.");
      const team = await client.callTool({ name: "pair", arguments: { task: "Write it." } });
      expect((team.structuredContent as { answer: string }).answer).toBe("Written.");
      const shouted = await client.callTool({ name: "shout", arguments: { text: "hi" } });
      expect(shouted.content).toEqual([{ type: "text", text: "HI" }]);
      const bad = await client.callTool({ name: "shout", arguments: {} });
      expect(bad.isError).toBe(true);
      const noTask = await client.callTool({ name: "researcher", arguments: { task: " " } });
      expect(noTask.isError).toBe(true);

      // The finished run's transcript is a resource; its id completes.
      const transcript = await client.readResource({ uri: `autogen://runs/${structured.runId}/transcript` });
      const record = JSON.parse((transcript.contents[0] as { text: string }).text);
      expect(record).toMatchObject({
        runId: structured.runId,
        tool: "researcher",
        task: "Find it.",
        answer: "Found: 42.",
      });
      const ids = await client.complete({
        ref: { type: "ref/resource", uri: "autogen://runs/{runId}/transcript" },
        argument: { name: "runId", value: structured.runId.slice(0, 4) },
      });
      expect(ids.completion.values).toContain(structured.runId);
    } finally {
      await client.close();
    }
  });

  it("serves prompts with argument completions, fixed resources and an agent's component JSON", async () => {
    // A shared agent whose model client dumps (its endpoint, never its key); it is never called here.
    const planner = new AssistantAgent({
      name: "planner",
      modelClient: new OpenAIChatCompletionClient({
        model: "gpt-4o",
        apiKey: "sk-never-shown",
        baseURL: "http://127.0.0.1:9/v1",
      }),
    });
    const base = entries();
    handle = await serveMcp({ ...base, agents: [...base.agents, { agent: planner }] }, { transport: "http" });
    const client = await modernClient(handle.url!);
    try {
      const { prompts } = await client.listPrompts();
      expect(prompts).toEqual([
        { name: "research", description: "A research task.", arguments: [{ name: "topic", required: true }] },
      ]);
      const prompt = await client.getPrompt({ name: "research", arguments: { topic: "mcp" } });
      expect(prompt.messages).toEqual([
        { role: "user", content: { type: "text", text: "Research mcp and report." } },
      ]);
      await expect(client.getPrompt({ name: "research", arguments: {} })).rejects.toThrow(/topic/);
      const completion = await client.complete({
        ref: { type: "ref/prompt", name: "research" },
        argument: { name: "topic", value: "a" },
      });
      expect(completion.completion.values).toEqual(["a2a", "autogen"]);

      const { resources } = await client.listResources();
      expect(resources.map((r) => r.uri)).toEqual([
        "memo://readme",
        "autogen://agents/researcher/component",
        "autogen://agents/planner/component",
      ]);
      const readme = await client.readResource({ uri: "memo://readme" });
      expect(readme.contents[0]).toMatchObject({ text: "# Hello", mimeType: "text/markdown" });
      const component = await client.readResource({ uri: "autogen://agents/planner/component" });
      const json = (component.contents[0] as { text: string }).text;
      expect(JSON.parse(json)).toMatchObject({
        provider: expect.stringContaining("AssistantAgent"),
        config: { name: "planner" },
      });
      expect(json).not.toContain("sk-never-shown");
      // An agent whose parts cannot be dumped: a clear error, not a crash.
      await expect(client.readResource({ uri: "autogen://agents/researcher/component" })).rejects.toThrow(
        /cannot be dumped/,
      );
      await expect(client.readResource({ uri: "memo://missing" })).rejects.toThrow(/not found/i);
    } finally {
      await client.close();
    }
  });

  it("sends log notifications at the level the client set (2025 session)", async () => {
    handle = await serveMcp(entries(), { transport: "http" });
    const client = new Client(
      { name: "legacy-host", version: "1.0.0" },
      { versionNegotiation: { mode: "legacy" } },
    );
    const logs: { level: string; data: unknown }[] = [];
    client.setNotificationHandler("notifications/message", (n) => {
      logs.push({ level: n.params.level, data: n.params.data });
    });
    await client.connect(new StreamableHTTPClientTransport(new URL(handle.url!)));
    try {
      await client.setLoggingLevel("error");
      await client.callTool({ name: "shout", arguments: { text: "quiet" } });
      await client.callTool({ name: "researcher", arguments: { task: "Find it." } });
      expect(logs).toEqual([]);
      await client.setLoggingLevel("info");
      await client.callTool({ name: "shout", arguments: { text: "loud" } });
      await client.callTool({ name: "researcher", arguments: { task: "Find more." } });
      expect(logs[0]).toEqual({ level: "warning", data: "shouting 4 characters" });
      // The agent's run: its messages as info-level log notifications.
      expect(
        logs.some((l) => l.level === "info" && (l.data as { text?: string }).text === "Found: 43."),
      ).toBe(true);
    } finally {
      await client.close();
    }
  });

  it("refuses calls without the bearer token (401 with a challenge), serves them with it", async () => {
    handle = await serveMcp(entries(), { transport: "http", auth: { tokens: ["mcp-secret-1"] } });
    const anonymous = await fetch(handle.url!, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json, text/event-stream" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "initialize", params: {} }),
    });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get("www-authenticate")).toMatch(/^Bearer/);
    const client = await modernClient(handle.url!, { authorization: "Bearer mcp-secret-1" });
    try {
      expect((await client.listTools()).tools).toHaveLength(3);
    } finally {
      await client.close();
    }
    await expect(modernClient(handle.url!, { authorization: "Bearer wrong" })).rejects.toThrow();
  });

  it("resumes a 2025 stream: events carry ids, a reconnect with Last-Event-ID replays what followed", async () => {
    handle = await serveMcp(entries(), { transport: "http", retryIntervalMs: 250 });
    const headers = { "content-type": "application/json", accept: "application/json, text/event-stream" };
    const init = await fetch(handle.url!, {
      method: "POST",
      headers,
      body: JSON.stringify({
        jsonrpc: "2.0",
        id: 1,
        method: "initialize",
        params: {
          protocolVersion: "2025-11-25",
          capabilities: {},
          clientInfo: { name: "raw", version: "1" },
        },
      }),
    });
    const session = init.headers.get("mcp-session-id") as string;
    await init.text();
    const sessionHeaders = { ...headers, "mcp-session-id": session, "mcp-protocol-version": "2025-11-25" };
    await fetch(handle.url!, {
      method: "POST",
      headers: sessionHeaders,
      body: JSON.stringify({ jsonrpc: "2.0", method: "notifications/initialized" }),
    });
    const call = await fetch(handle.url!, {
      method: "POST",
      headers: sessionHeaders,
      body: JSON.stringify({
        jsonrpc: "2.0",
        id: 2,
        method: "tools/call",
        params: { name: "shout", arguments: { text: "x" } },
      }),
    });
    const text = await call.text();
    // A priming event: an id, the retry hint, empty data.
    const priming = /id: (\S+)\nretry: 250\ndata: \n/.exec(text);
    expect(priming, text).not.toBeNull();
    expect(text).toContain('"text":"X"');
    // Reconnecting after the priming event replays the answer that followed it.
    const replay = await fetch(handle.url!, {
      method: "GET",
      headers: { ...sessionHeaders, accept: "text/event-stream", "last-event-id": priming?.[1] as string },
    });
    const reader = (replay.body as ReadableStream<Uint8Array>).getReader();
    let replayed = "";
    while (!replayed.includes('"text":"X"')) {
      const { value, done } = await reader.read();
      if (done) break;
      replayed += new TextDecoder().decode(value);
    }
    await reader.cancel();
    expect(replayed).toContain('"id":2');
  });

  it("rejects duplicate names, empty entries and a public host without auth", async () => {
    await expect(serveMcp({ tools: [shout, shout] }, { transport: "http" })).rejects.toThrow(/twice/);
    await expect(serveMcp({}, { transport: "http" })).rejects.toSatisfy(ValidationError.isInstance);
    await expect(serveMcp(entries(), { transport: "http", host: "0.0.0.0" })).rejects.toMatchObject({
      code: "invalid_config",
    });
    await expect(serveMcp(entries(), { transport: "http", auth: {} })).rejects.toThrow(/tokens/);
  });
});
