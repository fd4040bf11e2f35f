// Fidelity: AutoGen's python/packages/autogen-agentchat/tests/test_userproxy_agent.py and
// test_task_runner_tool.py, case by case.
import { AutogenError, CancelledError, FunctionTool } from "@autogen-ts/core";
import { ReplayChatCompletionClient } from "@autogen-ts/core/testing";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import {
  AgentTool,
  AssistantAgent,
  HandoffMessage,
  isTaskResult,
  MaxMessageTermination,
  RoundRobinGroupChat,
  type TaskResult,
  TeamTool,
  TextMessage,
  type ToolCallExecutionEvent,
  UserProxyAgent,
} from "../../src/index.js";
import { EchoAgent } from "./echo-agent.js";

/** EchoAgent with AutoGen's test state: the last message and how many it answered. */
class StatefulEcho extends EchoAgent {
  last: string | null = null;
  override async onMessages(messages: Parameters<EchoAgent["onMessages"]>[0]) {
    const response = await super.onMessages(messages);
    this.last = response.chatMessage.toText();
    return response;
  }
  override async saveState() {
    return { last_message: this.last, total_messages: this.totalMessages } as never;
  }
  override async loadState(state: Record<string, unknown>) {
    this.last = state.last_message as string | null;
    this.totalMessages = state.total_messages as number;
  }
}

describe("AutoGen fidelity: UserProxyAgent", () => {
  const origin = "test_userproxy_agent.py::";
  const asked = [
    new TextMessage({ content: "What is the height of the eiffel tower?", source: "assistant" }),
  ];

  it(`${origin}test_basic_input`, async () => {
    const agent = new UserProxyAgent({
      name: "test_user",
      inputFunc: () => "The height of the eiffel tower is 324 meters. Aloha!",
    });
    const response = await agent.onMessages(asked);
    expect(response.chatMessage).toBeInstanceOf(TextMessage);
    expect(response.chatMessage.toText()).toBe("The height of the eiffel tower is 324 meters. Aloha!");
    expect(response.chatMessage.source).toBe("test_user");
  });

  it(`${origin}test_async_input`, async () => {
    const agent = new UserProxyAgent({
      name: "test_user",
      inputFunc: async () => {
        await new Promise((resolve) => setTimeout(resolve, 10));
        return "async response";
      },
    });
    const response = await agent.onMessages([
      new TextMessage({ content: "test prompt", source: "assistant" }),
    ]);
    expect(response.chatMessage.toText()).toBe("async response");
    expect(response.chatMessage.source).toBe("test_user");
  });

  it(`${origin}test_handoff_handling`, async () => {
    const agent = new UserProxyAgent({ name: "test_user", inputFunc: () => "handoff response" });
    const response = await agent.onMessages([
      new TextMessage({ content: "Initial message", source: "assistant" }),
      new HandoffMessage({
        content: "Handing off to user for confirmation",
        source: "assistant",
        target: "test_user",
      }),
    ]);
    expect(response.chatMessage).toBeInstanceOf(HandoffMessage);
    expect(response.chatMessage.toText()).toBe("handoff response");
    expect((response.chatMessage as HandoffMessage).target).toBe("assistant");
    // A handoff that ends the messages must be addressed to this agent.
    await expect(
      agent.onMessages([
        new TextMessage({ content: "Initial message", source: "assistant" }),
        new HandoffMessage({ content: "Handing off", source: "assistant", target: "other_agent" }),
      ]),
    ).rejects.toThrow(/addressed to 'other_agent'/);
    // An earlier handoff to someone else does not matter.
    const text = await agent.onMessages([
      new TextMessage({ content: "Initial message", source: "assistant" }),
      new HandoffMessage({
        content: "Handing off to other agent",
        source: "assistant",
        target: "other_agent",
      }),
      new TextMessage({ content: "Another message", source: "other_agent" }),
    ]);
    expect(text.chatMessage).toBeInstanceOf(TextMessage);
  });

  it(`${origin}test_cancellation`, async () => {
    const agent = new UserProxyAgent({
      name: "test_user",
      inputFunc: (_prompt, signal) =>
        new Promise((resolve, reject) => {
          const timer = setTimeout(() => resolve("cancellable response"), 10_000);
          signal?.addEventListener("abort", () => {
            clearTimeout(timer);
            reject(new Error("aborted"));
          });
        }),
    });
    const controller = new AbortController();
    const reply = agent.onMessages([new TextMessage({ content: "test prompt", source: "assistant" })], {
      signal: controller.signal,
    });
    controller.abort();
    expect(CancelledError.isInstance(await reply.catch((e: unknown) => e))).toBe(true);
  });

  it(`${origin}test_error_handling`, async () => {
    const agent = new UserProxyAgent({
      name: "test_user",
      inputFunc: () => {
        throw new Error("Input function failed");
      },
    });
    const error = await agent
      .onMessages([new TextMessage({ content: "test prompt", source: "assistant" })])
      .catch((e: unknown) => e);
    expect(AutogenError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain("Failed to get user input");
    expect((error as Error).message).toContain("Input function failed");
  });
});

describe("AutoGen fidelity: AgentTool and TeamTool", () => {
  const origin = "test_task_runner_tool.py::";
  const text = (r: { result: readonly unknown[] }) => (r.result[0] as { text: string }).text;

  it(`${origin}test_agent_tool_run`, async () => {
    const agent = new StatefulEcho("Mock_Agent");
    const tool = new AgentTool({ agent });
    const result = await tool.call({ task: "Test task" });
    expect(result.isError).toBe(false);
    // AutoGen returns the TaskResult; the text the model reads leaves out the task, as AutoGen's does.
    expect(text(result)).toBe("Mock_Agent: Test task");
  });

  it(`${origin}test_agent_tool_state`, async () => {
    const tool = new AgentTool({ agent: new StatefulEcho("Mock_Agent") });
    expect(await tool.saveState()).toEqual({ last_message: null, total_messages: 0 });
    await tool.call({ task: "Test task" });
    const state = await tool.saveState();
    expect(state).toEqual({ last_message: "Test task", total_messages: 1 });
    const tool2 = new AgentTool({ agent: new StatefulEcho("Mock_Agent_2") });
    await tool2.loadState(state);
    expect(await tool2.saveState()).toEqual(state);
  });

  it(`${origin}test_team_tool`, async () => {
    const termination = new MaxMessageTermination({ maxMessages: 3 });
    const team = new RoundRobinGroupChat({
      participants: [new EchoAgent("Agent1"), new EchoAgent("Agent2")],
      terminationCondition: termination,
    });
    const tool = new TeamTool({ team, name: "Team_Tool", description: "A team tool for testing" });
    const result = await tool.call({ task: "test task" });
    expect(text(result)).toBe("Agent1: test task\n\nAgent2: test task");
    const state = await tool.saveState();
    const team2 = new RoundRobinGroupChat({
      participants: [new EchoAgent("Agent1"), new EchoAgent("Agent2")],
      terminationCondition: termination,
    });
    const tool2 = new TeamTool({ team: team2, name: "Team_Tool", description: "A team tool for testing" });
    await tool2.loadState(state);
    expect(await tool2.saveState()).toEqual(state);
  });

  it(`${origin}test_team_tool[return_value_as_last_message]`, async () => {
    const team = new RoundRobinGroupChat({
      participants: [new EchoAgent("Agent1"), new EchoAgent("Agent2")],
      terminationCondition: new MaxMessageTermination(3),
    });
    const tool = new TeamTool({ team, name: "team_tool", description: "d", returnValueAsLastMessage: true });
    expect(text(await tool.call({ task: "test task from main agent" }))).toBe("test task from main agent");
  });

  const info = {
    family: "gpt-41",
    functionCalling: true,
    jsonOutput: true,
    structuredOutput: true,
    vision: true,
  };
  const types = (messages: readonly { type: string }[]) => messages.map((m) => m.type);

  it(`${origin}test_agent_tool_stream`, async () => {
    const queryFunction = new FunctionTool({
      name: "query_function",
      description: "A query",
      parameters: z.object({}),
      run: async () => "Test task",
    });
    const toolAgent = new AssistantAgent({
      name: "tool_agent",
      description: "An agent for testing",
      modelClient: new ReplayChatCompletionClient({
        responses: [
          { content: [{ id: "1", name: "query_function", arguments: "{}" }] },
          "Summary from tool agent",
        ],
        modelInfo: info,
      }),
      tools: [queryFunction],
      reflectOnToolUse: true,
    });
    const mainAgent = new AssistantAgent({
      name: "main_agent",
      description: "An agent for testing",
      modelClient: new ReplayChatCompletionClient({
        responses: [
          { content: [{ id: "1", name: "tool_agent", arguments: '{"task": "Input task from main agent"}' }] },
          "Summary from main agent",
        ],
        modelInfo: info,
      }),
      tools: [new AgentTool({ agent: toolAgent })],
      reflectOnToolUse: true,
    });
    const result = await mainAgent.run({ task: "Input task from user" });
    // The inner agent's run is streamed into the caller's, between the call and its result.
    expect(types(result.messages)).toEqual([
      "TextMessage",
      "ToolCallRequestEvent",
      "TextMessage",
      "ToolCallRequestEvent",
      "ToolCallExecutionEvent",
      "TextMessage",
      "ToolCallExecutionEvent",
      "TextMessage",
    ]);
    expect(result.messages[0]?.toText()).toBe("Input task from user");
    expect(result.messages[2]?.toText()).toBe("Input task from main agent");
    expect(result.messages[5]?.toText()).toBe("Summary from tool agent");
    expect((result.messages[6] as ToolCallExecutionEvent).content[0]?.content).toBe(
      "tool_agent: Summary from tool agent",
    );
    expect(result.messages[7]?.toText()).toBe("Summary from main agent");
  });

  it(`${origin}test_team_tool_stream`, async () => {
    const team = new RoundRobinGroupChat({
      participants: [new EchoAgent("Agent1"), new EchoAgent("Agent2")],
      terminationCondition: new MaxMessageTermination(3),
    });
    const tool = new TeamTool({
      team,
      name: "team_tool",
      description: "A team tool for testing",
      returnValueAsLastMessage: true,
    });
    const mainAgent = new AssistantAgent({
      name: "main_agent",
      description: "An agent for testing",
      modelClient: new ReplayChatCompletionClient({
        responses: [
          { content: [{ id: "1", name: "team_tool", arguments: '{"task": "test task from main agent"}' }] },
          "Summary from main agent",
        ],
        modelInfo: info,
      }),
      tools: [tool],
      reflectOnToolUse: true,
    });
    const streamed: string[] = [];
    let result: TaskResult | undefined;
    for await (const item of mainAgent.runStream({ task: "test task from user" })) {
      if (isTaskResult(item)) result = item;
      else streamed.push(`${item.type}:${item.source}`);
    }
    const messages = result?.messages ?? [];
    expect(types(messages)).toEqual([
      "TextMessage",
      "ToolCallRequestEvent",
      "TextMessage",
      "TextMessage",
      "TextMessage",
      "ToolCallExecutionEvent",
      "TextMessage",
    ]);
    expect(messages.map((m) => (m.type === "TextMessage" ? `${m.source}:${m.toText()}` : m.type))).toEqual([
      "user:test task from user",
      "ToolCallRequestEvent",
      "user:test task from main agent",
      "Agent1:test task from main agent",
      "Agent2:test task from main agent",
      "ToolCallExecutionEvent",
      "main_agent:Summary from main agent",
    ]);
    expect((messages[5] as ToolCallExecutionEvent).content[0]?.content).toBe("test task from main agent");
    // The caller's stream carried the team's messages as they happened.
    expect(streamed).toContain("TextMessage:Agent2");
  });
});
