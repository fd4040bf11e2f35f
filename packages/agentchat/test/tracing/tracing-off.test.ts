import { otel } from "@autogen-ts/core";
import { ReplayChatCompletionClient } from "@autogen-ts/core/testing";
import { context, trace } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from "@opentelemetry/sdk-trace-base";
import { afterAll, describe, expect, it } from "vitest";
import { AssistantAgent } from "../../src/agents/assistant-agent.js";
import { startAgentSpan } from "../../src/tracing/genai.js";

afterAll(() => {
  trace.disable();
  context.disable();
});

describe("GenAI traces without an SDK", () => {
  it("go to an agent's own tracerProvider when the global one is unset", async () => {
    const exporter = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
    const agent = new AssistantAgent({
      name: "own",
      modelClient: new ReplayChatCompletionClient(["a"]),
      tracerProvider: provider,
    });
    await agent.run({ task: "1" });
    const spans = exporter.getFinishedSpans();
    expect(spans.map((s) => s.name)).toEqual(["chat unknown", "invoke_agent own"]);
    // Without a context manager the parent is passed explicitly, so the tree holds.
    expect(spans[0]?.parentSpanContext?.spanId).toBe(spans[1]?.spanContext().spanId);
  });

  it("make no spans until a provider is registered, then pick it up", async () => {
    const agent = new AssistantAgent({
      name: "quiet",
      modelClient: new ReplayChatCompletionClient(["a", "b"]),
    });
    const off = startAgentSpan(agent);
    expect(off.span.isRecording()).toBe(false);
    // No new context is made while tracing is off: the span stands in for the active context unchanged.
    expect(off.context).toBe(otel.active());
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
