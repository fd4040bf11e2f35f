/**
 * Classic agents make the same GenAI spans as the 0.4 agents: `invoke_agent` per reply, `chat` per model
 * call and `execute_tool` per function call, nested.
 */
import { ReplayChatCompletionClient } from "@autogen-ts/core/testing";
import { context } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from "@opentelemetry/sdk-trace-base";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { AssistantAgent, registerFunction, UserProxyAgent } from "../../src/classic/index.js";

const exporter = new InMemorySpanExporter();
const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
const contextManager = new AsyncLocalStorageContextManager();
beforeAll(() => {
  context.setGlobalContextManager(contextManager.enable());
});
afterAll(() => {
  context.disable();
});

describe("classic tracing", () => {
  it("a reply is invoke_agent, with chat and execute_tool spans inside", async () => {
    const model = new ReplayChatCompletionClient([
      { content: [{ id: "c1", name: "add", arguments: '{"a":2,"b":3}' }] },
      "5. TERMINATE",
    ]);
    const assistant = new AssistantAgent({ name: "assistant", llmConfig: model, tracerProvider });
    const user = new UserProxyAgent({
      name: "user",
      humanInputMode: "NEVER",
      codeExecutionConfig: false,
      tracerProvider,
      isTerminationMsg: (m) => String(m.content).includes("TERMINATE"),
    });
    registerFunction(({ a, b }: { a: number; b: number }) => a + b, {
      caller: assistant,
      executor: user,
      name: "add",
      description: "Adds.",
      parameters: z.object({ a: z.number(), b: z.number() }),
    });
    await user.initiateChat(assistant, { message: "2 + 3?" });
    const spans = exporter.getFinishedSpans();
    const names = spans.map((s) => s.name);
    expect(names.filter((n) => n === "invoke_agent assistant")).toHaveLength(2);
    expect(names.filter((n) => n.startsWith("chat "))).toHaveLength(2);
    const tool = spans.find((s) => s.name === "execute_tool add");
    const parent = spans.find((s) => s.spanContext().spanId === tool?.parentSpanContext?.spanId);
    expect(parent?.name).toBe("invoke_agent user");
    const chat = spans.find((s) => s.name.startsWith("chat "));
    expect(spans.find((s) => s.spanContext().spanId === chat?.parentSpanContext?.spanId)?.name).toBe(
      "invoke_agent assistant",
    );
  });
});
