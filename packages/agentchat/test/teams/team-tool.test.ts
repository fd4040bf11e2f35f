import { FunctionTool, StaticWorkbench } from "@autogen-ts/core";
import { ReplayChatCompletionClient } from "@autogen-ts/core/testing";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { AssistantAgent, RoundRobinGroupChat, ToolCallExecutionEvent } from "../../src/index.js";
import { TeamTool } from "../../src/teams/team-tool.js";

describe("TeamTool", () => {
  it("lets an agent hand one tool call to a whole team", async () => {
    const researcher = new AssistantAgent({
      name: "researcher",
      modelClient: new ReplayChatCompletionClient(["Oslo has 700,000 people."]),
    });
    const checker = new AssistantAgent({
      name: "checker",
      modelClient: new ReplayChatCompletionClient(["Confirmed."]),
    });
    const research = new RoundRobinGroupChat({
      name: "research",
      description: "Finds and checks facts.",
      participants: [researcher, checker],
      maxTurns: 2,
    });
    const tool = new TeamTool({ team: research });
    expect(tool.schema).toMatchObject({ name: "research", description: "Finds and checks facts." });
    const lead = new AssistantAgent({
      name: "lead",
      tools: [tool],
      modelClient: new ReplayChatCompletionClient([
        {
          finishReason: "function_calls",
          content: [{ id: "c1", name: "research", arguments: '{"task":"How many people live in Oslo?"}' }],
          usage: { promptTokens: 1, completionTokens: 1 },
          cached: false,
        },
      ]),
    });
    const result = await lead.run({ task: "Population of Oslo?" });
    const execution = result.messages.find(
      (m) => m instanceof ToolCallExecutionEvent,
    ) as ToolCallExecutionEvent;
    const output = execution.content[0]!;
    expect(output.isError).toBe(false);
    expect(output.content).toContain("researcher: Oslo has 700,000 people.");
    expect(output.content).toContain("checker: Confirmed.");
  });

  it("needs a team", () => {
    expect(() => new TeamTool({} as never)).toThrow(/needs a 'team'/);
  });
});

describe("AssistantAgent.close", () => {
  it("stops its workbenches, so a server session ends with the agent (and with its team)", async () => {
    let stops = 0;
    class CountingWorkbench extends StaticWorkbench {
      override async stop(): Promise<void> {
        stops += 1;
        await super.stop();
      }
    }
    const add = new FunctionTool({
      name: "add",
      description: "Adds",
      parameters: z.object({ a: z.number(), b: z.number() }),
      run: async ({ a, b }) => a + b,
    });
    const agent = new AssistantAgent({
      name: "calc",
      workbench: new CountingWorkbench({ tools: [add] }),
      modelClient: new ReplayChatCompletionClient(["ok"]),
    });
    await agent.close();
    expect(stops).toBe(1);
    const team = new RoundRobinGroupChat({ participants: [agent], maxTurns: 1 });
    await team.close();
    expect(stops).toBe(2);
  });
});
