/**
 * Code execution of classic agents on the real local executor, ported from AG2's
 * test/agentchat/test_conversable_agent.py test_generate_code_execution_reply (scenarios 1-8) and
 * test/agentchat/conversableAgent/test_code_execution.py.
 */

import type { ClassicMessage } from "@autogen-ts/agentchat/classic";
import {
  ConversableAgent,
  generateCodeExecutionReply,
  registerDefaultCodeExecutor,
  UserProxyAgent,
} from "@autogen-ts/agentchat/classic";
import { ValidationError } from "@autogen-ts/core";
import { LocalCommandLineCodeExecutor } from "@autogen-ts/ext/code-executors/local";
import { afterAll, describe, expect, it } from "vitest";

const executor = new LocalCommandLineCodeExecutor({ timeoutMs: 30_000 });
afterAll(() => executor.stop());

const agent = new ConversableAgent({
  name: "a0",
  llmConfig: false,
  humanInputMode: "NEVER",
  maxConsecutiveAutoReply: 10,
});
const noCode: ClassicMessage = { role: "user", content: "no code block" };
const code: ClassicMessage = { role: "user", content: '```python\nprint("hello world")\n```' };
const assistantSays: ClassicMessage = { role: "assistant", content: "This is me! The assistant!" };
const HELLO = "exitcode: 0 (execution succeeded)\nCode output: hello world\n";
const run = (messages: ClassicMessage[], config: unknown) =>
  generateCodeExecutionReply(agent, messages, undefined, config, {});

describe("code execution (ported from AG2's test_generate_code_execution_reply)", () => {
  it("scenario 1: code execution off gives no reply", async () => {
    expect(await run([noCode, noCode], false)).toEqual([false, null]);
  });

  it("scenario 2: no code block gives no reply", async () => {
    expect(await run([noCode, noCode], { executor })).toEqual([false, null]);
  });

  it("scenario 3: code outside the last n messages is not run", async () => {
    expect(await run([code, noCode, noCode], { executor, lastNMessages: 1 })).toEqual([false, null]);
  });

  it("scenario 4: code within the last n messages runs", async () => {
    expect(await run([code, noCode, noCode], { executor, lastNMessages: 3 })).toEqual([true, HELLO]);
  });

  it("scenarios 5-7: 'auto' looks back to the agent's own last message", async () => {
    const dummies: ClassicMessage[] = [];
    for (let i = 0; i < 3; i++) {
      dummies.push(noCode);
      expect(await run([...dummies], { executor, lastNMessages: "auto" })).toEqual([false, null]);
      expect(await run([assistantSays, ...dummies], { executor, lastNMessages: "auto" })).toEqual([
        false,
        null,
      ]);
    }
    const after: ClassicMessage[] = [];
    for (let i = 0; i < 3; i++) {
      expect(await run([code, ...after], { executor })).toEqual([true, HELLO]);
      expect(await run([assistantSays, code, ...after], { executor })).toEqual([true, HELLO]);
      after.push(noCode);
    }
    expect(await run([code, assistantSays, ...after], { executor, lastNMessages: "auto" })).toEqual([
      false,
      null,
    ]);
  });

  it("scenario 8: a misconfigured lastNMessages is an error", async () => {
    await expect(run([code], { executor, lastNMessages: -1 })).rejects.toThrow(ValidationError);
    await expect(run([code], { executor, lastNMessages: "hello world" })).rejects.toThrow(ValidationError);
  });

  it("several blocks run in order; sh blocks run too", async () => {
    const both: ClassicMessage = {
      role: "user",
      content: "```sh\necho from sh\n```\n```python\nprint('from python')\n```",
    };
    const [final, reply] = await run([both], { executor });
    expect(final).toBe(true);
    expect(reply).toBe("exitcode: 0 (execution succeeded)\nCode output: from sh\nfrom python\n");
  });

  it("a fence without a language is taken as Python", async () => {
    expect(await run([{ role: "user", content: "```\nprint('inferred')\n```" }], { executor })).toEqual([
      true,
      "exitcode: 0 (execution succeeded)\nCode output: inferred\n",
    ]);
  });

  it("UserProxyAgent's default {} uses the registered default executor, or says how to get one", async () => {
    const proxy = new UserProxyAgent({ name: "proxy", humanInputMode: "NEVER" });
    const sender = new ConversableAgent({ name: "coder", llmConfig: false, humanInputMode: "NEVER" });
    proxy.chatMessages.set(sender, [code]);
    await expect(proxy.generateReply({ sender })).rejects.toThrow(/registerDefaultCodeExecutor/);
    // The messages so far survive the error.
    expect(proxy.chatMessages.get(sender)).toHaveLength(1);
    const unregister = registerDefaultCodeExecutor(() => executor);
    try {
      expect(await proxy.generateReply({ sender })).toBe(HELLO);
    } finally {
      unregister();
    }
  });
});
