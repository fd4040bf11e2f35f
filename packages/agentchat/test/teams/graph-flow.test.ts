import { type AutogenError, CancelledError, ValidationError } from "@autogen-ts/core";
import { ReplayChatCompletionClient } from "@autogen-ts/core/testing";
import { describe, expect, it } from "vitest";
import {
  AssistantAgent,
  type BaseAgentMessage,
  DiGraph,
  DiGraphBuilder,
  GRAPH_COMPLETE,
  GraphFlow,
  isTaskResult,
  MessageFilterAgent,
  RoundRobinGroupChat,
  type TaskResult,
  TextMentionTermination,
} from "../../src/index.js";
import { ScriptedAgent } from "../../src/testing/index.js";

const texts = (result: TaskResult) =>
  result.messages.filter((m) => m.type !== "SelectSpeakerEvent").map((m) => `${m.source}:${m.toText()}`);
const agents = (...names: string[]) => names.map((n) => new ScriptedAgent({ name: n, afterLast: "last" }));

function flowOf(builder: DiGraphBuilder, extra: Partial<ConstructorParameters<typeof GraphFlow>[0]> = {}) {
  return new GraphFlow({ participants: builder.participants, graph: builder.build(), ...extra });
}

describe("DiGraphBuilder and DiGraph", () => {
  it("refuses a cycle with no conditional edge, naming it", () => {
    const [a, b, c, d] = agents("a", "b", "c", "d") as [
      ScriptedAgent,
      ScriptedAgent,
      ScriptedAgent,
      ScriptedAgent,
    ];
    // d is a leaf (AutoGen refuses a graph without one first), reached from inside the cycle.
    const builder = new DiGraphBuilder()
      .addNode(a)
      .addNode(b)
      .addNode(c)
      .addNode(d)
      .addEdge(a, b)
      .addEdge(b, c)
      .addEdge(b, d)
      .addEdge(c, a)
      .setEntryPoint(a);
    let error: unknown;
    try {
      builder.build();
    } catch (e) {
      error = e;
    }
    expect(ValidationError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain("a -> b -> c -> a");
    // A self-loop without a condition is a cycle too.
    expect(() =>
      new DiGraphBuilder().addNode(a).addNode(d).addEdge(a, a).addEdge(a, d).setEntryPoint(a).build(),
    ).toThrow(/a -> a/);
  });

  it("finds an unconditional cycle even beside a conditional one", () => {
    const graph = () =>
      new DiGraph({
        nodes: [
          { name: "s", edges: [{ target: "x" }] },
          {
            name: "x",
            edges: [
              { target: "s", condition: "again" },
              { target: "y", condition: "on" },
              { target: "end", condition: "done" },
            ],
          },
          { name: "y", edges: [{ target: "z" }] },
          { name: "z", edges: [{ target: "y" }] },
          { name: "end" },
        ],
        entryPoints: ["s"],
      });
    expect(graph).toThrow(/y -> z -> y/);
  });

  it("refuses unknown nodes, duplicate nodes and edges, no entry point, unreachable nodes", () => {
    const [a, b, c] = agents("a", "b", "c") as [ScriptedAgent, ScriptedAgent, ScriptedAgent];
    expect(() => new DiGraphBuilder().addNode(a).addEdge(a, "ghost").build()).toThrow(/unknown node/);
    expect(() => new DiGraphBuilder().addNode(a).addEdge("ghost", a)).toThrow(/unknown node/);
    expect(() => new DiGraphBuilder().addNode(a).addNode(a)).toThrow(/already added/);
    expect(() => new DiGraphBuilder().addNode(a).addNode(b).addEdge(a, b).addEdge(a, b).build()).toThrow(
      /a -> b is in the graph twice/,
    );
    expect(() =>
      new DiGraphBuilder()
        .addNode(a)
        .addNode(b)
        .addEdge(a, b, { condition: "x" })
        .addEdge(b, a, { condition: "y" })
        .build(),
    ).toThrow(/Graph must have at least one start node/);
    expect(() => new DiGraphBuilder().addNode(a).addNode(b).setEntryPoint("nobody").build()).toThrow(
      /entry point "nobody"/,
    );
    expect(() =>
      new DiGraphBuilder()
        .addNode(a)
        .addNode(b)
        .addNode(c)
        .addEdge(a, b)
        .addEdge(c, b)
        .setEntryPoint(a)
        .build(),
    ).toThrow(/reaches c/);
    expect(() => new DiGraphBuilder().build()).toThrow(/at least one node/);
    expect(() =>
      new DiGraphBuilder()
        .addNode(a)
        .addNode(b)
        .addNode(c)
        .addEdge(a, c, { activationCondition: "all" })
        .addEdge(b, c, { activationCondition: "any" })
        .build(),
    ).toThrow(
      "Conflicting activation conditions for target 'c' group 'c': 'all' (from node 'a') and 'any' (from node 'b')",
    );
    expect(() =>
      new DiGraphBuilder()
        .addNode(a)
        .addNode(b)
        .addEdge(a, b)
        .addEdge(b, a, { condition: "x" })
        .setEntryPoint(a)
        .build(),
    ).toThrow(/Graph must have at least one leaf node/);
    expect(() =>
      new DiGraphBuilder()
        .addNode(a)
        .addNode(b)
        .addNode(c)
        .addEdge(a, b, { condition: "x" })
        .addEdge(a, c)
        .build(),
    ).toThrow(/Node 'a' has a mix of conditional and unconditional edges/);
  });

  it("refuses a flow whose participants and nodes differ", () => {
    const [a, b] = agents("a", "b") as [ScriptedAgent, ScriptedAgent];
    const graph = new DiGraphBuilder().addNode(a).build();
    expect(() => new GraphFlow({ participants: [a, b], graph })).toThrow(/"b" is not a node/);
    const graph2 = new DiGraphBuilder().addNode(a).addNode(b).addEdge(a, b).build();
    expect(() => new GraphFlow({ participants: [a], graph: graph2 })).toThrow(/"b" is not a participant/);
  });

  it("marks loop-back edges and gives each its own activation group", () => {
    const graph = new DiGraph({
      nodes: [
        { name: "w", edges: [{ target: "r" }] },
        {
          name: "r",
          edges: [
            { target: "w", condition: "REVISE" },
            { target: "e", condition: "OK" },
          ],
        },
        { name: "e" },
      ],
      entryPoints: ["w"],
    });
    expect(graph.hasCycles).toBe(true);
    const back = graph.node("r")?.edges[0];
    expect(back?.loopBack).toBe(true);
    expect(graph.activationGroups("w")).toEqual([{ name: "loop:r", activation: "all", size: 1 }]);
    expect(JSON.parse(JSON.stringify(graph)).nodes[1].edges[0].condition).toBe("REVISE");
  });
});

describe("GraphFlow", () => {
  it("runs a sequence and stops when the graph is complete", async () => {
    const [a, b, c] = agents("a", "b", "c") as [ScriptedAgent, ScriptedAgent, ScriptedAgent];
    const flow = flowOf(new DiGraphBuilder().addNode(a).addNode(b).addNode(c).addEdge(a, b).addEdge(b, c));
    const result = await flow.run({ task: "go" });
    expect(texts(result)).toEqual(["user:go", "a:a done", "b:b done", "c:c done"]);
    expect(result.stopReason).toBe(GRAPH_COMPLETE);
    // Every node saw what came before it.
    expect(c.seen).toEqual([["user:go", "a:a done", "b:b done"]]);
    // A new run goes through the graph again.
    const again = await flow.run({ task: "again" });
    expect(texts(again)).toEqual(["user:again", "a:a done", "b:b done", "c:c done"]);
  });

  it("fans out in parallel and joins when all branches are done", async () => {
    const [start, left, right, join] = agents("start", "left", "right", "join") as ScriptedAgent[] as [
      ScriptedAgent,
      ScriptedAgent,
      ScriptedAgent,
      ScriptedAgent,
    ];
    // Each branch waits until the other has started: only a parallel fan-out gets past this.
    let leftStarted!: () => void;
    let rightStarted!: () => void;
    const bothStarted = Promise.all([
      new Promise<void>((r) => {
        leftStarted = r;
      }),
      new Promise<void>((r) => {
        rightStarted = r;
      }),
    ]).then(() => undefined);
    left.onStart = () => leftStarted();
    right.onStart = () => rightStarted();
    left.gate = bothStarted;
    right.gate = bothStarted;
    const builder = new DiGraphBuilder()
      .addNode(start)
      .addNode(left)
      .addNode(right)
      .addNode(join)
      .addEdge(start, left)
      .addEdge(start, right)
      .addEdge(left, join)
      .addEdge(right, join);
    const flow = flowOf(builder, { emitTeamEvents: true });
    const result = await flow.run({ task: "split" });
    const said = texts(result);
    expect(said.slice(0, 2)).toEqual(["user:split", "start:start done"]);
    expect(said.filter((m) => m.startsWith("join:"))).toEqual(["join:join done"]);
    expect(new Set(said.slice(2, 4))).toEqual(new Set(["left:left done", "right:right done"]));
    // The selection events show both branches chosen together.
    const selections = result.messages.filter((m) => m.type === "SelectSpeakerEvent").map((m) => m.toText());
    expect(selections).toEqual(["start", "left, right", "join"]);
    // The join saw both branches.
    expect(join.seen[0]).toEqual(expect.arrayContaining(["left:left done", "right:right done"]));
    expect(join.calls).toBe(1);
    expect(result.stopReason).toBe(GRAPH_COMPLETE);
  });

  it("follows a conditional branch (a string to find, or a function)", async () => {
    const build = (decision: string) => {
      const judge = new ScriptedAgent({ name: "judge", replies: [decision], afterLast: "last" });
      const [yes, no, fn] = agents("yes", "no", "fn") as [ScriptedAgent, ScriptedAgent, ScriptedAgent];
      const builder = new DiGraphBuilder()
        .addNode(judge)
        .addNode(yes)
        .addNode(no)
        .addNode(fn)
        .addEdge(judge, yes, { condition: "YES" })
        .addEdge(judge, no, { condition: "NO" })
        .addEdge(judge, fn, { condition: (m) => m.toModelText().length > 10 });
      return flowOf(builder);
    };
    expect(texts(await build("YES").run({ task: "?" }))).toEqual(["user:?", "judge:YES", "yes:yes done"]);
    expect(texts(await build("NO").run({ task: "?" }))).toEqual(["user:?", "judge:NO", "no:no done"]);
    expect(texts(await build("YES, and a long one").run({ task: "?" })).slice(2)).toEqual([
      "yes:yes done",
      "fn:fn done",
    ]);
    // Nothing matches: the graph is complete after the judge.
    const none = await build("maybe").run({ task: "?" });
    expect(texts(none)).toEqual(["user:?", "judge:maybe"]);
    expect(none.stopReason).toBe(GRAPH_COMPLETE);
  });

  it("runs a loop until its exit condition holds", async () => {
    const writer = new ScriptedAgent({
      name: "writer",
      replies: ["draft 1", "draft 2", "draft 3"],
      afterLast: "last",
    });
    const reviewer = new ScriptedAgent({
      name: "reviewer",
      replies: ["REVISE: shorter", "REVISE: clearer", "APPROVE"],
      afterLast: "last",
    });
    const editor = new ScriptedAgent({ name: "editor", replies: ["published"], afterLast: "last" });
    const builder = new DiGraphBuilder()
      .addNode(writer)
      .addNode(reviewer)
      .addNode(editor)
      .addEdge(writer, reviewer)
      .addEdge(reviewer, writer, { condition: "REVISE" })
      .addEdge(reviewer, editor, { condition: "APPROVE" })
      .setEntryPoint(writer);
    const result = await flowOf(builder).run({ task: "write" });
    expect(texts(result)).toEqual([
      "user:write",
      "writer:draft 1",
      "reviewer:REVISE: shorter",
      "writer:draft 2",
      "reviewer:REVISE: clearer",
      "writer:draft 3",
      "reviewer:APPROVE",
      "editor:published",
    ]);
    expect(result.stopReason).toBe(GRAPH_COMPLETE);
  });

  it("AutoGen #6643: a self-loop after an entry node runs (the loop-back edge is not awaited)", async () => {
    const input = new ScriptedAgent({ name: "user_input", replies: ["hello"], afterLast: "last" });
    const echo = new ScriptedAgent({
      name: "echo",
      replies: ["ECHO hello (loop)", "ECHO again (loop)", "ECHO final (done)"],
      afterLast: "last",
    });
    const output = new ScriptedAgent({ name: "output", replies: ["the end"], afterLast: "last" });
    const builder = new DiGraphBuilder()
      .addNode(input)
      .addNode(echo)
      .addNode(output)
      .addEdge(input, echo)
      .addEdge(echo, echo, { condition: "(loop)" })
      .addEdge(echo, output, { condition: "(done)" });
    const result = await flowOf(builder).run({ task: "start" });
    expect(texts(result)).toEqual([
      "user:start",
      "user_input:hello",
      "echo:ECHO hello (loop)",
      "echo:ECHO again (loop)",
      "echo:ECHO final (done)",
      "output:the end",
    ]);
  });

  it("AutoGen #6628: a loop whose exits are function conditions builds and runs (with a filtered summarizer)", async () => {
    const generator = new ScriptedAgent({
      name: "generator",
      replies: ["ideas v1", "ideas v2"],
      afterLast: "last",
    });
    const reviewer = new ScriptedAgent({
      name: "reviewer",
      replies: ["needs work", "APPROVE"],
      afterLast: "last",
    });
    const summaryModel = new ReplayChatCompletionClient(["summary of v2"]);
    const summary = new MessageFilterAgent({
      name: "summary",
      wrappedAgent: new AssistantAgent({ name: "summary", modelClient: summaryModel }),
      filter: {
        perSource: [
          { source: "user", position: "first", count: 1 },
          { source: "generator", position: "last", count: 1 },
        ],
      },
    });
    const builder = new DiGraphBuilder()
      .addNode(generator)
      .addNode(reviewer)
      .addNode(summary)
      .addEdge(generator, reviewer)
      .addEdge(reviewer, generator, { condition: (m) => !m.toModelText().includes("APPROVE") })
      .addEdge(reviewer, summary, { condition: (m) => m.toModelText().includes("APPROVE") })
      .setEntryPoint(generator);
    const graph = builder.build();
    expect(graph.hasCycles).toBe(true);
    const result = await new GraphFlow({ participants: builder.participants, graph }).run({ task: "ideas" });
    expect(texts(result)).toEqual([
      "user:ideas",
      "generator:ideas v1",
      "reviewer:needs work",
      "generator:ideas v2",
      "reviewer:APPROVE",
      "summary:summary of v2",
    ]);
    // The summarizer's model saw only the task and the last ideas.
    const seen = JSON.stringify(summaryModel.requests[0]?.messages);
    expect(seen).toContain("ideas v2");
    expect(seen).not.toContain("ideas v1");
    expect(seen).not.toContain("needs work");
  });

  it('"any" activation: a merge after exclusive branches runs; "all" would wait forever', async () => {
    const build = (activation: "all" | "any") => {
      const router = new ScriptedAgent({ name: "router", replies: ["go left"], afterLast: "last" });
      const [left, right, merge] = agents("left", "right", "merge") as [
        ScriptedAgent,
        ScriptedAgent,
        ScriptedAgent,
      ];
      const builder = new DiGraphBuilder()
        .addNode(router)
        .addNode(left)
        .addNode(right)
        .addNode(merge, { activation })
        .addEdge(router, left, { condition: "left" })
        .addEdge(router, right, { condition: "right" })
        .addEdge(left, merge)
        .addEdge(right, merge);
      return flowOf(builder);
    };
    expect(texts(await build("any").run({ task: "t" }))).toEqual([
      "user:t",
      "router:go left",
      "left:left done",
      "merge:merge done",
    ]);
    const all = await build("all").run({ task: "t" });
    expect(texts(all)).toEqual(["user:t", "router:go left", "left:left done"]);
    expect(all.stopReason).toBe(GRAPH_COMPLETE);
  });

  it('"any" activation runs a node as soon as its first parent is done', async () => {
    const [a, quick, slow1, slow2, d] = agents("a", "quick", "slow1", "slow2", "d") as ScriptedAgent[] as [
      ScriptedAgent,
      ScriptedAgent,
      ScriptedAgent,
      ScriptedAgent,
      ScriptedAgent,
    ];
    const builder = new DiGraphBuilder()
      .addNode(a)
      .addNode(quick)
      .addNode(slow1)
      .addNode(slow2)
      .addNode(d, { activation: "any" })
      .addEdge(a, quick)
      .addEdge(a, slow1)
      .addEdge(slow1, slow2)
      .addEdge(quick, d)
      .addEdge(slow2, d);
    const result = await flowOf(builder, { emitTeamEvents: true }).run({ task: "t" });
    const selections = result.messages.filter((m) => m.type === "SelectSpeakerEvent").map((m) => m.toText());
    // d runs beside slow2 (after quick), then again when slow2 is done.
    expect(selections).toEqual(["a", "quick, slow1", "slow2, d", "d"]);
    expect(d.seen[0]).toContain("quick:quick done");
    expect(d.seen[0]).not.toContain("slow2:slow2 done");
  });

  it("is cancelled mid-turn, keeps the messages, and a new run retakes the interrupted turn", async () => {
    const [a, b, c] = agents("a", "b", "c") as [ScriptedAgent, ScriptedAgent, ScriptedAgent];
    b.gate = new Promise(() => {}); // never opens: only cancellation ends this turn
    const flow = flowOf(new DiGraphBuilder().addNode(a).addNode(b).addNode(c).addEdge(a, b).addEdge(b, c));
    const controller = new AbortController();
    b.onStart = () => controller.abort();
    let error: unknown;
    try {
      for await (const _ of flow.runStream({ task: "go", signal: controller.signal })) {
        // consume
      }
    } catch (e) {
      error = e;
    }
    expect(CancelledError.isInstance(error)).toBe(true);
    const kept = (error as AutogenError).details?.messages as BaseAgentMessage[];
    expect(kept.map((m) => m.toText())).toEqual(["go", "a done"]);
    b.gate = undefined;
    b.onStart = undefined;
    const resumed = await flow.run();
    expect(texts(resumed)).toEqual(["b:b done", "c:c done"]);
    expect(resumed.stopReason).toBe(GRAPH_COMPLETE);
  });

  it("stops on its termination condition mid-graph and continues from there", async () => {
    const [a, b, c] = agents("a", "b", "c") as [ScriptedAgent, ScriptedAgent, ScriptedAgent];
    const flow = flowOf(new DiGraphBuilder().addNode(a).addNode(b).addNode(c).addEdge(a, b).addEdge(b, c), {
      terminationCondition: new TextMentionTermination("a done"),
    });
    const first = await flow.run({ task: "go" });
    expect(texts(first)).toEqual(["user:go", "a:a done"]);
    const rest = await flow.run();
    expect(texts(rest)).toEqual(["b:b done", "c:c done"]);
    expect(rest.stopReason).toBe(GRAPH_COMPLETE);
  });

  it("ends the run with a typed error when a condition function throws", async () => {
    const [a, b] = agents("a", "b") as [ScriptedAgent, ScriptedAgent];
    const builder = new DiGraphBuilder()
      .addNode(a)
      .addNode(b)
      .addEdge(a, b, {
        condition: () => {
          throw new Error("bad predicate");
        },
      });
    const error = await flowOf(builder)
      .run({ task: "go" })
      .then(
        () => undefined,
        (e: unknown) => e as AutogenError,
      );
    expect(error?.code).toBe("invalid_argument");
    expect(error?.message).toContain("bad predicate");
    expect(((error?.details?.messages ?? []) as BaseAgentMessage[]).map((m) => m.toText())).toEqual([
      "go",
      "a done",
    ]);
  });

  it("saves mid-loop and continues exactly there in a flow of fresh agents", async () => {
    const build = (writerReplies: string[], reviewerReplies: string[]) => {
      const writerModel = new ReplayChatCompletionClient(writerReplies);
      const reviewerModel = new ReplayChatCompletionClient(reviewerReplies);
      const writer = new AssistantAgent({ name: "writer", modelClient: writerModel });
      const reviewer = new AssistantAgent({ name: "reviewer", modelClient: reviewerModel });
      const [left, right, join] = agents("left", "right", "join") as [
        ScriptedAgent,
        ScriptedAgent,
        ScriptedAgent,
      ];
      const builder = new DiGraphBuilder()
        .addNode(writer)
        .addNode(reviewer)
        .addNode(left)
        .addNode(right)
        .addNode(join)
        .addEdge(writer, reviewer)
        .addEdge(reviewer, writer, { condition: "REVISE" })
        .addEdge(reviewer, left, { condition: "APPROVE" })
        .addEdge(reviewer, right, { condition: "APPROVE" })
        .addEdge(left, join)
        .addEdge(right, join)
        .setEntryPoint(writer);
      return { flow: flowOf(builder, { maxTurns: 3 }), writerModel, reviewerModel };
    };
    const original = build(["v1", "v2", "v3"], ["REVISE 1", "REVISE 2", "APPROVE"]);
    const first = await original.flow.run({ task: "write" });
    expect(texts(first)).toEqual(["user:write", "writer:v1", "reviewer:REVISE 1", "writer:v2"]);
    const state = JSON.parse(JSON.stringify(await original.flow.saveState()));
    const reference = await original.flow.run();

    const restored = build(["v3"], ["REVISE 2", "APPROVE"]);
    await restored.flow.loadState(state);
    const continued = await restored.flow.run();
    expect(texts(continued)).toEqual(texts(reference));
    expect(texts(continued)).toEqual(["reviewer:REVISE 2", "writer:v3", "reviewer:APPROVE"]);
    const end = await restored.flow.run();
    const endTexts = texts(end);
    expect(new Set(endTexts.slice(0, 2))).toEqual(new Set(["left:left done", "right:right done"]));
    expect(endTexts.slice(2)).toEqual(["join:join done"]);
    // The restored reviewer's model saw the conversation from before the save.
    const seen = JSON.stringify(restored.reviewerModel.requests[0]?.messages);
    for (const said of ["write", "v1", "REVISE 1", "v2"]) expect(seen).toContain(said);
  });

  it("saves the ready nodes and join counts while a join is half done", async () => {
    const [a, b, c, j] = agents("a", "b", "c", "j") as [
      ScriptedAgent,
      ScriptedAgent,
      ScriptedAgent,
      ScriptedAgent,
    ];
    const c2 = new ScriptedAgent({ name: "c2", afterLast: "last" });
    const builder = () =>
      new DiGraphBuilder()
        .addNode(a)
        .addNode(b)
        .addNode(c)
        .addNode(c2)
        .addNode(j)
        .addEdge(a, b)
        .addEdge(a, c)
        .addEdge(c, c2)
        .addEdge(b, j)
        .addEdge(c2, j);
    const flow = flowOf(builder(), { maxTurns: 2 });
    await flow.run({ task: "go" });
    const state = JSON.parse(JSON.stringify(await flow.saveState()));
    expect(state.manager.graph.ready).toEqual(["c2"]);
    expect(state.manager.graph.remaining.j).toEqual({ j: 1 });
    const fresh = flowOf(builder());
    await fresh.loadState(state);
    const rest = await fresh.run();
    expect(texts(rest)).toEqual(["c2:c2 done", "j:j done"]);
  });

  it("refuses a saved state of another graph", async () => {
    const [a, b] = agents("a", "b") as [ScriptedAgent, ScriptedAgent];
    const flow = flowOf(new DiGraphBuilder().addNode(a).addNode(b).addEdge(a, b));
    const state = JSON.parse(JSON.stringify(await flow.saveState()));
    state.manager.graph.ready = ["ghost"];
    await expect(flow.loadState(state)).rejects.toMatchObject({ code: "invalid_state" });
    state.manager.graph = undefined;
    await expect(flow.loadState(state)).rejects.toMatchObject({ code: "invalid_state" });
  });

  it("pauses after the current turn and resumes", async () => {
    const [a, b] = agents("a", "b") as [ScriptedAgent, ScriptedAgent];
    let release!: () => void;
    a.gate = new Promise((r) => {
      release = r;
    });
    const flow = flowOf(new DiGraphBuilder().addNode(a).addNode(b).addEdge(a, b));
    const seen: string[] = [];
    const run = (async () => {
      for await (const item of flow.runStream({ task: "go" }))
        if (!isTaskResult(item)) seen.push(item.toText());
    })();
    while (a.seen.length === 0) await new Promise((r) => setTimeout(r, 1));
    await flow.pause();
    release();
    while (!seen.includes("a done")) await new Promise((r) => setTimeout(r, 1));
    await new Promise((r) => setTimeout(r, 50));
    expect(b.calls).toBe(0);
    await flow.resume();
    await run;
    expect(seen).toEqual(["go", "a done", "b done"]);
  });

  it("takes a nested team as a node", async () => {
    const inner = new RoundRobinGroupChat({
      name: "inner",
      participants: [
        new ScriptedAgent({ name: "i1", replies: ["inner one"], afterLast: "last" }),
        new ScriptedAgent({ name: "i2", replies: ["inner two"], afterLast: "last" }),
      ],
      maxTurns: 2,
    });
    const [a, z] = agents("a", "z") as [ScriptedAgent, ScriptedAgent];
    const builder = new DiGraphBuilder()
      .addNode(a)
      .addNode(inner)
      .addNode(z)
      .addEdge(a, inner)
      .addEdge(inner, z, { condition: "two" });
    const result = await flowOf(builder).run({ task: "nest" });
    expect(texts(result)).toEqual(["user:nest", "a:a done", "i1:inner one", "i2:inner two", "z:z done"]);
    expect(z.seen[0]).toContain("i2:inner two");
  });

  it("streams every message and then the result", async () => {
    const [a, b] = agents("a", "b") as [ScriptedAgent, ScriptedAgent];
    const flow = flowOf(new DiGraphBuilder().addNode(a).addNode(b).addEdge(a, b));
    const items: (BaseAgentMessage | TaskResult)[] = [];
    for await (const item of flow.runStream({ task: "go" })) items.push(item);
    expect(items.slice(0, -1).map((m) => (m as BaseAgentMessage).toText())).toEqual([
      "go",
      "a done",
      "b done",
    ]);
    expect(isTaskResult(items.at(-1))).toBe(true);
  });
});
