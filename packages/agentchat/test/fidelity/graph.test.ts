// Fidelity: AutoGen's python/packages/autogen-agentchat/tests/test_group_chat_graph.py, case by case. The
// run cases go through both of AutoGen's fixtures: the team's own (embedded) runtime and a shared one.
import { SingleThreadedAgentRuntime } from "@autogen-ts/core";
import { ReplayChatCompletionClient } from "@autogen-ts/core/testing";
import { afterEach, describe, expect, it } from "vitest";
import {
  AssistantAgent,
  type BaseChatMessage,
  DiGraph,
  DiGraphBuilder,
  type DiGraphNodeSpec,
  GRAPH_COMPLETE,
  GraphFlow,
  MaxMessageTermination,
  MessageFilterAgent,
  type Participant,
  TextMessage,
} from "../../src/index.js";
import { EchoAgent } from "./echo-agent.js";

const origin = "test_group_chat_graph.py::";
const has = (text: string) => (m: BaseChatMessage) => m.toModelText().includes(text);
const chain: DiGraphNodeSpec[] = [
  { name: "A", edges: [{ target: "B" }] },
  { name: "B", edges: [{ target: "C" }] },
  { name: "C", edges: [] },
];
const error = (make: () => unknown): Error => {
  try {
    make();
  } catch (e) {
    return e as Error;
  }
  throw new Error("expected an error");
};

describe("AutoGen fidelity: DiGraph", () => {
  it(`${origin}test_create_digraph`, () => {
    const graph = new DiGraph({ nodes: chain });
    expect(graph.nodes.map((n) => n.name)).toEqual(["A", "B", "C"]);
    expect(graph.node("A")?.edges).toHaveLength(1);
    expect(graph.node("B")?.edges).toHaveLength(1);
    expect(graph.node("C")?.edges).toHaveLength(0);
  });

  it(`${origin}test_get_parents`, () => {
    expect(new DiGraph({ nodes: chain }).getParents()).toEqual({ A: [], B: ["A"], C: ["B"] });
  });

  it(`${origin}test_get_start_nodes`, () => {
    expect(new DiGraph({ nodes: chain }).getStartNodes()).toEqual(new Set(["A"]));
  });

  it(`${origin}test_get_leaf_nodes`, () => {
    expect(new DiGraph({ nodes: chain }).getLeafNodes()).toEqual(new Set(["C"]));
  });

  it(`${origin}test_serialization`, () => {
    const graph = new DiGraph({
      nodes: [
        { name: "A", edges: [{ target: "B", condition: "trigger1" }] },
        { name: "B", edges: [{ target: "C" }] },
        { name: "C" },
      ],
    });
    const restored = new DiGraph(JSON.parse(JSON.stringify(graph)));
    expect(restored.node("A")?.edges[0]?.target).toBe("B");
    expect(restored.node("A")?.edges[0]?.condition).toBe("trigger1");
    expect(restored.node("B")?.edges[0]?.target).toBe("C");
    expect(new TextMessage({ content: "this has trigger1 in it", source: "test" }).toModelText()).toContain(
      "trigger1",
    );
  });

  it(`${origin}test_invalid_graph_no_start_node`, () => {
    const nodes = [
      { name: "B", edges: [{ target: "C" }] },
      { name: "C", edges: [{ target: "B" }] },
    ];
    expect(() => new DiGraph({ nodes })).toThrow(/Graph must have at least one start node/);
  });

  it(`${origin}test_invalid_graph_no_leaf_node`, () => {
    const nodes = [
      { name: "A", edges: [{ target: "B" }] },
      { name: "B", edges: [{ target: "C" }] },
      { name: "C", edges: [{ target: "A", condition: "again" }] },
    ];
    // AutoGen's graph has no start node either (A has a parent); here the entry point is named.
    expect(() => new DiGraph({ nodes, entryPoints: ["A"] })).toThrow(
      /Graph must have at least one leaf node/,
    );
  });

  it(`${origin}test_condition_edge_execution`, () => {
    const graph = new DiGraph({
      nodes: [
        { name: "A", edges: [{ target: "B", condition: "TRIGGER" }] },
        { name: "B", edges: [{ target: "C" }] },
        { name: "C" },
      ],
    });
    expect(graph.node("A")?.edges[0]?.condition).toBe("TRIGGER");
    expect(graph.node("B")?.edges[0]?.condition).toBeUndefined();
  });

  it(`${origin}test_graph_with_multiple_paths`, () => {
    const graph = new DiGraph({
      nodes: [
        { name: "A", edges: [{ target: "B" }, { target: "C" }] },
        { name: "B", edges: [{ target: "D" }] },
        { name: "C", edges: [{ target: "D" }] },
        { name: "D" },
      ],
    });
    const parents = graph.getParents();
    expect(parents.B).toEqual(["A"]);
    expect(parents.C).toEqual(["A"]);
    expect(parents.D).toEqual(["B", "C"]);
    expect(graph.getStartNodes()).toEqual(new Set(["A"]));
    expect(graph.getLeafNodes()).toEqual(new Set(["D"]));
  });

  it(`${origin}test_cycle_detection_no_cycle`, () => {
    expect(new DiGraph({ nodes: chain }).hasCycles).toBe(false);
  });

  it(`${origin}test_cycle_detection_with_exit_condition`, () => {
    for (const condition of ["exit", has("test")]) {
      const graph = new DiGraph({
        nodes: [
          { name: "A", edges: [{ target: "B" }] },
          { name: "B", edges: [{ target: "C" }] },
          {
            name: "C",
            edges: [
              { target: "A", condition },
              { target: "D", condition: "done" },
            ],
          },
          { name: "D" },
        ],
        entryPoints: ["A"],
      });
      expect(graph.hasCycles).toBe(true);
    }
  });

  it(`${origin}test_cycle_detection_without_exit_condition`, () => {
    const nodes = [
      { name: "A", edges: [{ target: "B" }] },
      { name: "B", edges: [{ target: "C" }] },
      { name: "C", edges: [{ target: "A" }] },
      { name: "D", edges: [{ target: "E" }] },
      { name: "E" },
    ];
    expect(() => new DiGraph({ nodes, entryPoints: ["A", "D"] })).toThrow(
      "Cycle detected without exit condition: A -> B -> C -> A",
    );
  });

  it(`${origin}test_cycle_detection_cleanup_bug`, () => {
    const graph = new DiGraph({
      nodes: [
        { name: "A", edges: [{ target: "B" }, { target: "D" }] },
        { name: "B", edges: [{ target: "C" }] },
        {
          name: "C",
          edges: [
            { target: "A", condition: "loop" },
            { target: "D", condition: "out" },
          ],
        },
        { name: "D" },
        { name: "E" },
      ],
      entryPoints: ["A", "E"],
    });
    expect(graph.hasCycles).toBe(true);
    const multi = new DiGraph({
      nodes: [
        { name: "A", edges: [{ target: "B" }] },
        {
          name: "B",
          edges: [
            { target: "A", condition: "cycle1" },
            { target: "F", condition: "out" },
          ],
        },
        { name: "C", edges: [{ target: "D" }] },
        {
          name: "D",
          edges: [
            { target: "C", condition: "cycle2" },
            { target: "F", condition: "out" },
          ],
        },
        { name: "E", edges: [{ target: "F" }] },
        { name: "F" },
      ],
      entryPoints: ["A", "C", "E"],
    });
    expect(multi.hasCycles).toBe(true);
  });

  it(`${origin}test_different_activation_groups_detection`, () => {
    const make = () =>
      new DiGraph({
        nodes: [
          { name: "A", edges: [{ target: "B" }, { target: "C" }] },
          { name: "B", edges: [{ target: "D", activationCondition: "all" }] },
          { name: "C", edges: [{ target: "D", activationCondition: "any" }] },
          { name: "D" },
        ],
      });
    expect(error(make).message).toBe(
      "Conflicting activation conditions for target 'D' group 'D': 'all' (from node 'B') and 'any' (from node 'C')",
    );
  });

  it(`${origin}test_validate_graph_success`, () => {
    const plain = new DiGraph({ nodes: [{ name: "A", edges: [{ target: "B" }] }, { name: "B" }] });
    expect(plain.hasCycles).toBe(false);
    const lambda = new DiGraph({
      nodes: [{ name: "A", edges: [{ target: "B", condition: has("test") }] }, { name: "B" }],
    });
    expect(lambda.hasCycles).toBe(false);
  });

  it(`${origin}test_validate_graph_missing_start_node`, () => {
    expect(
      () =>
        new DiGraph({
          nodes: [
            { name: "A", edges: [{ target: "B" }] },
            { name: "B", edges: [{ target: "A" }] },
          ],
        }),
    ).toThrow(/Graph must have at least one start node/);
  });

  it(`${origin}test_validate_graph_missing_leaf_node`, () => {
    expect(
      () =>
        new DiGraph({
          nodes: [
            { name: "A", edges: [{ target: "B" }] },
            { name: "B", edges: [{ target: "C" }] },
            { name: "C", edges: [{ target: "B" }] },
          ],
        }),
    ).toThrow(/Graph must have at least one leaf node/);
  });

  it(`${origin}test_validate_graph_mixed_conditions`, () => {
    for (const condition of ["cond", has("test")]) {
      expect(
        () =>
          new DiGraph({
            nodes: [
              { name: "A", edges: [{ target: "B", condition }, { target: "C" }] },
              { name: "B" },
              { name: "C" },
            ],
          }),
      ).toThrow(/Node 'A' has a mix of conditional and unconditional edges/);
    }
  });

  it(`${origin}test_invalid_digraph_manager_cycle_without_termination`, () => {
    // AutoGen checks in the manager; here the graph is checked before any team exists.
    const a = new EchoAgent("A");
    const b = new EchoAgent("B");
    expect(() => new DiGraphBuilder().addNode(a).addNode(b).addEdge(a, b).addEdge(b, a).build()).toThrow(
      /Graph must have at least one start node/,
    );
  });
});

describe("AutoGen fidelity: DiGraphBuilder", () => {
  const model = () => new ReplayChatCompletionClient(["1", "2", "3"]);
  const assistant = (name: string) => new AssistantAgent({ name, modelClient: model() });

  it(`${origin}test_add_node`, () => {
    const a = assistant("A");
    const builder = new DiGraphBuilder().addNode(a);
    expect(builder.participants).toEqual([a]);
    expect(builder.build().node("A")?.activation).toBe("all");
  });

  it(`${origin}test_add_edge`, () => {
    const [a, b] = [assistant("A"), assistant("B")];
    const graph = new DiGraphBuilder().addNode(a).addNode(b).addEdge(a, b).build();
    expect(graph.node("A")?.edges[0]?.target).toBe("B");
    expect(graph.node("A")?.edges[0]?.condition).toBeUndefined();
  });

  it(`${origin}test_add_conditional_edges`, () => {
    const [a, b, c] = [assistant("A"), assistant("B"), assistant("C")];
    const graph = new DiGraphBuilder()
      .addNode(a)
      .addNode(b)
      .addNode(c)
      .addConditionalEdges(a, { yes: b, no: c })
      .build();
    const edges = graph.node("A")?.edges ?? [];
    expect(edges).toHaveLength(2);
    expect(edges.find((e) => e.condition === "yes")?.target).toBe("B");
    expect(edges.find((e) => e.condition === "no")?.target).toBe("C");
  });

  it(`${origin}test_set_entry_point`, () => {
    const a = assistant("A");
    expect(new DiGraphBuilder().addNode(a).setEntryPoint(a).build().entryPoints).toEqual(["A"]);
  });

  it(`${origin}test_build_graph_validation`, () => {
    const [a, b, c] = [assistant("A"), assistant("B"), assistant("C")];
    const graph = new DiGraphBuilder()
      .addNode(a)
      .addNode(b)
      .addNode(c)
      .addEdge("A", "B")
      .addEdge("B", "C")
      .setEntryPoint("A")
      .build();
    expect(graph).toBeInstanceOf(DiGraph);
    expect(new Set(graph.nodes.map((n) => n.name))).toEqual(new Set(["A", "B", "C"]));
    expect(graph.getStartNodes()).toEqual(new Set(["A"]));
    expect(graph.getLeafNodes()).toEqual(new Set(["C"]));
  });

  it(`${origin}test_build_fan_out`, () => {
    const [a, b, c] = [assistant("A"), assistant("B"), assistant("C")];
    const graph = new DiGraphBuilder()
      .addNode(a)
      .addNode(b)
      .addNode(c)
      .addEdge(a, b)
      .addEdge(a, c)
      .setEntryPoint(a)
      .build();
    expect(graph.getStartNodes()).toEqual(new Set(["A"]));
    expect(graph.getLeafNodes()).toEqual(new Set(["B", "C"]));
  });

  it(`${origin}test_build_parallel_join`, () => {
    const [a, b, c] = [assistant("A"), assistant("B"), assistant("C")];
    const graph = new DiGraphBuilder()
      .addNode(a)
      .addNode(b)
      .addNode(c, { activation: "all" })
      .addEdge(a, c)
      .addEdge(b, c)
      .build();
    expect(graph.node("C")?.activation).toBe("all");
    expect(graph.getLeafNodes()).toEqual(new Set(["C"]));
    expect(graph.activationGroups("C")).toEqual([{ name: "C", activation: "all", size: 2 }]);
  });

  it(`${origin}test_build_conditional_loop`, () => {
    const [a, b, c] = [assistant("A"), assistant("B"), assistant("C")];
    const graph = new DiGraphBuilder()
      .addNode(a)
      .addNode(b)
      .addNode(c)
      .addEdge(a, b)
      .addConditionalEdges(b, { loop: a, exit: c })
      .setEntryPoint(a)
      .build();
    const edges = graph.node("B")?.edges ?? [];
    expect(edges).toHaveLength(2);
    expect(edges.find((e) => e.condition === "loop")?.target).toBe("A");
    expect(edges.find((e) => e.condition === "exit")?.target).toBe("C");
    expect(graph.hasCycles).toBe(true);
  });
});

const runtimes = ["embedded", "single_threaded"] as const;

describe.each(runtimes)("AutoGen fidelity: GraphFlow runs (%s runtime)", (kind) => {
  const started: SingleThreadedAgentRuntime[] = [];
  afterEach(async () => {
    for (const runtime of started.splice(0)) await runtime.stop();
  });
  const flow = (participants: Participant[], graph: DiGraph, maxMessages = 5) => {
    let runtime: SingleThreadedAgentRuntime | undefined;
    if (kind === "single_threaded") {
      runtime = new SingleThreadedAgentRuntime();
      runtime.start();
      started.push(runtime);
    }
    return new GraphFlow({
      participants,
      graph,
      terminationCondition: new MaxMessageTermination(maxMessages),
      ...(runtime ? { runtime } : {}),
    });
  };
  const echo = (...names: string[]) => names.map((n) => new EchoAgent(n));
  const sources = (messages: readonly { source: string }[]) => messages.map((m) => m.source);

  it(`${origin}test_digraph_group_chat_sequential_execution`, async () => {
    const result = await flow(echo("A", "B", "C"), new DiGraph({ nodes: chain })).run({
      task: "Hello from User",
    });
    expect(result.messages).toHaveLength(4);
    expect(result.messages[0]).toBeInstanceOf(TextMessage);
    expect(sources(result.messages)).toEqual(["user", "A", "B", "C"]);
    expect(result.messages.every((m) => m instanceof TextMessage)).toBe(true);
    expect(result.stopReason).toBe(GRAPH_COMPLETE);
  });

  it(`${origin}test_digraph_group_chat_parallel_fanout`, async () => {
    const graph = new DiGraph({
      nodes: [{ name: "A", edges: [{ target: "B" }, { target: "C" }] }, { name: "B" }, { name: "C" }],
    });
    const result = await flow(echo("A", "B", "C"), graph).run({ task: "Start" });
    expect(result.messages).toHaveLength(4);
    expect(sources(result.messages).slice(0, 2)).toEqual(["user", "A"]);
    expect(new Set(sources(result.messages.slice(2)))).toEqual(new Set(["B", "C"]));
    expect(result.stopReason).toBeDefined();
  });

  it(`${origin}test_digraph_group_chat_parallel_join_all`, async () => {
    const graph = new DiGraph({
      nodes: [
        { name: "A", edges: [{ target: "C" }] },
        { name: "B", edges: [{ target: "C" }] },
        { name: "C", activation: "all" },
      ],
    });
    const result = await flow(echo("A", "B", "C"), graph).run({ task: "Go" });
    expect(result.messages).toHaveLength(4);
    expect(new Set(sources(result.messages.slice(1, 3)))).toEqual(new Set(["A", "B"]));
    expect(result.messages[3]?.source).toBe("C");
  });

  it(`${origin}test_digraph_group_chat_parallel_join_any`, async () => {
    const graph = new DiGraph({
      nodes: [
        { name: "A", edges: [{ target: "C" }] },
        { name: "B", edges: [{ target: "C" }] },
        { name: "C", activation: "any" },
      ],
    });
    const result = await flow(echo("A", "B", "C"), graph).run({ task: "Start" });
    expect(result.messages).toHaveLength(4);
    const order = sources(result.messages.slice(1));
    expect(order.at(-1)).toBe("C");
    expect(order).toEqual(expect.arrayContaining(["A", "B"]));
    expect(order.indexOf("C")).toBeGreaterThan(Math.min(order.indexOf("A"), order.indexOf("B")));
  });

  it(`${origin}test_digraph_group_chat_multiple_start_nodes`, async () => {
    const result = await flow(echo("A", "B"), new DiGraph({ nodes: [{ name: "A" }, { name: "B" }] })).run({
      task: "Start",
    });
    expect(result.messages).toHaveLength(3);
    expect(new Set(sources(result.messages.slice(1)))).toEqual(new Set(["A", "B"]));
  });

  it(`${origin}test_digraph_group_chat_disconnected_graph`, async () => {
    const graph = new DiGraph({
      nodes: [
        { name: "A", edges: [{ target: "B" }] },
        { name: "B" },
        { name: "C", edges: [{ target: "D" }] },
        { name: "D" },
      ],
    });
    const result = await flow(echo("A", "B", "C", "D"), graph, 10).run({ task: "Go" });
    expect(result.messages).toHaveLength(5);
    expect(new Set(sources(result.messages.slice(1, 3)))).toEqual(new Set(["A", "C"]));
    expect(new Set(sources(result.messages.slice(3, 5)))).toEqual(new Set(["B", "D"]));
  });

  it(`${origin}test_digraph_group_chat_conditional_branch`, async () => {
    for (const [yes, no, task, expected] of [
      ["yes", "no", "Trigger yes", "B"],
      [has("yes"), has("no"), "Trigger no", "C"],
    ] as const) {
      const graph = new DiGraph({
        nodes: [
          {
            name: "A",
            edges: [
              { target: "B", condition: yes },
              { target: "C", condition: no },
            ],
          },
          { name: "B", activation: "any" },
          { name: "C", activation: "any" },
        ],
      });
      const result = await flow(echo("A", "B", "C"), graph).run({ task });
      expect(result.messages[2]?.source).toBe(expected);
    }
  });

  it(`${origin}test_digraph_group_chat_loop_with_exit_condition`, async () => {
    const [a, c] = echo("A", "C") as [EchoAgent, EchoAgent];
    const b = new AssistantAgent({
      name: "B",
      description: "Decision agent B",
      modelClient: new ReplayChatCompletionClient(["loop", "loop", "exit"]),
    });
    const graph = new DiGraph({
      nodes: [
        { name: "A", edges: [{ target: "B" }] },
        {
          name: "B",
          edges: [
            { target: "C", condition: "exit" },
            { target: "A", condition: "loop" },
          ],
        },
        { name: "C" },
      ],
      entryPoints: ["A"],
    });
    const result = await flow([a, b, c], graph, 20).run({ task: "Start" });
    expect(sources(result.messages)).toEqual(["user", "A", "B", "A", "B", "A", "B", "C"]);
    expect(result.messages.some((m) => m.toText() === "exit")).toBe(true);
  });

  it(`${origin}test_digraph_group_chat_loop_with_self_cycle`, async () => {
    const [a, c] = echo("A", "C") as [EchoAgent, EchoAgent];
    const b = new AssistantAgent({
      name: "B",
      modelClient: new ReplayChatCompletionClient(["loop", "loop", "exit"]),
    });
    const graph = new DiGraph({
      nodes: [
        { name: "A", edges: [{ target: "B" }] },
        {
          name: "B",
          edges: [
            { target: "C", condition: "exit" },
            { target: "B", condition: "loop", activationGroup: "B_loop" },
          ],
        },
        { name: "C" },
      ],
      entryPoints: ["A"],
    });
    const result = await flow([a, b, c], graph, 20).run({ task: "Start" });
    expect(sources(result.messages)).toEqual(["user", "A", "B", "B", "B", "C"]);
  });

  it(`${origin}test_digraph_group_chat_loop_with_two_cycles`, async () => {
    const model = new ReplayChatCompletionClient(["to_x", "to_o", "to_y", "to_o", "exit"]);
    const [o, x, y] = ["O", "X", "Y"].map((name) => new AssistantAgent({ name, modelClient: model }));
    const [a, b, c, e] = echo("A", "B", "C", "E");
    const graph = new DiGraph({
      nodes: [
        { name: "A", edges: [{ target: "B" }, { target: "C" }] },
        { name: "B", edges: [{ target: "O" }] },
        { name: "C", edges: [{ target: "O" }] },
        {
          name: "O",
          edges: [
            { target: "X", condition: "to_x" },
            { target: "Y", condition: "to_y" },
            { target: "E", condition: "exit" },
          ],
        },
        { name: "X", edges: [{ target: "O", condition: "to_o", activationGroup: "x_o_loop" }] },
        { name: "Y", edges: [{ target: "O", condition: "to_o", activationGroup: "y_o_loop" }] },
        { name: "E" },
      ],
      entryPoints: ["A"],
    });
    const result = await flow([a!, o!, b!, c!, x!, y!, e!], graph, 20).run({ task: "Start" });
    expect(sources(result.messages)).toEqual(["user", "A", "B", "C", "O", "X", "O", "Y", "O", "E"]);
  });

  it(`${origin}test_digraph_group_chat_parallel_join_any_1`, async () => {
    const graph = new DiGraph({
      nodes: [
        { name: "A", edges: [{ target: "B" }, { target: "C" }] },
        { name: "B", edges: [{ target: "D", activationGroup: "any" }] },
        { name: "C", edges: [{ target: "D", activationGroup: "any" }] },
        { name: "D" },
      ],
    });
    const result = await flow(echo("A", "B", "C", "D"), graph, 10).run({ task: "Run parallel join" });
    const sequence = sources(result.messages.filter((m) => m instanceof TextMessage));
    expect(sequence[0]).toBe("user");
    const d = sequence.flatMap((s, i) => (s === "D" ? [i] : []));
    expect(d).toHaveLength(1);
    expect(d[0]).toBeGreaterThan(sequence.indexOf("B"));
    expect(d[0]).toBeGreaterThan(sequence.indexOf("C"));
  });

  it(`${origin}test_digraph_group_chat_chained_parallel_join_any`, async () => {
    const graph = new DiGraph({
      nodes: [
        { name: "A", edges: [{ target: "B" }, { target: "C" }] },
        { name: "B", edges: [{ target: "D" }] },
        { name: "C", edges: [{ target: "D" }] },
        { name: "D", edges: [{ target: "E" }], activation: "any" },
        { name: "E", activation: "any" },
      ],
    });
    const result = await flow(echo("A", "B", "C", "D", "E"), graph, 20).run({
      task: "Run chained parallel join-any",
    });
    const sequence = sources(result.messages);
    const d = sequence.flatMap((s, i) => (s === "D" ? [i] : []));
    const e = sequence.flatMap((s, i) => (s === "E" ? [i] : []));
    expect(d).toHaveLength(1);
    expect(e).toHaveLength(1);
    expect(d[0]).toBeGreaterThan(Math.min(sequence.indexOf("B"), sequence.indexOf("C")));
    expect(e[0]).toBeGreaterThan(d[0] as number);
  });

  it(`${origin}test_digraph_group_chat_multiple_conditional`, async () => {
    for (const [make, task, expected] of [
      [(s: string) => s, "banana", "C"],
      [(s: string) => has(s), "cherry", "D"],
    ] as const) {
      const graph = new DiGraph({
        nodes: [
          {
            name: "A",
            edges: [
              { target: "B", condition: make("apple") },
              { target: "C", condition: make("banana") },
              { target: "D", condition: make("cherry") },
            ],
          },
          { name: "B" },
          { name: "C" },
          { name: "D" },
        ],
      });
      const result = await flow(echo("A", "B", "C", "D"), graph).run({ task });
      expect(result.messages[2]?.source).toBe(expected);
    }
  });

  it(`${origin}test_message_filter_agent_in_digraph_group_chat`, async () => {
    const inner = new EchoAgent("filtered");
    const filtered = new MessageFilterAgent({
      name: "filtered",
      wrappedAgent: inner,
      filter: { perSource: [{ source: "user", position: "last", count: 1 }] },
    });
    const result = await flow([filtered], new DiGraph({ nodes: [{ name: "filtered" }] }), 3).run({
      task: "only last user message matters",
    });
    expect(result.stopReason).toBeDefined();
    expect(
      result.messages.some((m) => m.source === "filtered" && m.toText() === "only last user message matters"),
    ).toBe(true);
  });

  it(`${origin}test_graph_builder_sequential_execution`, async () => {
    const [a, b, c] = echo("A", "B", "C") as [EchoAgent, EchoAgent, EchoAgent];
    const builder = new DiGraphBuilder().addNode(a).addNode(b).addNode(c).addEdge(a, b).addEdge(b, c);
    const result = await flow([...builder.participants], builder.build()).run({ task: "Start" });
    expect(sources(result.messages.slice(1))).toEqual(["A", "B", "C"]);
  });

  it(`${origin}test_graph_builder_fan_out`, async () => {
    const [a, b, c] = echo("A", "B", "C") as [EchoAgent, EchoAgent, EchoAgent];
    const builder = new DiGraphBuilder().addNode(a).addNode(b).addNode(c).addEdge(a, b).addEdge(a, c);
    const result = await flow([...builder.participants], builder.build()).run({ task: "Start" });
    expect(new Set(sources(result.messages.slice(1)))).toEqual(new Set(["A", "B", "C"]));
  });

  it(`${origin}test_graph_builder_conditional_execution`, async () => {
    const [a, b, c] = echo("A", "B", "C") as [EchoAgent, EchoAgent, EchoAgent];
    const builder = new DiGraphBuilder()
      .addNode(a)
      .addNode(b)
      .addNode(c)
      .addConditionalEdges(a, { yes: b, no: c });
    const result = await flow([...builder.participants], builder.build()).run({ task: "no" });
    expect(sources(result.messages)).toContain("C");
    expect(sources(result.messages)).not.toContain("B");
  });

  it(`${origin}test_digraph_group_chat_callable_condition`, async () => {
    const graph = new DiGraph({
      nodes: [
        {
          name: "A",
          edges: [
            { target: "B", condition: "long" },
            { target: "C", condition: "short" },
          ],
        },
        { name: "B" },
        { name: "C" },
      ],
    });
    const team = flow(echo("A", "B", "C"), graph);
    expect((await team.run({ task: "This is a long message" })).messages[2]?.source).toBe("B");
    await team.reset();
    expect((await team.run({ task: "This is a short message" })).messages[2]?.source).toBe("C");
  });

  it(`${origin}test_builder_with_lambda_condition`, async () => {
    const [a, b, c] = echo("A", "B", "C") as [EchoAgent, EchoAgent, EchoAgent];
    const builder = new DiGraphBuilder()
      .addNode(a)
      .addNode(b)
      .addNode(c)
      .addEdge(a, b, { condition: (m) => m.toModelText().length > 5 })
      .addEdge(a, c, { condition: (m) => m.toModelText().length <= 5 });
    const team = flow([...builder.participants], builder.build());
    expect(sources((await team.run({ task: "Hello world" })).messages)).toEqual(["user", "A", "B"]);
    await team.reset();
    expect(sources((await team.run({ task: "Hi" })).messages)).toEqual(["user", "A", "C"]);
  });

  it(`${origin}test_digraph_group_chat_multiple_task_execution`, async () => {
    const agents = echo("A", "B", "C") as EchoAgent[];
    const team = flow(agents, new DiGraph({ nodes: chain }));
    const first = await team.run({ task: "First task" });
    expect(first.messages[0]?.toText()).toBe("First task");
    expect(sources(first.messages)).toEqual(["user", "A", "B", "C"]);
    // The graph completed, so the next task starts from the entry point again without a reset.
    const second = await team.run({ task: "Second task" });
    expect(second.messages[0]?.toText()).toBe("Second task");
    expect(sources(second.messages)).toEqual(["user", "A", "B", "C"]);
    expect(agents.map((a) => a.totalMessages)).toEqual([2, 2, 2]);
  });

  it(`${origin}test_digraph_group_chat_resume_with_termination_condition`, async () => {
    const agents = echo("A", "B", "C") as EchoAgent[];
    const team = flow(agents, new DiGraph({ nodes: chain }), 3);
    const first = await team.run({ task: "Start execution" });
    expect(sources(first.messages)).toEqual(["user", "A", "B"]);
    expect(first.stopReason).toBe("Maximum number of messages 3 reached, current message count: 3");
    expect(agents.map((a) => a.totalMessages)).toEqual([1, 1, 0]);
    // Run again with no task: it continues where it stopped.
    const second = await team.run();
    expect(sources(second.messages)).toEqual(["C"]);
    expect(second.stopReason).toBe(GRAPH_COMPLETE);
    expect(agents.map((a) => a.totalMessages)).toEqual([1, 1, 1]);
  });
});
