// Fidelity: AutoGen's python/packages/autogen-agentchat/tests/test_code_executor_agent.py, case by case, on
// this project's LocalCommandLineCodeExecutor (real python3 and sh processes, as AutoGen's tests run).

import {
  type BaseAgentMessage,
  type CodeExecutionEvent,
  CodeExecutorAgent,
  type CodeGenerationEvent,
  type Response,
  TextMessage,
} from "@autogen-ts/agentchat";
import { type ApprovalFunc, type ApprovalRequest, type CodeBlock, ValidationError } from "@autogen-ts/core";
import { ReplayChatCompletionClient } from "@autogen-ts/core/testing";
import { afterAll, describe, expect, it } from "vitest";
import { LocalCommandLineCodeExecutor } from "../../src/code-executors/local/index.js";
import { dumpComponent, loadComponent } from "../../src/components/index.js";
import { OpenAIChatCompletionClient } from "../../src/models/openai/index.js";

const origin = "test_code_executor_agent.py::";
const executor = new LocalCommandLineCodeExecutor({ timeoutMs: 30_000 });
afterAll(() => executor.stop());

const fromAssistant = (content: string) => new TextMessage({ content, source: "assistant" });
const SQRT = 'import math\n\nnumber = 42\nsquare_root = math.sqrt(number)\nprint("%0.3f" % (square_root,))';
const DOMAIN_ERROR =
  'import math\n\nnumber = -1.0\nsquare_root = math.sqrt(number)\nprint("%0.3f" % (square_root,))';

async function stream(agent: CodeExecutorAgent, text: string) {
  const items: (BaseAgentMessage | Response)[] = [];
  for await (const item of agent.onMessagesStream([fromAssistant(text)])) items.push(item);
  return items;
}
const isResponse = (item: unknown): item is Response =>
  typeof item === "object" && item !== null && "chatMessage" in item;

describe("AutoGen fidelity: CodeExecutorAgent", () => {
  it(`${origin}test_basic_code_execution`, async () => {
    const agent = new CodeExecutorAgent({ name: "code_executor", codeExecutor: executor });
    const response = await agent.onMessages([fromAssistant(`\`\`\`python\n${SQRT}\n\`\`\``)]);
    expect(response.chatMessage).toBeInstanceOf(TextMessage);
    expect(response.chatMessage.toText().trim()).toBe("6.481");
    expect(response.chatMessage.source).toBe("code_executor");
  });

  it(`${origin}test_code_generation_and_execution_with_model_client`, async () => {
    const model = new ReplayChatCompletionClient([
      `Here is the code to calculate the square root of 42:\n\`\`\`python\n${SQRT}\`\`\``,
      "TERMINATE",
    ]);
    const agent = new CodeExecutorAgent({
      name: "code_executor_agent",
      codeExecutor: executor,
      modelClient: model,
    });
    const items = await stream(agent, "Generate python code to calculate the square root of 42");
    expect(items.map((i) => (isResponse(i) ? "Response" : i.type))).toEqual([
      "CodeGenerationEvent",
      "CodeExecutionEvent",
      "Response",
    ]);
    const generation = items[0] as CodeGenerationEvent;
    expect(generation.codeBlocks[0]).toEqual({ code: SQRT, language: "python" });
    expect((items[1] as CodeExecutionEvent).toText().trim()).toBe("6.481");
    const response = items[2] as Response;
    expect(response.chatMessage).toBeInstanceOf(TextMessage);
    expect(response.chatMessage.source).toBe("code_executor_agent");
  });

  it(`${origin}test_no_code_response_with_model_client`, async () => {
    const model = new ReplayChatCompletionClient(["The capital of France is Paris.", "TERMINATE"]);
    const agent = new CodeExecutorAgent({
      name: "code_executor_agent",
      codeExecutor: executor,
      modelClient: model,
    });
    const items = await stream(agent, "What is the capital of France?");
    expect(items).toHaveLength(1);
    const response = items[0] as Response;
    expect(response.chatMessage.source).toBe("code_executor_agent");
    expect(response.chatMessage.toText().trim()).toBe("The capital of France is Paris.");
  });

  it(`${origin}test_self_debugging_loop`, async () => {
    const incorrect =
      'numbers = [10, 20, 30, 40, 50]\nmean = sum(numbers) / len(numbers\nprint("The mean is:", mean)';
    const correct =
      'numbers = [10, 20, 30, 40, 50]\nmean = sum(numbers) / len(numbers)\nprint("The mean is:", mean)';
    const model = new ReplayChatCompletionClient({
      responses: [
        `\nHere is the code to calculate the mean of 10, 20, 30, 40, 50\n\n\`\`\`python\n${incorrect}\n\`\`\`\n`,
        '{"retry": "true", "reason": "Retry 1: It is a test environment"}',
        `\nHere is the updated code to calculate the mean of 10, 20, 30, 40, 50\n\n\`\`\`python\n${correct}\n\`\`\``,
        "Final Response",
        "TERMINATE",
      ],
      modelInfo: { vision: false, functionCalling: false, jsonOutput: true, structuredOutput: true },
    });
    const agent = new CodeExecutorAgent({
      name: "code_executor_agent",
      codeExecutor: executor,
      modelClient: model,
      maxRetriesOnError: 1,
    });
    const items = await stream(agent, "Calculate the mean of 10, 20, 30, 40, 50.");
    expect(items.map((i) => (isResponse(i) ? "Response" : i.type))).toEqual([
      "CodeGenerationEvent",
      "CodeExecutionEvent",
      "CodeGenerationEvent",
      "CodeGenerationEvent",
      "CodeExecutionEvent",
      "Response",
    ]);
    const [first, failed, decision, second, passed, response] = items as [
      CodeGenerationEvent,
      CodeExecutionEvent,
      CodeGenerationEvent,
      CodeGenerationEvent,
      CodeExecutionEvent,
      Response,
    ];
    expect(first.codeBlocks[0]?.code.trim()).toBe(incorrect);
    expect(first.codeBlocks[0]?.language).toBe("python");
    expect(failed.toText()).toContain("SyntaxError: '(' was never closed");
    expect(failed.toText()).toContain("The script ran, then exited with an error (POSIX exit code: 1)");
    // The retry decision comes before the new code.
    expect(decision.toText().trim()).toBe(
      "Attempt number: 1\nProposed correction: Retry 1: It is a test environment",
    );
    expect(second.codeBlocks[0]?.code.trim()).toBe(correct);
    expect(passed.toText().trim()).toBe("The mean is: 30.0");
    expect(response.chatMessage).toBeInstanceOf(TextMessage);
    expect(response.chatMessage.toText()).toBe("Final Response");
    // The decision was asked for as structured output, with AutoGen's question.
    const ask = model.requests[1];
    expect(ask?.options.jsonOutput).toBeDefined();
    expect(String(ask?.messages.at(-1)?.content)).toMatch(
      /^The most recent code execution resulted in an error:/,
    );
  });

  it(`${origin}test_code_execution_error`, async () => {
    const agent = new CodeExecutorAgent({ name: "code_executor", codeExecutor: executor });
    const response = await agent.onMessages([fromAssistant(`\`\`\`python\n${DOMAIN_ERROR}\n\`\`\``)]);
    expect(response.chatMessage.toText()).toContain(
      "The script ran, then exited with an error (POSIX exit code: 1)",
    );
    expect(response.chatMessage.toText()).toContain("ValueError: math domain error");
  });

  it(`${origin}test_code_execution_no_output`, async () => {
    const agent = new CodeExecutorAgent({ name: "code_executor", codeExecutor: executor });
    const response = await agent.onMessages([
      fromAssistant("```python\nimport math\n\nnumber = 42\nsquare_root = math.sqrt(number)\n```"),
    ]);
    expect(response.chatMessage.toText()).toContain(
      "The script ran but produced no output to console. The POSIX exit code was: 0. If you were expecting output, consider revising the script to ensure content is printed to stdout.",
    );
  });

  it(`${origin}test_code_execution_no_block`, async () => {
    const agent = new CodeExecutorAgent({ name: "code_executor", codeExecutor: executor });
    const response = await agent.onMessages([
      fromAssistant("import math\n\nnumber = 42\nsquare_root = math.sqrt(number)"),
    ]);
    expect(response.chatMessage.toText()).toContain(
      "No code blocks found in the thread. Please provide at least one markdown-encoded code block",
    );
  });

  it(`${origin}test_code_execution_multiple_blocks`, async () => {
    const agent = new CodeExecutorAgent({ name: "code_executor", codeExecutor: executor });
    const response = await agent.onMessages([
      fromAssistant(
        `\`\`\`python\n${SQRT}\n\`\`\`\n\nAnd also:\n\n\`\`\`python\nimport time\nprint(f"The current time is: {time.time()}")\n\n\`\`\`\n\n` +
          `And this should result in an error:\n\`\`\`python\n${DOMAIN_ERROR}\n\`\`\``,
      ),
    ]);
    const text = response.chatMessage.toText();
    expect(text).toContain("6.481");
    expect(text).toContain("The current time is:");
    expect(text).toContain("The script ran, then exited with an error (POSIX exit code: 1)");
    expect(text).toContain("ValueError: math domain error");
  });

  it(`${origin}test_code_execution_agent_serialization`, async () => {
    const agent = new CodeExecutorAgent({ name: "code_executor", codeExecutor: executor });
    const doc = await dumpComponent(agent);
    const loaded = await loadComponent<CodeExecutorAgent>(doc, { allowCode: true });
    expect(loaded).toBeInstanceOf(CodeExecutorAgent);
    expect(loaded.name).toBe("code_executor");
  });

  it(`${origin}test_code_execution_agent_serialization_with_model_client`, async () => {
    const agent = new CodeExecutorAgent({
      name: "code_executor_agent",
      codeExecutor: executor,
      // AutoGen dumps its replay client; here a model client that has a component form stands in for it.
      modelClient: new OpenAIChatCompletionClient({
        model: "gpt-4o",
        baseURL: "http://127.0.0.1:9/v1",
        apiKey: "x",
      }),
    });
    const doc = await dumpComponent(agent);
    expect(JSON.stringify(doc)).not.toContain('"x"');
    const loaded = await loadComponent<CodeExecutorAgent>(doc, {
      allowCode: true,
      env: { OPENAI_API_KEY: "x" },
    });
    expect(loaded).toBeInstanceOf(CodeExecutorAgent);
    expect(loaded.name).toBe("code_executor_agent");
    expect(loaded.options.modelClient).toBeDefined();
  });

  const allowAll: ApprovalFunc = () => ({ approved: true, reason: "All code is approved" });
  const denyDangerous =
    (marker = ""): ApprovalFunc =>
    async (request) => {
      for (const keyword of ["rm ", "del ", "format", "delete", "DROP TABLE"]) {
        if (request.code.includes(keyword)) {
          return {
            approved: false,
            reason: `Code contains potentially dangerous keyword: ${keyword}${marker ? ` ${marker}` : ""}`,
          };
        }
      }
      return { approved: true, reason: "Code appears safe" };
    };
  const denyAll =
    (marker = ""): ApprovalFunc =>
    () => ({ approved: false, reason: `All code execution is denied${marker ? ` ${marker}` : ""}` });

  it(`${origin}test_approval_functionality_no_approval`, async () => {
    const agent = new CodeExecutorAgent({ name: "test_agent", codeExecutor: executor });
    const result = await agent.executeCodeBlock([{ code: "print('Hello World!')", language: "python" }]);
    expect(result.exitCode).toBe(0);
    expect(result.output).toContain("Hello World!");
  });

  const gateCases = (marker: string): [ApprovalFunc, CodeBlock, number, string][] => [
    [allowAll, { code: "print('Approved code')", language: "python" }, 0, "Approved code"],
    [denyDangerous(marker), { code: "print('Safe code')", language: "python" }, 0, "Safe code"],
    [denyDangerous(marker), { code: "rm somefile.txt", language: "sh" }, 1, "dangerous keyword"],
    [
      denyAll(marker),
      { code: "print('This should be denied')", language: "python" },
      1,
      `All code execution is denied${marker ? ` ${marker}` : ""}`,
    ],
  ];

  for (const [name, marker] of [
    ["test_approval_functionality_sync", ""],
    ["test_approval_functionality_async", "(async)"],
  ] as const) {
    it(`${origin}${name}`, async () => {
      for (const [approvalFunc, block, exitCode, expected] of gateCases(marker)) {
        const agent = new CodeExecutorAgent({ name: "test_agent", codeExecutor: executor, approvalFunc });
        const result = await agent.executeCodeBlock([block]);
        expect(result.exitCode).toBe(exitCode);
        expect(result.output).toContain(expected);
      }
    });
  }

  it(`${origin}test_approval_functionality_context_passed`, async () => {
    for (const isAsync of [false, true]) {
      const received: ApprovalRequest[] = [];
      const approvalFunc: ApprovalFunc = isAsync
        ? async (request) => {
            received.push(request);
            return { approved: true, reason: "Captured for testing (async)" };
          }
        : (request) => {
            received.push(request);
            return { approved: true, reason: "Captured for testing" };
          };
      const agent = new CodeExecutorAgent({ name: "test_agent", codeExecutor: executor, approvalFunc });
      await agent.executeCodeBlock([{ code: "print('Test context')", language: "python" }]);
      expect(received).toHaveLength(1);
      expect(received[0]?.code).toContain("print('Test context')");
      expect(received[0]?.code).toContain("```python");
      expect(Array.isArray(received[0]?.context)).toBe(true);
    }
  });

  it(`${origin}test_approval_functionality_serialization_fails`, async () => {
    for (const approvalFunc of [
      allowAll,
      async () => ({ approved: true, reason: "All code is approved (async)" }),
    ]) {
      const agent = new CodeExecutorAgent({ name: "test_agent", codeExecutor: executor, approvalFunc });
      const error = await dumpComponent(agent).catch((e: unknown) => e);
      expect(ValidationError.isInstance(error)).toBe(true);
      expect((error as Error).message).toMatch(/approvalFunc/);
    }
  });

  it(`${origin}test_approval_functionality_serialization_succeeds`, async () => {
    const doc = await dumpComponent(new CodeExecutorAgent({ name: "test_agent", codeExecutor: executor }));
    expect((doc.config as { name?: string }).name).toBe("test_agent");
  });

  it(`${origin}test_approval_functionality_with_on_messages`, async () => {
    for (const marker of ["", "(async)"]) {
      const agent = new CodeExecutorAgent({
        name: "test_agent",
        codeExecutor: executor,
        approvalFunc: denyDangerous(marker),
      });
      let response = await agent.onMessages([
        new TextMessage({ content: "```python\nprint('Safe message')\n```", source: "user" }),
      ]);
      expect(response.chatMessage.toText()).toContain("Safe message");
      response = await agent.onMessages([
        new TextMessage({ content: "```sh\nrm -rf /\n```", source: "user" }),
      ]);
      expect(response.chatMessage.toText()).toContain("Code execution was not approved");
      if (marker) expect(response.chatMessage.toText()).toContain(marker);
    }
  });
});
