// Fidelity: AutoGen's python/packages/autogen-agentchat/tests/test_group_chat.py, the cases with a code executor
// (the others are in packages/agentchat/test/fidelity/group-chat.test.ts), on the embedded and a shared runtime,
// with this project's LocalCommandLineCodeExecutor.

import {
  AssistantAgent,
  type BaseAgentMessage,
  CodeExecutorAgent,
  isTaskResult,
  MultiModalMessage,
  RoundRobinGroupChat,
  type RunOptions,
  type TaskResult,
  TextMentionTermination,
  TextMessage,
} from "@autogen-ts/agentchat";
import { SingleThreadedAgentRuntime } from "@autogen-ts/core";
import { ReplayChatCompletionClient } from "@autogen-ts/core/testing";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { LocalCommandLineCodeExecutor } from "../../src/code-executors/local/index.js";

const origin = "test_group_chat.py::";
const TASK = "Write a program that prints 'Hello, world!'";
const PROGRAM = 'Here is the program\n ```python\nprint("Hello, world!")\n```';
const executor = new LocalCommandLineCodeExecutor({ timeoutMs: 30_000 });
afterAll(() => executor.stop());

const contents = (messages: readonly BaseAgentMessage[]) =>
  messages.map((m) => {
    expect(m.type === "TextMessage" || m.type === "MultiModalMessage").toBe(true);
    return m.toText().replace(/\r\n/g, "\n").replace(/\n+$/, "");
  });
const comparable = (messages: readonly BaseAgentMessage[]) =>
  messages.map((m) => `${m.type}|${m.source}|${m.toText()}`);

async function streamed(team: RoundRobinGroupChat, options: RunOptions) {
  const items: BaseAgentMessage[] = [];
  let result: TaskResult | undefined;
  for await (const item of team.runStream(options)) {
    if (isTaskResult(item)) result = item;
    else items.push(item);
  }
  return { items, result: result as TaskResult };
}

describe.each(["embedded", "single_threaded"] as const)(
  "AutoGen fidelity: group chat with code (%s runtime)",
  (kind) => {
    const started: SingleThreadedAgentRuntime[] = [];
    afterEach(async () => {
      for (const runtime of started.splice(0)) await runtime.stop();
    });
    const build = () => {
      const model = new ReplayChatCompletionClient([PROGRAM, "TERMINATE"]);
      const runtime = kind === "embedded" ? undefined : new SingleThreadedAgentRuntime();
      if (runtime !== undefined) {
        runtime.start();
        started.push(runtime);
      }
      const team = new RoundRobinGroupChat({
        participants: [
          new AssistantAgent({ name: "coding_assistant", modelClient: model }),
          new CodeExecutorAgent({ name: "code_executor", codeExecutor: executor }),
        ],
        terminationCondition: new TextMentionTermination("TERMINATE"),
        ...(runtime === undefined ? {} : { runtime }),
      });
      return { team, model };
    };

    it(`${origin}test_round_robin_group_chat`, async () => {
      const { team, model } = build();
      const result = await team.run({ task: TASK });
      // The executor's reply is the output itself, and no event: four chat messages, as in AutoGen.
      expect(contents(result.messages)).toEqual([TASK, PROGRAM, "Hello, world!", "TERMINATE"]);
      expect(result.stopReason).toBe("Text 'TERMINATE' mentioned");

      model.reset();
      await team.reset();
      const again = await streamed(team, { task: TASK });
      expect(comparable(again.result.messages)).toEqual(comparable(result.messages));
      expect(comparable(again.items)).toEqual(comparable(result.messages));

      model.reset();
      await team.reset();
      const fromMessage = await team.run({ task: new TextMessage({ content: TASK, source: "user" }) });
      expect(comparable(fromMessage.messages)).toEqual(comparable(result.messages));

      model.reset();
      await team.reset();
      const multi = await team.run({ task: new MultiModalMessage({ content: [TASK], source: "user" }) });
      expect(multi.messages[0]).toBeInstanceOf(MultiModalMessage);
      expect(comparable(multi.messages.slice(1))).toEqual(comparable(result.messages.slice(1)));
    });

    it(`${origin}test_round_robin_group_chat_output_task_messages_false`, async () => {
      const { team, model } = build();
      const result = await team.run({ task: TASK, outputTaskMessages: false });
      expect(contents(result.messages)).toEqual([PROGRAM, "Hello, world!", "TERMINATE"]);
      expect(result.stopReason).toBe("Text 'TERMINATE' mentioned");

      for (const task of [TASK, new TextMessage({ content: TASK, source: "user" })]) {
        model.reset();
        await team.reset();
        const run = await streamed(team, { task, outputTaskMessages: false });
        expect(comparable(run.result.messages)).toEqual(comparable(result.messages));
        expect(comparable(run.items)).toEqual(comparable(result.messages));
      }
      model.reset();
      await team.reset();
      const multi = await streamed(team, {
        task: new MultiModalMessage({ content: [TASK], source: "user" }),
        outputTaskMessages: false,
      });
      expect(comparable(multi.items)).toEqual(comparable(multi.result.messages));
      expect(multi.items.some((m) => m.type === "MultiModalMessage")).toBe(false);
    });
  },
);
