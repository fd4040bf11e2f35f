import { CancelledError, FunctionTool, ValidationError } from "@autogen-ts/core";
import { ReplayChatCompletionClient } from "@autogen-ts/core/testing";
import { context, trace } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from "@opentelemetry/sdk-trace-base";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { AssistantAgent } from "../../src/agents/assistant-agent.js";
import { BaseChatAgent } from "../../src/agents/base-chat-agent.js";
import { filterMessages, MessageFilterAgent } from "../../src/agents/message-filter-agent.js";
import { AgentTool, TaskRunnerTool } from "../../src/agents/task-runner-tool.js";
import type { CallOptions, Response } from "../../src/base/types.js";
import { isTaskResult } from "../../src/base/types.js";
import type { BaseAgentMessage, BaseChatMessage } from "../../src/messages/base.js";
import { StopMessage, TextMessage } from "../../src/messages/chat.js";
import { ThoughtEvent, ToolCallExecutionEvent } from "../../src/messages/events.js";

/** Echoes the last message it got, with a thought before; remembers everything it saw. */
class Echo extends BaseChatAgent {
  readonly seen: BaseChatMessage[] = [];
  readonly producedMessageTypes = ["TextMessage"];
  async onMessages(messages: readonly BaseChatMessage[], options: CallOptions = {}): Promise<Response> {
    if (options.signal?.aborted) throw new CancelledError();
    this.seen.push(...messages);
    const last = messages.at(-1)?.toText() ?? "(nothing)";
    return {
      chatMessage: new TextMessage({ source: this.name, content: `echo: ${last}` }),
      innerMessages: [new ThoughtEvent({ source: this.name, content: "echoing" })],
    };
  }
  async onReset(): Promise<void> {
    this.seen.length = 0;
  }
}

const text = (source: string, content: string) => new TextMessage({ source, content });

describe("BaseChatAgent", () => {
  it("runs a task through onMessages, streaming inner messages, the reply, then the result", async () => {
    const agent = new Echo({ name: "echo", description: "Echoes." });
    const items: unknown[] = [];
    for await (const item of agent.runStream({ task: "hi" })) items.push(item);
    expect(items.slice(0, 3).map((m) => (m as BaseAgentMessage).type)).toEqual([
      "TextMessage",
      "ThoughtEvent",
      "TextMessage",
    ]);
    const result = items.at(-1);
    expect(isTaskResult(result)).toBe(true);
    expect(isTaskResult(items[0])).toBe(false);
    expect((items[2] as TextMessage).content).toBe("echo: hi");
    expect(await agent.run({ task: [text("a", "x"), text("b", "y")] })).toMatchObject({
      messages: [{ content: "x" }, { content: "y" }, { type: "ThoughtEvent" }, { content: "echo: y" }],
    });
    expect((await agent.run()).messages.map((m) => m.toText())).toEqual(["echoing", "echo: (nothing)"]);
    expect(agent.description).toBe("Echoes.");
  });

  it("checks names, tasks and state documents", async () => {
    for (const bad of ["", "1abc", "a b", "a.b", "x".repeat(65), 3]) {
      expect(() => new Echo({ name: bad as string })).toThrow(ValidationError);
    }
    for (const ok of ["a", "_a", "web-surfer", "Agent_2"]) expect(new Echo({ name: ok }).name).toBe(ok);
    const agent = new Echo({ name: "e" });
    await expect(agent.run({ task: 42 as never })).rejects.toThrow(/not a chat message/);
    const state = await agent.saveState();
    await agent.loadState(state);
    await expect(agent.loadState({ type: "BaseChatAgentState", version: 2 })).rejects.toMatchObject({
      code: "invalid_state",
    });
    await expect(agent.run({ task: "x", signal: AbortSignal.abort() })).rejects.toSatisfy(
      CancelledError.isInstance,
    );
  });
});

describe("MessageFilterAgent", () => {
  const messages = [
    text("user", "task"),
    text("writer", "w1"),
    text("critic", "c1"),
    text("writer", "w2"),
    text("user", "more"),
    text("writer", "w3"),
  ];

  it("keeps the first or last messages per source, in the original order", () => {
    const kept = filterMessages(messages, {
      perSource: [
        { source: "user", position: "first", count: 1 },
        { source: "writer", position: "last", count: 2 },
      ],
    });
    expect(kept.map((m) => m.toText())).toEqual(["task", "w2", "w3"]);
    expect(filterMessages(messages, { perSource: [{ source: "critic" }] }).map((m) => m.toText())).toEqual([
      "c1",
    ]);
    expect(
      filterMessages(messages, { perSource: [{ source: "writer", position: "last", count: 0 }] }),
    ).toEqual([]);
    expect(filterMessages(messages, { perSource: [] })).toEqual([]);
  });

  it("passes only the filtered messages to the wrapped agent, and wraps its state", async () => {
    const inner = new AssistantAgent({
      name: "critic",
      modelClient: new ReplayChatCompletionClient(["fine", "still fine"]),
      systemMessage: null,
    });
    const agent = new MessageFilterAgent({
      name: "critic_view",
      wrappedAgent: inner,
      filter: { perSource: [{ source: "writer", position: "last", count: 1 }] },
    });
    expect(agent.producedMessageTypes).toEqual(["TextMessage"]);
    expect(agent.description).toBe(inner.description);
    const response = await agent.onMessages(messages);
    expect(response.chatMessage.toText()).toBe("fine");
    const model = inner.modelClient as ReplayChatCompletionClient;
    expect(model.requests[0]?.messages).toEqual([{ type: "UserMessage", content: "w3", source: "writer" }]);
    const streamed: unknown[] = [];
    for await (const item of agent.onMessagesStream([text("writer", "w4"), text("user", "ignored")])) {
      streamed.push(item);
    }
    expect((streamed.at(-1) as Response).chatMessage.toText()).toBe("still fine");
    expect(model.requests[1]?.messages.at(-1)).toEqual({
      type: "UserMessage",
      content: "w4",
      source: "writer",
    });

    const saved = await agent.saveState();
    expect(saved).toMatchObject({
      type: "MessageFilterAgentState",
      version: 1,
      wrappedAgentState: { type: "AssistantAgentState" },
    });
    await agent.onReset();
    expect(await inner.modelContext.getMessages()).toEqual([]);
    await agent.loadState(saved);
    expect(await inner.modelContext.getMessages()).toHaveLength(4);
    await expect(agent.loadState({ type: "MessageFilterAgentState", version: 9 })).rejects.toMatchObject({
      code: "invalid_state",
    });
  });

  it("rejects a malformed filter", () => {
    const wrappedAgent = new Echo({ name: "e" });
    const make = (filter: unknown) => () =>
      new MessageFilterAgent({ name: "f", wrappedAgent, filter: filter as never });
    expect(make(undefined)).toThrow(/perSource/);
    expect(make({ perSource: [{ source: "a", position: "middle", count: 1 }] })).toThrow(/position/);
    expect(make({ perSource: [{ source: "a", position: "first", count: -1 }] })).toThrow(/count/);
    expect(make({ perSource: [{ source: "a", position: "first" }] })).toThrow(/together/);
    expect(
      () =>
        new MessageFilterAgent({ name: "f", wrappedAgent: undefined as never, filter: { perSource: [] } }),
    ).toThrow(/wrappedAgent/);
  });
});

describe("AgentTool", () => {
  it("lets an agent call another agent as a tool, nesting its spans", async () => {
    const exporter = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    trace.setGlobalTracerProvider(provider);
    try {
      const researcher = new AssistantAgent({
        name: "researcher",
        description: "Finds facts.",
        modelClient: new ReplayChatCompletionClient(["Paris has 2.1 million people."]),
      });
      const tool = new AgentTool({ agent: researcher, returnValueAsLastMessage: true });
      expect(tool.schema).toMatchObject({ name: "researcher", description: "Finds facts.", strict: true });
      const lead = new AssistantAgent({
        name: "lead",
        modelClient: new ReplayChatCompletionClient([
          { content: [{ id: "r1", name: "researcher", arguments: '{"task":"Population of Paris?"}' }] },
          "About 2.1 million.",
        ]),
        tools: [tool],
        reflectOnToolUse: true,
      });
      const result = await lead.run({ task: "How many people live in Paris?" });
      const exec = result.messages.find((m) => m instanceof ToolCallExecutionEvent) as ToolCallExecutionEvent;
      expect(exec.content[0]).toMatchObject({ content: "Paris has 2.1 million people.", isError: false });
      expect(result.messages.at(-1)?.toText()).toBe("About 2.1 million.");
      const spans = exporter.getFinishedSpans();
      const toolSpan = spans.find((s) => s.name === "execute_tool researcher");
      const innerAgent = spans.find((s) => s.name === "invoke_agent researcher");
      expect(innerAgent?.parentSpanContext?.spanId).toBe(toolSpan?.spanContext().spanId);
    } finally {
      trace.disable();
      context.disable();
    }
  });

  it("returns the whole run by default, and error results for bad arguments and failed runs", async () => {
    const echo = new Echo({ name: "echo", description: "Echoes." });
    const tool = new AgentTool({ agent: echo });
    expect(await tool.call({ task: "hi" })).toEqual({
      name: "echo",
      result: [{ type: "text", text: "echo: echo: hi" }],
      isError: false,
    });
    expect(await tool.call("{oops")).toMatchObject({ isError: true, result: [{ text: /Invalid JSON/ }] });
    expect(await tool.call({ job: "x" })).toMatchObject({ isError: true, result: [{ text: /"task"/ }] });
    const failing = new AgentTool({
      agent: new AssistantAgent({ name: "empty", modelClient: new ReplayChatCompletionClient([]) }),
    });
    expect(await failing.call('{"task":"x"}')).toMatchObject({
      isError: true,
      result: [{ text: /The run failed: .*no response left/ }],
    });
    await expect(tool.call({ task: "x" }, { signal: AbortSignal.abort() })).rejects.toSatisfy(
      CancelledError.isInstance,
    );
    expect(() => new AgentTool({ agent: echo, name: "bad name" })).toThrow(/not valid/);
  });

  it("gives an error result when the model calls one agent tool twice at once", async () => {
    const helper = new AssistantAgent({
      name: "helper",
      modelClient: new ReplayChatCompletionClient({ responses: ["first answer"], latencyMs: 1 }),
    });
    const lead = new AssistantAgent({
      name: "lead",
      modelClient: new ReplayChatCompletionClient([
        {
          content: [
            { id: "1", name: "helper", arguments: '{"task":"a"}' },
            { id: "2", name: "helper", arguments: '{"task":"b"}' },
          ],
        },
      ]),
      tools: [new AgentTool({ agent: helper, returnValueAsLastMessage: true })],
    });
    const exec = (await lead.run({ task: "go" })).messages.find(
      (m) => m instanceof ToolCallExecutionEvent,
    ) as ToolCallExecutionEvent;
    expect(exec.content[0]).toMatchObject({ content: "first answer", isError: false });
    expect(exec.content[1]).toMatchObject({ isError: true });
    expect(exec.content[1]?.content).toMatch(/already running/);
  });

  it("wraps any task runner, so a team can be a tool with the same code", async () => {
    const runner = {
      async run(options: { task?: unknown } = {}) {
        return {
          messages: [
            text("user", String(options.task)),
            new StopMessage({ source: "team", content: "done" }),
          ],
          stopReason: "stop",
        };
      },
      async *runStream() {},
    };
    const tool = new TaskRunnerTool({ runner, name: "team", description: "A team." });
    expect(await tool.call({ task: "go" })).toMatchObject({ result: [{ text: "team: done" }] });
  });

  it("is a plain tool next to FunctionTools", async () => {
    const add = new FunctionTool({
      name: "add",
      description: "adds",
      parameters: z.object({ a: z.number(), b: z.number() }),
      run: ({ a, b }) => a + b,
    });
    const agent = new AssistantAgent({
      name: "calc",
      modelClient: new ReplayChatCompletionClient([
        {
          content: [
            { id: "1", name: "add", arguments: '{"a":1,"b":2}' },
            { id: "2", name: "echo", arguments: '{"task":"3"}' },
          ],
        },
      ]),
      tools: [add, new AgentTool({ agent: new Echo({ name: "echo" }), returnValueAsLastMessage: true })],
    });
    expect((await agent.run({ task: "go" })).messages.at(-1)?.toText()).toBe("3\necho: 3");
  });
});
