/**
 * `autogen-ts serve --mcp --a2a`: MCP (Streamable HTTP) at /mcp and A2A at /a2a beside the API, on its
 * guarded app with auth on, reached by the official MCP SDK client and the @a2a-js/sdk client.
 */
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Task, TaskState } from "@a2a-js/sdk";
import { ClientFactory, JsonRpcTransportFactory } from "@a2a-js/sdk/client";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { v1Message as a2aMessage } from "../../ext/test/a2a/support.js";
import { type FakeOpenAI, startFakeOpenAI } from "../../server/test/support/fake-openai.js";
import { writeHelperTeam, writeReviewTeam } from "./serve-fixtures.js";
import { exited, type ServeProcess, startServe } from "./serve-process.js";

const KEY = "mount-key-1";
let model: FakeOpenAI;
let server: ServeProcess;
let url: string;

beforeAll(async () => {
  const dir = await mkdtemp(join(tmpdir(), "autogen-serve-mounts-"));
  model = await startFakeOpenAI();
  const helper = await writeHelperTeam(dir, model.url);
  const review = await writeReviewTeam(dir, model.url);
  server = startServe([helper, review, "--port", "0", "--api-key", KEY, "--mcp", "--a2a"]);
  url = await server.url;
});
afterAll(async () => {
  if (server) {
    server.child.kill("SIGTERM");
    expect(await exited(server.child)).toBe(0);
    expect(server.stderr()).not.toContain(KEY);
  }
  await model?.close();
});

const withKey =
  (key: string): typeof fetch =>
  (input, init) => {
    const headers = new Headers(init?.headers);
    headers.set("authorization", `Bearer ${key}`);
    return fetch(input, { ...init, headers });
  };

describe("serve --mcp --a2a", () => {
  it("the API answers beside them, with the same key", async () => {
    const teams = await fetch(`${url}/teams`, { headers: { authorization: `Bearer ${KEY}` } });
    expect(((await teams.json()) as { items: { name: string }[] }).items.map((t) => t.name)).toEqual([
      "helper",
      "Review Team",
    ]);
  });

  it("the MCP SDK client lists every team as a tool and runs one; without the key it is refused", async () => {
    const client = new Client({ name: "test-host", version: "1.0.0" });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${url}/mcp`), {
        requestInit: { headers: { authorization: `Bearer ${KEY}` } },
      }),
    );
    try {
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name)).toEqual(["helper", "Review_Team"]);
      const result = await client.callTool({ name: "helper", arguments: { task: "hi over MCP" } });
      expect(result.isError).toBeFalsy();
      expect(result.content).toEqual([{ type: "text", text: "reply 1 to: hi over MCP" }]);
    } finally {
      await client.close();
    }
    const anonymous = new Client({ name: "anon", version: "1.0.0" });
    await expect(anonymous.connect(new StreamableHTTPClientTransport(new URL(`${url}/mcp`)))).rejects.toThrow(
      /401|Unauthorized/,
    );
    const wrong = await fetch(`${url}/mcp`, {
      method: "POST",
      headers: { authorization: "Bearer nope", "content-type": "application/json" },
      body: "{}",
    });
    expect(wrong.status).toBe(401);
  });

  it("the @a2a-js/sdk client finds the public card and runs a task with the key; without it, 401", async () => {
    const card = (await (await fetch(`${url}/.well-known/agent-card.json`)).json()) as {
      name: string;
      supportedInterfaces?: { url: string }[];
      securitySchemes: Record<string, unknown>;
    };
    expect(card.name).toBe("helper");
    expect(JSON.stringify(card)).toContain(`${url}/a2a`);
    expect(card.securitySchemes).toMatchObject({ bearer: { type: "http", scheme: "bearer" } });

    const factory = new ClientFactory({
      transports: [new JsonRpcTransportFactory({ fetchImpl: withKey(KEY) })],
    });
    const client = await factory.createFromUrl(url);
    const task = (await client.sendMessage(a2aMessage("hi over A2A"))) as Task;
    expect(task.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
    expect(task.artifacts[0]?.parts[0]?.content).toEqual({ $case: "text", value: "reply 1 to: hi over A2A" });

    const anonymous = await new ClientFactory().createFromUrl(url);
    await expect(anonymous.sendMessage(a2aMessage("hi"))).rejects.toThrow(/401|Unauthorized/);
  });
});
