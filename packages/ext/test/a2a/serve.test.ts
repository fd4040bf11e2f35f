/**
 * serveA2A driven by the official @a2a-js/sdk client over loopback HTTP: the agent card, SendMessage,
 * SendStreamingMessage with each message of the run as a status update, GetTask, CancelTask mid-run,
 * a context continuing across messages, and bad requests.
 */
import { type Message, Role, type StreamResponse, type Task, TaskState } from "@a2a-js/sdk";
import { type Client, ClientFactory } from "@a2a-js/sdk/client";
import { ValidationError } from "@autogen-ts/core";
import type { ReplayChatCompletionClient } from "@autogen-ts/core/testing";
import { type A2AServerHandle, AGENT_CARD_PATH, serveA2A } from "@autogen-ts/ext/a2a";
import { afterEach, describe, expect, it } from "vitest";
import { signalled, weatherAgent, weatherScript } from "./support.js";

const servers: A2AServerHandle[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function serve(...args: Parameters<typeof serveA2A>): Promise<A2AServerHandle> {
  const server = await serveA2A(...args);
  servers.push(server);
  return server;
}

function userText(text: string, ids: { contextId?: string; taskId?: string } = {}): Message {
  return {
    messageId: crypto.randomUUID(),
    contextId: ids.contextId ?? "",
    taskId: ids.taskId ?? "",
    role: Role.ROLE_USER,
    parts: [
      { content: { $case: "text", value: text }, mediaType: "text/plain", filename: "", metadata: undefined },
    ],
    metadata: undefined,
    extensions: [],
    referenceTaskIds: [],
  };
}

function request(message: Message) {
  return { tenant: "", message, configuration: undefined, metadata: undefined };
}

function text(message: Message | undefined): string {
  return (message?.parts ?? []).map((p) => (p.content?.$case === "text" ? p.content.value : "")).join("");
}

async function client(server: A2AServerHandle): Promise<Client> {
  return new ClientFactory().createFromUrl(server.url);
}

describe("serveA2A with the official SDK client", () => {
  it("serves an agent card that describes the agent and its JSON-RPC interface", async () => {
    const server = await serve(() => weatherAgent(), {
      name: "weather",
      description: "Answers weather questions.",
      skills: [{ id: "forecast", name: "Forecast", description: "Tells the weather.", examples: ["Paris?"] }],
    });
    const response = await fetch(`${server.url}${AGENT_CARD_PATH}`);
    expect(response.status).toBe(200);
    const card = (await response.json()) as Record<string, unknown>;
    expect(card).toMatchObject({
      name: "weather",
      description: "Answers weather questions.",
      supportedInterfaces: [
        { url: server.endpoint, protocolBinding: "JSONRPC", protocolVersion: "1.0" },
        { url: server.endpoint, protocolBinding: "JSONRPC", protocolVersion: "0.3" },
        { url: `${server.endpoint}/rest`, protocolBinding: "HTTP+JSON", protocolVersion: "1.0" },
        { url: `${server.endpoint}/rest`, protocolBinding: "HTTP+JSON", protocolVersion: "0.3" },
      ],
      // The v0.3 fields, for v0.3 clients.
      url: server.endpoint,
      preferredTransport: "JSONRPC",
      protocolVersion: "0.3.0",
      capabilities: { streaming: true },
      skills: [{ id: "forecast", name: "Forecast", examples: ["Paris?"] }],
    });
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const fetched = await (await client(server)).getAgentCard();
    expect(fetched.name).toBe("weather");
  });

  it("names the card after a shared agent by default", async () => {
    const server = await serve(weatherAgent());
    expect(server.card).toMatchObject({
      name: "weather_agent",
      description: "Answers questions about the weather.",
      skills: [{ id: "weather-agent", name: "weather_agent" }],
    });
  });

  it("runs a task on SendMessage: the answer is the task's artifact and final status message", async () => {
    const server = await serve(() => weatherAgent());
    const a2a = await client(server);
    const result = await a2a.sendMessage(request(userText("Weather in Paris?")));
    const task = result as Task;
    expect(task.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
    expect(text(task.status?.message)).toBe("Answer 0: sunny.");
    expect(task.artifacts).toHaveLength(1);
    expect(task.artifacts[0]?.name).toBe("answer");
    expect(task.artifacts[0]?.parts[0]?.content).toEqual({ $case: "text", value: "Answer 0: sunny." });
    expect(task.contextId).not.toBe("");
  });

  it("streams each message of the run as a working status update, then the final result", async () => {
    const server = await serve(() => weatherAgent());
    const a2a = await client(server);
    const events: StreamResponse[] = [];
    for await (const event of a2a.sendMessageStream(request(userText("Weather in Paris?"))))
      events.push(event);
    expect(events[0]?.payload?.$case).toBe("task");
    const updates = events.flatMap((e) => (e.payload?.$case === "statusUpdate" ? [e.payload.value] : []));
    const carried = updates.filter(
      (u) => u.status?.state === TaskState.TASK_STATE_WORKING && u.status.message !== undefined,
    );
    expect(carried.map((u) => u.status?.message?.metadata)).toEqual([
      { source: "weather_agent", type: "ToolCallRequestEvent" },
      { source: "weather_agent", type: "ToolCallExecutionEvent" },
      { source: "weather_agent", type: "TextMessage" },
    ]);
    expect(text(carried[1]?.status?.message)).toContain("Sunny in City0");
    const artifact = events.find((e) => e.payload?.$case === "artifactUpdate");
    expect(artifact).toBeDefined();
    const last = updates.at(-1);
    expect(last?.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
    expect(text(last?.status?.message)).toBe("Answer 0: sunny.");

    // GetTask: the stored task, finished, with its artifact and history.
    const taskId = last?.taskId as string;
    const stored = await a2a.getTask({ tenant: "", id: taskId, historyLength: undefined });
    expect(stored.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
    expect(stored.artifacts[0]?.parts[0]?.content).toEqual({ $case: "text", value: "Answer 0: sunny." });
    expect(stored.history.some((m) => text(m) === "Weather in Paris?")).toBe(true);
    // A finished task cannot be cancelled: a typed protocol error.
    await expect(a2a.cancelTask({ tenant: "", id: taskId, metadata: undefined })).rejects.toThrow(
      /not cancelable/i,
    );
  });

  it("cancels a task mid-run: CancelTask aborts the run's signal and the stream ends cancelled", async () => {
    const aborted = signalled();
    const started = signalled();
    const server = await serve(() =>
      weatherAgent({ slow: { started: started.resolve, aborted: aborted.resolve } }),
    );
    const a2a = await client(server);
    const states: TaskState[] = [];
    let taskId = "";
    const known = signalled();
    const streaming = (async () => {
      for await (const event of a2a.sendMessageStream(request(userText("Weather in Oslo?")))) {
        if (event.payload?.$case === "task") {
          taskId = event.payload.value.id;
          known.resolve();
        }
        if (event.payload?.$case === "statusUpdate" && event.payload.value.status) {
          states.push(event.payload.value.status.state);
        }
      }
    })();
    await Promise.all([started.promise, known.promise]);
    const cancelled = await a2a.cancelTask({ tenant: "", id: taskId, metadata: undefined });
    expect(cancelled.status?.state).toBe(TaskState.TASK_STATE_CANCELED);
    await aborted.promise;
    await streaming;
    expect(states.at(-1)).toBe(TaskState.TASK_STATE_CANCELED);
    const stored = await a2a.getTask({ tenant: "", id: taskId, historyLength: undefined });
    expect(stored.status?.state).toBe(TaskState.TASK_STATE_CANCELED);
  });

  it("continues a context across messages, one agent per context, separate contexts apart", async () => {
    const clients: ReplayChatCompletionClient[] = [];
    const made: string[] = [];
    const server = await serve((contextId) => {
      made.push(contextId);
      return weatherAgent({
        responses: ["First answer.", "Second answer."],
        onClient: (c) => clients.push(c),
      });
    });
    const a2a = await client(server);
    const first = (await a2a.sendMessage(request(userText("My name is Ada.")))) as Task;
    const contextId = first.contextId;
    const second = (await a2a.sendMessage(request(userText("What is my name?", { contextId })))) as Task;
    expect(second.contextId).toBe(contextId);
    expect(second.id).not.toBe(first.id);
    expect(text(second.status?.message)).toBe("Second answer.");
    expect(made).toEqual([contextId]);
    // The second model call saw the whole conversation.
    const seen = clients[0]?.requests[1]?.messages.map((m) => ("content" in m ? String(m.content) : ""));
    expect(seen).toEqual(expect.arrayContaining(["My name is Ada.", "First answer.", "What is my name?"]));

    const other = (await a2a.sendMessage(request(userText("Hello")))) as Task;
    expect(other.contextId).not.toBe(contextId);
    expect(text(other.status?.message)).toBe("First answer.");
    expect(made).toHaveLength(2);
  });

  it("queues the tasks of a shared instance: one conversation, one run at a time", async () => {
    const server = await serve(weatherAgent({ responses: weatherScript(2) }));
    const a2a = await client(server);
    const [a, b] = (await Promise.all([
      a2a.sendMessage(request(userText("Paris?"))),
      a2a.sendMessage(request(userText("Rome?"))),
    ])) as Task[];
    expect([text(a?.status?.message), text(b?.status?.message)].sort()).toEqual([
      "Answer 0: sunny.",
      "Answer 1: sunny.",
    ]);
  });

  it("reports a failed run as a failed task with the error's message", async () => {
    // One scripted answer: the tool call; the reflection after it finds the script exhausted.
    const server = await serve(() => weatherAgent({ responses: weatherScript(1).slice(0, 1) }));
    const a2a = await client(server);
    const task = (await a2a.sendMessage(request(userText("Weather?")))) as Task;
    expect(task.status?.state).toBe(TaskState.TASK_STATE_FAILED);
    expect(text(task.status?.message)).toMatch(/^The run failed: .*no response left/);
  });
});

describe("serveA2A bad requests", () => {
  async function post(server: A2AServerHandle, body: string, headers: Record<string, string> = {}) {
    const response = await fetch(server.endpoint, {
      method: "POST",
      headers: { "content-type": "application/json", "a2a-version": "1.0", ...headers },
      body,
    });
    return {
      status: response.status,
      body: (await response.json()) as { error?: { code: number; message: string } },
    };
  }

  it("answers malformed JSON, unknown methods, unknown tasks and unsupported versions with JSON-RPC errors", async () => {
    const server = await serve(() => weatherAgent());
    expect((await post(server, "{not json")).body.error?.code).toBe(-32700);
    const unknown = await post(
      server,
      JSON.stringify({ jsonrpc: "2.0", id: 1, method: "NoSuchMethod", params: {} }),
    );
    expect(unknown.body.error?.code).toBe(-32601);
    const missing = await post(
      server,
      JSON.stringify({ jsonrpc: "2.0", id: 2, method: "GetTask", params: { id: "no-such-task" } }),
    );
    expect(missing.body.error?.code).toBe(-32001);
    const old = await post(
      server,
      JSON.stringify({ jsonrpc: "2.0", id: 3, method: "GetTask", params: { id: "x" } }),
      { "a2a-version": "0.1" },
    );
    expect(old.body.error?.message).toMatch(/version/i);
    const typed = await fetch(server.endpoint, {
      method: "POST",
      headers: { "content-type": "text/plain" },
      body: "x",
    });
    expect(typed.status).toBe(415);
    const notFound = await fetch(`${server.url}/elsewhere`);
    expect(notFound.status).toBe(404);
    const get = await fetch(server.endpoint);
    expect(get.status).toBe(405);
  });

  it("rejects a message with nothing in it", async () => {
    const server = await serve(() => weatherAgent());
    const a2a = await client(server);
    const empty: Message = { ...userText(""), parts: [] };
    const task = (await a2a.sendMessage(request(empty))) as Task;
    expect(task.status?.state).toBe(TaskState.TASK_STATE_REJECTED);
    expect(text(task.status?.message)).toMatch(/no text, data or file parts/);
  });

  it("refuses a foreign Host header on loopback (DNS rebinding)", async () => {
    const server = await serve(() => weatherAgent());
    const { request: httpRequest } = await import("node:http");
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(
        { host: "127.0.0.1", port: server.port, path: AGENT_CARD_PATH, headers: { host: "evil.example:80" } },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on("error", reject);
      req.end();
    });
    expect(status).toBe(403);
  });

  it("checks its options", async () => {
    await expect(serveA2A(() => weatherAgent(), { path: "no-slash" })).rejects.toSatisfy(
      ValidationError.isInstance,
    );
    await expect(serveA2A(() => weatherAgent(), { maxContexts: 0 })).rejects.toSatisfy(
      ValidationError.isInstance,
    );
  });
});
