import { FunctionTool } from "@autogen-ts/core";
import { ReplayChatCompletionClient } from "@autogen-ts/core/testing";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { AssistantAgent } from "../../src/agents/index.js";
import { isTaskResult } from "../../src/base/index.js";
import {
  FunctionCallTermination,
  MaxMessageTermination,
  type TerminationCondition,
  TextMessageTermination,
  TimeoutTermination,
  TokenUsageTermination,
} from "../../src/conditions/index.js";
import type { BaseAgentMessage } from "../../src/messages/index.js";
import { RoundRobinGroupChat } from "../../src/teams/index.js";

/** Runs a tool-using agent and feeds each item of its stream to `condition` as a one-item delta. */
async function firstStop(
  condition: TerminationCondition,
): Promise<{ index: number; reason: string } | undefined> {
  const submit = new FunctionTool({
    name: "submit",
    description: "Submit the answer",
    parameters: z.object({ answer: z.string() }),
    run: async ({ answer }) => `submitted ${answer}`,
  });
  const modelClient = new ReplayChatCompletionClient({
    responses: [
      {
        content: [{ id: "c1", name: "submit", arguments: '{"answer":"42"}' }],
        usage: { promptTokens: 30, completionTokens: 10 },
      },
      { content: "The answer is 42.", usage: { promptTokens: 50, completionTokens: 6 } },
    ],
  });
  const agent = new AssistantAgent({ name: "solver", modelClient, tools: [submit], reflectOnToolUse: true });
  const items: BaseAgentMessage[] = [];
  for await (const item of agent.runStream({ task: "What is six times seven?" })) {
    if (!isTaskResult(item)) items.push(item);
  }
  for (const [index, item] of items.entries()) {
    const stop = await condition.check([item]);
    if (stop !== undefined) return { index, reason: stop.content };
  }
  return undefined;
}

describe("termination conditions on a real agent run", () => {
  it("FunctionCallTermination fires on the tool's execution event", async () => {
    const stop = await firstStop(new FunctionCallTermination("submit"));
    expect(stop).toEqual({ index: 2, reason: "Function 'submit' was executed." });
  });

  it("TokenUsageTermination reads the usage the agent records", async () => {
    expect(await firstStop(new TokenUsageTermination({ maxTotalToken: 40 }))).toEqual({
      index: 1,
      reason:
        "Token usage limit reached, total token count: 40, prompt token count: 30, completion token count: 10.",
    });
    expect((await firstStop(new TokenUsageTermination({ maxTotalToken: 96 })))?.reason).toBe(
      "Token usage limit reached, total token count: 96, prompt token count: 80, completion token count: 16.",
    );
    expect(await firstStop(new TokenUsageTermination({ maxTotalToken: 97 }))).toBeUndefined();
  });

  it("TextMessageTermination waits for the text reply; MaxMessageTermination counts only chat messages", async () => {
    expect(await firstStop(new TextMessageTermination("solver"))).toEqual({
      index: 3,
      reason: "Text message received from 'solver'",
    });
    expect((await firstStop(new MaxMessageTermination(2)))?.index).toBe(3);
    expect(
      (await firstStop(new MaxMessageTermination({ maxMessages: 2, includeAgentEvent: true })))?.index,
    ).toBe(1);
  });
});

describe("termination conditions in a team", () => {
  it("a TimeoutTermination does not count the idle time between two runs of a team", async () => {
    let now = 0;
    const timeout = new TimeoutTermination({ timeoutSeconds: 30, now: () => now });
    const agent = new AssistantAgent({
      name: "echo",
      modelClient: new ReplayChatCompletionClient({ responses: ["one", "two"] }),
    });
    const team = new RoundRobinGroupChat({
      participants: [agent],
      terminationCondition: timeout.or(new MaxMessageTermination(2)),
    });
    expect((await team.run({ task: "first" })).stopReason).toBe(
      "Maximum number of messages 2 reached, current message count: 2",
    );
    now += 3_600_000; // an hour passes before the next run
    expect((await team.run({ task: "second" })).stopReason).toBe(
      "Maximum number of messages 2 reached, current message count: 2",
    );
  });
});
