import { FunctionTool } from "@autogen-ts/core";
import { ReplayChatCompletionClient } from "@autogen-ts/core/testing";
import { context, SpanStatusCode, trace } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from "@opentelemetry/sdk-trace-base";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { AssistantAgent } from "../../src/agents/assistant-agent.js";
import { modelName, TRACER_NAME } from "../../src/tracing/genai.js";

/** A replay client that reports a model name, as provider clients do. */
class NamedReplay extends ReplayChatCompletionClient {
  readonly model = "gpt-4o";
}

const exporter = new InMemorySpanExporter();
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
const manager = new AsyncLocalStorageContextManager();

beforeAll(() => {
  context.setGlobalContextManager(manager.enable());
  trace.setGlobalTracerProvider(provider);
});
afterAll(() => {
  trace.disable();
  context.disable();
});
beforeEach(() => exporter.reset());

/** Renders the finished spans as an indented tree, children in start order. */
function tree(spans: readonly ReadableSpan[]): string[] {
  const lines: string[] = [];
  const children = (parentId: string | undefined) =>
    spans
      .filter((s) => s.parentSpanContext?.spanId === parentId)
      .sort(
        (a, b) =>
          a.startTime[0] - b.startTime[0] ||
          a.startTime[1] - b.startTime[1] ||
          // Parallel tool calls can start within one clock tick: then the model's call order decides.
          String(a.attributes["gen_ai.tool.call.id"] ?? "").localeCompare(
            String(b.attributes["gen_ai.tool.call.id"] ?? ""),
          ),
      );
  const walk = (span: ReadableSpan, depth: number) => {
    lines.push(`${"  ".repeat(depth)}${span.name}`);
    for (const child of children(span.spanContext().spanId)) walk(child, depth + 1);
  };
  for (const root of children(undefined)) walk(root, 0);
  return lines;
}

const byName = (name: string) => exporter.getFinishedSpans().filter((s) => s.name === name);

describe("GenAI traces", () => {
  it("record one tree per tool-using run, with gen_ai attributes, usage and errors", async () => {
    const inner = trace.getTracer("weather-service");
    const weather = new FunctionTool({
      name: "get_weather",
      description: "Weather for a city",
      parameters: z.object({ city: z.string() }),
      run: async ({ city }) => {
        // A span the tool makes itself must land under its execute_tool span.
        inner.startSpan("lookup").end();
        return `${city}: 23C`;
      },
    });
    const broken = new FunctionTool({
      name: "broken",
      description: "fails",
      parameters: z.object({}),
      run: () => {
        throw new Error("no luck");
      },
    });
    const model = new NamedReplay([
      {
        content: [
          { id: "c1", name: "get_weather", arguments: '{"city":"Paris"}' },
          { id: "c2", name: "broken", arguments: "{}" },
        ],
        usage: { promptTokens: 100, completionTokens: 20, cachedPromptTokens: 60, reasoningTokens: 8 },
      },
      { content: "Paris: 23C.", usage: { promptTokens: 150, completionTokens: 5 } },
    ]);
    const agent = new AssistantAgent({
      name: "writer",
      modelClient: model,
      tools: [weather, broken],
      reflectOnToolUse: true,
      modelClientStream: true,
    });
    const outer = trace.getTracer("app").startSpan("request");
    await context.with(trace.setSpan(context.active(), outer), () => agent.run({ task: "Paris?" }));
    outer.end();

    expect(tree(exporter.getFinishedSpans())).toEqual([
      "request",
      "  invoke_agent writer",
      "    chat gpt-4o",
      "    execute_tool get_weather",
      "      lookup",
      "    execute_tool broken",
      "    chat gpt-4o",
    ]);
    const [agentSpan] = byName("invoke_agent writer");
    expect(agentSpan?.instrumentationScope.name).toBe(TRACER_NAME);
    expect(agentSpan?.attributes).toMatchObject({
      "gen_ai.operation.name": "invoke_agent",
      "gen_ai.agent.name": "writer",
      "gen_ai.usage.input_tokens": 250,
      "gen_ai.usage.output_tokens": 25,
    });
    const [first, second] = byName("chat gpt-4o");
    expect(first?.attributes).toMatchObject({
      "gen_ai.operation.name": "chat",
      "gen_ai.request.model": "gpt-4o",
      "gen_ai.agent.name": "writer",
      "gen_ai.request.stream": true,
      "gen_ai.usage.input_tokens": 100,
      "gen_ai.usage.output_tokens": 20,
      "gen_ai.usage.cache_read.input_tokens": 60,
      "gen_ai.usage.reasoning.output_tokens": 8,
      "gen_ai.response.finish_reasons": ["function_calls"],
    });
    expect(second?.attributes["gen_ai.response.finish_reasons"]).toEqual(["stop"]);
    expect(second?.attributes).not.toHaveProperty("gen_ai.usage.cache_read.input_tokens");
    const [tool] = byName("execute_tool get_weather");
    expect(tool?.attributes).toMatchObject({
      "gen_ai.operation.name": "execute_tool",
      "gen_ai.tool.name": "get_weather",
      "gen_ai.tool.call.id": "c1",
      "gen_ai.tool.description": "Weather for a city",
    });
    expect(tool?.status.code).not.toBe(SpanStatusCode.ERROR);
    const [failed] = byName("execute_tool broken");
    expect(failed?.attributes["error.type"]).toBe("tool_error");
    expect(failed?.status.code).toBe(SpanStatusCode.ERROR);
    expect(failed?.status.message).toMatch(/no luck/);
    // Every span of the run shares the caller's trace.
    const traceIds = new Set(exporter.getFinishedSpans().map((s) => s.spanContext().traceId));
    expect(traceIds.size).toBe(1);
  });

  it("mark the model call and the agent failed when the model fails", async () => {
    const agent = new AssistantAgent({ name: "sad", modelClient: new NamedReplay([]) });
    await expect(agent.run({ task: "hi" })).rejects.toThrow(/no response left/);
    expect(tree(exporter.getFinishedSpans())).toEqual(["invoke_agent sad", "  chat gpt-4o"]);
    for (const span of exporter.getFinishedSpans()) {
      expect(span.attributes["error.type"]).toBe("replay_exhausted");
      expect(span.status.code).toBe(SpanStatusCode.ERROR);
    }
  });

  it("nest separate runs as separate trees", async () => {
    const agent = new AssistantAgent({ name: "a", modelClient: new NamedReplay(["one", "two"]) });
    await agent.run({ task: "1" });
    await agent.run({ task: "2" });
    expect(tree(exporter.getFinishedSpans())).toEqual([
      "invoke_agent a",
      "  chat gpt-4o",
      "invoke_agent a",
      "  chat gpt-4o",
    ]);
  });

  it("name the model by the client's model, its modelId, or the model family", () => {
    const plain = new ReplayChatCompletionClient({ responses: [], modelInfo: { family: "gpt-41" } });
    expect(modelName(plain)).toBe("gpt-41");
    expect(modelName(new NamedReplay([]))).toBe("gpt-4o");
    const wrapped = Object.assign(new ReplayChatCompletionClient([]), { model: { modelId: "claude-x" } });
    expect(modelName(wrapped)).toBe("claude-x");
  });
});
