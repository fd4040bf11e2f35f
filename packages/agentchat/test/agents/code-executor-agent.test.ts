import type { ApprovalRequest } from "@autogen-ts/core";
import { CancelledError, ValidationError } from "@autogen-ts/core";
import { ReplayChatCompletionClient } from "@autogen-ts/core/testing";
import { LocalCommandLineCodeExecutor } from "@autogen-ts/ext/code-executors/local";
import { afterAll, describe, expect, it } from "vitest";
import { CodeExecutorAgent } from "../../src/agents/code-executor-agent.js";
import { TextMessage } from "../../src/messages/chat.js";
import { CodeExecutionEvent, type CodeGenerationEvent } from "../../src/messages/events.js";

// A temporary work dir of the executor's own, deleted by stop().
const codeExecutor = new LocalCommandLineCodeExecutor({ timeoutMs: 20_000 });
afterAll(() => codeExecutor.stop());

const fence = (language: string, code: string) => `\`\`\`${language}\n${code}\n\`\`\``;
const user = (content: string, source = "user") => new TextMessage({ source, content });

describe("CodeExecutorAgent without a model", () => {
  it("runs the code blocks of the messages it receives and reports the output", async () => {
    const agent = new CodeExecutorAgent({ name: "executor", codeExecutor });
    const response = await agent.onMessages([
      user(`Here you go:\n${fence("python", "print(sum(range(5)))")}\nand\n${fence("sh", "echo done")}`),
    ]);
    // The output as printed, and no event: AutoGen's reply without a model.
    expect(response.chatMessage.toText()).toBe("10\ndone\n");
    expect(response.innerMessages ?? []).toEqual([]);
  });

  it("reports a failure with its exit code and output", async () => {
    const agent = new CodeExecutorAgent({ name: "executor", codeExecutor });
    const response = await agent.onMessages([
      user(fence("python", "import sys\nprint('partial')\nsys.exit(2)")),
    ]);
    expect(response.chatMessage.toText()).toBe(
      "The script ran, then exited with an error (POSIX exit code: 2)\nIts output was:\npartial\n",
    );
  });

  it("says so when there is no code in a language it runs", async () => {
    const agent = new CodeExecutorAgent({ name: "executor", codeExecutor, supportedLanguages: ["python"] });
    expect(agent.supportedLanguages).toEqual(["python"]);
    const response = await agent.onMessages([user(fence("sh", "echo hi")), user("no code here")]);
    expect(response.chatMessage.toText()).toContain("No code blocks found");
    expect(response.innerMessages).toEqual([]);
  });

  it("runs only code from the sources it is told to trust", async () => {
    const agent = new CodeExecutorAgent({ name: "executor", codeExecutor, sources: ["coder"] });
    const response = await agent.onMessages([
      user(fence("sh", "echo from-stranger"), "stranger"),
      user(fence("sh", "echo from-coder"), "coder"),
    ]);
    expect(response.chatMessage.toText()).toBe("from-coder\n");
  });

  it("lets the approval gate refuse code, and the refusal is its reply", async () => {
    // A shared work dir, so that a later execution can look for the file the refused code would make.
    const shared = new LocalCommandLineCodeExecutor({ isolateExecutions: false });
    const seen: ApprovalRequest[] = [];
    const agent = new CodeExecutorAgent({
      name: "executor",
      codeExecutor: shared,
      approvalFunc: (request) => {
        seen.push(request);
        return { approved: false, reason: "touching files needs a review" };
      },
    });
    const result = await agent.run({ task: fence("sh", "touch refused.txt") });
    expect(result.messages.at(-1)?.toText()).toBe(
      "Code execution was not approved. Reason: touching files needs a review",
    );
    expect(seen[0]?.blocks).toEqual([{ language: "sh", code: "touch refused.txt" }]);
    const check = await shared.executeCodeBlocks([
      { language: "sh", code: "test -e refused.txt && echo yes || echo no" },
    ]);
    expect(check.output).toBe("no\n");
    await shared.stop();
  });

  it("rejects with CancelledError when cancelled mid-run", async () => {
    const agent = new CodeExecutorAgent({ name: "executor", codeExecutor });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 300);
    const error = await agent
      .onMessages([user(fence("python", "import time\ntime.sleep(30)"))], { signal: controller.signal })
      .catch((e: unknown) => e);
    expect(CancelledError.isInstance(error)).toBe(true);
  });

  it("rejects bad options", () => {
    expect(() => new CodeExecutorAgent({ name: "x", codeExecutor, maxRetriesOnError: -1 })).toThrow(
      ValidationError,
    );
    expect(() => new CodeExecutorAgent({ name: "x", codeExecutor, supportedLanguages: [] })).toThrow(
      ValidationError,
    );
    expect(
      () =>
        new CodeExecutorAgent({
          name: "x",
          codeExecutor: undefined as unknown as LocalCommandLineCodeExecutor,
        }),
    ).toThrow(ValidationError);
  });
});

describe("CodeExecutorAgent with a model", () => {
  it("writes code, sees the error, fixes it, runs it again and answers from the output", async () => {
    const modelClient = new ReplayChatCompletionClient([
      `I will compute it.\n${fence("python", "print(10 / 0)")}`,
      '{"retry": true, "reason": "Divide by a number that is not zero."}',
      `Sorry, fixed:\n${fence("python", "print(sum(x * x for x in range(1, 11)))")}`,
      "The sum of the first ten squares is 385.",
    ]);
    const agent = new CodeExecutorAgent({ name: "coder", codeExecutor, modelClient, maxRetriesOnError: 2 });
    const items = [];
    for await (const item of agent.runStream({ task: "Sum the squares of 1..10" })) items.push(item);
    const types = items.map((i) => ("type" in i ? i.type : "TaskResult"));
    expect(types).toEqual([
      "TextMessage",
      "CodeGenerationEvent",
      "CodeExecutionEvent",
      "CodeGenerationEvent",
      "CodeGenerationEvent",
      "CodeExecutionEvent",
      "TextMessage",
      "TaskResult",
    ]);
    const [gen0, exec0, decision, gen1, exec1] = items.slice(1, 6) as [
      CodeGenerationEvent,
      CodeExecutionEvent,
      CodeGenerationEvent,
      CodeGenerationEvent,
      CodeExecutionEvent,
    ];
    // The retry decision comes before the new code, in AutoGen's words.
    expect(decision.content).toBe(
      "Attempt number: 1\nProposed correction: Divide by a number that is not zero.",
    );
    expect(decision.codeBlocks).toEqual([]);
    expect(gen0.codeBlocks).toEqual([{ language: "python", code: "print(10 / 0)" }]);
    expect([gen0.retryAttempt, exec0.retryAttempt, gen1.retryAttempt, exec1.retryAttempt]).toEqual([
      0, 0, 1, 1,
    ]);
    expect(exec0.result.exitCode).toBe(1);
    expect(exec1.result).toEqual({ exitCode: 0, output: "385\n" });
    expect((items[6] as TextMessage).content).toBe("The sum of the first ten squares is 385.");
    // The model saw the traceback when asked whether to retry, and the output before it answered.
    const retryPrompt = JSON.stringify(modelClient.requests[1]?.messages);
    expect(retryPrompt).toContain("ZeroDivisionError");
    expect(retryPrompt).toContain("Should we attempt to resolve it?");
    expect(JSON.stringify(modelClient.requests[3]?.messages)).toContain("385");
  });

  it("stops after maxRetriesOnError and says what went wrong", async () => {
    const modelClient = new ReplayChatCompletionClient([
      fence("python", "raise RuntimeError('first')"),
      '{"retry": "true", "reason": "Try again."}',
      fence("python", "raise RuntimeError('second')"),
      "It keeps failing with RuntimeError.",
    ]);
    const agent = new CodeExecutorAgent({ name: "coder", codeExecutor, modelClient, maxRetriesOnError: 1 });
    const response = await agent.onMessages([user("do it")]);
    const executions = response.innerMessages?.filter((m) => m instanceof CodeExecutionEvent) ?? [];
    expect(executions).toHaveLength(2);
    expect(response.chatMessage.toText()).toBe("It keeps failing with RuntimeError.");
    // No attempts are left: no second retry decision; the answer reads the last failure.
    expect(modelClient.requests).toHaveLength(4);
    expect(JSON.stringify(modelClient.requests[3]?.messages)).toContain("RuntimeError: second");
  });

  it("returns the execution result itself when reflectOnResult is false", async () => {
    const modelClient = new ReplayChatCompletionClient([fence("sh", "echo 7")]);
    const agent = new CodeExecutorAgent({ name: "coder", codeExecutor, modelClient, reflectOnResult: false });
    const response = await agent.onMessages([user("print seven")]);
    expect(response.chatMessage.toText()).toBe("7\n");
    expect(modelClient.requests).toHaveLength(1);
  });

  it("replies with the model's text when it writes no code", async () => {
    const modelClient = new ReplayChatCompletionClient(["No code is needed: the answer is 4."]);
    const agent = new CodeExecutorAgent({ name: "coder", codeExecutor, modelClient });
    const response = await agent.onMessages([user("what is 2 + 2?")]);
    expect(response.chatMessage.toText()).toBe("No code is needed: the answer is 4.");
  });

  it("sends a refusal to the team without asking the model again", async () => {
    const modelClient = new ReplayChatCompletionClient([fence("sh", "rm -rf ./data")]);
    const agent = new CodeExecutorAgent({
      name: "coder",
      codeExecutor,
      modelClient,
      maxRetriesOnError: 3,
      approvalFunc: ({ code }) => ({ approved: !code.includes("rm -rf"), reason: "no recursive deletes" }),
    });
    const response = await agent.onMessages([user("clean up")]);
    expect(response.chatMessage.toText()).toBe(
      "Code execution was not approved. Reason: no recursive deletes",
    );
    expect(modelClient.requests).toHaveLength(1);
  });

  it("keeps its conversation in saved state, and rejects a foreign document", async () => {
    const modelClient = new ReplayChatCompletionClient([fence("sh", "echo 1"), "One."]);
    const agent = new CodeExecutorAgent({ name: "coder", codeExecutor, modelClient });
    await agent.onMessages([user("print one")]);
    const state = await agent.saveState();
    expect(state.history.map((m) => m.type)).toEqual([
      "UserMessage",
      "AssistantMessage",
      "UserMessage",
      "AssistantMessage",
    ]);
    const copy = new CodeExecutorAgent({ name: "coder", codeExecutor, modelClient });
    await copy.loadState(JSON.parse(JSON.stringify(state)));
    expect(await copy.saveState()).toEqual(state);
    await expect(copy.loadState({ type: "Other", version: 1 })).rejects.toMatchObject({
      code: "invalid_state",
    });
    await copy.onReset();
    expect((await copy.saveState()).history).toEqual([]);
  });
});
