// Fidelity: AutoGen's python/packages/autogen-agentchat/tests/test_group_chat_nested.py, case by case, on the
// embedded and a shared runtime (inner and outer teams on the same one, as AutoGen's tests run them), with this
// project's LocalCommandLineCodeExecutor.

import {
  AssistantAgent,
  type BaseAgentMessage,
  CodeExecutorAgent,
  isTaskResult,
  RoundRobinGroupChat,
  SelectorGroupChat,
  Swarm,
  type TaskResult,
  TextMentionTermination,
  TextMessage,
} from "@autogen-ts/agentchat";
import { SingleThreadedAgentRuntime } from "@autogen-ts/core";
import { ReplayChatCompletionClient } from "@autogen-ts/core/testing";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { LocalCommandLineCodeExecutor } from "../../src/code-executors/local/index.js";
import { dumpComponent, loadComponent } from "../../src/components/index.js";
import { OpenAIChatCompletionClient } from "../../src/models/openai/index.js";

const origin = "test_group_chat_nested.py::";
const openai = () =>
  new OpenAIChatCompletionClient({ model: "gpt-4o", baseURL: "http://127.0.0.1:9/v1", apiKey: "x" });
const LOAD = { allowCode: true, env: { OPENAI_API_KEY: "x" } };
const TASK = "Write a program that prints 'Hello, world!'";
const executor = new LocalCommandLineCodeExecutor({ timeoutMs: 30_000 });
afterAll(() => executor.stop());

async function collect(run: AsyncIterable<BaseAgentMessage | TaskResult>) {
  const items: BaseAgentMessage[] = [];
  let result: TaskResult | undefined;
  for await (const item of run) {
    if (isTaskResult(item)) result = item;
    else items.push(item);
  }
  if (result === undefined) throw new Error("no TaskResult");
  return { items, result };
}

describe.each(["embedded", "single_threaded"] as const)(
  "AutoGen fidelity: nested teams (%s runtime)",
  (kind) => {
    const started: SingleThreadedAgentRuntime[] = [];
    afterEach(async () => {
      for (const runtime of started.splice(0)) await runtime.stop();
    });
    /** One runtime for every team of a test, as AutoGen's fixture gives. */
    const shared = () => {
      if (kind === "embedded") return () => ({});
      const runtime = new SingleThreadedAgentRuntime();
      runtime.start();
      started.push(runtime);
      return () => ({ runtime });
    };

    const codeTeams = (outer: "round_robin" | "selector", dumpable = false) => {
      const rt = shared();
      // AutoGen dumps its replay client; for the component cases a client with a component form stands in.
      const model = dumpable
        ? openai()
        : new ReplayChatCompletionClient(
            outer === "round_robin"
              ? [
                  'Here is the program\n ```python\nprint("Hello, world!")\n```',
                  "TERMINATE",
                  "Good job",
                  "TERMINATE",
                ]
              : [
                  "InnerTeam",
                  'Here is the program\n ```python\nprint("Hello, world!")\n```',
                  "TERMINATE",
                  "agent3",
                  "Good job",
                  "TERMINATE",
                ],
          );
      const termination = new TextMentionTermination("TERMINATE");
      const inner = new RoundRobinGroupChat({
        participants: [
          new AssistantAgent({
            name: "assistant",
            modelClient: model,
            description: "An assistant agent that writes code.",
          }),
          new CodeExecutorAgent({ name: "code_executor", codeExecutor: executor }),
        ],
        terminationCondition: termination,
        name: "InnerTeam",
        description: "Team that writes and executes code",
        ...rt(),
      });
      const reviewer = new AssistantAgent({
        name: outer === "round_robin" ? "reviewer" : "agent3",
        modelClient: model,
        description: "A reviewer agent that reviews code.",
      });
      return outer === "round_robin"
        ? new RoundRobinGroupChat({
            participants: [inner, reviewer],
            terminationCondition: termination,
            ...rt(),
          })
        : new SelectorGroupChat({
            participants: [inner, reviewer],
            modelClient: model,
            terminationCondition: termination,
            ...rt(),
          });
    };

    for (const outer of ["round_robin", "selector"] as const) {
      it(`${origin}test_${outer}_group_chat_nested_teams_run`, async () => {
        const result = await codeTeams(outer).run({ task: TASK });
        expect(result.messages.length).toBeGreaterThanOrEqual(4);
        expect(result.messages[0]).toBeInstanceOf(TextMessage);
        expect(result.messages[0]?.toText()).toBe(TASK);
        expect(result.stopReason).toContain("TERMINATE");
        // The inner team ran the code: its output is in the outer run.
        expect(
          result.messages.some((m) => m.source === "code_executor" && m.toText().includes("Hello, world!")),
        ).toBe(true);
      });

      it(`${origin}test_${outer}_group_chat_nested_teams_run_stream`, async () => {
        const { items, result } = await collect(codeTeams(outer).runStream({ task: TASK }));
        expect(result.messages.length).toBeGreaterThanOrEqual(4);
        expect(result.messages[0]?.toText()).toBe(TASK);
        expect(result.stopReason).toContain("TERMINATE");
        expect(items.map((m) => m.id)).toEqual(result.messages.map((m) => m.id));
      });

      it(`${origin}test_${outer}_group_chat_nested_teams_dump_load_component`, async () => {
        const team = codeTeams(outer, true);
        const config = await dumpComponent(team);
        const loaded = await loadComponent<RoundRobinGroupChat>(config, LOAD);
        expect(loaded.participants.map((p) => p.name)).toEqual(team.participants.map((p) => p.name));
        expect(await dumpComponent(loaded)).toEqual(config);
      });

      it(`${origin}test_${outer}_group_chat_nested_teams_save_load_state`, async () => {
        const rt = shared();
        const model = new ReplayChatCompletionClient([
          "agent1",
          "Hello from agent1",
          "Hello from agent2",
          "TERMINATE",
          "x",
        ]);
        const build = () => {
          const termination = new TextMentionTermination("TERMINATE");
          const inner = new RoundRobinGroupChat({
            participants: [
              new AssistantAgent({ name: "agent1", modelClient: model, description: "First agent" }),
              new AssistantAgent({ name: "agent2", modelClient: model, description: "Second agent" }),
            ],
            terminationCondition: termination,
            name: "InnerTeam",
            ...rt(),
          });
          const agent3 = new AssistantAgent({
            name: "agent3",
            modelClient: model,
            description: "Third agent",
          });
          return outer === "round_robin"
            ? new RoundRobinGroupChat({
                participants: [inner, agent3],
                terminationCondition: termination,
                ...rt(),
              })
            : new SelectorGroupChat({
                participants: [inner, agent3],
                modelClient: model,
                terminationCondition: termination,
                ...rt(),
              });
        };
        const team1 = build();
        if (outer === "round_robin") model.reset();
        await team1.run({ task: "Test message" });
        const state = JSON.parse(JSON.stringify(await team1.saveState()));
        const team2 = build();
        await team2.loadState(state);
        expect(JSON.parse(JSON.stringify(await team2.saveState()))).toEqual(state);
      });
    }

    it(`${origin}test_round_robin_deeply_nested_teams`, async () => {
      const rt = shared();
      const model = new ReplayChatCompletionClient([
        "Hello from agent1",
        "TERMINATE from agent2",
        "World from agent3",
        "Hello from agent1",
        "Hello from agent2",
        "TERMINATE from agent1",
        "TERMINATE from agent3",
        "Review from agent4",
        "TERMINATE from agent2",
        "TERMINATE from agent3",
        "TERMINATE from agent4",
      ]);
      const agent = (n: number, description: string) =>
        new AssistantAgent({ name: `agent${n}`, modelClient: model, description });
      const innermost = new RoundRobinGroupChat({
        participants: [agent(1, "First agent"), agent(2, "Second agent")],
        terminationCondition: new TextMentionTermination({
          text: "TERMINATE",
          sources: ["agent1", "agent2"],
        }),
        name: "InnermostTeam",
        ...rt(),
      });
      const middle = new RoundRobinGroupChat({
        participants: [innermost, agent(3, "Third agent")],
        terminationCondition: new TextMentionTermination({ text: "TERMINATE", sources: ["agent3"] }),
        name: "MiddleTeam",
        ...rt(),
      });
      const outermost = new RoundRobinGroupChat({
        participants: [middle, agent(4, "Fourth agent")],
        terminationCondition: new TextMentionTermination({ text: "TERMINATE", sources: ["agent4"] }),
        name: "OutermostTeam",
        ...rt(),
      });
      const { result } = await collect(outermost.runStream({ task: "Test deep nesting" }));
      console.log(
        "DEBUG",
        result.messages.map((m) => `${m.type} ${m.source}: ${m.toText()}`),
        result.stopReason,
      );
      expect(result.messages).toHaveLength(12);
      expect(result.messages[0]?.toText()).toBe("Test deep nesting");
      expect(result.stopReason).toContain("TERMINATE");
      // The component round trip keeps the nesting (built again on a client with a component form).
      const dumpable = (n: number) => new AssistantAgent({ name: `agent${n}`, modelClient: openai() });
      const deep = new RoundRobinGroupChat({
        participants: [
          new RoundRobinGroupChat({
            participants: [
              new RoundRobinGroupChat({ participants: [dumpable(1), dumpable(2)], name: "InnermostTeam" }),
              dumpable(3),
            ],
            name: "MiddleTeam",
          }),
          dumpable(4),
        ],
        terminationCondition: new TextMentionTermination({ text: "TERMINATE", sources: ["agent4"] }),
        name: "OutermostTeam",
      });
      const config = await dumpComponent(deep);
      const loaded = await loadComponent<RoundRobinGroupChat>(config, LOAD);
      expect(loaded.name).toBe("OutermostTeam");
      expect(await dumpComponent(loaded)).toEqual(config);
    });

    it(`${origin}test_selector_deeply_nested_teams`, async () => {
      const rt = shared();
      const inner = new ReplayChatCompletionClient([
        "Hello from innermost agent 1",
        "Hello from innermost agent 2",
        "TERMINATE from innermost agent 1",
      ]);
      const middleModel = new ReplayChatCompletionClient(["InnermostTeam", "TERMINATE from agent3"]);
      const outerModel = new ReplayChatCompletionClient([
        "MiddleTeam",
        "agent4",
        "Hello from outermost agent 4",
        "agent4",
        "TERMINATE from agent4",
      ]);
      const innermost = new RoundRobinGroupChat({
        participants: [
          new AssistantAgent({ name: "agent1", modelClient: inner, description: "First agent" }),
          new AssistantAgent({ name: "agent2", modelClient: inner, description: "Second agent" }),
        ],
        terminationCondition: new TextMentionTermination({
          text: "TERMINATE",
          sources: ["agent1", "agent2"],
        }),
        name: "InnermostTeam",
        ...rt(),
      });
      const middle = new SelectorGroupChat({
        participants: [
          innermost,
          new AssistantAgent({ name: "agent3", modelClient: middleModel, description: "Third agent" }),
        ],
        modelClient: middleModel,
        terminationCondition: new TextMentionTermination({ text: "TERMINATE", sources: ["agent3"] }),
        name: "MiddleTeam",
        ...rt(),
      });
      const outermost = new SelectorGroupChat({
        participants: [
          middle,
          new AssistantAgent({ name: "agent4", modelClient: outerModel, description: "Fourth agent" }),
        ],
        modelClient: outerModel,
        terminationCondition: new TextMentionTermination({ text: "TERMINATE", sources: ["agent4"] }),
        name: "OutermostTeam",
        allowRepeatedSpeaker: true,
        ...rt(),
      });
      const { result } = await collect(outermost.runStream({ task: "Test deep nesting" }));
      console.log(
        "DEBUG",
        result.messages.map((m) => `${m.type} ${m.source}: ${m.toText()}`),
        result.stopReason,
      );
      expect(result.messages).toHaveLength(7);
      expect(result.messages[0]?.toText()).toBe("Test deep nesting");
      expect(result.stopReason).toContain("TERMINATE");
    });
  },
);

describe("AutoGen fidelity: nested teams", () => {
  it(`${origin}test_swarm_doesnt_support_nested_teams`, () => {
    const model = new ReplayChatCompletionClient(["Hello", "TERMINATE"]);
    const termination = new TextMentionTermination("TERMINATE");
    const inner = new RoundRobinGroupChat({
      participants: [
        new AssistantAgent({ name: "agent1", modelClient: model, description: "First agent" }),
        new AssistantAgent({ name: "agent2", modelClient: model, description: "Second agent" }),
      ],
      terminationCondition: termination,
    });
    const agent3 = new AssistantAgent({ name: "agent3", modelClient: model, description: "Third agent" });
    expect(() => new Swarm({ participants: [inner, agent3], terminationCondition: termination })).toThrow(
      /Participant .* must be a ChatAgent/,
    );
  });
});
