// Fidelity: AutoGen's python/packages/autogen-agentchat/tests/test_magentic_one_group_chat.py, case by case, on
// the embedded and a shared runtime.
import { CancelledError, SingleThreadedAgentRuntime } from "@autogen-ts/core";
import { ReplayChatCompletionClient } from "@autogen-ts/core/testing";
import { afterEach, describe, expect, it } from "vitest";
import { type BaseAgentMessage, MagenticOneGroupChat, TextMessage } from "../../src/index.js";
import { EchoAgent } from "./echo-agent.js";

const origin = "test_magentic_one_group_chat.py::";

/**
 * The messages AutoGen's result holds. Deliberate difference: here each progress ledger is also a ThoughtEvent
 * of the run (AutoGen only logs it), so a reader sees why a speaker was picked (docs/autogen-differences.md).
 */
const autogenView = (messages: readonly BaseAgentMessage[]) =>
  messages.filter((m) => m.type !== "ThoughtEvent");
const TASK = "Write a program that prints 'Hello, world!'";

const ledger = (
  satisfied: boolean,
  progress: boolean,
  loop: boolean,
  instruction: string,
  next: string,
  reason = "test",
) =>
  JSON.stringify({
    is_request_satisfied: { answer: satisfied, reason },
    is_progress_being_made: { answer: progress, reason: "test" },
    is_in_loop: { answer: loop, reason: "test" },
    instruction_or_question: { answer: instruction, reason },
    next_speaker: { answer: next, reason: "test" },
  });

describe.each(["embedded", "single_threaded"] as const)(
  "AutoGen fidelity: MagenticOne (%s runtime)",
  (kind) => {
    const started: SingleThreadedAgentRuntime[] = [];
    afterEach(async () => {
      for (const runtime of started.splice(0)) await runtime.stop();
    });
    const runtime = () => {
      if (kind === "embedded") return {};
      const shared = new SingleThreadedAgentRuntime();
      shared.start();
      started.push(shared);
      return { runtime: shared };
    };
    const agents = () => [1, 2, 3, 4].map((i) => new EchoAgent(`agent_${i}`, `echo agent ${i}`));

    it(`${origin}test_magentic_one_group_chat_cancellation`, async () => {
      const model = new ReplayChatCompletionClient([
        "test",
        "test",
        JSON.stringify({ is_request_satisfied: { answer: true, reason: "test" } }),
      ]);
      const team = new MagenticOneGroupChat({ participants: agents(), modelClient: model, ...runtime() });
      const controller = new AbortController();
      const run = team.run({ task: TASK, signal: controller.signal });
      controller.abort();
      const error = await run.catch((e: unknown) => e);
      expect(CancelledError.isInstance(error)).toBe(true);
    });

    it(`${origin}test_magentic_one_group_chat_basic`, async () => {
      const participants = agents();
      const model = new ReplayChatCompletionClient([
        "No facts",
        "No plan",
        ledger(false, true, false, "Continue task", "agent_1"),
        ledger(true, true, false, "Task completed", "agent_1", "Because"),
        "print('Hello, world!')",
      ]);
      const team = new MagenticOneGroupChat({ participants, modelClient: model, ...runtime() });
      const result = await team.run({ task: TASK });
      const messages = autogenView(result.messages);
      expect(result.messages.filter((m) => m.type === "ThoughtEvent")).toHaveLength(2);
      expect(messages).toHaveLength(5);
      expect(messages[2]?.toText()).toBe("Continue task");
      expect(messages[4]?.toText()).toBe("print('Hello, world!')");
      expect(result.stopReason).toBe("Because");
      const state = await team.saveState();
      const team2 = new MagenticOneGroupChat({ participants, modelClient: model, ...runtime() });
      await team2.loadState(JSON.parse(JSON.stringify(state)));
      expect(await team2.saveState()).toEqual(JSON.parse(JSON.stringify(state)));
    });

    it(`${origin}test_magentic_one_group_chat_with_stalls`, async () => {
      const model = new ReplayChatCompletionClient([
        "No facts",
        "No plan",
        ledger(false, false, true, "Stalling", "agent_1"),
        ledger(false, false, true, "Stalling again", "agent_2"),
        "No facts2",
        "No plan2",
        ledger(true, true, false, "Task completed", "agent_3"),
        "print('Hello, world!')",
      ]);
      const team = new MagenticOneGroupChat({
        participants: agents(),
        modelClient: model,
        maxStalls: 2,
        ...runtime(),
      });
      const result = await team.run({ task: TASK });
      const messages = autogenView(result.messages);
      expect(messages).toHaveLength(6);
      expect(messages[1]).toBeInstanceOf(TextMessage);
      expect(
        messages[1]?.toText().startsWith("\nWe are working to address the following user request:"),
      ).toBe(true);
      expect(messages[4]).toBeInstanceOf(TextMessage);
      expect(
        messages[4]?.toText().startsWith("\nWe are working to address the following user request:"),
      ).toBe(true);
      expect(result.stopReason).toBe("test");
    });
  },
);
