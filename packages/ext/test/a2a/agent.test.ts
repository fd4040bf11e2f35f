/**
 * A2AAgent against serveA2A over loopback HTTP, both sides real: an AssistantAgent on the replay client
 * behind the server, the SDK client inside A2AAgent. Streaming inner events, context continuity, state,
 * reset, a team with a local agent, the agent as a tool, and the error paths.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import {
  AgentTool,
  AssistantAgent,
  MaxMessageTermination,
  RoundRobinGroupChat,
  type TextMessage,
  ThoughtEvent,
} from "@autogen-ts/agentchat";
import { CancelledError, DeliveryError, ValidationError } from "@autogen-ts/core";
import { ReplayChatCompletionClient } from "@autogen-ts/core/testing";
import { A2AAgent, type A2AServerHandle, serveA2A } from "@autogen-ts/ext/a2a";
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

describe("A2AAgent against serveA2A", () => {
  it("runs a task remotely: status updates become ThoughtEvents, the answer the reply", async () => {
    const server = await serve(() => weatherAgent());
    const remote = new A2AAgent({ name: "remote_weather", url: server.url });
    const items = [];
    for await (const item of remote.runStream({ task: "Weather in Paris?" })) items.push(item);
    const result = items.at(-1) as { messages: unknown[] };
    const messages = result.messages as (TextMessage | ThoughtEvent)[];
    expect(messages.map((m) => m.type)).toEqual([
      "TextMessage",
      "ThoughtEvent",
      "ThoughtEvent",
      "ThoughtEvent",
      "TextMessage",
    ]);
    const thoughts = messages.filter((m): m is ThoughtEvent => m instanceof ThoughtEvent);
    expect(thoughts.map((t) => t.metadata.a2aType)).toEqual([
      "ToolCallRequestEvent",
      "ToolCallExecutionEvent",
      "TextMessage",
    ]);
    expect(
      thoughts.every((t) => t.source === "remote_weather" && t.metadata.a2aSource === "weather_agent"),
    ).toBe(true);
    expect(thoughts[1]?.content).toContain("Sunny in City0");
    const reply = messages.at(-1) as TextMessage;
    expect(reply.source).toBe("remote_weather");
    expect(reply.content).toBe("Answer 0: sunny.");
    expect(remote.contextId).toBeTypeOf("string");
  });

  it("works without streaming (blocking SendMessage)", async () => {
    const server = await serve(() => weatherAgent());
    const remote = new A2AAgent({ name: "remote", url: server.url, streaming: false });
    const result = await remote.run({ task: "Weather?" });
    expect((result.messages.at(-1) as TextMessage).content).toBe("Answer 0: sunny.");
  });

  it("sends credentials from its provider to a server with auth on, asking before each request", async () => {
    const server = await serve(() => weatherAgent({ responses: weatherScript(2) }), {
      auth: { bearerTokens: ["remote-token"] },
    });
    let asked = 0;
    const remote = new A2AAgent({
      name: "remote",
      url: server.url,
      credentials: () => {
        asked++;
        return { authorization: "Bearer remote-token" };
      },
    });
    const result = await remote.run({ task: "Weather?" });
    expect((result.messages.at(-1) as TextMessage).content).toBe("Answer 0: sunny.");
    expect(asked).toBeGreaterThan(0);
    expect(JSON.stringify(await remote.saveState())).not.toContain("remote-token");
    const without = new A2AAgent({ name: "anonymous", url: server.url });
    await expect(without.run({ task: "Weather?" })).rejects.toThrow();
  });

  it("continues one context across turns; state keeps it; reset starts a new one", async () => {
    const made: string[] = [];
    const clients: ReplayChatCompletionClient[] = [];
    const server = await serve((contextId) => {
      made.push(contextId);
      return weatherAgent({ responses: ["One.", "Two.", "Three."], onClient: (c) => clients.push(c) });
    });
    const remote = new A2AAgent({ name: "remote", url: server.url });
    await remote.run({ task: "My name is Ada." });
    const second = await remote.run({ task: "What is my name?" });
    expect((second.messages.at(-1) as TextMessage).content).toBe("Two.");
    expect(made).toHaveLength(1);
    const seen = clients[0]?.requests[1]?.messages.map((m) => ("content" in m ? String(m.content) : ""));
    expect(seen).toEqual(expect.arrayContaining(["My name is Ada.", "One.", "What is my name?"]));

    const state = await remote.saveState();
    expect(state).toEqual({ type: "A2AAgentState", version: 1, contextId: made[0] });
    const restored = new A2AAgent({ name: "remote", url: server.url });
    await restored.loadState(JSON.parse(JSON.stringify(state)));
    const third = await restored.run({ task: "And again?" });
    expect((third.messages.at(-1) as TextMessage).content).toBe("Three.");
    expect(made).toHaveLength(1);

    await restored.onReset();
    expect(restored.contextId).toBeUndefined();
    const fresh = await restored.run({ task: "Hello" });
    expect((fresh.messages.at(-1) as TextMessage).content).toBe("One.");
    expect(made).toHaveLength(2);

    await expect(restored.loadState({ type: "Other", version: 1 })).rejects.toSatisfy(
      ValidationError.isInstance,
    );
    await expect(restored.loadState({ type: "A2AAgentState", version: 1, contextId: 5 })).rejects.toSatisfy(
      ValidationError.isInstance,
    );
  });

  it("takes part in a RoundRobinGroupChat with a local agent, speakers kept across the wire", async () => {
    const remoteClients: ReplayChatCompletionClient[] = [];
    const server = await serve(() =>
      weatherAgent({ responses: ["Remote says: sunny in Paris."], onClient: (c) => remoteClients.push(c) }),
    );
    const planner = new AssistantAgent({
      name: "planner",
      modelClient: new ReplayChatCompletionClient({ responses: ["Ask the weather service about Paris."] }),
    });
    const remote = new A2AAgent({ name: "weather", url: server.url, description: "The weather service." });
    const team = new RoundRobinGroupChat({
      participants: [planner, remote],
      terminationCondition: new MaxMessageTermination({ maxMessages: 3 }),
    });
    const result = await team.run({ task: "Plan a day in Paris." });
    const chat = result.messages.filter((m) => m.kind === "chat") as TextMessage[];
    expect(chat.map((m) => [m.source, m.content])).toEqual([
      ["user", "Plan a day in Paris."],
      ["planner", "Ask the weather service about Paris."],
      ["weather", "Remote says: sunny in Paris."],
    ]);
    // The remote model saw both messages with their speakers.
    const seen = remoteClients[0]?.requests[0]?.messages.filter((m) => m.type === "UserMessage");
    expect(seen?.map((m) => (m as { source?: string }).source)).toEqual(["user", "planner"]);
  });

  it("is usable as a tool through AgentTool", async () => {
    const server = await serve(() => weatherAgent());
    const tool = new AgentTool({
      agent: new A2AAgent({ name: "weather", url: server.url }),
      returnValueAsLastMessage: true,
    });
    const result = await tool.call({ task: "Weather in Rome?" });
    expect(result.isError).toBe(false);
    expect(JSON.stringify(result.result)).toContain("Answer 0: sunny.");
  });

  it("cancels the remote task when the turn is cancelled", async () => {
    const started = signalled();
    const aborted = signalled();
    const server = await serve(() =>
      weatherAgent({ slow: { started: started.resolve, aborted: aborted.resolve } }),
    );
    const remote = new A2AAgent({ name: "remote", url: server.url });
    const controller = new AbortController();
    const run = remote.run({ task: "Weather?", signal: controller.signal });
    await started.promise;
    controller.abort();
    const error = await run.catch((e: unknown) => e);
    expect(CancelledError.isInstance(error)).toBe(true);
    // The server-side run saw its signal abort: the remote task was cancelled, not just left behind.
    await aborted.promise;
  });

  it("fails with an undeliverable DeliveryError when the remote is down", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const remote = new A2AAgent({ name: "remote", url: `http://127.0.0.1:${port}` });
    const error = await remote.run({ task: "Hello?" }).catch((e: unknown) => e);
    expect(DeliveryError.isInstance(error)).toBe(true);
    expect((error as DeliveryError).code).toBe("undeliverable");
    expect((error as DeliveryError).message).toContain(`127.0.0.1:${port}`);
  });

  it("fails with handler_failed when the remote task fails, the inner events so far kept", async () => {
    const server = await serve(() => weatherAgent({ responses: weatherScript(1).slice(0, 1) }));
    const remote = new A2AAgent({ name: "remote", url: server.url });
    const error = await remote.run({ task: "Weather?" }).catch((e: unknown) => e);
    expect(DeliveryError.isInstance(error)).toBe(true);
    const failure = error as DeliveryError;
    expect(failure.code).toBe("handler_failed");
    expect(failure.message).toMatch(/failed: The run failed: .*no response left/);
    const messages = failure.details?.messages as ThoughtEvent[];
    expect(messages.map((m) => m.metadata.a2aType)).toEqual([
      "ToolCallRequestEvent",
      "ToolCallExecutionEvent",
    ]);
    expect(failure.details?.taskId).toBeTypeOf("string");
  });

  it("in a team, a failing remote ends the run with the messages so far", async () => {
    const server = await serve(() => weatherAgent({ responses: [] }));
    const planner = new AssistantAgent({
      name: "planner",
      modelClient: new ReplayChatCompletionClient({ responses: ["Over to the weather service."] }),
    });
    const team = new RoundRobinGroupChat({
      participants: [planner, new A2AAgent({ name: "weather", url: server.url })],
      terminationCondition: new MaxMessageTermination({ maxMessages: 4 }),
    });
    const error = await team.run({ task: "Plan." }).catch((e: unknown) => e);
    expect(DeliveryError.isInstance(error)).toBe(true);
    const messages = (error as DeliveryError).details?.messages as TextMessage[];
    expect(messages.map((m) => m.source)).toEqual(["user", "planner"]);
  });

  it("checks its options", () => {
    expect(() => new A2AAgent({ name: "x" })).toThrow(/needs a 'url' or a 'card'/);
    expect(() => new A2AAgent({ name: "x", url: "not a url" })).toThrow(ValidationError);
    expect(() => new A2AAgent({ name: "bad name", url: "http://127.0.0.1:1" })).toThrow(ValidationError);
  });
});
