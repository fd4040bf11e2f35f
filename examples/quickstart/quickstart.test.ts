import { ReplayChatCompletionClient } from "@autogen-ts/core/testing";
import { describe, expect, it } from "vitest";
import { buildTeam, OFFLINE_SCRIPTS, TASK } from "./reflection-pair.js";
import { buildAgent, OFFLINE_SCRIPT, TASK as WEATHER_TASK } from "./single-agent-tool.js";

describe("the quickstarts", () => {
  it("single agent with a tool: calls it, then answers in words, streamed", async () => {
    const model = new ReplayChatCompletionClient(OFFLINE_SCRIPT);
    const result = await buildAgent(model).run({ task: WEATHER_TASK });
    const types = result.messages.map((m) => m.type);
    expect(types).toEqual(["TextMessage", "ToolCallRequestEvent", "ToolCallExecutionEvent", "TextMessage"]);
    expect(result.messages[2]?.toText()).toContain("Paris: 23°C, sunny");
    expect(result.messages.at(-1)?.toText()).toContain("23°C and sunny in Paris");
    // The second model call saw the tool's result.
    expect(JSON.stringify(model.requests[1]?.messages)).toContain("Paris: 23°C, sunny");
  });

  it("reflection pair: writer and critic take turns until APPROVE; the state moves to a new team", async () => {
    const team = buildTeam({
      writer: new ReplayChatCompletionClient(OFFLINE_SCRIPTS.writer),
      critic: new ReplayChatCompletionClient(OFFLINE_SCRIPTS.critic),
    });
    const result = await team.run({ task: TASK });
    expect(result.messages.map((m) => m.source)).toEqual(["user", "writer", "critic", "writer", "critic"]);
    expect(result.stopReason).toContain("APPROVE");

    const saved = JSON.parse(JSON.stringify(await team.saveState()));
    const writer = new ReplayChatCompletionClient(["Shorter still: rain, ferries, light."]);
    const next = buildTeam({ writer, critic: new ReplayChatCompletionClient(["APPROVE"]) });
    await next.loadState(saved);
    const more = await next.run({ task: "Now make it shorter." });
    expect(more.messages.map((m) => m.source)).toEqual(["user", "writer", "critic"]);
    // The new writer's model saw the whole earlier conversation.
    expect(JSON.stringify(writer.requests[0]?.messages)).toContain("the last line now shows it");
  });
});
