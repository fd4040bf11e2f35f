// Fidelity: AutoGen's python/packages/autogen-agentchat/tests/test_assistant_agent.py, case by case (the cases
// that need a live Anthropic or OpenAI key, or Python's component dumps, are left out), and test_utils.py.
import {
  BufferedChatCompletionContext,
  type CreateOptions,
  type CreateResult,
  FunctionTool,
  ListMemory,
  type LLMMessage,
  ModelError,
  StaticWorkbench,
  type ToolSchema,
  ValidationError,
  type Workbench,
} from "@autogen-ts/core";
import { ReplayChatCompletionClient, type ReplayResponse } from "@autogen-ts/core/testing";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import {
  AssistantAgent,
  type BaseAgentMessage,
  HandoffMessage,
  isTaskResult,
  MemoryQueryEvent,
  ModelClientStreamingChunkEvent,
  MultiModalMessage,
  type Response,
  removeImages,
  StructuredMessage,
  type TaskResult,
  TextMessage,
  ThoughtEvent,
  ToolCallExecutionEvent,
  ToolCallRequestEvent,
  ToolCallSummaryMessage,
} from "../../src/index.js";

const origin = "test_assistant_agent.py::";

/** AutoGen's model_info in these tests: function calling only. */
const info = {
  functionCalling: true,
  vision: false,
  jsonOutput: false,
  structuredOutput: false,
  family: "gpt-4o",
};

function model(responses: readonly ReplayResponse[], modelInfo: Partial<typeof info> = {}) {
  return new ReplayChatCompletionClient({ responses, modelInfo: { ...info, ...modelInfo } });
}

function stringTool(name: string, param: string, run: (value: string) => string | Promise<string>) {
  return new FunctionTool({
    name,
    description: `${name} for testing`,
    parameters: z.object({ [param]: z.string() }),
    run: async (args: Record<string, string>) => run(args[param] as string),
  });
}

const mockTool = stringTool("mock_tool_function", "param", (p) => `Tool executed with: ${p}`);
const passFunction = stringTool("_pass_function", "input", () => "pass");
const echoFunction = stringTool("_echo_function", "input", (i) => i);

const call = (id: string, name: string, args: unknown = {}) => ({
  id,
  name,
  arguments: typeof args === "string" ? args : JSON.stringify(args),
});

const StructuredOutput = z.object({ content: z.string(), confidence: z.number() });

async function streamOf(agent: AssistantAgent, text = "Test") {
  const items: (BaseAgentMessage | Response)[] = [];
  for await (const item of agent.onMessagesStream([new TextMessage({ content: text, source: "user" })]))
    items.push(item);
  return items;
}

async function runStream(agent: AssistantAgent, task: string) {
  const items: (BaseAgentMessage | TaskResult)[] = [];
  for await (const item of agent.runStream({ task })) items.push(item);
  const result = items.at(-1);
  if (!isTaskResult(result)) throw new Error("no TaskResult at the end of the stream");
  return { events: items.slice(0, -1) as BaseAgentMessage[], result };
}

/** A model whose stream is the given script (AutoGen's tests mock `create_stream` this way). */
class ScriptedStream extends ReplayChatCompletionClient {
  readonly #scripts: (() => AsyncGenerator<unknown>)[];
  constructor(...scripts: (() => AsyncGenerator<unknown>)[]) {
    super({ responses: [], modelInfo: info });
    this.#scripts = scripts;
  }
  override async *createStream(): AsyncGenerator<string | CreateResult> {
    const script = this.#scripts.shift();
    if (script === undefined) throw new Error("no script left");
    yield* script() as AsyncGenerator<string | CreateResult>;
  }
}

const final = (content: CreateResult["content"]): CreateResult => ({
  finishReason: typeof content === "string" ? "stop" : "function_calls",
  content,
  usage: { promptTokens: 0, completionTokens: 0 },
  cached: false,
});

/** A workbench offering fixed tools, answering each with a fixed text, and recording its calls. */
function fixedWorkbench(answers: Record<string, string>) {
  const calls: { name: string; signal: AbortSignal | undefined }[] = [];
  const workbench: Workbench = {
    listTools: async () =>
      Object.keys(answers).map(
        (name): ToolSchema => ({ name, description: `Tool ${name}`, parameters: { type: "object" } }),
      ),
    callTool: async (name, _args, options) => {
      calls.push({ name, signal: options?.signal });
      return { name, result: [{ type: "text", text: answers[name] as string }], isError: false };
    },
    start: async () => {},
    stop: async () => {},
    reset: async () => {},
    saveState: async () => ({}),
    loadState: async () => {},
  };
  return { workbench, calls };
}

describe("AutoGen fidelity: AssistantAgent streaming", () => {
  it(`${origin}test_model_client_stream`, async () => {
    const agent = new AssistantAgent({
      name: "test_agent",
      modelClient: model(["Response to message 3"]),
      modelClientStream: true,
    });
    const { events, result } = await runStream(agent, "task");
    expect(result.messages.at(-1)).toBeInstanceOf(TextMessage);
    expect(result.messages.at(-1)?.toText()).toBe("Response to message 3");
    const chunks = events.filter((e) => e instanceof ModelClientStreamingChunkEvent);
    expect(chunks.map((c) => c.toText()).join("")).toBe("Response to message 3");
  });

  it(`${origin}test_model_client_stream_with_tool_calls`, async () => {
    const agent = new AssistantAgent({
      name: "test_agent",
      modelClient: model([
        {
          content: [
            call("1", "_pass_function", { input: "task" }),
            call("3", "_echo_function", { input: "task" }),
          ],
        },
        "Example response 2 to task",
      ]),
      modelClientStream: true,
      reflectOnToolUse: true,
      tools: [passFunction, echoFunction],
    });
    const { events, result } = await runStream(agent, "task");
    expect(result.messages.at(-1)).toBeInstanceOf(TextMessage);
    expect(result.messages.at(-1)?.toText()).toBe("Example response 2 to task");
    const request = result.messages[1] as ToolCallRequestEvent;
    expect(request).toBeInstanceOf(ToolCallRequestEvent);
    expect(request.content).toEqual([
      call("1", "_pass_function", { input: "task" }),
      call("3", "_echo_function", { input: "task" }),
    ]);
    const execution = result.messages[2] as ToolCallExecutionEvent;
    expect(execution.content).toEqual([
      { callId: "1", content: "pass", isError: false, name: "_pass_function" },
      { callId: "3", content: "task", isError: false, name: "_echo_function" },
    ]);
    const chunks = events.filter((e) => e instanceof ModelClientStreamingChunkEvent);
    expect(chunks.map((c) => c.toText()).join("")).toBe("Example response 2 to task");
  });

  it(`${origin}test_streaming_with_empty_chunks`, async () => {
    const agent = new AssistantAgent({
      name: "test_agent",
      modelClientStream: true,
      modelClient: new ScriptedStream(async function* () {
        yield "";
        yield "content";
        yield "";
        yield final("content");
      }),
    });
    const chunks = (await streamOf(agent)).filter((m) => m instanceof ModelClientStreamingChunkEvent);
    expect(chunks.map((c) => c.content)).toEqual(["", "content", ""]);
  });

  it(`${origin}test_streaming_with_invalid_chunk_type`, async () => {
    const agent = new AssistantAgent({
      name: "test_agent",
      modelClientStream: true,
      modelClient: new ScriptedStream(async function* () {
        yield "valid_chunk";
        yield 123;
        yield final("content");
      }),
    });
    const error = await streamOf(agent).catch((e: unknown) => e);
    expect(ModelError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/Invalid chunk type/);
  });

  it(`${origin}test_streaming_without_final_result`, async () => {
    const agent = new AssistantAgent({
      name: "test_agent",
      modelClientStream: true,
      modelClient: new ScriptedStream(async function* () {
        yield "chunk1";
        yield "chunk2";
      }),
    });
    await expect(streamOf(agent)).rejects.toThrow("No final model result in streaming mode");
  });

  it(`${origin}test_streaming_with_tool_calls_and_reflection`, async () => {
    const agent = new AssistantAgent({
      name: "test_agent",
      tools: [mockTool],
      reflectOnToolUse: true,
      modelClientStream: true,
      modelClient: new ScriptedStream(
        async function* () {
          yield final([call("1", "mock_tool_function", { param: "test" })]);
        },
        async function* () {
          yield "Reflection ";
          yield "response ";
          yield "complete";
          yield final("Reflection response complete");
        },
      ),
    });
    const items = await streamOf(agent);
    expect(items.filter((m) => m instanceof ToolCallRequestEvent)).toHaveLength(1);
    expect(items.filter((m) => m instanceof ToolCallExecutionEvent)).toHaveLength(1);
    const chunks = items.filter((m) => m instanceof ModelClientStreamingChunkEvent);
    expect(chunks.map((c) => c.content)).toEqual(["Reflection ", "response ", "complete"]);
  });

  it(`${origin}test_streaming_with_large_chunks`, async () => {
    const large = "x".repeat(10_000);
    const agent = new AssistantAgent({
      name: "test_agent",
      modelClientStream: true,
      modelClient: new ScriptedStream(async function* () {
        yield large;
        yield final(large);
      }),
    });
    const chunks = (await streamOf(agent)).filter((m) => m instanceof ModelClientStreamingChunkEvent);
    expect(chunks).toHaveLength(1);
    expect(chunks[0]?.content).toHaveLength(10_000);
  });

  it(`${origin}test_cancellation_during_streaming_inference`, async () => {
    const agent = new AssistantAgent({
      name: "test_agent",
      modelClientStream: true,
      modelClient: new ScriptedStream(async function* () {
        yield "chunk1";
        yield "chunk2";
        yield final("chunk1chunk2");
      }),
    });
    const signal = new AbortController().signal;
    const items: (BaseAgentMessage | Response)[] = [];
    for await (const item of agent.onMessagesStream([new TextMessage({ content: "Test", source: "user" })], {
      signal,
    }))
      items.push(item);
    const chunks = items.filter((m) => m instanceof ModelClientStreamingChunkEvent);
    expect(chunks.map((c) => c.content)).toEqual(["chunk1", "chunk2"]);
  });
});

describe("AutoGen fidelity: AssistantAgent structured output", () => {
  it(`${origin}test_invalid_structured_output_format`, async () => {
    const agent = new AssistantAgent({
      name: "assistant",
      modelClient: model(['{"response": "Hello"}']),
      outputContentType: z.object({ response: z.string(), status: z.string() }),
    });
    // AutoGen raises pydantic's ValidationError; here it is the typed ModelError naming the field.
    const error = await agent.run().catch((e: unknown) => e);
    expect(ModelError.isInstance(error)).toBe(true);
    expect((error as ModelError).code).toBe("model_output");
    expect((error as Error).message).toMatch(/status/);
  });

  it(`${origin}test_structured_output_with_reflection`, async () => {
    const client = model([
      { content: [call("1", "mock_tool_function", { param: "test" })] },
      '{"content": "Structured response", "confidence": 0.95}',
    ]);
    const agent = new AssistantAgent({
      name: "test_agent",
      modelClient: client,
      tools: [mockTool],
      outputContentType: StructuredOutput,
      reflectOnToolUse: true,
    });
    const result = await agent.run({ task: "Test structured output with reflection" });
    const last = result.messages.at(-1) as StructuredMessage<z.infer<typeof StructuredOutput>>;
    expect(last).toBeInstanceOf(StructuredMessage);
    expect(last.content).toEqual({ content: "Structured response", confidence: 0.95 });
    // The model claims neither structured output nor JSON mode: it is told the shape in the system message.
    const system = client.requests[1]?.messages[0];
    expect(system?.type).toBe("SystemMessage");
    expect(system?.content).toMatch(/single JSON object[\s\S]*"confidence"/);
    expect(client.requests[1]?.options.jsonOutput).toBeUndefined();
  });

  it(`${origin}test_output_content_type_format_string`, async () => {
    const agent = new AssistantAgent({
      name: "test_agent",
      modelClient: model(['{"content": "Test response", "confidence": 0.8}']),
      outputContentType: StructuredOutput,
      outputContentTypeFormat: "Response: {content} (Confidence: {confidence})",
    });
    const result = await agent.run({ task: "Test structured output format" });
    const last = result.messages.at(-1) as StructuredMessage<z.infer<typeof StructuredOutput>>;
    expect(last.content).toEqual({ content: "Test response", confidence: 0.8 });
    expect(last.toText()).toBe("Response: Test response (Confidence: 0.8)");
    expect(agent.options.outputContentTypeFormat).toBe("Response: {content} (Confidence: {confidence})");
  });
});

describe("AutoGen fidelity: AssistantAgent tool call loop", () => {
  it(`${origin}test_tool_call_loop_enabled`, async () => {
    const client = model([
      { content: [call("1", "mock_tool_function", { param: "first" })] },
      { content: [call("2", "mock_tool_function", { param: "second" })] },
      "Task completed successfully!",
    ]);
    const agent = new AssistantAgent({
      name: "test_agent",
      modelClient: client,
      tools: [mockTool],
      maxToolIterations: 3,
    });
    const result = await agent.run({ task: "Execute multiple tool calls" });
    expect(client.requests).toHaveLength(3);
    expect(result.messages.at(-1)).toBeInstanceOf(TextMessage);
    expect(result.messages.at(-1)?.toText()).toBe("Task completed successfully!");
  });

  it(`${origin}test_tool_call_loop_disabled_default`, async () => {
    const client = model([{ content: [call("1", "mock_tool_function", { param: "test" })] }]);
    const agent = new AssistantAgent({
      name: "test_agent",
      modelClient: client,
      tools: [mockTool],
      maxToolIterations: 1,
    });
    const result = await agent.run({ task: "Execute single tool call" });
    expect(client.requests).toHaveLength(1);
    expect(result.messages.at(-1)).toBeInstanceOf(ToolCallSummaryMessage);
  });

  it(`${origin}test_tool_call_loop_max_iterations`, async () => {
    const client = model(
      Array.from({ length: 15 }, (_, i) => ({
        content: [call(String(i), "mock_tool_function", { param: `call_${i}` })],
      })),
    );
    const agent = new AssistantAgent({
      name: "test_agent",
      modelClient: client,
      tools: [mockTool],
      maxToolIterations: 5,
    });
    const result = await agent.run({ task: "Test max iterations" });
    expect(client.requests).toHaveLength(5);
    expect(result.messages.at(-1)?.toText()).toBe("Tool executed with: call_4");
  });

  it(`${origin}test_tool_call_loop_with_handoff`, async () => {
    const client = model([
      {
        content: [
          call("1", "mock_tool_function", { param: "test" }),
          call("2", "transfer_to_other_agent", { target: "other_agent" }),
        ],
      },
    ]);
    const agent = new AssistantAgent({
      name: "test_agent",
      modelClient: client,
      tools: [mockTool],
      handoffs: ["other_agent"],
      maxToolIterations: 1,
    });
    const result = await agent.run({ task: "Test handoff in loop" });
    expect(client.requests).toHaveLength(1);
    expect(result.messages.at(-1)).toBeInstanceOf(HandoffMessage);
  });

  it(`${origin}test_tool_call_config_validation`, () => {
    expect(
      () => new AssistantAgent({ name: "test_agent", modelClient: model([]), maxToolIterations: 0 }),
    ).toThrow("Maximum number of tool iterations must be greater than or equal to 1, got 0");
  });
});

describe("AutoGen fidelity: AssistantAgent validation", () => {
  const duplicate = stringTool("mock_tool_function", "param", (p) => `Duplicate tool: ${p}`);

  it(`${origin}test_tool_names_must_be_unique`, () => {
    const build = () =>
      new AssistantAgent({
        name: "test_agent",
        modelClient: model([]),
        tools: [mockTool, duplicate, mockTool],
      });
    expect(build).toThrow(ValidationError);
    expect(build).toThrow(
      "Tool names must be unique: ['mock_tool_function', 'mock_tool_function', 'mock_tool_function']",
    );
  });

  it(`${origin}test_handoff_names_must_be_unique`, () => {
    expect(
      () =>
        new AssistantAgent({
          name: "test_agent",
          modelClient: model([]),
          handoffs: ["agent1", "agent2", "agent1"],
        }),
    ).toThrow(
      "Handoff names must be unique: ['transfer_to_agent1', 'transfer_to_agent2', 'transfer_to_agent1']",
    );
  });

  it(`${origin}test_handoff_names_must_be_unique_from_tool_names`, () => {
    const testTool = new FunctionTool({
      name: "test_tool",
      description: "A tool named like the handoff's target",
      parameters: z.object({}),
      run: async () => "test",
    });
    for (const handoffs of [["test_tool"], [{ target: "x", name: "test_tool" }]]) {
      expect(
        () => new AssistantAgent({ name: "test_agent", modelClient: model([]), tools: [testTool], handoffs }),
      ).toThrow("Handoff names must be unique from tool names");
    }
  });

  it(`${origin}test_function_calling_required_for_tools`, () => {
    expect(
      () =>
        new AssistantAgent({
          name: "test_agent",
          modelClient: model([], { functionCalling: false }),
          tools: [mockTool],
        }),
    ).toThrow("The model does not support function calling.");
  });

  it(`${origin}test_function_calling_required_for_handoffs`, () => {
    expect(
      () =>
        new AssistantAgent({
          name: "test_agent",
          modelClient: model([], { functionCalling: false }),
          handoffs: ["agent1"],
        }),
    ).toThrow("The model does not support function calling, which is needed for handoffs.");
  });

  it(`${origin}test_tools_and_workbench_mutually_exclusive`, () => {
    expect(
      () =>
        new AssistantAgent({
          name: "test_agent",
          modelClient: model([]),
          tools: [mockTool],
          workbench: new StaticWorkbench({ tools: [] }),
        }),
    ).toThrow("Tools cannot be used with a workbench.");
  });

  it(`${origin}test_unsupported_tool_type`, () => {
    expect(
      () =>
        new AssistantAgent({ name: "test_agent", modelClient: model([]), tools: ["invalid_tool" as never] }),
    ).toThrow("Unsupported tool type");
  });

  it(`${origin}test_unsupported_handoff_type`, () => {
    expect(
      () => new AssistantAgent({ name: "test_agent", modelClient: model([]), handoffs: [123 as never] }),
    ).toThrow("Unsupported handoff type");
  });
});

describe("AutoGen fidelity: AssistantAgent state and properties", () => {
  it(`${origin}test_save_and_load_state`, async () => {
    const context = new BufferedChatCompletionContext({ bufferSize: 5 });
    const agent = new AssistantAgent({
      name: "test_agent",
      modelClient: model(["hi"]),
      modelContext: context,
    });
    await agent.run({ task: "hello" });
    const state = await agent.saveState();
    expect(state).toHaveProperty("llmContext");
    const fresh = new BufferedChatCompletionContext({ bufferSize: 5 });
    await new AssistantAgent({ name: "test_agent", modelClient: model([]), modelContext: fresh }).loadState(
      JSON.parse(JSON.stringify(state)),
    );
    expect(await fresh.getMessages()).toEqual(await context.getMessages());
  });

  it(`${origin}test_on_reset`, async () => {
    const context = new BufferedChatCompletionContext({ bufferSize: 5 });
    await context.addMessage({ type: "UserMessage", content: "x", source: "user" });
    const agent = new AssistantAgent({ name: "test_agent", modelClient: model([]), modelContext: context });
    await agent.onReset();
    expect(await context.getMessages()).toEqual([]);
  });

  it(`${origin}test_produced_message_types_text_only`, () => {
    const agent = new AssistantAgent({
      name: "test_agent",
      modelClient: model([], { functionCalling: false }),
    });
    expect(agent.producedMessageTypes).toContain("TextMessage");
  });

  it(`${origin}test_produced_message_types_with_tools`, () => {
    const agent = new AssistantAgent({ name: "test_agent", modelClient: model([]), tools: [mockTool] });
    expect(agent.producedMessageTypes).toContain("ToolCallSummaryMessage");
  });

  it(`${origin}test_produced_message_types_with_handoffs`, () => {
    const agent = new AssistantAgent({ name: "test_agent", modelClient: model([]), handoffs: ["agent1"] });
    expect(agent.producedMessageTypes).toContain("HandoffMessage");
  });

  it(`${origin}test_model_context_property`, () => {
    const custom = new BufferedChatCompletionContext({ bufferSize: 3 });
    const agent = new AssistantAgent({ name: "test_agent", modelClient: model([]), modelContext: custom });
    expect(agent.modelContext).toBe(custom);
  });

  it(`${origin}test_system_message_none`, async () => {
    const client = model(["ok"]);
    await new AssistantAgent({ name: "test_agent", modelClient: client, systemMessage: null }).run({
      task: "t",
    });
    expect(client.requests[0]?.messages.some((m) => m.type === "SystemMessage")).toBe(false);
  });

  it(`${origin}test_custom_system_message`, async () => {
    const client = model(["ok"]);
    const agent = new AssistantAgent({
      name: "test_agent",
      modelClient: client,
      systemMessage: "You are a specialized assistant.",
    });
    await agent.run({ task: "t" });
    const systems = client.requests[0]?.messages.filter((m) => m.type === "SystemMessage");
    expect(systems).toEqual([{ type: "SystemMessage", content: "You are a specialized assistant." }]);
  });

  const image = { type: "image" as const, data: "iVBORw0KGgo=", mediaType: "image/png" };

  it(`${origin}test_vision_compatibility`, async () => {
    // A vision model reads the image; one without vision reads AutoGen's placeholder instead of failing.
    for (const vision of [true, false]) {
      const client = model(["seen"], { vision });
      const agent = new AssistantAgent({ name: "test_agent", modelClient: client, systemMessage: "Test" });
      await agent.onMessages([new MultiModalMessage({ content: ["Look", image], source: "user" })]);
      const user = client.requests[0]?.messages[1];
      expect(user).toEqual(
        vision
          ? { type: "UserMessage", content: ["Look", image], source: "user" }
          : { type: "UserMessage", content: "Look\n<image>", source: "user" },
      );
      // The context keeps the image: a later vision model (or a saved state) still has it.
      expect((await agent.modelContext.getMessages())[0]).toEqual({
        type: "UserMessage",
        content: ["Look", image],
        source: "user",
      });
    }
  });

  it("test_utils.py::test_remove_images", () => {
    const messages: LLMMessage[] = [
      { type: "SystemMessage", content: "System.1" },
      { type: "UserMessage", content: ["User.1", image], source: "user.1" },
      { type: "AssistantMessage", content: "Assistant.1", source: "assistant.1" },
      { type: "UserMessage", content: "User.2", source: "assistant.2" },
    ];
    const result = removeImages(messages);
    expect(result).toHaveLength(4);
    expect(result.map((m) => m.type)).toEqual([
      "SystemMessage",
      "UserMessage",
      "AssistantMessage",
      "UserMessage",
    ]);
    expect(result[0]).toBe(messages[0]);
    expect(result[2]).toBe(messages[2]);
    expect(result[3]).toBe(messages[3]);
    expect(result[1]).toEqual({ type: "UserMessage", content: "User.1\n<image>", source: "user.1" });
    expect(messages[1]?.content).toEqual(["User.1", image]);
  });

  it(`${origin}test_add_messages_to_context`, async () => {
    const context = new BufferedChatCompletionContext({ bufferSize: 10 });
    const agent = new AssistantAgent({ name: "agent2", modelClient: model(["ok"]), modelContext: context });
    await agent.onMessages([
      new TextMessage({ content: "Regular message", source: "user" }),
      new HandoffMessage({ content: "Handoff message", source: "agent1", target: "agent2" }),
    ]);
    const messages = await context.getMessages();
    expect(messages.slice(0, 2)).toEqual([
      { type: "UserMessage", content: "Regular message", source: "user" },
      { type: "UserMessage", content: "Handoff message", source: "agent1" },
    ]);
  });

  it(`${origin}test_complex_model_context`, async () => {
    const context = new BufferedChatCompletionContext({ bufferSize: 5 });
    const agent = new AssistantAgent({ name: "agent", modelClient: model(["ok"]), modelContext: context });
    await agent.onMessages([
      new TextMessage({ content: "First message", source: "user" }),
      new StructuredMessage({ content: { content: "Structured data", confidence: 0.9 }, source: "agent" }),
      new ToolCallSummaryMessage({ content: "Tool result", source: "agent", toolCalls: [], results: [] }),
      new HandoffMessage({ content: "Handoff", source: "agent1", target: "agent2" }),
    ]);
    const messages = await context.getMessages();
    expect(messages.length).toBeLessThanOrEqual(5);
    for (const m of messages) expect(["SystemMessage", "UserMessage", "AssistantMessage"]).toContain(m.type);
  });
});

describe("AutoGen fidelity: AssistantAgent tools, errors and memory", () => {
  it(`${origin}test_invalid_json_in_tool_arguments`, async () => {
    const agent = new AssistantAgent({
      name: "test_agent",
      modelClient: model([{ content: [call("1", "mock_tool_function", "invalid json")] }]),
      tools: [mockTool],
    });
    const result = await agent.run({ task: "Execute tool with invalid JSON" });
    const summary = result.messages.at(-1) as ToolCallSummaryMessage;
    expect(summary).toBeInstanceOf(ToolCallSummaryMessage);
    expect(summary.results[0]?.isError).toBe(true);
    expect(summary.results[0]?.content).toMatch(/^Error: /);
  });

  it(`${origin}test_memory_updates_context`, async () => {
    const memory = new ListMemory({
      memoryContents: [{ content: "Previous conversation about topic A", mimeType: "text/plain" }],
    });
    const client = model(["Response incorporating memory content"]);
    const agent = new AssistantAgent({
      name: "test_agent",
      modelClient: client,
      memory: [memory],
      description: "Agent with memory integration",
    });
    const result = await agent.run({ task: "Respond using memory context" });
    expect(result.messages.filter((m) => m instanceof MemoryQueryEvent).length).toBeGreaterThan(0);
    expect(result.messages.at(-1)).toBeInstanceOf(TextMessage);
    expect(result.messages.at(-1)?.toText()).toContain("Response incorporating memory content");
    expect(JSON.stringify(client.requests[0]?.messages)).toContain("Previous conversation about topic A");
  });

  it(`${origin}test_memory_persistence`, async () => {
    const memory = new ListMemory({
      memoryContents: [{ content: "Initial memory", mimeType: "text/plain" }],
    });
    const client = model(["Response using memory", "Response with updated memory"], {
      functionCalling: false,
    });
    const agent = new AssistantAgent({ name: "memory_test_agent", modelClient: client, memory: [memory] });
    const result1 = await agent.run({ task: "First task" });
    const state = await agent.saveState();
    await memory.add({ content: "New memory", mimeType: "text/plain" });
    const again = new AssistantAgent({ name: "memory_test_agent", modelClient: client, memory: [memory] });
    await again.loadState(state);
    const result2 = await again.run({ task: "Second task" });
    expect(result1.messages.at(-1)?.toText()).toBe("Response using memory");
    expect(result2.messages.at(-1)?.toText()).toBe("Response with updated memory");
    const events = result2.messages.filter((m) => m instanceof MemoryQueryEvent);
    expect(events.length).toBeGreaterThan(0);
    expect(events.some((e) => JSON.stringify(e.content).includes("New memory"))).toBe(true);
  });

  it(`${origin}test_custom_tool_call_summary_formatter`, async () => {
    const agent = new AssistantAgent({
      name: "test_agent",
      modelClient: model([
        {
          content: [
            call("1", "mock_tool_function", { param: "success" }),
            call("2", "mock_tool_function", { param: "error" }),
          ],
        },
      ]),
      tools: [mockTool],
      toolCallSummaryFormatter: (c, r) =>
        r.isError
          ? `ERROR in ${c.name}: ${r.content} (args: ${c.arguments})`
          : `SUCCESS: ${c.name} completed`,
      reflectOnToolUse: false,
    });
    const result = await agent.run({ task: "Test custom formatter" });
    expect(result.messages.at(-1)).toBeInstanceOf(ToolCallSummaryMessage);
    expect(result.messages.at(-1)?.toText()).toBe(
      "SUCCESS: mock_tool_function completed\nSUCCESS: mock_tool_function completed",
    );
  });

  it(`${origin}test_custom_tool_call_summary_format_string`, async () => {
    // AutoGen's own placeholder names ({tool_name}) work unchanged.
    const agent = new AssistantAgent({
      name: "test_agent",
      modelClient: model([{ content: [call("1", "mock_tool_function", { param: "test" })] }]),
      tools: [mockTool],
      toolCallSummaryFormat: "Tool {tool_name} called with {arguments} -> {result} ({is_error})",
      reflectOnToolUse: false,
    });
    const result = await agent.run({ task: "Test custom format string" });
    expect(result.messages.at(-1)?.toText()).toBe(
      'Tool mock_tool_function called with {"param":"test"} -> Tool executed with: test (False)',
    );
  });

  it(`${origin}test_tool_call_summary_formatter_overrides_format_string`, async () => {
    const agent = new AssistantAgent({
      name: "test_agent",
      modelClient: model([{ content: [call("1", "mock_tool_function", { param: "test" })] }]),
      tools: [mockTool],
      toolCallSummaryFormat: "This should be ignored: {result}",
      toolCallSummaryFormatter: (c, r) => `CUSTOM: ${c.name} -> ${r.content}`,
      reflectOnToolUse: false,
    });
    const result = await agent.run({ task: "Test formatter override" });
    expect(result.messages.at(-1)?.toText()).toBe("CUSTOM: mock_tool_function -> Tool executed with: test");
  });

  it(`${origin}test_tool_call_error_handling_with_custom_formatter`, async () => {
    const errorTool = stringTool("error_tool", "param", (p) => {
      throw new Error(`Tool error with param: ${p}`);
    });
    const agent = new AssistantAgent({
      name: "test_agent",
      modelClient: model([{ content: [call("1", "error_tool", { param: "test" })] }]),
      tools: [errorTool],
      toolCallSummaryFormatter: (c, r) =>
        r.isError ? `ERROR in ${c.name}: ${r.content}` : `SUCCESS: ${r.content}`,
      reflectOnToolUse: false,
    });
    const result = await agent.run({ task: "Test error handling" });
    expect(result.messages.at(-1)).toBeInstanceOf(ToolCallSummaryMessage);
    expect(result.messages.at(-1)?.toText()).toMatch(/^ERROR in error_tool: .*Tool error with param: test/);
  });

  it(`${origin}test_multiple_tools_with_different_formats`, async () => {
    const jsonTool = stringTool("json_tool", "data", (d) => JSON.stringify({ result: d, status: "success" }));
    const simpleTool = stringTool("simple_tool", "text", (t) => `Processed: ${t}`);
    const agent = new AssistantAgent({
      name: "test_agent",
      modelClient: model([
        {
          content: [
            call("1", "json_tool", { data: "json_data" }),
            call("2", "simple_tool", { text: "simple_text" }),
          ],
        },
      ]),
      tools: [jsonTool, simpleTool],
      toolCallSummaryFormatter: (c, r) => {
        try {
          return `${c.name}: ${JSON.stringify(JSON.parse(r.content))}`;
        } catch {
          return `${c.name}: ${r.content}`;
        }
      },
      reflectOnToolUse: false,
    });
    const result = await agent.run({ task: "Test multiple tool formats" });
    const text = result.messages.at(-1)?.toText() ?? "";
    expect(text).toContain("json_tool:");
    expect(text).toContain("simple_tool:");
    expect(text).toContain("Processed: simple_text");
  });

  it(`${origin}test_multiple_workbenches`, async () => {
    const one = fixedWorkbench({ tool1: "Result from workbench 1" });
    const two = fixedWorkbench({ tool2: "Result from workbench 2" });
    const agent = new AssistantAgent({
      name: "test_agent",
      modelClient: model([
        { content: [call("1", "tool1", { param: "test1" }), call("2", "tool2", { param: "test2" })] },
      ]),
      workbench: [one.workbench, two.workbench],
    });
    const result = await agent.run({ task: "Test multiple workbenches" });
    expect(one.calls.map((c) => c.name)).toEqual(["tool1"]);
    expect(two.calls.map((c) => c.name)).toEqual(["tool2"]);
    expect(result.messages.at(-1)).toBeInstanceOf(ToolCallSummaryMessage);
    expect(result.messages.at(-1)?.toText()).toBe("Result from workbench 1\nResult from workbench 2");
  });

  it(`${origin}test_workbench_tool_not_found`, async () => {
    const { workbench } = fixedWorkbench({ available_tool: "never" });
    const agent = new AssistantAgent({
      name: "test_agent",
      modelClient: model([{ content: [call("1", "missing_tool", { param: "test" })] }]),
      workbench: [workbench],
    });
    const result = await agent.run({ task: "Test missing tool" });
    expect(result.messages.at(-1)).toBeInstanceOf(ToolCallSummaryMessage);
    expect(result.messages.at(-1)?.toText()).toBe("Error: tool 'missing_tool' not found in any workbench");
  });

  it(`${origin}test_cancellation_during_workbench_tool_execution`, async () => {
    const { workbench, calls } = fixedWorkbench({ test_tool: "Workbench tool result" });
    const agent = new AssistantAgent({
      name: "test_agent",
      modelClient: model([{ content: [call("1", "test_tool", { param: "test" })] }]),
      workbench: [workbench],
    });
    const controller = new AbortController();
    const response = await agent.onMessages([new TextMessage({ content: "Test", source: "user" })], {
      signal: controller.signal,
    });
    expect(calls).toHaveLength(1);
    // The tool gets a signal that the caller's cancels (AutoGen passes its token on).
    expect(calls[0]?.signal).toBeInstanceOf(AbortSignal);
    expect(response.chatMessage.toText()).toBe("Workbench tool result");
  });

  it(`${origin}test_cancellation_during_model_inference`, async () => {
    const seen: CreateOptions[] = [];
    const client = model(["Response"]);
    const create = client.create.bind(client);
    client.create = async (messages, options) => {
      seen.push(options ?? {});
      return create(messages, options);
    };
    const controller = new AbortController();
    const agent = new AssistantAgent({ name: "test_agent", modelClient: client });
    const response = await agent.onMessages([new TextMessage({ content: "Test", source: "user" })], {
      signal: controller.signal,
    });
    expect(seen).toHaveLength(1);
    expect(seen[0]?.signal).toBe(controller.signal);
    expect(response.chatMessage.toText()).toBe("Response");
  });
});

describe("AutoGen fidelity: AssistantAgent thoughts and handoffs", () => {
  it(`${origin}test_thought_event_yielded_from_model_result`, async () => {
    const agent = new AssistantAgent({
      name: "test_agent",
      modelClient: model([{ content: "Final response", thought: "This is my internal thought process" }]),
    });
    const thoughts = (await streamOf(agent)).filter((m) => m instanceof ThoughtEvent);
    expect(thoughts.map((t) => [t.content, t.source])).toEqual([
      ["This is my internal thought process", "test_agent"],
    ]);
  });

  it(`${origin}test_thought_event_with_tool_calls`, async () => {
    const agent = new AssistantAgent({
      name: "test_agent",
      modelClient: model([
        {
          content: [call("1", "mock_tool_function", { param: "test" })],
          thought: "I need to use this tool to help the user",
        },
        "Tool execution completed",
      ]),
      tools: [mockTool],
      maxToolIterations: 1,
    });
    const thoughts = (await streamOf(agent)).filter((m) => m instanceof ThoughtEvent);
    expect(thoughts.map((t) => t.content)).toEqual(["I need to use this tool to help the user"]);
  });

  it(`${origin}test_thought_event_with_reflection`, async () => {
    const agent = new AssistantAgent({
      name: "test_agent",
      modelClient: model([
        {
          content: [call("1", "mock_tool_function", { param: "test" })],
          thought: "Initial thought before tool call",
        },
        {
          content: "Based on the tool result, here's my response",
          thought: "Reflection thought after tool execution",
        },
      ]),
      tools: [mockTool],
      reflectOnToolUse: true,
      modelClientStream: true,
    });
    const thoughts = (await streamOf(agent)).filter((m) => m instanceof ThoughtEvent);
    expect(thoughts.map((t) => t.content)).toEqual([
      "Initial thought before tool call",
      "Reflection thought after tool execution",
    ]);
  });

  it(`${origin}test_thought_event_with_tool_call_loop`, async () => {
    const agent = new AssistantAgent({
      name: "test_agent",
      modelClient: model([
        {
          content: [call("1", "mock_tool_function", { param: "first" })],
          thought: "First iteration thought",
        },
        {
          content: [call("2", "mock_tool_function", { param: "second" })],
          thought: "Second iteration thought",
        },
        { content: "Loop completed", thought: "Final completion thought" },
      ]),
      tools: [mockTool],
      maxToolIterations: 3,
    });
    const thoughts = (await streamOf(agent)).filter((m) => m instanceof ThoughtEvent);
    expect(thoughts.map((t) => t.content)).toEqual([
      "First iteration thought",
      "Second iteration thought",
      "Final completion thought",
    ]);
  });

  it(`${origin}test_thought_event_with_handoff`, async () => {
    const agent = new AssistantAgent({
      name: "test_agent",
      modelClient: model([
        {
          content: [call("1", "transfer_to_other_agent", { target: "other_agent" })],
          thought: "I need to hand this off to another agent",
        },
      ]),
      handoffs: ["other_agent"],
      maxToolIterations: 1,
    });
    const result = await agent.run({ task: "Test handoff with thought" });
    const thoughts = result.messages.filter((m) => m instanceof ThoughtEvent);
    expect(thoughts.map((t) => t.content)).toEqual(["I need to hand this off to another agent"]);
    const handoff = result.messages.at(-1) as HandoffMessage;
    expect(handoff).toBeInstanceOf(HandoffMessage);
    // The next agent reads the thought that led to the handoff.
    expect(handoff.context).toEqual([
      { type: "AssistantMessage", content: "I need to hand this off to another agent", source: "test_agent" },
    ]);
  });

  it(`${origin}test_no_thought_event_when_no_thought`, async () => {
    const agent = new AssistantAgent({
      name: "test_agent",
      modelClient: model(["Simple response without thought"]),
    });
    expect((await streamOf(agent)).filter((m) => m instanceof ThoughtEvent)).toEqual([]);
  });

  it(`${origin}test_thought_event_context_preservation`, async () => {
    const agent = new AssistantAgent({
      name: "test_agent",
      modelClient: model([{ content: "Response with thought", thought: "Internal reasoning" }]),
    });
    await agent.run({ task: "Test thought preservation" });
    const assistant = (await agent.modelContext.getMessages()).filter((m) => m.type === "AssistantMessage");
    expect(assistant.at(-1)).toMatchObject({
      content: "Response with thought",
      thought: "Internal reasoning",
    });
  });

  it(`${origin}test_handoff_without_tool_calls`, async () => {
    const agent = new AssistantAgent({
      name: "test_agent",
      modelClient: model([{ content: [call("1", "transfer_to_agent2", { target: "agent2" })] }]),
      handoffs: ["agent2"],
    });
    const result = await agent.run({ task: "Handoff to agent2" });
    const handoff = result.messages.at(-1) as HandoffMessage;
    expect(handoff).toBeInstanceOf(HandoffMessage);
    expect(handoff.target).toBe("agent2");
    expect(handoff.content).toBe("Transferred to agent2, adopting the role of agent2 immediately.");
    expect(handoff.context).toEqual([]);
  });

  it(`${origin}test_multiple_handoff_warning`, async () => {
    // AutoGen also emits a UserWarning ("Multiple handoffs detected"); the first handoff is the one made.
    const agent = new AssistantAgent({
      name: "test_agent",
      modelClient: model([
        {
          content: [
            call("1", "transfer_to_agent2", { target: "agent2" }),
            call("2", "transfer_to_agent3", { target: "agent3" }),
          ],
        },
      ]),
      handoffs: ["agent2", "agent3"],
    });
    const result = await agent.run({ task: "Multiple handoffs" });
    expect(result.messages.at(-1)).toBeInstanceOf(HandoffMessage);
    expect((result.messages.at(-1) as HandoffMessage).target).toBe("agent2");
  });
});
