/** The official `openai` client as the caller of both OpenAI-compatible endpoints. */
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeOpenAI, startFakeOpenAI } from "./support/fake-openai.js";
import { startServer, type TestServer } from "./support/server.js";
import { assistantTeam, chatTeam } from "./support/teams.js";

let model: FakeOpenAI;
let server: TestServer;
let client: OpenAI;

beforeAll(async () => {
  model = await startFakeOpenAI();
  server = await startServer({
    teams: [
      assistantTeam(model.url),
      assistantTeam(model.url, { name: "streamer", stream: true }),
      chatTeam(model.url, 2),
    ],
    apiKeys: ["key-one", "key-two"],
  });
  client = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: "key-one", maxRetries: 0 });
});
afterAll(async () => {
  await server?.close();
  await model?.close();
});

describe("/v1/chat/completions", () => {
  it("answers with the team's reply", async () => {
    const completion = await client.chat.completions.create({
      model: "assistant",
      messages: [{ role: "user", content: "hello there" }],
    });
    expect(completion.object).toBe("chat.completion");
    expect(completion.choices[0]!.message.content).toBe("reply 1 to: hello there");
    expect(completion.choices[0]!.finish_reason).toBe("stop");
  });

  it("streams the same answer as chunks, a team's messages apart", async () => {
    const stream = await client.chat.completions.create({
      model: "chat",
      messages: [{ role: "user", content: "topic" }],
      stream: true,
    });
    let text = "";
    let finish: string | null | undefined;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? "";
      finish = chunk.choices[0]?.finish_reason ?? finish;
    }
    expect(text).toBe("reply 1 to: topic\n\nreply 1 to: reply 1 to: topic");
    expect(finish).toBe("stop");
  });

  it("streams a token-streaming team's chunks", async () => {
    const stream = await client.chat.completions.create({
      model: "streamer",
      messages: [{ role: "user", content: "tokens please" }],
      stream: true,
    });
    const deltas: string[] = [];
    for await (const chunk of stream)
      if (chunk.choices[0]?.delta.content) deltas.push(chunk.choices[0].delta.content);
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.join("")).toBe("reply 1 to: tokens please");
  });

  it("gives an unknown model a 404 the client raises", async () => {
    const error = await client.chat.completions
      .create({ model: "gpt-5", messages: [{ role: "user", content: "x" }] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.NotFoundError);
  });

  it("refuses a wrong key", async () => {
    const stranger = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: "wrong", maxRetries: 0 });
    const error = await stranger.chat.completions
      .create({ model: "assistant", messages: [{ role: "user", content: "x" }] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.AuthenticationError);
  });
});

describe("/v1/responses", () => {
  it("answers, and previous_response_id continues the thread", async () => {
    const first = await client.responses.create({ model: "assistant", input: "first question" });
    expect(first.output_text).toBe("reply 1 to: first question");
    const second = await client.responses.create({
      model: "assistant",
      input: "second",
      previous_response_id: first.id,
    });
    // The team's state came back from the thread: the model saw one earlier assistant turn.
    expect(second.output_text).toBe("reply 2 to: second");
    const runs = await server.store.listRuns({
      threadId: String((second.metadata as { thread_id: string }).thread_id),
    });
    expect(runs.items).toHaveLength(2);
  });

  it("streams the answer as response events", async () => {
    const stream = await client.responses.create({ model: "streamer", input: "stream me", stream: true });
    const types: string[] = [];
    let text = "";
    let completed: OpenAI.Responses.Response | undefined;
    for await (const event of stream) {
      types.push(event.type);
      if (event.type === "response.output_text.delta") text += event.delta;
      if (event.type === "response.completed") completed = event.response;
    }
    expect(types[0]).toBe("response.created");
    expect(types.at(-1)).toBe("response.completed");
    expect(text).toBe("reply 1 to: stream me");
    expect(completed?.output_text ?? "").toBe("reply 1 to: stream me");
  });

  it("hides another principal's response: previous_response_id of theirs is 404", async () => {
    const mine = await client.responses.create({ model: "assistant", input: "private" });
    const other = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: "key-two", maxRetries: 0 });
    const error = await other.responses
      .create({ model: "assistant", input: "peek", previous_response_id: mine.id })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.NotFoundError);
  });
});
