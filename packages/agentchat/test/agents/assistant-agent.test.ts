import {
  BufferedChatCompletionContext,
  CancelledError,
  FunctionTool,
  ListMemory,
  ModelError,
  StaticWorkbench,
  ValidationError,
} from "@autogen-ts/core";
import { ReplayChatCompletionClient } from "@autogen-ts/core/testing";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { AssistantAgent } from "../../src/agents/assistant-agent.js";
import { isTaskResult, type TaskResult } from "../../src/base/types.js";
import type { BaseAgentMessage } from "../../src/messages/base.js";
import {
  HandoffMessage,
  StructuredMessage,
  TextMessage,
  ToolCallSummaryMessage,
} from "../../src/messages/chat.js";
import {
  MemoryQueryEvent,
  ModelClientStreamingChunkEvent,
  ThoughtEvent,
  ToolCallExecutionEvent,
} from "../../src/messages/events.js";

const weather = new FunctionTool({
  name: "get_weather",
  description: "Weather for a city",
  parameters: z.object({ city: z.string() }),
  run: async ({ city }) => `${city}: 23C, sunny`,
});

const call = (id: string, name: string, args: unknown = {}) => ({
  id,
  name,
  arguments: typeof args === "string" ? args : JSON.stringify(args),
});

async function collect(stream: AsyncIterable<BaseAgentMessage | TaskResult>) {
  const items: (BaseAgentMessage | TaskResult)[] = [];
  for await (const item of stream) items.push(item);
  const last = items.at(-1);
  if (!isTaskResult(last)) throw new Error("the stream did not end with a TaskResult");
  return { items: items.slice(0, -1) as BaseAgentMessage[], result: last };
}

function deferred<T = void>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

describe("AssistantAgent", () => {
  it("answers a task with a TextMessage carrying the model's usage", async () => {
    const model = new ReplayChatCompletionClient({
      responses: [{ content: "Hello!", usage: { promptTokens: 7, completionTokens: 2 } }],
    });
    const agent = new AssistantAgent({ name: "writer", modelClient: model, systemMessage: "You write." });
    const result = await agent.run({ task: "hi" });
    expect(result.messages.map((m) => m.type)).toEqual(["TextMessage", "TextMessage"]);
    const reply = result.messages[1] as TextMessage;
    expect(reply.source).toBe("writer");
    expect(reply.content).toBe("Hello!");
    expect(reply.modelsUsage).toEqual({ promptTokens: 7, completionTokens: 2 });
    expect(model.requests[0]?.messages).toEqual([
      { type: "SystemMessage", content: "You write." },
      { type: "UserMessage", content: "hi", source: "user" },
    ]);
    expect(model.requests[0]?.options.tools).toBeUndefined();
    expect(agent.producedMessageTypes).toEqual(["TextMessage"]);
  });

  it("runs a tool and reflects on the result", async () => {
    const model = new ReplayChatCompletionClient([
      { content: [call("c1", "get_weather", { city: "Paris" })] },
      "Paris is sunny.",
    ]);
    const agent = new AssistantAgent({
      name: "writer",
      modelClient: model,
      tools: [weather],
      reflectOnToolUse: true,
    });
    const { items, result } = await collect(agent.runStream({ task: "Weather in Paris?" }));
    expect(items.map((m) => m.type)).toEqual([
      "TextMessage",
      "ToolCallRequestEvent",
      "ToolCallExecutionEvent",
      "TextMessage",
    ]);
    expect(result.messages).toEqual(items);
    expect((items[2] as ToolCallExecutionEvent).content).toEqual([
      { content: "Paris: 23C, sunny", name: "get_weather", callId: "c1", isError: false },
    ]);
    expect((items[3] as TextMessage).content).toBe("Paris is sunny.");
    expect(model.requests[0]?.options.tools?.map((t) => t.name)).toEqual(["get_weather"]);
    // The reflection sees the call and its result, and is offered no tools.
    expect(model.requests[1]?.messages.slice(-2)).toEqual([
      { type: "AssistantMessage", content: [call("c1", "get_weather", { city: "Paris" })], source: "writer" },
      {
        type: "FunctionExecutionResultMessage",
        content: [{ content: "Paris: 23C, sunny", name: "get_weather", callId: "c1", isError: false }],
      },
    ]);
    expect(model.requests[1]?.options.tools).toBeUndefined();
  });

  it("summarises tool results without reflection, with a format or a formatter", async () => {
    const script = () =>
      new ReplayChatCompletionClient([
        { content: [call("a", "get_weather", { city: "Oslo" }), call("b", "get_weather", { city: "Rome" })] },
      ]);
    const plain = new AssistantAgent({ name: "a", modelClient: script(), tools: [weather] });
    const r1 = await plain.run({ task: "go" });
    const summary = r1.messages.at(-1) as ToolCallSummaryMessage;
    expect(summary).toBeInstanceOf(ToolCallSummaryMessage);
    expect(summary.content).toBe("Oslo: 23C, sunny\nRome: 23C, sunny");
    expect(summary.toolCalls.map((c) => c.id)).toEqual(["a", "b"]);
    expect(summary.results.map((r) => r.callId)).toEqual(["a", "b"]);
    expect(plain.producedMessageTypes).toEqual(["TextMessage", "ToolCallSummaryMessage"]);

    const formatted = new AssistantAgent({
      name: "b",
      modelClient: script(),
      tools: [weather],
      toolCallSummaryFormat: "{toolName}({arguments}) -> {result} [{isError}]",
    });
    const r2 = await formatted.run({ task: "go" });
    expect(r2.messages.at(-1)?.toText()).toBe(
      'get_weather({"city":"Oslo"}) -> Oslo: 23C, sunny [false]\nget_weather({"city":"Rome"}) -> Rome: 23C, sunny [false]',
    );

    const custom = new AssistantAgent({
      name: "c",
      modelClient: script(),
      tools: [weather],
      toolCallSummaryFormat: "ignored",
      toolCallSummaryFormatter: (c, r) => `${c.id}=${r.content.length}`,
    });
    expect((await custom.run({ task: "go" })).messages.at(-1)?.toText()).toBe("a=16\nb=16");
  });

  it("runs parallel tool calls concurrently", async () => {
    const started: string[] = [];
    const bothStarted = deferred();
    const slow = new FunctionTool({
      name: "slow",
      description: "waits for its sibling",
      parameters: z.object({ tag: z.string() }),
      run: async ({ tag }) => {
        started.push(tag);
        if (started.length === 2) bothStarted.resolve();
        // Resolves only once both calls are in flight: a sequential executor would never get here.
        await bothStarted.promise;
        return `done ${tag}`;
      },
    });
    const model = new ReplayChatCompletionClient([
      { content: [call("1", "slow", { tag: "x" }), call("2", "slow", { tag: "y" })] },
    ]);
    const agent = new AssistantAgent({ name: "p", modelClient: model, tools: [slow] });
    const result = await agent.run({ task: "go" });
    expect(started.sort()).toEqual(["x", "y"]);
    expect(result.messages.at(-1)?.toText()).toBe("done x\ndone y");
  });

  it("turns a throwing tool, bad arguments and an unknown tool into error results for the model", async () => {
    const broken = new FunctionTool({
      name: "broken",
      description: "always fails",
      parameters: z.object({}),
      run: async () => {
        throw new Error("disk on fire");
      },
    });
    // A hand-written Tool that breaks the contract by rejecting: still an error result.
    const rogue = {
      name: "rogue",
      description: "rejects",
      schema: { name: "rogue", parameters: { type: "object", properties: {} } },
      call: async () => {
        throw new TypeError("rogue failure");
      },
    };
    const model = new ReplayChatCompletionClient([
      {
        content: [
          call("1", "broken"),
          call("2", "get_weather", { town: "Paris" }),
          call("3", "get_weather", "{not json"),
          call("4", "nope"),
          call("5", "rogue"),
        ],
      },
      "Sorry, the tools failed.",
    ]);
    const agent = new AssistantAgent({
      name: "e",
      modelClient: model,
      tools: [weather, broken, rogue],
      reflectOnToolUse: true,
    });
    const result = await agent.run({ task: "go" });
    const exec = result.messages.find((m) => m instanceof ToolCallExecutionEvent) as ToolCallExecutionEvent;
    expect(exec.content.map((r) => r.isError)).toEqual([true, true, true, true, true]);
    expect(exec.content[0]?.content).toMatch(/disk on fire/);
    expect(exec.content[1]?.content).toMatch(/city/);
    expect(exec.content[2]?.content).toMatch(/Invalid JSON/);
    expect(exec.content[3]?.content).toBe("Error: tool 'nope' not found in any workbench");
    expect(exec.content[4]?.content).toBe("Error: rogue failure");
    expect(result.messages.at(-1)?.toText()).toBe("Sorry, the tools failed.");
    const fed = model.requests[1]?.messages.at(-1);
    expect(fed?.type).toBe("FunctionExecutionResultMessage");
  });

  it("loops up to maxToolIterations and stops as soon as the model answers in text", async () => {
    const model = new ReplayChatCompletionClient([
      { content: [call("1", "get_weather", { city: "A" })] },
      { content: [call("2", "get_weather", { city: "B" })] },
      "Both done.",
    ]);
    const agent = new AssistantAgent({
      name: "loop",
      modelClient: model,
      tools: [weather],
      maxToolIterations: 5,
    });
    const result = await agent.run({ task: "go" });
    expect(result.messages.map((m) => m.type)).toEqual([
      "TextMessage",
      "ToolCallRequestEvent",
      "ToolCallExecutionEvent",
      "ToolCallRequestEvent",
      "ToolCallExecutionEvent",
      "TextMessage",
    ]);
    expect(model.requests).toHaveLength(3);

    const capped = new AssistantAgent({
      name: "capped",
      modelClient: new ReplayChatCompletionClient([
        { content: [call("1", "get_weather", { city: "A" })] },
        { content: [call("2", "get_weather", { city: "B" })] },
      ]),
      tools: [weather],
      maxToolIterations: 2,
    });
    const r2 = await capped.run({ task: "go" });
    expect(r2.messages.at(-1)).toBeInstanceOf(ToolCallSummaryMessage);
    expect(r2.messages.at(-1)?.toText()).toBe("B: 23C, sunny");
    expect(() => new AssistantAgent({ name: "x", modelClient: model, maxToolIterations: 0 })).toThrow(
      "Maximum number of tool iterations must be greater than or equal to 1, got 0",
    );
  });

  it("hands off with the first handoff winning and the other calls in the handoff's context", async () => {
    const model = new ReplayChatCompletionClient([
      {
        content: [
          call("1", "get_weather", { city: "Oslo" }),
          call("2", "transfer_to_critic"),
          call("3", "transfer_to_editor"),
        ],
      },
    ]);
    const agent = new AssistantAgent({
      name: "writer",
      modelClient: model,
      tools: [weather],
      handoffs: ["critic", { target: "editor", message: "Editor, please." }],
    });
    expect(agent.producedMessageTypes).toEqual(["TextMessage", "ToolCallSummaryMessage", "HandoffMessage"]);
    expect(model.remainingResponses).toBe(1);
    const result = await agent.run({ task: "go" });
    expect(model.requests[0]?.options.tools?.map((t) => t.name)).toEqual([
      "get_weather",
      "transfer_to_critic",
      "transfer_to_editor",
    ]);
    const handoff = result.messages.at(-1) as HandoffMessage;
    expect(handoff).toBeInstanceOf(HandoffMessage);
    expect(handoff.target).toBe("critic");
    expect(handoff.context).toEqual([
      { type: "AssistantMessage", content: [call("1", "get_weather", { city: "Oslo" })], source: "writer" },
      {
        type: "FunctionExecutionResultMessage",
        content: [{ content: "Oslo: 23C, sunny", name: "get_weather", callId: "1", isError: false }],
      },
    ]);
    // The receiving agent sees the handoff's context before the handoff itself.
    const critic = new AssistantAgent({
      name: "critic",
      modelClient: new ReplayChatCompletionClient(["ok"]),
      systemMessage: null,
    });
    await critic.onMessages([handoff]);
    const seen = (critic.modelClient as ReplayChatCompletionClient).requests[0]?.messages;
    expect(seen?.map((m) => m.type)).toEqual([
      "AssistantMessage",
      "FunctionExecutionResultMessage",
      "UserMessage",
    ]);
  });

  it("produces a StructuredMessage from outputContentType, and a clear ModelError when the reply does not fit", async () => {
    const Weather = z.object({ city: z.string(), celsius: z.number() });
    const model = new ReplayChatCompletionClient(['{"city":"Oslo","celsius":4}']);
    const agent = new AssistantAgent({
      name: "s",
      modelClient: model,
      outputContentType: Weather,
      outputContentTypeFormat: "{city}: {celsius}C",
    });
    expect(agent.producedMessageTypes).toEqual(["StructuredMessage"]);
    const reply = (await agent.run({ task: "Oslo?" })).messages.at(-1) as StructuredMessage<
      z.infer<typeof Weather>
    >;
    expect(reply).toBeInstanceOf(StructuredMessage);
    expect(reply.content).toEqual({ city: "Oslo", celsius: 4 });
    expect(reply.toText()).toBe("Oslo: 4C");
    expect(model.requests[0]?.options.jsonOutput).toBe(Weather);

    const bad = new AssistantAgent({
      name: "s2",
      modelClient: new ReplayChatCompletionClient(['{"city":"Oslo"}']),
      outputContentType: Weather,
    });
    const err = await bad.run({ task: "Oslo?" }).catch((e: unknown) => e);
    expect(ModelError.isInstance(err)).toBe(true);
    expect((err as ModelError).code).toBe("model_output");
    expect((err as ModelError).message).toMatch(/celsius/);

    // A client that hands over a parsed value that does not fit, and one that does not parse at all.
    const lying = new AssistantAgent({
      name: "s3",
      modelClient: new ReplayChatCompletionClient([{ content: "{}", parsed: { city: "Oslo" } }]),
      outputContentType: Weather,
    });
    await expect(lying.run({ task: "Oslo?" })).rejects.toThrow(/does not match the output schema: .*celsius/);
    class Unparsed extends ReplayChatCompletionClient {
      override async create(...args: Parameters<ReplayChatCompletionClient["create"]>) {
        const { jsonOutput: _ignored, ...options } = args[1] ?? {};
        return super.create(args[0], options);
      }
    }
    const raw = new AssistantAgent({
      name: "s4",
      modelClient: new Unparsed(["The weather is nice", '{"city":"Rome","celsius":20}']),
      outputContentType: Weather,
    });
    const notJson = await raw.run({ task: "Rome?" }).catch((e: unknown) => e);
    expect(ModelError.isInstance(notJson) && notJson.code).toBe("model_output");
    expect((notJson as Error).message).toMatch(/not valid JSON/);
    // The reply stays in the context and the agent carries on.
    expect((await raw.modelContext.getMessages()).at(-1)).toMatchObject({ content: "The weather is nice" });
    const ok = (await raw.run({ task: "Try again" })).messages.at(-1) as StructuredMessage;
    expect(ok.content).toEqual({ city: "Rome", celsius: 20 });
  });

  it("streams chunks that point at the final message, and reports thoughts", async () => {
    const model = new ReplayChatCompletionClient([
      { content: "It is sunny in Paris.", thought: "Let me think." },
    ]);
    const agent = new AssistantAgent({ name: "st", modelClient: model, modelClientStream: true });
    const { items, result } = await collect(agent.runStream({ task: "Paris?" }));
    const chunks = items.filter(
      (m) => m instanceof ModelClientStreamingChunkEvent,
    ) as ModelClientStreamingChunkEvent[];
    const final = items.at(-1) as TextMessage;
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.map((c) => c.content).join("")).toBe(final.content);
    expect(new Set(chunks.map((c) => c.fullMessageId))).toEqual(new Set([final.id]));
    const thought = items.find((m) => m instanceof ThoughtEvent) as ThoughtEvent;
    expect(thought.content).toBe("Let me think.");
    expect(model.requests[0]?.stream).toBe(true);
    // Chunks are streamed but not kept in the result.
    expect(result.messages.some((m) => m instanceof ModelClientStreamingChunkEvent)).toBe(false);
    expect(result.messages.map((m) => m.type)).toEqual(["TextMessage", "ThoughtEvent", "TextMessage"]);
  });

  it("queries memory before the model call and tells about it", async () => {
    const memory = new ListMemory({
      memoryContents: [{ content: "The user likes metric units", mimeType: "text/plain" }],
    });
    const model = new ReplayChatCompletionClient(["4 C"]);
    const agent = new AssistantAgent({ name: "m", modelClient: model, memory: [memory] });
    const result = await agent.run({ task: "How cold?" });
    const event = result.messages[1] as MemoryQueryEvent;
    expect(event).toBeInstanceOf(MemoryQueryEvent);
    expect(event.content[0]?.content).toBe("The user likes metric units");
    const sent = model.requests[0]?.messages ?? [];
    expect(sent.some((m) => m.type === "SystemMessage" && m.content.includes("metric units"))).toBe(true);
  });

  it("uses a given model context and several workbenches", async () => {
    const other = new FunctionTool({
      name: "other",
      description: "another tool",
      parameters: z.object({}),
      run: () => "from the second bench",
    });
    const model = new ReplayChatCompletionClient([
      { content: [call("1", "get_weather", { city: "X" }), call("2", "other")] },
      "a",
      "b",
    ]);
    const context = new BufferedChatCompletionContext({ bufferSize: 2 });
    const agent = new AssistantAgent({
      name: "wb",
      modelClient: model,
      workbench: [new StaticWorkbench({ tools: [weather] }), new StaticWorkbench({ tools: [other] })],
      modelContext: context,
      systemMessage: null,
    });
    expect(agent.modelContext).toBe(context);
    const r = await agent.run({ task: "go" });
    expect(r.messages.at(-1)?.toText()).toBe("X: 23C, sunny\nfrom the second bench");
    await agent.run({ task: "next" });
    await agent.run({ task: "third" });
    expect(model.requests[2]?.messages).toHaveLength(2);
  });

  it("rejects with CancelledError mid-stream and keeps the messages so far", async () => {
    const model = new ReplayChatCompletionClient(["one two three four five six", "again"]);
    const agent = new AssistantAgent({
      name: "c",
      modelClient: model,
      modelClientStream: true,
      systemMessage: null,
    });
    const controller = new AbortController();
    const seen: string[] = [];
    const err = await (async () => {
      for await (const item of agent.runStream({ task: "count", signal: controller.signal })) {
        if (item instanceof ModelClientStreamingChunkEvent) {
          seen.push(item.content);
          controller.abort();
        }
      }
    })().catch((e: unknown) => e);
    expect(CancelledError.isInstance(err)).toBe(true);
    expect(seen).toEqual(["one "]);
    expect(await agent.modelContext.getMessages()).toEqual([
      { type: "UserMessage", content: "count", source: "user" },
    ]);
    // The agent is usable again and continues from there.
    const result = await agent.run({ task: "again" });
    expect(result.messages.at(-1)?.toText()).toBe("again");
    expect(model.requests[1]?.messages.map((m) => m.type)).toEqual(["UserMessage", "UserMessage"]);
  });

  it("cancels the model's stream when the consumer stops reading early", async () => {
    class Hanging extends ReplayChatCompletionClient {
      released = false;
      override async *createStream(_messages: unknown, options: { signal?: AbortSignal } = {}) {
        try {
          yield "one ";
          // A slow model: the rest only comes when cancelled.
          await new Promise((_resolve, reject) => {
            if (options.signal?.aborted) reject(options.signal.reason);
            options.signal?.addEventListener("abort", () => reject(options.signal?.reason), { once: true });
          });
        } finally {
          this.released = true;
        }
      }
    }
    const model = new Hanging([]);
    const agent = new AssistantAgent({ name: "r", modelClient: model, modelClientStream: true });
    for await (const item of agent.runStream({ task: "go" })) {
      if (item instanceof ModelClientStreamingChunkEvent) break;
    }
    expect(model.released).toBe(true);
    // The agent is free again, and its context holds the task.
    expect((await agent.modelContext.getMessages()).map((m) => m.type)).toEqual(["UserMessage"]);
    const controller = new AbortController();
    const again = agent.run({ task: "again", signal: controller.signal });
    controller.abort();
    // Cancelled, not refused as "already handling messages".
    await expect(again).rejects.toSatisfy(CancelledError.isInstance);
  });

  it("rejects with CancelledError during a tool call and leaves a well-formed context", async () => {
    const entered = deferred();
    const waits = new FunctionTool({
      name: "waits",
      description: "waits until cancelled",
      parameters: z.object({}),
      run: (_args, { signal }) =>
        new Promise((_resolve, reject) => {
          entered.resolve();
          signal.addEventListener("abort", () => reject(signal.reason), { once: true });
        }),
    });
    const model = new ReplayChatCompletionClient([{ content: [call("w1", "waits")] }]);
    const agent = new AssistantAgent({ name: "t", modelClient: model, tools: [waits], systemMessage: null });
    const controller = new AbortController();
    const running = agent.run({ task: "go", signal: controller.signal });
    await entered.promise;
    controller.abort();
    const err = await running.catch((e: unknown) => e);
    expect(CancelledError.isInstance(err)).toBe(true);
    const context = await agent.modelContext.getMessages();
    expect(context.map((m) => m.type)).toEqual([
      "UserMessage",
      "AssistantMessage",
      "FunctionExecutionResultMessage",
    ]);
    expect(context[2]).toMatchObject({ content: [{ callId: "w1", isError: true }] });
  });

  it("continues exactly where it stopped after saveState into a fresh agent", async () => {
    const turn1 = [{ content: [call("c1", "get_weather", { city: "Paris" })] }, "Paris is sunny."];
    const turn2 = ["Oslo is colder."];
    const make = (responses: unknown[]) =>
      new AssistantAgent({
        name: "writer",
        modelClient: new ReplayChatCompletionClient(responses as never),
        tools: [weather],
        reflectOnToolUse: true,
      });
    const original = make([...turn1, ...turn2]);
    await original.run({ task: "Paris?" });
    const saved = JSON.parse(JSON.stringify(await original.saveState()));
    expect(saved).toMatchObject({ type: "AssistantAgentState", version: 1 });

    const restored = make(turn2);
    await restored.loadState(saved);
    const a = await original.run({ task: "And Oslo?" });
    const b = await restored.run({ task: "And Oslo?" });
    const sentA = (original.modelClient as ReplayChatCompletionClient).requests.at(-1)?.messages;
    const sentB = (restored.modelClient as ReplayChatCompletionClient).requests.at(-1)?.messages;
    expect(sentB).toEqual(sentA);
    expect(sentB?.map((m) => m.type)).toEqual([
      "SystemMessage",
      "UserMessage",
      "AssistantMessage",
      "FunctionExecutionResultMessage",
      "AssistantMessage",
      "UserMessage",
    ]);
    expect(b.messages.at(-1)?.toText()).toBe(a.messages.at(-1)?.toText());
    expect(await restored.saveState()).toEqual(await original.saveState());
  });

  it("refuses corrupt, foreign and older state documents and stays unchanged", async () => {
    const agent = new AssistantAgent({ name: "s", modelClient: new ReplayChatCompletionClient(["hi"]) });
    await agent.run({ task: "hello" });
    const before = await agent.saveState();
    const bad: [unknown, RegExp][] = [
      [null, /not an object/],
      ["state", /not an object/],
      [{ ...before, type: "TeamState" }, /type "TeamState", expected "AssistantAgentState"/],
      [{ ...before, version: 0 }, /version 0.*older release/],
      [{ type: "AssistantAgentState", version: 1 }, /llmContext/],
      [
        {
          ...before,
          llmContext: { type: "ChatCompletionContextState", version: 1, messages: [{ type: "Nope" }] },
        },
        /./,
      ],
    ];
    for (const [doc, pattern] of bad) {
      const err = await agent.loadState(doc).catch((e: unknown) => e);
      expect(ValidationError.isInstance(err), String(doc)).toBe(true);
      expect((err as ValidationError).code).toBe("invalid_state");
      expect((err as Error).message).toMatch(pattern);
    }
    expect(await agent.saveState()).toEqual(before);
  });

  it("validates its configuration", () => {
    const model = new ReplayChatCompletionClient(["x"]);
    expect(() => new AssistantAgent({ name: "has space", modelClient: model })).toThrow(
      /Invalid agent name "has space"/,
    );
    expect(() => new AssistantAgent({ name: "", modelClient: model })).toThrow(ValidationError);
    expect(() => new AssistantAgent({ name: "ok", modelClient: undefined as never })).toThrow(/modelClient/);
    expect(
      () =>
        new AssistantAgent({
          name: "ok",
          modelClient: model,
          tools: [weather],
          workbench: new StaticWorkbench({ tools: [] }),
        }),
    ).toThrow("Tools cannot be used with a workbench.");
    expect(() => new AssistantAgent({ name: "ok", modelClient: model, tools: [weather, weather] })).toThrow(
      "Tool names must be unique: ['get_weather', 'get_weather']",
    );
    const noTools = new ReplayChatCompletionClient({ responses: [], modelInfo: { functionCalling: false } });
    expect(() => new AssistantAgent({ name: "ok", modelClient: noTools, handoffs: ["b"] })).toThrow(
      /function calling/,
    );
    expect(() => new AssistantAgent({ name: "ok", modelClient: model, handoffs: [{ target: "" }] })).toThrow(
      /target/,
    );
    expect(
      new AssistantAgent({ name: "ok", modelClient: model, handoffs: ["b"] }).producedMessageTypes,
    ).toEqual(["TextMessage", "ToolCallSummaryMessage", "HandoffMessage"]);
  });

  it("accepts a message or a list as the task, can hide task messages, and runs one task at a time", async () => {
    const model = new ReplayChatCompletionClient(["a", "b", "c"]);
    const agent = new AssistantAgent({ name: "t", modelClient: model, systemMessage: null });
    const one = new TextMessage({ source: "alice", content: "first" });
    const r1 = await agent.run({ task: one });
    expect(r1.messages[0]).toBe(one);
    const r2 = await agent.run({
      task: [
        new TextMessage({ source: "bob", content: "x" }),
        new TextMessage({ source: "carol", content: "y" }),
      ],
      outputTaskMessages: false,
    });
    expect(r2.messages.map((m) => m.toText())).toEqual(["b"]);
    expect(model.requests[1]?.messages.slice(-2).map((m) => (m as { source: string }).source)).toEqual([
      "bob",
      "carol",
    ]);
    await expect(agent.run({ task: [{ type: "TextMessage" }] as never })).rejects.toThrow(
      /item 0 is not a chat message/,
    );

    const first = agent.run({ task: "one" });
    await expect(agent.run({ task: "two" })).rejects.toThrow(/already running/);
    expect((await first).messages.at(-1)?.toText()).toBe("c");
    await agent.onReset();
    expect(await agent.modelContext.getMessages()).toEqual([]);
  });
});
