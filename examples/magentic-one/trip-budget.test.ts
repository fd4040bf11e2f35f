import { ReplayChatCompletionClient } from "@autogen-ts/core/testing";
import { describe, expect, it } from "vitest";
import { buildTripBudgetTeam, OFFLINE_SCRIPTS, TASK } from "./trip-budget.js";

describe("the Magentic-One quickstart", () => {
  it("runs offline: the orchestrator plans, directs both agents, and answers from what the tools found", async () => {
    const orchestrator = new ReplayChatCompletionClient(OFFLINE_SCRIPTS.orchestrator);
    const team = buildTripBudgetTeam({
      orchestrator,
      fares: new ReplayChatCompletionClient(OFFLINE_SCRIPTS.fares),
      calculator: new ReplayChatCompletionClient(OFFLINE_SCRIPTS.calculator),
    });
    const result = await team.run({ task: TASK });
    const chat = result.messages.filter((m) => m.kind === "chat");
    expect(chat.map((m) => `${m.source}:${m.type}`)).toEqual([
      "user:TextMessage",
      "orchestrator:TextMessage", // the task ledger
      "orchestrator:TextMessage", // instruction
      "fares_agent:ToolCallSummaryMessage",
      "orchestrator:TextMessage", // instruction
      "calculator:ToolCallSummaryMessage",
      "orchestrator:TextMessage", // the final answer
    ]);
    // The tools really ran, and the orchestrator's ledgers read their results.
    expect(chat[3]?.toText()).toBe(
      "Paris to Lyon: 49 EUR\nLyon to Marseille: 32 EUR\nMarseille to Paris: 65 EUR",
    );
    expect(chat[5]?.toText()).toBe("Total: 146 EUR");
    expect(JSON.stringify(orchestrator.requests[4]?.messages)).toContain("Total: 146 EUR");
    expect(chat.at(-1)?.toText()).toContain("146 EUR");
    expect(result.stopReason).toBe("The total is known.");
    expect(orchestrator.remainingResponses).toBe(0);
    await team.close();
  });
});
