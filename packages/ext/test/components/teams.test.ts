/**
 * The teams and agents that landed after the component model: SelectorGroupChat, Swarm,
 * MagenticOneGroupChat, GraphFlow, SocietyOfMindAgent, CodeExecutorAgent, MessageFilterAgent and
 * ListMemory. Each one round-trips (load, dump, load, dump: equal, and equal to the document) and runs on
 * the scripted OpenAI-compatible server; objects built in code dump too, and what a document cannot hold
 * (a function) is refused by name.
 */

import type { ChatAgent, TaskResult } from "@autogen-ts/agentchat";
import {
  AssistantAgent,
  CodeExecutorAgent,
  DiGraphBuilder,
  GraphFlow,
  RoundRobinGroupChat,
  SelectorGroupChat,
  Swarm,
  TextMentionTermination,
  TextMessage,
} from "@autogen-ts/agentchat";
import {
  BufferedChatCompletionContext,
  type ComponentModel,
  FunctionTool,
  ListMemory,
  MemoryMimeType,
} from "@autogen-ts/core";
import { LocalCommandLineCodeExecutor } from "@autogen-ts/ext/code-executors/local";
import { dumpComponent, loadComponent } from "@autogen-ts/ext/components";
import { OpenAIChatCompletionClient } from "@autogen-ts/ext/models/openai";
import { McpWorkbench } from "@autogen-ts/ext/tools/mcp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ModelServer, startModelServer } from "../support/model-server.js";
import { chatReply } from "../support/openai-wire.js";

const ENV = { OPENAI_API_KEY: "sk-test" };
const OPTIONS = { env: ENV, allowCode: true };

let server: ModelServer;
beforeAll(async () => {
  server = await startModelServer();
  // A client built in code dumps without its key; loading it back reads the SDK's usual variable.
  Object.assign(process.env, ENV);
});
afterAll(() => server.close());

/** A component document as AutoGen writes it (no description or label: their absence round-trips). */
function c(provider: string, type: string, config: Record<string, unknown>, version = 1): ComponentModel {
  return { provider, component_type: type, version, component_version: version, config };
}

const model = () =>
  c("autogen_ext.models.openai.OpenAIChatCompletionClient", "model", {
    model: "gpt-4o-mini",
    api_key: { $env: "OPENAI_API_KEY" },
    base_url: `${server.url}/v1`,
  });

const unbounded = () =>
  c("autogen_core.model_context.UnboundedChatCompletionContext", "chat_completion_context", {});

function assistant(name: string, extra: Record<string, unknown> = {}): ComponentModel {
  return c(
    "autogen_agentchat.agents.AssistantAgent",
    "agent",
    {
      name,
      model_client: model(),
      model_context: unbounded(),
      description: `${name}, an assistant`,
      system_message: `You are ${name}.`,
      model_client_stream: false,
      reflect_on_tool_use: false,
      tool_call_summary_format: "{result}",
      metadata: {},
      ...extra,
    },
    2,
  );
}

const terminate = () =>
  c("autogen_agentchat.conditions.TextMentionTermination", "termination", { text: "TERMINATE" });

/** Loads, dumps (equal to the document), loads the dump and dumps again (equal); returns the first load. */
async function roundTrip<T>(doc: ComponentModel): Promise<T> {
  const value = await loadComponent<T>(doc, OPTIONS);
  const dumped = await dumpComponent(value);
  expect(dumped).toEqual(doc);
  const again = await dumpComponent(await loadComponent(dumped, OPTIONS));
  expect(again).toEqual(dumped);
  return value;
}

/** The chat messages of a run as `source: text`. */
const said = (result: TaskResult) =>
  result.messages.filter((m) => "toModelMessage" in m).map((m) => `${m.source}: ${m.toText()}`);

/** The bodies of the requests the server got since `from`. */
const bodies = (from: number) =>
  server.requests.slice(from).map((r) => r.body as { messages: { role: string; content: unknown }[] });

describe("SelectorGroupChat", () => {
  const doc = () =>
    c("autogen_agentchat.teams.SelectorGroupChat", "team", {
      participants: [assistant("writer"), assistant("critic"), assistant("editor")],
      model_client: model(),
      termination_condition: terminate(),
      selector_prompt: "Roles:\n{roles}\nPick one of {participants}.\n{history}",
      allow_repeated_speaker: true,
      max_selector_attempts: 2,
      emit_team_events: true,
      model_client_streaming: false,
      model_context: c(
        "autogen_core.model_context.BufferedChatCompletionContext",
        "chat_completion_context",
        {
          buffer_size: 4,
        },
      ),
    });

  it("round-trips AutoGen's config keys and runs with the model picking each speaker", async () => {
    const team = await roundTrip<SelectorGroupChat>(doc());
    expect(team.selectorSettings).toMatchObject({
      allowRepeatedSpeaker: true,
      maxSelectorAttempts: 2,
      modelClientStreaming: false,
    });
    const from = server.requests.length;
    server.enqueue(
      chatReply({ content: "writer" }),
      chatReply({ content: "A first draft." }),
      chatReply({ content: "I choose critic" }),
      chatReply({ content: "Good enough. TERMINATE" }),
    );
    const result = await team.run({ task: "Write a line about rivers." });
    expect(said(result)).toEqual([
      "user: Write a line about rivers.",
      "writer: A first draft.",
      "critic: Good enough. TERMINATE",
    ]);
    // emit_team_events: the selections are on the stream.
    expect(result.messages.filter((m) => m.type === "SelectSpeakerEvent")).toHaveLength(2);
    const prompt = bodies(from)[2]!.messages[0]!.content as string;
    expect(prompt).toContain("Roles:\nwriter: writer, an assistant\ncritic: critic, an assistant");
    expect(prompt).toContain("Pick one of [writer, critic, editor].");
    expect(prompt).toContain("writer: A first draft.");
    await team.close();
  });

  it("refuses to dump a team with a selectorFunc or candidateFunc, naming them", async () => {
    const team = await loadComponent<SelectorGroupChat>(doc(), OPTIONS);
    const withFuncs = new SelectorGroupChat({
      participants: team.participants,
      modelClient: team.selectorSettings.modelClient,
      selectorFunc: () => undefined,
      candidateFunc: () => ["writer"],
    });
    await expect(dumpComponent(withFuncs)).rejects.toThrow(
      /SelectorGroupChat "SelectorGroupChat" has a selectorFunc and a candidateFunc, which a component document cannot hold \(functions are not serialisable\)/,
    );
  });

  it("names the JSON path of a missing model client and of a bad participant", async () => {
    const { model_client: _, ...noModel } = doc().config;
    await expect(loadComponent({ ...doc(), config: noModel }, OPTIONS)).rejects.toThrow(
      /^config\.model_client: /,
    );
    const bad = doc();
    (bad.config.participants as ComponentModel[])[1] = c("x.Unknown", "agent", {});
    await expect(loadComponent(bad, OPTIONS)).rejects.toThrow(
      'config.participants[1]: unknown provider "x.Unknown"',
    );
  });
});

describe("Swarm", () => {
  it("round-trips and runs: the speaker follows a handoff", async () => {
    const doc = c("autogen_agentchat.teams.Swarm", "team", {
      participants: [assistant("triage", { handoffs: ["billing"] }), assistant("billing")],
      termination_condition: terminate(),
      max_turns: 5,
      emit_team_events: false,
    });
    const team = await roundTrip<Swarm>(doc);
    const from = server.requests.length;
    server.enqueue(
      chatReply({ toolCalls: [{ id: "h1", name: "transfer_to_billing", arguments: "{}" }] }),
      chatReply({ content: "Refund sent. TERMINATE" }),
    );
    const result = await team.run({ task: "I was charged twice." });
    expect(result.messages.some((m) => m.type === "HandoffMessage")).toBe(true);
    expect(said(result).at(-1)).toBe("billing: Refund sent. TERMINATE");
    expect(bodies(from)).toHaveLength(2);
    await team.close();
  });
});

describe("MagenticOneGroupChat", () => {
  it("round-trips and runs: plans, directs a turn, answers", async () => {
    const doc = c("autogen_agentchat.teams.MagenticOneGroupChat", "team", {
      participants: [assistant("researcher")],
      model_client: model(),
      termination_condition: null,
      max_turns: 6,
      max_stalls: 2,
      final_answer_prompt: "Answer {task} from the conversation.",
      emit_team_events: false,
    });
    const team = await roundTrip<TaskResultRunner>(doc);
    const ledger = (satisfied: boolean) =>
      JSON.stringify({
        is_request_satisfied: { reason: satisfied ? "answered" : "not yet", answer: satisfied },
        is_in_loop: { reason: "no", answer: false },
        is_progress_being_made: { reason: "yes", answer: true },
        next_speaker: { reason: "knows", answer: "researcher" },
        instruction_or_question: { reason: "next", answer: "Look it up." },
      });
    const from = server.requests.length;
    server.enqueue(
      chatReply({ content: "FACTS: none yet." }),
      chatReply({ content: "PLAN: the researcher looks it up." }),
      chatReply({ content: ledger(false) }),
      chatReply({ content: "It is 42." }),
      chatReply({ content: ledger(true) }),
      chatReply({ content: "The answer is 42." }),
    );
    const result = await team.run({ task: "What is the figure?" });
    expect(said(result)).toContain("researcher: It is 42.");
    expect(said(result).at(-1)).toBe("MagenticOneGroupChat: The answer is 42.");
    const requests = bodies(from);
    expect(requests).toHaveLength(6);
    expect(JSON.stringify(requests[5]!.messages)).toContain(
      "Answer What is the figure? from the conversation.",
    );
    await team.close();
  });
});

/** What a loaded team is used as here. */
interface TaskResultRunner {
  run(options: { task: string }): Promise<TaskResult>;
  close(): Promise<void>;
}

describe("GraphFlow", () => {
  const graph = {
    nodes: {
      writer: {
        name: "writer",
        edges: [
          { target: "reviewer", condition: null, activation_group: "reviewer", activation_condition: "all" },
        ],
        activation: "all",
      },
      reviewer: {
        name: "reviewer",
        edges: [
          { target: "writer", condition: "REVISE", activation_group: "writer", activation_condition: "all" },
          { target: "editor", condition: "APPROVE", activation_group: "editor", activation_condition: "all" },
        ],
        activation: "all",
      },
      editor: { name: "editor", edges: [], activation: "all" },
    },
    default_start_node: "writer",
  };
  const doc = () =>
    c("autogen_agentchat.teams.GraphFlow", "team", {
      participants: [assistant("writer"), assistant("reviewer"), assistant("editor")],
      termination_condition: null,
      max_turns: null,
      graph,
    });

  it("round-trips AutoGen's DiGraph and runs its loop until the exit condition", async () => {
    const flow = await roundTrip<GraphFlow>(doc());
    expect(flow.graph.entryPoints).toEqual(["writer"]);
    // AutoGen's default group (the target) loads as ours: the loop back to the writer is a group of its own.
    expect(flow.graph.node("reviewer")!.edges[0]).toMatchObject({
      loopBack: true,
      activationGroup: "loop:reviewer",
    });
    const from = server.requests.length;
    server.enqueue(
      chatReply({ content: "Draft one." }),
      chatReply({ content: "REVISE: shorter." }),
      chatReply({ content: "Draft two." }),
      chatReply({ content: "APPROVE" }),
      chatReply({ content: "Published." }),
    );
    const result = await flow.run({ task: "A line about rivers." });
    expect(said(result).slice(1, 6)).toEqual([
      "writer: Draft one.",
      "reviewer: REVISE: shorter.",
      "writer: Draft two.",
      "reviewer: APPROVE",
      "editor: Published.",
    ]);
    expect(bodies(from)).toHaveLength(5);
    await flow.close();
  });

  it("dumps a flow built in code, keeping explicit groups and several entry points", async () => {
    const [a, b, j] = await Promise.all(
      ["a", "b", "join"].map((n) => loadComponent<AssistantAgent>(assistant(n), OPTIONS)),
    );
    const builder = new DiGraphBuilder()
      .addNode(a!)
      .addNode(b!)
      .addNode(j!, { activation: "any" })
      .addEdge(a!, j!, { activationGroup: "first" })
      .addEdge(b!, j!, { activationGroup: "first" });
    const flow = new GraphFlow({ participants: builder.participants, graph: builder.build() });
    const dumped = await dumpComponent(flow);
    expect(dumped.config.graph).toEqual({
      nodes: {
        a: {
          name: "a",
          edges: [
            { target: "join", condition: null, activation_group: "first", activation_condition: "any" },
          ],
          activation: "all",
        },
        b: {
          name: "b",
          edges: [
            { target: "join", condition: null, activation_group: "first", activation_condition: "any" },
          ],
          activation: "all",
        },
        join: { name: "join", edges: [], activation: "any" },
      },
      default_start_node: null,
    });
    expect(await dumpComponent(await loadComponent(dumped, OPTIONS))).toEqual(dumped);

    const chosen = new DiGraphBuilder()
      .addNode(a!)
      .addNode(b!)
      .addNode(j!)
      .addEdge(a!, b!)
      .addEdge(b!, a!, { condition: "AGAIN" })
      .addEdge(b!, j!, { condition: "DONE" });
    chosen.setEntryPoint(a!);
    const cyclic = new GraphFlow({ participants: chosen.participants, graph: chosen.build() });
    expect((await dumpComponent(cyclic)).config.graph).toMatchObject({ default_start_node: "a" });
  });

  it("refuses to dump a function condition, and names config.graph when a graph does not check out", async () => {
    const [a, b] = await Promise.all(
      ["a", "b"].map((n) => loadComponent<AssistantAgent>(assistant(n), OPTIONS)),
    );
    const builder = new DiGraphBuilder()
      .addNode(a!)
      .addNode(b!)
      .addEdge(a!, b!, { condition: (m) => m.toText().includes("ok") });
    const flow = new GraphFlow({ participants: builder.participants, graph: builder.build() });
    await expect(dumpComponent(flow)).rejects.toThrow(
      /the edge a -> b has a function condition, which a component document cannot hold \(functions are not serialisable\)/,
    );
    const broken = doc();
    (broken.config.graph as typeof graph).nodes.editor.edges = [
      { target: "nobody", condition: null, activation_group: "nobody", activation_condition: "all" },
    ] as never;
    await expect(loadComponent(broken, OPTIONS)).rejects.toThrow(
      /^config\.graph: The edge editor -> nobody leads to an unknown node/,
    );
    const wrongKey = doc();
    (wrongKey.config.graph as { nodes: Record<string, { name: string }> }).nodes.editor!.name = "publisher";
    await expect(loadComponent(wrongKey, OPTIONS)).rejects.toThrow(
      'config.graph.nodes.editor.name: is "publisher", not its key "editor"',
    );
  });
});

describe("SocietyOfMindAgent", () => {
  it("round-trips and runs its inner team, then answers with the model", async () => {
    const inner = c("autogen_agentchat.teams.RoundRobinGroupChat", "team", {
      participants: [assistant("drafter")],
      termination_condition: c("autogen_agentchat.conditions.MaxMessageTermination", "termination", {
        max_messages: 2,
        include_agent_event: false,
      }),
      emit_team_events: false,
    });
    const doc = c("autogen_agentchat.agents.SocietyOfMindAgent", "agent", {
      name: "author",
      team: inner,
      model_client: model(),
      description: "Writes with a team.",
      instruction: "You speak for the team.",
      response_prompt: "Now answer.",
    });
    const agent = await roundTrip<ChatAgent>(doc);
    const from = server.requests.length;
    server.enqueue(chatReply({ content: "Inner draft." }), chatReply({ content: "The final line." }));
    const result = await agent.run({ task: "A line about rivers." });
    // As in AutoGen, run() returns the task and the reply; the inner team's work is streamed.
    expect(said(result)).toEqual(["user: A line about rivers.", "author: The final line."]);
    expect(JSON.stringify(bodies(from)[1]!.messages)).toContain("Inner draft.");
    const summary = bodies(from)[1]!.messages;
    expect(summary[0]).toMatchObject({ role: "system", content: "You speak for the team." });
    expect(JSON.stringify(summary)).toContain("Now answer.");
    await agent.close();
  });

  it("names the path when the team slot holds an agent", async () => {
    const doc = c("autogen_agentchat.agents.SocietyOfMindAgent", "agent", {
      name: "author",
      team: assistant("drafter"),
      model_client: model(),
    });
    await expect(loadComponent(doc, OPTIONS)).rejects.toThrow(
      'config.team.component_type: expected "team", got "agent"',
    );
  });
});

describe("CodeExecutorAgent", () => {
  const executor = () =>
    c("autogen_ext.code_executors.local.LocalCommandLineCodeExecutor", "code_executor", { timeout: 30 });

  it("round-trips and runs: the model writes Python, it runs for real, the model answers", async () => {
    const doc = c("autogen_agentchat.agents.CodeExecutorAgent", "agent", {
      name: "coder",
      code_executor: executor(),
      model_client: model(),
      description: "Writes and runs code.",
      system_message: "Write Python.",
      supported_languages: ["python"],
      max_retries_on_error: 1,
    });
    const agent = await roundTrip<CodeExecutorAgent>(doc);
    const from = server.requests.length;
    server.enqueue(
      chatReply({ content: "```python\nprint(6 * 7)\n```" }),
      chatReply({ content: "The product is 42." }),
    );
    const result = await agent.run({ task: "Compute 6 * 7 with code." });
    const execution = result.messages.find((m) => m.type === "CodeExecutionEvent");
    expect(execution?.toText()).toContain("42");
    expect(said(result).at(-1)).toBe("coder: The product is 42.");
    // The model reads the output itself, as a user message (AutoGen's form).
    expect(bodies(from)[1]!.messages).toContainEqual(
      expect.objectContaining({ role: "user", content: "42\n" }),
    );
  });

  it("refuses to dump an agent with an approvalFunc", async () => {
    const agent = new CodeExecutorAgent({
      name: "runner",
      codeExecutor: new LocalCommandLineCodeExecutor({ timeoutMs: 5_000 }),
      approvalFunc: () => ({ approved: true, reason: "fine" }),
    });
    await expect(dumpComponent(agent)).rejects.toThrow(
      /CodeExecutorAgent "runner" has an approvalFunc, which a component document cannot hold/,
    );
  });
});

describe("MessageFilterAgent", () => {
  it("round-trips AutoGen's per_source filter and shows the wrapped agent only what it keeps", async () => {
    const doc = c("autogen_agentchat.agents.MessageFilterAgent", "agent", {
      name: "reviewer",
      wrapped_agent: assistant("critic"),
      filter: {
        per_source: [
          { source: "user", position: "last", count: 1 },
          { source: "writer", position: null, count: null },
        ],
      },
    });
    const agent = await roundTrip<ChatAgent>(doc);
    const from = server.requests.length;
    server.enqueue(chatReply({ content: "Seen." }));
    await agent.run({
      task: [
        new TextMessage({ source: "user", content: "old request" }),
        new TextMessage({ source: "other", content: "noise" }),
        new TextMessage({ source: "writer", content: "a draft" }),
        new TextMessage({ source: "user", content: "new request" }),
      ],
    });
    const shown = JSON.stringify(bodies(from)[0]!.messages);
    expect(shown).toContain("new request");
    expect(shown).toContain("a draft");
    expect(shown).not.toContain("old request");
    expect(shown).not.toContain("noise");
  });

  it("names the path of a count without a position", async () => {
    const doc = c("autogen_agentchat.agents.MessageFilterAgent", "agent", {
      name: "reviewer",
      wrapped_agent: assistant("critic"),
      filter: { per_source: [{ source: "user", count: 2 }] },
    });
    await expect(loadComponent(doc, OPTIONS)).rejects.toThrow(
      /^config\.filter\.per_source\[0\]\.position: is needed with a count/,
    );
  });
});

describe("ListMemory and an AssistantAgent's memory", () => {
  it("round-trips and the agent's model sees what the memory holds", async () => {
    const memory = c("autogen_core.memory.ListMemory", "memory", {
      name: "preferences",
      memory_contents: [
        { content: "Answer in French.", mime_type: "text/plain", metadata: null },
        { content: { units: "metric" }, mime_type: "application/json", metadata: { origin: "profile" } },
      ],
    });
    expect(await roundTrip<ListMemory>(memory)).toBeInstanceOf(ListMemory);
    const agent = await roundTrip<AssistantAgent>(assistant("helper", { memory: [memory] }));
    const from = server.requests.length;
    server.enqueue(chatReply({ content: "Bonjour." }));
    await agent.run({ task: "Say hello." });
    const shown = JSON.stringify(bodies(from)[0]!.messages);
    expect(shown).toContain("Answer in French.");
    expect(shown).toContain('{\\"units\\":\\"metric\\"}');
  });
});

describe("objects built in code dump too", () => {
  it("a model client keeps its endpoint (credentials stripped) and never its key", async () => {
    const client = new OpenAIChatCompletionClient({
      model: "gpt-4o",
      apiKey: "sk-never-written",
      baseURL: "http://user:pass@127.0.0.1:11434/v1",
    });
    const doc = await dumpComponent(client);
    expect(doc.config.base_url).toBe("http://127.0.0.1:11434/v1");
    expect(JSON.stringify(doc)).not.toContain("sk-never-written");
    expect(JSON.stringify(doc)).not.toContain("pass");
    const back = await loadComponent<OpenAIChatCompletionClient>(doc, {});
    expect(back.baseURL).toBe("http://127.0.0.1:11434/v1");
    // The provider's own endpoint is the default: a dump leaves it out.
    const plain = await dumpComponent(new OpenAIChatCompletionClient({ model: "gpt-4o", apiKey: "sk-x" }));
    expect(plain.config.base_url).toBeUndefined();
  });

  it("an AssistantAgent with a TypeScript tool, memory, a model context and handoffs", async () => {
    const add = new FunctionTool({
      name: "add",
      description: "Adds two numbers.",
      parameters: {
        type: "object",
        properties: { a: { type: "number" }, b: { type: "number" } },
        required: ["a", "b"],
      },
      run: ({ a, b }: { a: number; b: number }) => a + b,
    });
    const memory = new ListMemory({ name: "facts" });
    await memory.add({ content: "The user is Ada.", mimeType: MemoryMimeType.TEXT });
    const agent = new AssistantAgent({
      name: "calc",
      modelClient: new OpenAIChatCompletionClient({
        model: "gpt-4o-mini",
        apiKey: "sk-never-written",
        baseURL: `${server.url}/v1`,
      }),
      tools: [add],
      memory: [memory],
      modelContext: new BufferedChatCompletionContext({ bufferSize: 6 }),
      handoffs: ["user"],
      systemMessage: "Add numbers.",
      maxToolIterations: 2,
    });
    const dumped = await dumpComponent(agent);
    expect(JSON.stringify(dumped)).not.toContain("sk-never-written");
    expect(dumped).toMatchObject({
      provider: "autogen_agentchat.agents.AssistantAgent",
      config: {
        name: "calc",
        handoffs: ["user"],
        system_message: "Add numbers.",
        max_tool_iterations: 2,
        model_context: {
          provider: "autogen_core.model_context.BufferedChatCompletionContext",
          config: { buffer_size: 6 },
        },
        memory: [{ provider: "autogen_core.memory.ListMemory", config: { name: "facts" } }],
        workbench: [
          {
            provider: "autogen_core.tools.StaticWorkbench",
            config: {
              tools: [
                {
                  provider: "autogen_core.tools.FunctionTool",
                  config: { name: "add", language: "javascript" },
                },
              ],
            },
          },
        ],
      },
    });
    const loaded = await loadComponent<AssistantAgent>(dumped, OPTIONS);
    expect(await dumpComponent(loaded)).toEqual(dumped);
    // The tool loaded from the dump runs its TypeScript source.
    const workbench = loaded.options.workbench as readonly {
      callTool(n: string, a: unknown): Promise<unknown>;
    }[];
    expect(await workbench[0]!.callTool("add", { a: 2, b: 3 })).toMatchObject({ result: [{ text: "5" }] });
  });

  it("an AssistantAgent with a structured output or a summary formatter is refused by name", async () => {
    const agent = new AssistantAgent({
      name: "fmt",
      modelClient: new OpenAIChatCompletionClient({ model: "gpt-4o-mini", apiKey: "sk-x" }),
      toolCallSummaryFormatter: (call) => call.name,
    });
    await expect(dumpComponent(agent)).rejects.toThrow(/AssistantAgent "fmt" has a toolCallSummaryFormatter/);
  });

  it("a Swarm and a RoundRobinGroupChat of loaded agents", async () => {
    const [a, b] = await Promise.all(
      ["a", "b"].map((n) => loadComponent<AssistantAgent>(assistant(n), OPTIONS)),
    );
    for (const team of [
      new Swarm({ participants: [a!, b!], terminationCondition: new TextMentionTermination("DONE") }),
      new RoundRobinGroupChat({
        participants: [a!, b!],
        maxTurns: 3,
        name: "pair",
        description: "Two agents.",
      }),
    ]) {
      const dumped = await dumpComponent(team);
      expect(dumped.config).toMatchObject({ name: team.name, emit_team_events: false });
      expect(await dumpComponent(await loadComponent(dumped, OPTIONS))).toEqual(dumped);
    }
  });

  it("an McpWorkbench: times in seconds, secret-looking literal env values left out", async () => {
    const workbench = new McpWorkbench({
      server: {
        command: "node",
        args: ["server.js"],
        env: { API_TOKEN: "tok-secret", LOG_LEVEL: "debug" },
        timeout: 5_000,
      },
      toolNamePrefix: "fs_",
      toolOverrides: { read_file: { description: "Reads a file." } },
    });
    const dumped = await dumpComponent(workbench);
    expect(dumped.config).toEqual({
      server_params: {
        type: "StdioServerParams",
        command: "node",
        args: ["server.js"],
        env: { LOG_LEVEL: "debug" },
        read_timeout_seconds: 5,
      },
      tool_overrides: { read_file: { description: "Reads a file." } },
      tool_name_prefix: "fs_",
    });
    const loaded = await loadComponent<McpWorkbench>(dumped, OPTIONS);
    expect(loaded.server).toMatchObject({ command: "node", timeout: 5_000 });
    expect(await dumpComponent(loaded)).toEqual(dumped);
  });
});
