/**
 * A2AAgent against an A2A v0.3 server that knows nothing newer: the @a2a-js/sdk 0.3 server on Express,
 * with an executor that answers "pong: <text>". A2AAgent reads the v0.3 card and speaks v0.3 JSON-RPC
 * through the SDK's compatibility layer.
 */
import type { Server } from "node:http";
import type { TextMessage } from "@autogen-ts/agentchat";
import { A2AAgent } from "@autogen-ts/ext/a2a";
import {
  type AgentExecutor,
  DefaultRequestHandler,
  type ExecutionEventBus,
  InMemoryTaskStore,
  type RequestContext,
} from "a2a-sdk-v03/server";
import { A2AExpressApp } from "a2a-sdk-v03/server/express";
import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

class PongExecutor implements AgentExecutor {
  async execute(context: RequestContext, bus: ExecutionEventBus): Promise<void> {
    const text = context.userMessage.parts.map((p) => (p.kind === "text" ? p.text : "")).join("");
    bus.publish({
      kind: "task",
      id: context.taskId,
      contextId: context.contextId,
      status: {
        state: "completed",
        message: {
          kind: "message",
          messageId: crypto.randomUUID(),
          role: "agent",
          parts: [{ kind: "text", text: `pong: ${text}` }],
          taskId: context.taskId,
          contextId: context.contextId,
        },
      },
      history: [context.userMessage],
    });
    bus.finished();
  }
  async cancelTask(): Promise<void> {}
}

let server: Server;
let url = "";

beforeAll(async () => {
  const app = express();
  const card = {
    name: "pong",
    description: "Answers pong.",
    protocolVersion: "0.3.0",
    version: "1.0.0",
    url: "",
    preferredTransport: "JSONRPC",
    capabilities: { streaming: true },
    defaultInputModes: ["text/plain"],
    defaultOutputModes: ["text/plain"],
    skills: [{ id: "pong", name: "pong", description: "pong", tags: [] }],
  };
  const handler = new DefaultRequestHandler(card as never, new InMemoryTaskStore(), new PongExecutor());
  new A2AExpressApp(handler).setupRoutes(app);
  await new Promise<void>((resolve) => {
    server = app.listen(0, "127.0.0.1", () => resolve());
  });
  url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  card.url = url;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe("A2AAgent against a v0.3-only server", () => {
  it("reads the v0.3 card, speaks v0.3, and replies with the remote's answer (blocking and streaming)", async () => {
    for (const streaming of [false, true]) {
      const remote = new A2AAgent({ name: "pong", url, streaming });
      const result = await remote.run({ task: "ping" });
      const last = result.messages.at(-1) as TextMessage;
      expect(last.source).toBe("pong");
      expect(last.content).toBe("pong: ping");
    }
  });
});
