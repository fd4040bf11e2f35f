import { ReplayChatCompletionClient } from "@autogen-ts/core/testing";
import { describe, expect, it } from "vitest";
import { buildResearchTeam, OFFLINE_SCRIPTS, TASK } from "./research-team.js";

describe("the selector-team quickstart", () => {
  it("runs offline: the selector model and the planner's selectorFunc share the turns, tools give the numbers", async () => {
    const selector = new ReplayChatCompletionClient(OFFLINE_SCRIPTS.selector);
    const team = buildResearchTeam({
      planner: new ReplayChatCompletionClient(OFFLINE_SCRIPTS.planner),
      records: new ReplayChatCompletionClient(OFFLINE_SCRIPTS.records),
      analyst: new ReplayChatCompletionClient(OFFLINE_SCRIPTS.analyst),
      selector,
    });
    const result = await team.run({ task: TASK });
    const said = result.messages.filter((m) => m.kind === "chat").map((m) => `${m.source}:${m.type}`);
    expect(said).toEqual([
      "user:TextMessage",
      "planner:TextMessage",
      "records_agent:ToolCallSummaryMessage",
      "planner:TextMessage",
      "analyst:ToolCallSummaryMessage",
      "planner:TextMessage",
    ]);
    expect(result.stopReason).toContain("TERMINATE");
    // The tools really ran.
    const byType = (source: string) => result.messages.find((m) => m.source === source && m.kind === "chat");
    expect(byType("records_agent")?.toText()).toContain("Lisbon 2024: 80");
    expect(byType("analyst")?.toText()).toBe("Berlin: 15.0%\nLisbon: 25.0%\nToronto: 6.3%");
    // The model chose three times, from prompts with the roles and the conversation so far; the
    // planner, who just spoke, was not a candidate.
    expect(selector.requests).toHaveLength(3);
    const prompt = String(selector.requests[2]?.messages[0]?.content);
    expect(prompt).toContain("analyst: Computes percentage changes");
    expect(prompt).toContain("records_agent: Berlin 2023: 120\nBerlin 2024: 138\nLisbon 2023: 64");
    expect(prompt).toContain("[records_agent, analyst]");
    await team.close();
  });
});
