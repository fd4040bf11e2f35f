// Attack: a model asks for thousands of tool calls in one reply (issue 13: 10,000 ran at once). The agent
// runs at most `maxConcurrentToolCalls` of them at a time, and every call still gets its result.
import { FunctionTool } from "@autogen-ts/core";
import { ReplayChatCompletionClient } from "@autogen-ts/core/testing";
import { describe, expect, it } from "vitest";
import { AssistantAgent, ToolCallExecutionEvent } from "../../src/index.js";

function flood(count: number, cap?: number) {
  let inFlight = 0;
  let peak = 0;
  const tool = new FunctionTool({
    name: "slow",
    description: "Waits a moment",
    parameters: { type: "object", properties: {}, additionalProperties: false },
    run: async () => {
      inFlight += 1;
      peak = Math.max(peak, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 1));
      inFlight -= 1;
      return "ok";
    },
  });
  const calls = Array.from({ length: count }, (_, i) => ({ id: `c${i}`, name: "slow", arguments: "{}" }));
  const agent = new AssistantAgent({
    name: "flooded",
    modelClient: new ReplayChatCompletionClient([{ content: calls }]),
    tools: [tool],
    ...(cap === undefined ? {} : { maxConcurrentToolCalls: cap }),
  });
  return { agent, peak: () => peak };
}

describe("attack: a flood of parallel tool calls", () => {
  it("parallel-tool-call-flood: 2,000 calls in one reply run at most 16 at a time by default", async () => {
    const { agent, peak } = flood(2000);
    const result = await agent.run({ task: "go" });
    const executed = result.messages.find(
      (m) => m instanceof ToolCallExecutionEvent,
    ) as ToolCallExecutionEvent;
    expect(executed.content).toHaveLength(2000);
    expect(executed.content.every((r) => !r.isError)).toBe(true);
    expect(peak()).toBeLessThanOrEqual(16);
    expect(peak()).toBeGreaterThan(1);
  });

  it("parallel-tool-call-flood: a configured cap holds", async () => {
    const { agent, peak } = flood(50, 3);
    await agent.run({ task: "go" });
    expect(peak()).toBe(3);
  });
});
