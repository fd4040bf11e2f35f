import { ReplayChatCompletionClient } from "@autogen-ts/core/testing";
import { context, trace } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from "@opentelemetry/sdk-trace-base";
import { afterAll, describe, expect, it } from "vitest";
import { AssistantAgent } from "../agents/assistant-agent.js";
import { startAgentSpan } from "./genai.js";

afterAll(() => {
  trace.disable();
  context.disable();
});

describe("GenAI traces without an SDK", () => {
  it("make no spans until a provider is registered, then pick it up", async () => {
    const agent = new AssistantAgent({
      name: "quiet",
      modelClient: new ReplayChatCompletionClient(["a", "b"]),
    });
    const off = startAgentSpan(agent);
    expect(off.span.isRecording()).toBe(false);
    expect(off.context).toBe(context.active());
    off.span.end();
    await agent.run({ task: "1" });

    const exporter = new InMemorySpanExporter();
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    trace.setGlobalTracerProvider(
      new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }),
    );
    await agent.run({ task: "2" });
    expect(exporter.getFinishedSpans().map((s) => s.name)).toEqual(["chat unknown", "invoke_agent quiet"]);
  });
});
