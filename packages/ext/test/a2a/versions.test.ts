/**
 * serveA2A with authentication on, driven by two generations of the official client: @a2a-js/sdk 1.x
 * (A2A v1.0, `A2A-Version: 1.0`) and @a2a-js/sdk 0.3 (A2A v0.3, no version header, the SDK's v0.3
 * compatibility layer on the server). Both send credentials from a fetch wrapper; the card declares the
 * schemes; wrong or missing credentials are refused. Also the spec's error codes for a cancel of a
 * cancelled task (-32002) and a request that is not JSON-RPC (-32600).
 */
import { type Task, TaskState } from "@a2a-js/sdk";
import { ClientFactory, JsonRpcTransportFactory } from "@a2a-js/sdk/client";
import { ValidationError } from "@autogen-ts/core";
import { type A2AServerHandle, serveA2A } from "@autogen-ts/ext/a2a";
import {
  ClientFactory as ClientFactoryV03,
  JsonRpcTransportFactory as JsonRpcTransportFactoryV03,
} from "a2a-sdk-v03/client";
import { afterEach, describe, expect, it } from "vitest";
import { signalled, v1Message, weatherAgent, withHeaders } from "./support.js";

const servers: A2AServerHandle[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const AUTH = { apiKeys: ["key-one"], bearerTokens: ["token-two"] };

async function serve(...args: Parameters<typeof serveA2A>): Promise<A2AServerHandle> {
  const server = await serveA2A(...args);
  servers.push(server);
  return server;
}

function v03Message(text: string) {
  return {
    message: {
      kind: "message" as const,
      messageId: crypto.randomUUID(),
      role: "user" as const,
      parts: [{ kind: "text" as const, text }],
    },
  };
}

async function rpc(server: A2AServerHandle, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(server.endpoint, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
  return {
    status: res.status,
    headers: res.headers,
    body: (await res.json()) as { error?: { code: number }; result?: unknown },
  };
}

describe("serveA2A, v1.0 and v0.3 clients, auth on", () => {
  it("declares the schemes in the card, which stays public", async () => {
    const server = await serve(() => weatherAgent(), { name: "weather", auth: AUTH });
    const card = (await (await fetch(`${server.url}/.well-known/agent-card.json`)).json()) as Record<
      string,
      unknown
    >;
    expect(card.securitySchemes).toMatchObject({
      apiKey: { type: "apiKey", in: "header", name: "X-API-Key", scheme: { $case: "apiKeySecurityScheme" } },
      bearer: { type: "http", scheme: "bearer" },
    });
    expect(card.security).toEqual([{ apiKey: [] }, { bearer: [] }]);
    expect(card.securityRequirements).toEqual([
      { schemes: { apiKey: { list: [] } } },
      { schemes: { bearer: { list: [] } } },
    ]);
  });

  it("a v1.0 client (@a2a-js/sdk 1.x) runs a task with a bearer token; without one it is refused", async () => {
    const server = await serve(() => weatherAgent(), { auth: AUTH });
    const factory = new ClientFactory({
      transports: [
        new JsonRpcTransportFactory({ fetchImpl: withHeaders({ authorization: "Bearer token-two" }) }),
      ],
    });
    const client = await factory.createFromUrl(server.url);
    const task = (await client.sendMessage(v1Message("Weather in Paris?"))) as Task;
    expect(task.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
    const parts = task.artifacts[0]?.parts ?? [];
    expect(parts[0]?.content).toEqual({ $case: "text", value: "Answer 0: sunny." });

    const anonymous = await new ClientFactory().createFromUrl(server.url);
    await expect(anonymous.sendMessage(v1Message("Weather?"))).rejects.toThrow(/401|Unauthorized/);
  });

  it("a v0.3 client (@a2a-js/sdk 0.3) runs a task with an API key, streams it, and reads it back", async () => {
    const server = await serve(() => weatherAgent(), { auth: AUTH });
    const factory = new ClientFactoryV03({
      transports: [new JsonRpcTransportFactoryV03({ fetchImpl: withHeaders({ "x-api-key": "key-one" }) })],
    });
    const client = await factory.createFromUrl(server.url);
    const result = (await client.sendMessage(v03Message("Weather in Paris?"))) as {
      kind: string;
      id: string;
      status: { state: string };
      artifacts?: { parts: { kind: string; text?: string }[] }[];
    };
    expect(result.kind).toBe("task");
    expect(result.status.state).toBe("completed");
    expect(result.artifacts?.[0]?.parts[0]).toMatchObject({ kind: "text", text: "Answer 0: sunny." });
    const again = (await client.getTask({ id: result.id })) as { id: string; status: { state: string } };
    expect(again).toMatchObject({ id: result.id, status: { state: "completed" } });

    const kinds: string[] = [];
    for await (const event of client.sendMessageStream(v03Message("Weather in Oslo?"))) {
      kinds.push((event as { kind: string }).kind);
    }
    expect(kinds).toContain("status-update");
    expect(kinds.at(-1)).toBe("status-update");

    const wrongKey = new ClientFactoryV03({
      transports: [new JsonRpcTransportFactoryV03({ fetchImpl: withHeaders({ "x-api-key": "key-wrong" }) })],
    });
    await expect((await wrongKey.createFromUrl(server.url)).sendMessage(v03Message("x"))).rejects.toThrow();
  });

  it("answers 401 with a challenge, and never echoes the credential", async () => {
    const server = await serve(() => weatherAgent(), { auth: AUTH });
    const res = await rpc(
      server,
      { jsonrpc: "2.0", id: 1, method: "GetTask", params: { id: "x" } },
      { authorization: "Bearer nope-secret" },
    );
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toMatch(/^Bearer/);
    expect(JSON.stringify(res.body)).not.toContain("nope-secret");
  });

  it("answers a cancel of a cancelled task with -32002 and a non-JSON-RPC request with -32600", async () => {
    const started = signalled();
    const server = await serve(() => weatherAgent({ slow: { started: started.resolve, aborted: () => {} } }));
    const v1 = { "a2a-version": "1.0" };
    const a2a = await new ClientFactory().createFromUrl(server.url);
    let taskId = "";
    const known = signalled();
    const streaming = (async () => {
      for await (const event of a2a.sendMessageStream(v1Message("Weather in Oslo?"))) {
        if (event.payload?.$case === "task") {
          taskId = event.payload.value.id;
          known.resolve();
        }
      }
    })();
    await Promise.all([started.promise, known.promise]);
    const first = await rpc(
      server,
      { jsonrpc: "2.0", id: 2, method: "CancelTask", params: { id: taskId } },
      v1,
    );
    expect(first.body.error).toBeUndefined();
    await streaming;
    const second = await rpc(
      server,
      { jsonrpc: "2.0", id: 3, method: "CancelTask", params: { id: taskId } },
      v1,
    );
    expect(second.body.error?.code).toBe(-32002);
    const legacySecond = await rpc(server, {
      jsonrpc: "2.0",
      id: 4,
      method: "tasks/cancel",
      params: { id: taskId },
    });
    expect(legacySecond.body.error?.code).toBe(-32002);

    for (const bad of [
      { id: 5, method: "GetTask" },
      { jsonrpc: "2.0", id: 6 },
      [1, 2],
      { jsonrpc: "2.0", id: {}, method: "GetTask" },
    ]) {
      expect((await rpc(server, bad, v1)).body.error?.code).toBe(-32600);
    }
  });

  it("checks its auth options, and refuses a public host without auth", async () => {
    await expect(serveA2A(() => weatherAgent(), { auth: {} })).rejects.toSatisfy(ValidationError.isInstance);
    await expect(serveA2A(() => weatherAgent(), { auth: { apiKeys: [""] } })).rejects.toSatisfy(
      ValidationError.isInstance,
    );
    await expect(serveA2A(() => weatherAgent(), { host: "0.0.0.0" })).rejects.toMatchObject({
      code: "invalid_config",
    });
    const open = await serve(() => weatherAgent(), { host: "0.0.0.0", auth: AUTH, allowedHosts: "*" });
    expect(open.port).toBeGreaterThan(0);
  });
});
