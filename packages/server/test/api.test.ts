import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeOpenAI, startFakeOpenAI } from "./support/fake-openai.js";
import { readSse, startServer, type TestServer } from "./support/server.js";
import { assistantTeam, chatTeam } from "./support/teams.js";

let model: FakeOpenAI;
let server: TestServer;

beforeAll(async () => {
  model = await startFakeOpenAI();
  server = await startServer({ teams: [assistantTeam(model.url), chatTeam(model.url, 4)] });
});
afterAll(async () => {
  await server?.close();
  await model?.close();
});

const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${server.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });

describe("threads and runs", () => {
  it("lists the teams", async () => {
    const res = await fetch(`${server.url}/teams`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      items: [{ name: "assistant", description: "One assistant" }, { name: "chat" }],
    });
  });

  it("runs a team to its end (mode wait) and continues the thread", async () => {
    const thread = (await (await post("/threads", {})).json()) as { threadId: string; status: string };
    expect(thread.status).toBe("idle");
    const res = await post(`/threads/${thread.threadId}/runs`, {
      team: "assistant",
      task: "hello",
      mode: "wait",
    });
    expect(res.status).toBe(200);
    const result = (await res.json()) as {
      run: { status: string; lastSeq: number };
      events: { type: string; data: { content?: unknown } }[];
    };
    expect(result.run.status).toBe("completed");
    const texts = result.events.filter((e) => e.type === "TextMessage").map((e) => e.data.content);
    expect(texts).toEqual(["hello", "reply 1 to: hello"]);
    expect(result.events.map((e) => e.type)).toEqual(["TextMessage", "TextMessage"]);
    // The second run loads the thread's state: the model sees the first exchange.
    const again = (await (
      await post(`/threads/${thread.threadId}/runs`, { team: "assistant", task: "more", mode: "wait" })
    ).json()) as typeof result;
    expect(again.events.filter((e) => e.type === "TextMessage").map((e) => e.data.content)).toEqual([
      "more",
      "reply 2 to: more",
    ]);
    const history = (await (
      await fetch(`${server.url}/threads/${thread.threadId}/history?limit=1`)
    ).json()) as { items: { parentId?: string }[]; nextCursor?: string };
    expect(history.items).toHaveLength(1);
    expect(history.items[0]!.parentId).toBeDefined();
    expect(history.nextCursor).toBeDefined();
  });

  it("streams a run (mode stream) with ids that are the sequence numbers", async () => {
    const thread = (await (await post("/threads", {})).json()) as { threadId: string };
    const res = await post(`/threads/${thread.threadId}/runs`, { team: "chat", task: "go", mode: "stream" });
    expect(res.headers.get("content-type")).toContain("text/event-stream");
    const events = await readSse(res);
    const messages = events.slice(0, -1);
    expect(messages.map((e) => Number(e.id))).toEqual(messages.map((_, i) => i + 1));
    // The last is the stop notice: not in the record, so it carries the last event's id.
    expect(events.at(-1)).toMatchObject({
      id: String(messages.length),
      event: "status",
      data: { type: "status", data: { status: "completed" } },
    });
  });

  it("answers malformed JSON, a bad body and an unknown team with clear errors", async () => {
    const thread = (await (await post("/threads", {})).json()) as { threadId: string };
    const malformed = await post(`/threads/${thread.threadId}/runs`, "{not json");
    expect(malformed.status).toBe(400);
    expect(((await malformed.json()) as { error: { code: string; message: string } }).error.code).toBe(
      "bad_request",
    );
    const bad = await post(`/threads/${thread.threadId}/runs`, { team: "assistant", mode: "later" });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string; message: string } }).error.message).toContain(
      "mode",
    );
    const unknown = await post(`/threads/${thread.threadId}/runs`, { team: "nobody", task: "x" });
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { error: { code: string; message: string } }).error.code).toBe(
      "unknown_team",
    );
    const definition = await post(`/threads/${thread.threadId}/runs`, {
      team: "assistant",
      team_config: { provider: "x" },
    });
    expect(definition.status).toBe(400);
    const missing = await fetch(`${server.url}/threads/nope`);
    expect(missing.status).toBe(404);
  });

  it("serves the OpenAPI 3.1 document, health and readiness", async () => {
    const doc = (await (await fetch(`${server.url}/openapi.json`)).json()) as {
      openapi: string;
      paths: Record<string, unknown>;
    };
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        "/teams",
        "/threads",
        "/threads/{threadId}",
        "/threads/{threadId}/history",
        "/threads/{threadId}/runs",
        "/runs/{runId}",
        "/runs/{runId}/stream",
        "/runs/{runId}/cancel",
        "/runs/{runId}/input",
        "/health",
        "/ready",
        "/v1/chat/completions",
        "/v1/responses",
      ]),
    );
    expect(await (await fetch(`${server.url}/health`)).json()).toEqual({ status: "ok" });
    expect(await (await fetch(`${server.url}/ready`)).json()).toEqual({ ready: true });
  });
});
