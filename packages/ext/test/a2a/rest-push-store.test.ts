/**
 * serveA2A beyond JSON-RPC: the v1.0 REST (HTTP+JSON) binding driven by the SDK's own REST transport with
 * auth on; push notifications to a webhook, whose URL passes the fetch guard's address policy (refused by
 * default for loopback, never redirected); and tasks kept in a durable run store, read back by a
 * second server after the first one stopped.
 */

import { mkdtempSync } from "node:fs";
import { createServer, type IncomingMessage, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Task, TaskState } from "@a2a-js/sdk";
import { ClientFactory, RestTransportFactory } from "@a2a-js/sdk/client";
import { type A2AServerHandle, runStoreTaskStore, serveA2A } from "@autogen-ts/ext/a2a";
import { SqliteRunStore } from "@autogen-ts/ext/stores/sqlite";
import {
  ClientFactory as ClientFactoryV03,
  RestTransportFactory as RestTransportFactoryV03,
} from "a2a-sdk-v03/client";
import { afterEach, describe, expect, it } from "vitest";
import { v1Message as message, weatherAgent, weatherScript, withHeaders } from "./support.js";

const closers: Array<() => Promise<unknown> | unknown> = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

async function serve(...args: Parameters<typeof serveA2A>): Promise<A2AServerHandle> {
  const server = await serveA2A(...args);
  closers.push(() => server.close());
  return server;
}

const restOnly = (headers: Record<string, string> = {}) =>
  new ClientFactory({ transports: [new RestTransportFactory({ fetchImpl: withHeaders(headers) })] });

/** A webhook receiver on loopback that records every delivery. */
async function webhook(status = 200, location?: string) {
  const received: { body: unknown; headers: IncomingMessage["headers"] }[] = [];
  const server: Server = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => {
      body += c;
    });
    req.on("end", () => {
      received.push({ body: body ? JSON.parse(body) : undefined, headers: req.headers });
      res.writeHead(status, location ? { location } : {});
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  closers.push(() => new Promise((resolve) => server.close(resolve)));
  const port = (server.address() as { port: number }).port;
  return { url: `http://127.0.0.1:${port}/hook`, received };
}

describe("serveA2A REST binding (v1.0 HTTP+JSON)", () => {
  it("the card lists the REST interface, and a REST-only SDK client sends, streams, gets and lists with auth", async () => {
    const server = await serve(() => weatherAgent({ responses: weatherScript(2) }), {
      auth: { bearerTokens: ["t-1"] },
    });
    expect(server.card.supportedInterfaces.map((i) => i.protocolBinding)).toContain("HTTP+JSON");
    const client = await restOnly({ authorization: "Bearer t-1" }).createFromUrl(server.url);
    const task = (await client.sendMessage(message("Weather in Paris?"))) as Task;
    expect(task.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
    expect(task.artifacts[0]?.parts[0]?.content).toEqual({ $case: "text", value: "Answer 0: sunny." });

    const again = await client.getTask({ id: task.id, tenant: "", historyLength: undefined } as never);
    expect(again.id).toBe(task.id);
    expect(again.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);

    const cases: string[] = [];
    for await (const event of client.sendMessageStream(message("Weather in Oslo?"))) {
      cases.push(event.payload?.$case ?? "none");
    }
    expect(cases[0]).toBe("task");
    expect(cases).toContain("statusUpdate");
    expect(cases).toContain("artifactUpdate");

    const listed = await client.listTasks({ tenant: "", pageSize: 10 } as never);
    expect(listed.tasks.map((t) => t.id)).toContain(task.id);
  });

  it("maps errors to HTTP statuses and the REST error body; refuses without credentials", async () => {
    const server = await serve(() => weatherAgent(), { auth: { bearerTokens: ["t-1"] } });
    const base = `${server.url}/a2a/rest`;
    const auth = { authorization: "Bearer t-1", "a2a-version": "1.0" };
    const missing = await fetch(`${base}/tasks/nope`, { headers: auth });
    expect(missing.status).toBe(404);
    const body = (await missing.json()) as {
      error: { code: number; status: string; details: { reason?: string }[] };
    };
    expect(body.error).toMatchObject({ code: 404, status: "NOT_FOUND" });
    expect(body.error.details[0]?.reason).toBe("TASK_NOT_FOUND");

    const bad = await fetch(`${base}/message:send`, {
      method: "POST",
      headers: { ...auth, "content-type": "application/json" },
      body: "{not json",
    });
    expect(bad.status).toBe(400);
    const wrongMethod = await fetch(`${base}/message:send`, { headers: auth });
    expect(wrongMethod.status).toBe(405);
    const unknown = await fetch(`${base}/nothing/here`, { headers: auth });
    expect(unknown.status).toBe(404);
    const anonymous = await fetch(`${base}/tasks/nope`);
    expect(anonymous.status).toBe(401);
    const cli = await restOnly().createFromUrl(server.url);
    await expect(cli.sendMessage(message("x"))).rejects.toThrow();
  });
});

describe("serveA2A REST binding (v0.3 HTTP+JSON)", () => {
  it("a REST-only v0.3 SDK client sends, streams, gets and cancels with an API key; a wrong key is refused", async () => {
    const server = await serve(() => weatherAgent({ responses: weatherScript(2) }), {
      auth: { apiKeys: ["key-3"] },
    });
    const factory = new ClientFactoryV03({
      transports: [new RestTransportFactoryV03({ fetchImpl: withHeaders({ "x-api-key": "key-3" }) })],
    });
    const client = await factory.createFromUrl(server.url);
    const v03 = (text: string) => ({
      message: {
        kind: "message" as const,
        messageId: crypto.randomUUID(),
        role: "user" as const,
        parts: [{ kind: "text" as const, text }],
      },
    });
    const task = (await client.sendMessage(v03("Weather in Paris?"))) as {
      kind: string;
      id: string;
      status: { state: string; message?: { parts: { kind: string; text?: string }[] } };
      artifacts?: { parts: { kind: string; text?: string }[] }[];
    };
    expect(task.kind).toBe("task");
    expect(task.status.state).toBe("completed");
    expect(task.artifacts?.[0]?.parts[0]).toMatchObject({ kind: "text", text: "Answer 0: sunny." });
    expect(task.status.message?.parts[0]).toMatchObject({ kind: "text", text: "Answer 0: sunny." });

    const again = (await client.getTask({ id: task.id })) as { id: string; status: { state: string } };
    expect(again).toMatchObject({ id: task.id, status: { state: "completed" } });

    const kinds: string[] = [];
    for await (const event of client.sendMessageStream(v03("Weather in Oslo?"))) {
      kinds.push((event as { kind: string }).kind);
    }
    expect(kinds[0]).toBe("task");
    expect(kinds).toContain("status-update");
    expect(kinds).toContain("artifact-update");

    await expect(client.cancelTask({ id: task.id })).rejects.toThrow();
    await expect(client.getTask({ id: "nope" })).rejects.toThrow(/not found/i);

    const wrong = new ClientFactoryV03({
      transports: [new RestTransportFactoryV03({ fetchImpl: withHeaders({ "x-api-key": "nope" }) })],
    });
    await expect((await wrong.createFromUrl(server.url)).sendMessage(v03("x"))).rejects.toThrow();
  });
});

describe("serveA2A push notifications", () => {
  it("delivers every update of a task to a registered webhook, with its token", async () => {
    const hook = await webhook();
    const server = await serve(() => weatherAgent(), { pushNotifications: { allowPrivateAddresses: true } });
    expect(server.card.capabilities?.pushNotifications).toBe(true);
    const client = await restOnly().createFromUrl(server.url);
    const task = (await client.sendMessage(
      message("Weather in Paris?", {
        acceptedOutputModes: [],
        taskPushNotificationConfig: {
          tenant: "",
          id: "",
          taskId: "",
          url: hook.url,
          token: "tok-9",
          authentication: undefined,
        },
        historyLength: 0,
        returnImmediately: false,
      }),
    )) as Task;
    expect(task.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
    await expect.poll(() => hook.received.length).toBeGreaterThan(0);
    await expect
      .poll(() => JSON.stringify(hook.received.map((r) => r.body)))
      .toContain("TASK_STATE_COMPLETED");
    expect(hook.received[0]?.headers["x-a2a-notification-token"]).toBe("tok-9");
  });

  it("refuses a webhook on a private address by default, in any spelling, and never follows a redirect", async () => {
    const hook = await webhook();
    const server = await serve(() => weatherAgent(), { pushNotifications: true });
    const port = new URL(hook.url).port;
    const register = (url: string) =>
      fetch(`${server.url}/a2a`, {
        method: "POST",
        headers: { "content-type": "application/json", "a2a-version": "1.0" },
        body: JSON.stringify({
          jsonrpc: "2.0",
          id: 1,
          method: "CreateTaskPushNotificationConfig",
          params: { taskId: "t", url },
        }),
      }).then((r) => r.json() as Promise<{ error?: { code: number; message: string } }>);
    for (const url of [
      hook.url,
      `http://localhost:${port}/hook`,
      `http://[::ffff:127.0.0.1]:${port}/hook`,
      `http://0x7f000001:${port}/hook`,
      `http://user:pw@example.com/hook`,
      `file:///etc/passwd`,
    ]) {
      const answer = await register(url);
      expect(answer.error?.code, url).toBe(-32602);
      expect(answer.error?.message, url).toMatch(/refused|not a URL/);
    }
    expect(hook.received).toHaveLength(0);

    // Allowed: 127.0.0.1 only. The webhook redirects to 127.0.0.2, which must never be reached.
    const target = await webhook();
    const redirecting = await webhook(307, target.url.replace("127.0.0.1", "127.0.0.2"));
    const failures: string[] = [];
    const guarded = await serve(() => weatherAgent(), {
      pushNotifications: {
        allowPrivateAddresses: (address) => address === "127.0.0.1",
        onError: ({ error }) => failures.push(error.message),
      },
    });
    const client = await restOnly().createFromUrl(guarded.url);
    await client.sendMessage(
      message("Weather?", {
        acceptedOutputModes: [],
        taskPushNotificationConfig: {
          tenant: "",
          id: "",
          taskId: "",
          url: redirecting.url,
          token: "",
          authentication: undefined,
        },
        historyLength: 0,
        returnImmediately: false,
      }),
    );
    await expect.poll(() => failures.length).toBeGreaterThan(0);
    expect(failures[0]).toMatch(/HTTP 307/);
    expect(redirecting.received.length).toBeGreaterThan(0);
    expect(target.received).toHaveLength(0);
  });
});

describe("serveA2A tasks in a run store", () => {
  it("a restarted server still answers GetTask and ListTasks, per principal", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "a2a-tasks-")), "runs.db");
    const auth = { bearerTokens: ["alice", "bob"] };
    const first = await SqliteRunStore.open({ path: file });
    const server = await serveA2A(() => weatherAgent(), { auth, taskStore: runStoreTaskStore(first) });
    const alice = await restOnly({ authorization: "Bearer alice" }).createFromUrl(server.url);
    const task = (await alice.sendMessage(message("Weather in Paris?"))) as Task;
    expect(task.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
    await server.close();
    await first.close();

    const second = await SqliteRunStore.open({ path: file });
    closers.push(() => second.close());
    const restarted = await serve(() => weatherAgent(), { auth, taskStore: runStoreTaskStore(second) });
    const aliceAgain = await restOnly({ authorization: "Bearer alice" }).createFromUrl(restarted.url);
    const stored = await aliceAgain.getTask({ id: task.id, tenant: "" } as never);
    expect(stored.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
    expect(stored.artifacts[0]?.parts[0]?.content).toEqual({ $case: "text", value: "Answer 0: sunny." });
    const listed = await aliceAgain.listTasks({ tenant: "", pageSize: 10 } as never);
    expect(listed.tasks.map((t) => t.id)).toEqual([task.id]);

    const bob = await restOnly({ authorization: "Bearer bob" }).createFromUrl(restarted.url);
    await expect(bob.getTask({ id: task.id, tenant: "" } as never)).rejects.toThrow(/not found/i);
    expect((await bob.listTasks({ tenant: "", pageSize: 10 } as never)).tasks).toHaveLength(0);
  });
});
