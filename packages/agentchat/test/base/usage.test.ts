import { ReplayChatCompletionClient } from "@autogen-ts/core/testing";
import { describe, expect, it } from "vitest";
import { AssistantAgent } from "../../src/agents/assistant-agent.js";
import { MaxMessageTermination } from "../../src/conditions/index.js";
import { RoundRobinGroupChat } from "../../src/teams/round-robin.js";

const usage = (p: number, c: number, cost: number) => ({
  promptTokens: p,
  completionTokens: c,
  costUsd: cost,
});

describe("usage in the TaskResult", () => {
  it("sums tokens and cost in total, per agent and per model", async () => {
    const model = (family: string, replies: string[]) =>
      new ReplayChatCompletionClient({
        responses: replies.map((content, i) => ({ content, usage: usage(10 * (i + 1), 2, 0.001) })),
        modelInfo: { family },
      });
    const team = new RoundRobinGroupChat({
      participants: [
        new AssistantAgent({ name: "a", modelClient: model("gpt-4o", ["a0", "a1"]) }),
        new AssistantAgent({ name: "b", modelClient: model("claude", ["b0"]) }),
        new AssistantAgent({ name: "c", modelClient: model("gpt-4o", ["c0"]) }),
      ],
      terminationCondition: new MaxMessageTermination(5),
    });
    const result = await team.run({ task: "go" });
    expect(result.usage?.total).toEqual({ promptTokens: 50, completionTokens: 8, costUsd: 0.004, calls: 4 });
    expect(result.usage?.byAgent).toEqual({
      a: { promptTokens: 30, completionTokens: 4, costUsd: 0.002, calls: 2 },
      b: { promptTokens: 10, completionTokens: 2, costUsd: 0.001, calls: 1 },
      c: { promptTokens: 10, completionTokens: 2, costUsd: 0.001, calls: 1 },
    });
    expect(result.usage?.byModel).toEqual({
      "gpt-4o": { promptTokens: 40, completionTokens: 6, costUsd: 0.003, calls: 3 },
      claude: { promptTokens: 10, completionTokens: 2, costUsd: 0.001, calls: 1 },
    });
    const single = await new AssistantAgent({ name: "s", modelClient: model("gpt-4o", ["x"]) }).run({
      task: "t",
    });
    expect(single.usage?.byModel).toEqual({
      "gpt-4o": { promptTokens: 10, completionTokens: 2, costUsd: 0.001, calls: 1 },
    });
  });
});
