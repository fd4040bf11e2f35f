/**
 * Function execution of classic agents, ported from AG2's
 * test/agentchat/conversableAgent/test_function_execution.py (each `it` names its AG2 test).
 */
import { describe, expect, it } from "vitest";
import {
  ConversableAgent,
  generateFunctionCallReply,
  generateToolCallsReply,
} from "../../src/classic/index.js";

const agent = () =>
  new ConversableAgent({
    name: "agent",
    llmConfig: false,
    functionMap: {
      test_func: ({ x }) => x,
      async_func: async ({ x }) => {
        await Promise.resolve();
        return x;
      },
      nothing: () => undefined,
      success: () => "success",
    },
  });

describe("function execution (ported from AG2's test_function_execution.py)", () => {
  it("test_execute_function_awaitable_result / test_a_execute_function_async_func", async () => {
    expect(await agent().executeFunction({ name: "async_func", arguments: '{"x":"test"}' })).toEqual({
      success: true,
      message: { role: "function", name: "async_func", content: "test" },
    });
  });

  it("test_execute_function_empty_arguments / _no_call_id", async () => {
    expect((await agent().executeFunction({ name: "success", arguments: "{}" })).message.content).toBe(
      "success",
    );
    expect((await agent().executeFunction({ name: "success", arguments: "" })).success).toBe(true);
  });

  it("test_generate_function_call_reply_with_function_call / _no_function_call / _messages_from_sender", async () => {
    const a = agent();
    const call = [
      { role: "assistant", content: null, functionCall: { name: "test_func", arguments: '{"x":"test"}' } },
    ];
    expect(await generateFunctionCallReply(a, call, undefined, undefined, {})).toEqual([
      true,
      { role: "function", name: "test_func", content: "test" },
    ]);
    expect(
      await generateFunctionCallReply(a, [{ role: "user", content: "hello" }], undefined, undefined, {}),
    ).toEqual([false, null]);
    const sender = new ConversableAgent({ name: "sender", llmConfig: false });
    a.chatMessages.set(sender, call);
    expect(await a.generateReply({ sender })).toMatchObject({ role: "function", content: "test" });
  });

  it("test_generate_tool_calls_reply_content_none: a function returning nothing answers with empty content", async () => {
    const calls = [
      { role: "assistant", content: null, toolCalls: [{ id: "call-1", name: "nothing", arguments: "{}" }] },
    ];
    expect(await generateToolCallsReply(agent(), calls, undefined, undefined, {})).toEqual([
      true,
      { role: "tool", content: "", toolResponses: [{ toolCallId: "call-1", role: "tool", content: "" }] },
    ]);
  });

  it("test__a_execute_tool_call_normal_execution: several calls, one tool reply with every response", async () => {
    const calls = [
      {
        role: "assistant",
        content: null,
        toolCalls: [
          { id: "c1", name: "test_func", arguments: '{"x":"one"}' },
          { id: "c2", name: "missing", arguments: "{}" },
        ],
      },
    ];
    const [final, reply] = await generateToolCallsReply(agent(), calls, undefined, undefined, {});
    expect(final).toBe(true);
    expect(reply).toEqual({
      role: "tool",
      content: "one\n\nError: Function missing not found.",
      toolResponses: [
        { toolCallId: "c1", role: "tool", content: "one" },
        { toolCallId: "c2", role: "tool", content: "Error: Function missing not found." },
      ],
    });
  });
});
