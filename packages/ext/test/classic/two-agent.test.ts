/**
 * The classic two-agent pattern on real parts: an AssistantAgent on a scripted model writes Python, a
 * UserProxyAgent runs it with the local code executor (a real python3 process) and answers with the
 * output, and the assistant ends with TERMINATE. Ported in spirit from AG2's two-agent tests
 * (test/agentchat/test_assistant_agent.py's code-execution chats, test_conversable_agent.py test_max_turn,
 * test_summary and test_chat_messages_for_summary) and checked end to end.
 */

import type { InputFunc } from "@autogen-ts/agentchat";
import type { ClassicMessage } from "@autogen-ts/agentchat/classic";
import { AssistantAgent, initiateChats, UserProxyAgent } from "@autogen-ts/agentchat/classic";
import { ReplayChatCompletionClient } from "@autogen-ts/core/testing";
import { LocalCommandLineCodeExecutor } from "@autogen-ts/ext/code-executors/local";
import { afterAll, describe, expect, it } from "vitest";

const executor = new LocalCommandLineCodeExecutor({ timeoutMs: 30_000 });
afterAll(() => executor.stop());

const endsWithTerminate = (m: ClassicMessage) =>
  String(m.content ?? "")
    .trimEnd()
    .endsWith("TERMINATE");
/** The classic pair: an assistant on `model`, a user proxy that runs its code and never asks anyone. */
const codingPair = (model: ReplayChatCompletionClient) => ({
  assistant: new AssistantAgent({ name: "assistant", llmConfig: model }),
  user: new UserProxyAgent({
    name: "user_proxy",
    humanInputMode: "NEVER",
    isTerminationMsg: endsWithTerminate,
    codeExecutionConfig: { executor },
  }),
});
const usage = (costUsd: number) => ({ promptTokens: 100, completionTokens: 20, costUsd });

describe("the classic two-agent pattern", () => {
  it("humanInputMode NEVER: the assistant's Python really runs, the output goes back, TERMINATE ends it", async () => {
    const model = new ReplayChatCompletionClient([
      {
        content: "Let me compute it.\n```python\nimport math\nprint(math.factorial(10))\n```",
        usage: usage(0.002),
      },
      { content: "10! is 3628800. TERMINATE", usage: usage(0.001) },
    ]);
    const { assistant, user } = codingPair(model);
    const result = await user.initiateChat(assistant, { message: "What is 10 factorial?" });
    expect(result.chatHistory.map((m) => [m.role, m.name])).toEqual([
      ["assistant", "user_proxy"],
      ["user", "assistant"],
      ["assistant", "user_proxy"],
      ["user", "assistant"],
    ]);
    expect(result.chatHistory[2]?.content).toBe("exitcode: 0 (execution succeeded)\nCode output: 3628800\n");
    // The model's second call read the real output.
    expect(JSON.stringify(model.requests[1]?.messages)).toContain("3628800");
    // AutoGen's default assistant system message went first.
    expect(model.requests[0]?.messages[0]).toMatchObject({ type: "SystemMessage" });
    expect(JSON.stringify(model.requests[0]?.messages[0])).toContain("TERMINATE");
    expect(result.summary).toBe("10! is 3628800. ");
    expect(result.cost.usageIncludingCachedInference.totalCost).toBeCloseTo(0.003);
    expect(Object.values(result.cost.usageExcludingCachedInference.byModel)[0]).toMatchObject({
      promptTokens: 200,
      completionTokens: 40,
      totalTokens: 240,
    });
    expect(result.humanInput).toEqual([]);
  });

  it("humanInputMode TERMINATE: at TERMINATE the person is asked through the input function", async () => {
    const model = new ReplayChatCompletionClient([
      "```python\nprint(6 * 7)\n```",
      "The answer is 42. TERMINATE",
      "```python\nprint(7 * 8)\n```",
      "That one is 56. TERMINATE",
    ]);
    const prompts: string[] = [];
    const seen: string[][] = [];
    const answers = ["Now do 7 times 8.", ""];
    const inputFunc: InputFunc = (prompt, _signal, request) => {
      prompts.push(prompt);
      seen.push(request.messages.map((m) => m.toText()));
      return answers.shift() ?? "exit";
    };
    const assistant = new AssistantAgent({ name: "assistant", llmConfig: model });
    const user = new UserProxyAgent({
      name: "user_proxy",
      humanInputMode: "TERMINATE",
      isTerminationMsg: endsWithTerminate,
      codeExecutionConfig: { executor },
      inputFunc,
    });
    const result = await user.initiateChat(assistant, { message: "What is 6 times 7?" });
    expect(result.chatHistory.map((m) => m.content)).toEqual([
      "What is 6 times 7?",
      "```python\nprint(6 * 7)\n```",
      "exitcode: 0 (execution succeeded)\nCode output: 42\n",
      "The answer is 42. TERMINATE",
      "Now do 7 times 8.",
      "```python\nprint(7 * 8)\n```",
      "exitcode: 0 (execution succeeded)\nCode output: 56\n",
      "That one is 56. TERMINATE",
    ]);
    expect(prompts).toHaveLength(2);
    expect(prompts[0]).toContain("assistant");
    // The input function saw the conversation up to the question, as agentchat messages.
    expect(seen[0]?.at(-1)).toBe("The answer is 42. TERMINATE");
    expect(result.humanInput).toEqual(["Now do 7 times 8.", ""]);
    expect(result.summary).toBe("That one is 56. ");
  });

  it("humanInputMode ALWAYS: every reply is the person's; 'exit' ends the chat", async () => {
    const model = new ReplayChatCompletionClient(["Hello! What should we do?", "Fine."]);
    const answers = ["Say fine.", "exit"];
    const assistant = new AssistantAgent({ name: "assistant", llmConfig: model });
    const user = new UserProxyAgent({
      name: "user",
      codeExecutionConfig: false,
      inputFunc: () => answers.shift() ?? "exit",
    });
    const result = await user.initiateChat(assistant, { message: "Hi" });
    expect(result.chatHistory.map((m) => m.content)).toEqual([
      "Hi",
      "Hello! What should we do?",
      "Say fine.",
      "Fine.",
    ]);
    expect(result.humanInput).toEqual(["Say fine.", "exit"]);
  });

  it("a failing program's error goes back to the assistant, which fixes it", async () => {
    const model = new ReplayChatCompletionClient([
      "```python\nimport module_that_is_not_here\n```",
      "```python\nprint('fixed')\n```",
      "Done. TERMINATE",
    ]);
    const { assistant, user } = codingPair(model);
    const result = await user.initiateChat(assistant, { message: "Try it." });
    expect(result.chatHistory[2]?.content).toMatch(
      /^exitcode: 1 \(execution failed\)\nCode output: .*ModuleNotFoundError/s,
    );
    expect(JSON.stringify(model.requests[1]?.messages)).toContain("ModuleNotFoundError");
    expect(result.chatHistory[4]?.content).toBe("exitcode: 0 (execution succeeded)\nCode output: fixed\n");
  });

  it("maxTurns (test_max_turn) and reflection_with_llm (test_summary)", async () => {
    const model = new ReplayChatCompletionClient(["Joke one.", "Joke two.", "Two jokes about AI."]);
    const assistant = new AssistantAgent({ name: "assistant", llmConfig: model });
    const user = new UserProxyAgent({
      name: "user",
      humanInputMode: "ALWAYS",
      codeExecutionConfig: false,
      inputFunc: () => "Not funny. Try again.",
    });
    const result = await user.initiateChat(assistant, {
      message: "Hello, make a joke about AI.",
      maxTurns: 2,
      summaryMethod: "reflection_with_llm",
      summaryArgs: { summaryPrompt: "Summarize in five words." },
    });
    expect(result.chatHistory).toHaveLength(4);
    expect(result.summary).toBe("Two jokes about AI.");
    const last = model.requests[2]?.messages.at(-1);
    expect(last).toEqual({ type: "SystemMessage", content: "Summarize in five words." });
    expect(result.humanInput).toEqual(["Not funny. Try again."]);
  });

  it("initiateChats: each chat carries the earlier summaries as context", async () => {
    const model = new ReplayChatCompletionClient(["Paris. TERMINATE", "About 2.1 million people. TERMINATE"]);
    const assistant = new AssistantAgent({ name: "assistant", llmConfig: model });
    const user = new UserProxyAgent({
      name: "user",
      humanInputMode: "NEVER",
      codeExecutionConfig: false,
      isTerminationMsg: endsWithTerminate,
    });
    const results = await initiateChats([
      { sender: user, recipient: assistant, message: "What is the capital of France?" },
      { sender: user, recipient: assistant, message: "How many people live there?", carryover: "Be brief." },
    ]);
    expect(results.map((r) => r.summary)).toEqual(["Paris. ", "About 2.1 million people. "]);
    expect(results[1]?.chatHistory[0]?.content).toBe(
      "How many people live there?\nContext: \nBe brief.\nParis. ",
    );
  });

  it("registerNestedChats: a reply made by an inner chat's summary", async () => {
    const writerModel = new ReplayChatCompletionClient(["A draft about cats."]);
    const criticModel = new ReplayChatCompletionClient(["Make it about dogs."]);
    const writer = new AssistantAgent({ name: "writer", llmConfig: writerModel });
    const critic = new AssistantAgent({ name: "critic", llmConfig: criticModel });
    const reviewer = new AssistantAgent({ name: "reviewer", llmConfig: false, humanInputMode: "NEVER" });
    reviewer.registerNestedChats([{ recipient: critic, maxTurns: 1, summaryMethod: "last_msg" }], {
      trigger: writer,
    });
    const result = await writer.initiateChat(reviewer, {
      message: "Review: a draft about cats.",
      maxTurns: 1,
    });
    expect(result.chatHistory.map((m) => m.content)).toEqual([
      "Review: a draft about cats.",
      "Make it about dogs.",
    ]);
    expect(JSON.stringify(criticModel.requests[0]?.messages)).toContain("Review: a draft about cats.");
  });
});
