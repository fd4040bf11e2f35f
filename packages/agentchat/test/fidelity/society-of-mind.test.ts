// Fidelity: AutoGen's python/packages/autogen-agentchat/tests/test_society_of_mind_agent.py, case by case,
// on the embedded and a shared runtime.
import { SingleThreadedAgentRuntime } from "@autogen-ts/core";
import { ReplayChatCompletionClient } from "@autogen-ts/core/testing";
import { afterEach, describe, expect, it } from "vitest";
import {
  AssistantAgent,
  type BaseAgentMessage,
  MaxMessageTermination,
  RoundRobinGroupChat,
  SocietyOfMindAgent,
  type TaskResult,
  TextMentionTermination,
  TextMessage,
} from "../../src/index.js";

const origin = "test_society_of_mind_agent.py::";
const counting = () => new ReplayChatCompletionClient(["1", "2", "3", "4", "5", "6", "7", "8", "9", "10"]);

async function collect(run: AsyncIterable<BaseAgentMessage | TaskResult>) {
  const items: BaseAgentMessage[] = [];
  let result: TaskResult | undefined;
  for await (const item of run) {
    if ("stopReason" in item && "messages" in item) result = item as TaskResult;
    else items.push(item as BaseAgentMessage);
  }
  return { items, result: result as TaskResult };
}

describe.each(["embedded", "single_threaded"] as const)(
  "AutoGen fidelity: SocietyOfMindAgent (%s)",
  (kind) => {
    const started: SingleThreadedAgentRuntime[] = [];
    afterEach(async () => {
      for (const r of started.splice(0)) await r.stop();
    });
    const team = (model: ReplayChatCompletionClient, maxMessages: number) => {
      let runtime: SingleThreadedAgentRuntime | undefined;
      if (kind === "single_threaded") {
        runtime = new SingleThreadedAgentRuntime();
        runtime.start();
        started.push(runtime);
      }
      const systemMessage = "You are a helpful assistant.";
      return new RoundRobinGroupChat({
        participants: [
          new AssistantAgent({ name: "assistant1", modelClient: model, systemMessage }),
          new AssistantAgent({ name: "assistant2", modelClient: model, systemMessage }),
        ],
        terminationCondition: new MaxMessageTermination(maxMessages),
        ...(runtime ? { runtime } : {}),
      });
    };

    it(`${origin}test_society_of_mind_agent`, async () => {
      const model = new ReplayChatCompletionClient(["1", "2", "3"]);
      const agent = new SocietyOfMindAgent({
        name: "society_of_mind",
        team: team(model, 3),
        modelClient: model,
      });
      const result = await agent.run({ task: "Count to 10." });
      // The inner team's messages are streamed, not returned: the result is the task and the answer.
      expect(result.messages.map((m) => m.source)).toEqual(["user", "society_of_mind"]);
      const state = await agent.saveState();
      const agent2 = new SocietyOfMindAgent({
        name: "society_of_mind",
        team: team(model, 3),
        modelClient: model,
      });
      await agent2.loadState(state);
      expect(await agent2.saveState()).toEqual(state);
    });

    it(`${origin}test_society_of_mind_agent_output_task_messages_parameter`, async () => {
      const inner = team(counting(), 2);
      const withTask = await collect(inner.runStream({ task: "Count to 10", outputTaskMessages: true }));
      expect(withTask.items.some((m) => m instanceof TextMessage && m.source === "user")).toBe(true);
      await inner.reset();
      const withoutTask = await collect(inner.runStream({ task: "Count to 10", outputTaskMessages: false }));
      expect(withoutTask.items.some((m) => m instanceof TextMessage && m.source === "user")).toBe(false);
      await inner.reset();
      const agent = new SocietyOfMindAgent({
        name: "society_of_mind",
        team: inner,
        modelClient: new ReplayChatCompletionClient(["Final response from society of mind"]),
      });
      const { items } = await collect(agent.runStream({ task: "Count to 10" }));
      // The task appears once, from the outer level; the inner team does not repeat it.
      expect(items.filter((m) => m instanceof TextMessage && m.source === "user")).toHaveLength(1);
      expect(items.filter((m) => m instanceof TextMessage && m.source === "society_of_mind")).toHaveLength(1);
    });

    it(`${origin}test_society_of_mind_agent_empty_messges`, async () => {
      const model = counting();
      const agent = new SocietyOfMindAgent({
        name: "society_of_mind",
        team: team(model, 3),
        modelClient: model,
      });
      const result = await agent.run();
      expect(result.messages.map((m) => m.source)).toEqual(["society_of_mind"]);
    });

    it(`${origin}test_society_of_mind_agent_no_response`, async () => {
      const model = new ReplayChatCompletionClient(["1", "2", "3"]);
      const agent = new SocietyOfMindAgent({
        name: "society_of_mind",
        team: team(model, 1),
        modelClient: model,
      });
      const result = await agent.run({ task: "Count to 10." });
      expect(result.messages.map((m) => m.source)).toEqual(["user", "society_of_mind"]);
      expect(result.messages[1]?.toText()).toBe("No response.");
    });

    it(`${origin}test_society_of_mind_agent_multiple_rounds`, async () => {
      const model = counting();
      const agent = new SocietyOfMindAgent({
        name: "society_of_mind",
        team: team(model, 3),
        modelClient: model,
      });
      expect((await agent.run({ task: "Count to 10." })).messages.map((m) => m.source)).toEqual([
        "user",
        "society_of_mind",
      ]);
      expect((await agent.run()).messages.map((m) => m.source)).toEqual(["society_of_mind"]);
      expect((await agent.run()).messages.map((m) => m.source)).toEqual(["society_of_mind"]);
    });

    it(`${origin}test_society_of_mind_agent_no_multiple_system_messages`, async () => {
      const soma = new ReplayChatCompletionClient({
        responses: ["1", "2", "3"],
        modelInfo: {
          vision: false,
          functionCalling: false,
          jsonOutput: false,
          structuredOutput: false,
          multipleSystemMessages: false,
        },
      });
      const agent = new SocietyOfMindAgent({
        name: "society_of_mind",
        team: team(counting(), 3),
        modelClient: soma,
      });
      await agent.run({ task: "Count to 10." });
      for (const request of soma.requests)
        expect(request.messages.some((m) => m.type === "SystemMessage")).toBe(false);
    });

    it(`${origin}test_society_of_mind_agent_yes_multiple_system_messages`, async () => {
      const soma = new ReplayChatCompletionClient({
        responses: ["1", "2", "3"],
        modelInfo: {
          vision: false,
          functionCalling: false,
          jsonOutput: false,
          structuredOutput: false,
          multipleSystemMessages: true,
        },
      });
      const agent = new SocietyOfMindAgent({
        name: "society_of_mind",
        team: team(counting(), 3),
        modelClient: soma,
      });
      await agent.run({ task: "Count to 10." });
      const request = soma.requests[0];
      expect(request?.messages[0]?.type).toBe("SystemMessage");
      expect(request?.messages.at(-1)?.type).toBe("SystemMessage");
    });

    it(`${origin}test_default_output_task_messages_behavior`, async () => {
      const model = new ReplayChatCompletionClient(["Hello", "World", "TERMINATE"]);
      const inner = new RoundRobinGroupChat({
        participants: [
          new AssistantAgent({ name: "agent1", modelClient: model }),
          new AssistantAgent({ name: "agent2", modelClient: model }),
        ],
        terminationCondition: new TextMentionTermination("TERMINATE"),
      });
      const { items, result } = await collect(inner.runStream({ task: "Test default behavior" }));
      const isTask = (m: BaseAgentMessage) => m instanceof TextMessage && m.source === "user";
      expect(items.some(isTask)).toBe(true);
      expect(result.messages.some(isTask)).toBe(true);
      expect(result.messages.find(isTask)?.toText()).toBe("Test default behavior");
      expect(
        result.messages.some((m) => m instanceof TextMessage && ["agent1", "agent2"].includes(m.source)),
      ).toBe(true);
    });
  },
);
