/**
 * The WebSocket at `/ws/runs/{runId}` speaks AutoGen Studio's run protocol: the client sends `start`,
 * `stop` and `input_response`; the server answers `message`, `message_chunk`, `input_request`, `result`,
 * `completion` and `error`. Driven with the `ws` client against `serve` on loopback.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { AssistantAgent } from "@autogen-ts/agentchat";
import { InMemoryRunStore } from "@autogen-ts/core";
import { OpenAIChatCompletionClient } from "@autogen-ts/ext/models/openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { type RunningServer, serve } from "../src/node/index.js";
import { type FakeOpenAI, startFakeOpenAI } from "./support/fake-openai.js";
import { assistantTeam, chatTeam, reviewTeam } from "./support/teams.js";

let model: FakeOpenAI;
let slow: FakeOpenAI;
let refusing: Server;
let server: RunningServer;
const KEY = "ws-key-1";

beforeAll(async () => {
  model = await startFakeOpenAI();
  slow = await startFakeOpenAI({ delayMs: 40 });
  // A provider that refuses every call (400, not retried): the run fails.
  refusing = createServer((_req, res) => {
    res.writeHead(400, { "content-type": "application/json" });
    res.end(JSON.stringify({ error: { message: "model refuses", type: "invalid_request_error" } }));
  });
  await new Promise<void>((resolve) => refusing.listen(0, "127.0.0.1", resolve));
  const refusingUrl = `http://127.0.0.1:${(refusing.address() as AddressInfo).port}/v1`;
  server = await serve({
    port: 0,
    store: new InMemoryRunStore(),
    apiKeys: [KEY],
    teams: [
      reviewTeam(model.url),
      { ...chatTeam(slow.url, 40), name: "long" },
      assistantTeam(model.url, { stream: true, name: "streamer" }),
      {
        name: "broken",
        create: () =>
          new AssistantAgent({
            name: "broken",
            modelClient: new OpenAIChatCompletionClient({
              model: "gpt-4o",
              apiKey: "sk-test-secret",
              baseURL: refusingUrl,
              maxRetries: 0,
            }),
          }),
      },
    ],
  });
});
afterAll(async () => {
  await server?.close();
  await model?.close();
  await slow?.close();
  await new Promise((r) => refusing?.close(r));
});

type Out = { type: string; [key: string]: unknown };

/** A socket on one run that records what the server sends and waits for a message of a type. */
async function connect(runId: string, query = `token=${KEY}`) {
  const ws = new WebSocket(`${server.url.replace("http", "ws")}/ws/runs/${runId}?${query}`);
  const received: Out[] = [];
  let wake: () => void = () => {};
  ws.on("message", (data) => {
    received.push(JSON.parse(String(data)) as Out);
    wake();
  });
  await new Promise<void>((resolve, reject) => {
    ws.once("open", () => resolve());
    ws.once("error", reject);
  });
  const until = async (type: string): Promise<Out> => {
    for (let from = 0; ; ) {
      const found = received.slice(from).find((m) => m.type === type);
      if (found) return found;
      from = received.length;
      if (ws.readyState !== WebSocket.OPEN)
        throw new Error(`socket closed before ${type}: ${JSON.stringify(received)}`);
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
    }
  };
  return { ws, received, until, send: (m: unknown) => ws.send(JSON.stringify(m)) };
}

const runId = () => crypto.randomUUID();

describe("/ws/runs/{runId}: AutoGen Studio's run protocol", () => {
  it("start, message, input_request, input_response, result", async () => {
    const id = runId();
    const c = await connect(id);
    expect((await c.until("system")).status).toBe("connected");
    c.send({ type: "start", team: "review", task: "draft a poem" });
    const ask = await c.until("input_request");
    expect(ask.data).toMatchObject({ requestId: expect.any(String) });
    const before = c.received
      .filter((m) => m.type === "message")
      .map((m) => (m.data as { type: string }).type);
    expect(before).toEqual(["TextMessage", "TextMessage", "UserInputRequestedEvent"]);
    c.send({ type: "input_response", response: "APPROVE" });
    const result = await c.until("result");
    expect(result.status).toBe("complete");
    const taskResult = (
      result.data as { task_result: { messages: { type: string; source: string; content?: string }[] } }
    ).task_result;
    expect(
      taskResult.messages.filter((m) => m.type === "TextMessage").map((m) => [m.source, m.content]),
    ).toEqual([
      ["user", "draft a poem"],
      ["writer", "reply 1 to: draft a poem"],
      ["person", "APPROVE"],
    ]);
    // Each run message carries its sequence number in the run's record.
    const seqs = c.received.filter((m) => m.type === "message").map((m) => m.seq);
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));
    // Studio's habit of answering twice: the second has nothing to answer.
    c.send({ type: "input_response", response: "again" });
    expect((await c.until("error")).error).toMatch(/not waiting for input/);
    c.ws.close();
  });

  it("message_chunk for a streaming model, then the whole message and the result", async () => {
    const id = runId();
    const c = await connect(id);
    c.send({ type: "start", team: "streamer", task: "stream it" });
    await c.until("result");
    const chunks = c.received
      .filter((m) => m.type === "message_chunk")
      .map((m) => (m.data as { content: string }).content);
    expect(chunks.length).toBeGreaterThan(1);
    const last = c.received.filter((m) => m.type === "message").at(-1)!.data as { content: string };
    expect(chunks.join("")).toBe(last.content);
    c.ws.close();
  });

  it("stop ends the run with completion cancelled", async () => {
    const id = runId();
    const c = await connect(id);
    c.send({ type: "start", team: "long", task: "go on and on" });
    await c.until("message");
    c.send({ type: "stop", reason: "enough" });
    const completion = await c.until("completion");
    expect(completion).toMatchObject({ status: "cancelled", data: { reason: "enough" } });
    const run = await server.server.store.getRun(id);
    expect(run).toMatchObject({ status: "cancelled", stopReason: "enough" });
    // What was streamed is the run's record.
    const streamed = c.received.filter((m) => m.type === "message").map((m) => m.seq);
    expect((await server.server.store.readEvents(id)).map((e) => e.seq)).toEqual(
      expect.arrayContaining(streamed as number[]),
    );
    c.ws.close();
  });

  it("a failing run ends with completion error, naming the code but no secret", async () => {
    const c = await connect(runId());
    c.send({ type: "start", team: "broken", task: "fail" });
    const completion = await c.until("completion");
    expect(completion.status).toBe("error");
    expect(completion.data).toMatchObject({ code: expect.any(String), message: expect.any(String) });
    expect(JSON.stringify(c.received)).not.toContain("sk-test-secret");
    c.ws.close();
  });

  it("error for a team definition, an unknown team, a second start, bad JSON and an unknown type", async () => {
    const id = runId();
    const c = await connect(id);
    c.send({ type: "start", task: "x", team_config: { provider: "anything" } });
    expect((await c.until("error")).error).toMatch(/not team_config/);
    c.received.length = 0;
    c.send({ type: "start", team: "nobody", task: "x" });
    expect((await c.until("error")).error).toMatch(/no team named "nobody"/);
    c.received.length = 0;
    c.ws.send("{not json");
    expect((await c.until("error")).error).toMatch(/not JSON/);
    c.received.length = 0;
    c.send({ type: "dance" });
    expect((await c.until("error")).error).toMatch(/Unknown message type/);
    c.received.length = 0;
    c.send({ type: "ping" });
    await c.until("pong");
    c.send({ type: "start", team: "review", task: "once" });
    await c.until("input_request");
    c.received.length = 0;
    c.send({ type: "start", team: "review", task: "twice" });
    expect((await c.until("error")).error).toMatch(/already started/);
    c.ws.close();
  });

  it("refuses a socket without the key (401); a closed socket leaves the run running, and a new one rejoins", async () => {
    const refused = new WebSocket(`${server.url.replace("http", "ws")}/ws/runs/${runId()}`);
    const status = await new Promise<number>((resolve) =>
      refused.once("unexpected-response", (_q, res) => resolve(res.statusCode ?? 0)),
    );
    expect(status).toBe(401);
    const id = runId();
    const first = await connect(id);
    first.send({ type: "start", team: "review", task: "keep going" });
    await first.until("message");
    first.ws.close();
    // Unlike Studio, the run goes on: a new socket gets it from the start, up to the question.
    const second = await connect(id);
    const ask = await second.until("input_request");
    expect(ask.data).toMatchObject({ requestId: expect.any(String) });
    expect(second.received.filter((m) => m.type === "message").map((m) => m.seq)).toEqual([1, 2, 3]);
    second.send({ type: "input_response", response: "APPROVE" });
    expect((await second.until("result")).status).toBe("complete");
    second.ws.close();
  });
});
