/**
 * Function (tool) calls in the classic API: the caller's model proposes a call, the executor agent runs
 * it and answers with a `tool` message. Ported from AG2's test/agentchat/test_conversable_agent.py
 * (test_register_functions, test_function_registration_e2e_sync with a scripted model) and
 * test/agentchat/conversableAgent/test_function_execution.py (execute_function: unknown function,
 * invalid JSON, a failing function), plus the USER INTERRUPTED answer of check_termination_and_human_reply.
 */

import type { ClassicMessage, StandardSchemaV1 } from "@autogen-ts/agentchat/classic";
import {
  AssistantAgent,
  ConversableAgent,
  registerFunction,
  UserProxyAgent,
} from "@autogen-ts/agentchat/classic";
import { ReplayChatCompletionClient } from "@autogen-ts/core/testing";
import { describe, expect, it } from "vitest";
import { z } from "zod";

const endsWithTerminate = (m: ClassicMessage) =>
  String(m.content ?? "")
    .trimEnd()
    .endsWith("TERMINATE");

describe("function execution", () => {
  it("test_function_registration_e2e: the model calls two functions, the user proxy runs them", async () => {
    const calls: string[] = [];
    const model = new ReplayChatCompletionClient([
      { content: [{ id: "call_1", name: "timer", arguments: '{"num_seconds":"1"}' }] },
      { content: [{ id: "call_2", name: "stopwatch", arguments: '{"num_seconds":"2"}' }] },
      "Both are done. TERMINATE",
    ]);
    const coder = new AssistantAgent({
      name: "chatbot",
      systemMessage:
        "For coding tasks, only use the functions you have been provided with. Reply TERMINATE when done.",
      llmConfig: model,
    });
    const user = new UserProxyAgent({
      name: "user_proxy",
      humanInputMode: "NEVER",
      isTerminationMsg: endsWithTerminate,
      codeExecutionConfig: false,
    });
    const seconds = z.object({ num_seconds: z.string().describe("Number of seconds.") });
    registerFunction(
      async ({ num_seconds }: { num_seconds: string }) => {
        calls.push(`timer ${num_seconds}`);
        return "Timer is done!";
      },
      {
        caller: coder,
        executor: user,
        name: "timer",
        description: "create a timer for N seconds",
        parameters: seconds,
      },
    );
    registerFunction(
      ({ num_seconds }: { num_seconds: string }) => {
        calls.push(`stopwatch ${num_seconds}`);
        return "Stopwatch is done!";
      },
      {
        caller: coder,
        executor: user,
        name: "stopwatch",
        description: "create a stopwatch for N seconds",
        parameters: seconds,
      },
    );
    const result = await user.initiateChat(coder, {
      message: "Create a timer for 1 second and then a stopwatch for 2 seconds.",
    });
    expect(calls).toEqual(["timer 1", "stopwatch 2"]);
    expect(result.chatHistory[2]).toEqual({
      role: "tool",
      content: "Timer is done!",
      name: "user_proxy",
      toolResponses: [{ toolCallId: "call_1", role: "tool", content: "Timer is done!" }],
    });
    // The model got both schemas and read the results as function results of its calls.
    expect(model.requests[0]?.options.tools?.map((t) => t.name)).toEqual(["timer", "stopwatch"]);
    expect(model.requests[1]?.messages.at(-1)).toEqual({
      type: "FunctionExecutionResultMessage",
      content: [{ content: "Timer is done!", callId: "call_1", name: "timer", isError: false }],
    });
    expect(result.summary).toBe("Both are done. ");
  });

  it("execute_function: an unknown function, bad JSON, invalid arguments and a throwing function are results", async () => {
    const a = new ConversableAgent({
      name: "executor",
      llmConfig: false,
      functionMap: {
        fail: () => {
          throw new Error("it broke");
        },
      },
    });
    const caller = new ConversableAgent({ name: "caller", llmConfig: new ReplayChatCompletionClient([]) });
    registerFunction(({ a: x, b }: { a: number; b: number }) => x + b, {
      caller,
      executor: a,
      name: "add",
      description: "Adds.",
      parameters: z.object({ a: z.number(), b: z.number() }),
    });
    expect((await a.executeFunction({ name: "nope", arguments: "{}" })).message.content).toBe(
      "Error: Function nope not found.",
    );
    const badJson = await a.executeFunction({ name: "add", arguments: "{not json" });
    expect(badJson.success).toBe(false);
    expect(badJson.message.content).toMatch(/^Error: Invalid JSON/);
    const invalid = await a.executeFunction({ name: "add", arguments: '{"a": "one", "b": 2}' });
    expect(invalid.message.content).toMatch(/^Error: Invalid arguments/);
    expect((await a.executeFunction({ name: "fail", arguments: "{}" })).message.content).toBe(
      "Error: it broke",
    );
    expect(await a.executeFunction({ name: "add", arguments: '{"a": 1, "b": 2}' })).toEqual({
      success: true,
      message: { role: "function", name: "add", content: "3" },
    });
  });

  it("a Standard Schema that is not zod validates the arguments with its own validate", async () => {
    const positive: StandardSchemaV1<{ n: number }> = {
      "~standard": {
        version: 1,
        vendor: "handmade",
        validate: (value) => {
          const n = (value as { n?: unknown }).n;
          return typeof n === "number" && n > 0
            ? { value: { n } }
            : { issues: [{ message: "must be positive", path: ["n"] }] };
        },
      },
    };
    const caller = new ConversableAgent({ name: "caller", llmConfig: new ReplayChatCompletionClient([]) });
    const executor = new ConversableAgent({ name: "executor", llmConfig: false });
    expect(() =>
      registerFunction(({ n }: { n: number }) => n * 2, {
        caller,
        executor,
        name: "double",
        description: "Doubles.",
        parameters: positive,
      }),
    ).toThrow(/jsonSchema/);
    registerFunction(({ n }: { n: number }) => n * 2, {
      caller,
      executor,
      name: "double",
      description: "Doubles.",
      parameters: positive,
      jsonSchema: { type: "object", properties: { n: { type: "number" } }, required: ["n"] },
    });
    expect(caller.tools[0]?.parameters).toMatchObject({ properties: { n: { type: "number" } } });
    expect((await executor.executeFunction({ name: "double", arguments: '{"n": 4}' })).message.content).toBe(
      "8",
    );
    expect((await executor.executeFunction({ name: "double", arguments: '{"n": -1}' })).message.content).toBe(
      "Error: ValidationError: Invalid arguments: n: must be positive",
    );
  });

  it("a person who answers instead of the tools interrupts each call (USER INTERRUPTED)", async () => {
    const model = new ReplayChatCompletionClient([
      { content: [{ id: "call_9", name: "delete_all", arguments: "{}" }] },
      "Understood, I will not. TERMINATE",
    ]);
    const assistant = new AssistantAgent({ name: "assistant", llmConfig: model });
    const user = new UserProxyAgent({
      name: "user",
      codeExecutionConfig: false,
      isTerminationMsg: endsWithTerminate,
      inputFunc: (() => {
        const answers = ["Do not do that.", ""];
        return () => answers.shift() ?? "";
      })(),
    });
    const result = await user.initiateChat(assistant, { message: "Clean up." });
    expect(result.chatHistory[2]).toMatchObject({
      role: "assistant",
      content: "Do not do that.",
      toolResponses: [{ toolCallId: "call_9", role: "tool", content: "USER INTERRUPTED" }],
    });
    expect(result.chatHistory).toHaveLength(4);
    // The model read its call answered with USER INTERRUPTED, then the person's words.
    expect(model.requests[1]?.messages.slice(-2)).toEqual([
      {
        type: "FunctionExecutionResultMessage",
        content: [{ content: "USER INTERRUPTED", callId: "call_9", name: "delete_all", isError: false }],
      },
      { type: "UserMessage", content: "Do not do that.", source: "user" },
    ]);
  });
});
