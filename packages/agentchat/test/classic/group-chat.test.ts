/**
 * Behaviour checks of the classic GroupChat and GroupChatManager, ported from AG2's
 * test/agentchat/test_groupchat.py (each `it` names its AG2 test).
 */
import { ToolError, ValidationError } from "@autogen-ts/core";
import { ReplayChatCompletionClient } from "@autogen-ts/core/testing";
import { describe, expect, it } from "vitest";
import type { ConversableAgentOptions } from "../../src/classic/index.js";
import {
  ConversableAgent,
  GroupChat,
  GroupChatManager,
  runChat,
  UserProxyAgent,
} from "../../src/classic/index.js";

const agent = (name: string, extra: Partial<ConversableAgentOptions> = {}) =>
  new ConversableAgent({
    name,
    llmConfig: false,
    humanInputMode: "NEVER",
    maxConsecutiveAutoReply: 10,
    defaultAutoReply: `This is ${name} speaking.`,
    ...extra,
  });

const contents = (messages: readonly { content: unknown }[] | undefined) =>
  (messages ?? []).map((m) => m.content);

describe("GroupChat (ported from AG2's test_groupchat.py)", () => {
  it("test_func_call_groupchat: a function call goes to the agent that can run it", async () => {
    const alice = agent("alice");
    const bob = agent("bob", { functionMap: { test_func: ({ x }) => x } });
    let groupchat = new GroupChat({ agents: [alice, bob], maxRound: 3 });
    let manager = new GroupChatManager({ groupchat, llmConfig: false });
    await bob.initiateChat(manager, {
      message: { functionCall: { name: "test_func", arguments: '{"x": 1}' } },
    });
    expect(groupchat.messages).toHaveLength(3);
    expect(groupchat.messages[1]).toMatchObject({ role: "function", name: "test_func", content: "1" });
    expect(groupchat.messages[2]?.name).toBe("alice");

    const carol = agent("carol", { functionMap: { test_func: ({ x }) => (x as number) + 1 } });
    groupchat = new GroupChat({ agents: [alice, bob, carol], maxRound: 3 });
    manager = new GroupChatManager({ groupchat, llmConfig: false });
    await carol.initiateChat(manager, {
      message: { functionCall: { name: "test_func", arguments: '{"x": 1}' } },
    });
    expect(groupchat.messages[1]).toMatchObject({ role: "function", name: "test_func", content: "1" });
    expect(groupchat.messages[2]?.name).toBe("carol");
  });

  it("test_chat_manager: rounds, reset, and a call nobody can run is an error", async () => {
    const alice = agent("alice", { maxConsecutiveAutoReply: 2 });
    const bob = agent("bob", { maxConsecutiveAutoReply: 2 });
    const groupchat = new GroupChat({ agents: [alice, bob], maxRound: 2 });
    const manager = new GroupChatManager({ groupchat, llmConfig: false });
    await alice.initiateChat(manager, { message: "hello" });
    expect(alice.chatMessages.get(manager)).toHaveLength(2);
    expect(groupchat.messages).toHaveLength(2);
    manager.reset();
    expect(groupchat.messages).toHaveLength(0);
    alice.reset();
    bob.reset();
    await bob.initiateChat(manager, { message: "hello" });
    expect(groupchat.messages).toHaveLength(2);
    const error = await bob
      .initiateChat(manager, { message: { functionCall: { name: "func", arguments: '{"x": 1}' } } })
      .catch((e: unknown) => e);
    expect(ToolError.isInstance(error) && error.code).toBe("unknown_tool");
    // The messages so far survive.
    expect(groupchat.messages.at(-1)?.functionCall?.name).toBe("func");
  });

  const three = () => [agent("alice"), agent("bob"), agent("charlie")] as const;

  it("test_speaker_selection_method: round_robin (any case), auto and random run the rounds", async () => {
    for (const method of ["round_robin", "RounD_roBin", "auto", "random"]) {
      const [alice, bob, charlie] = three();
      const groupchat = new GroupChat({
        agents: [alice, bob, charlie],
        maxRound: 6,
        speakerSelectionMethod: method as "auto",
      });
      const manager = new GroupChatManager({ groupchat, llmConfig: false });
      await alice.initiateChat(manager, { message: "This is alice speaking." });
      expect(alice.chatMessages.get(manager)).toHaveLength(6);
      expect(groupchat.messages).toHaveLength(6);
      if (method.toLowerCase() === "round_robin" || method === "auto") {
        expect(contents(alice.chatMessages.get(manager))).toEqual(
          ["This is alice speaking.", "This is bob speaking.", "This is charlie speaking."]
            .flatMap((x) => [x])
            .concat(["This is alice speaking.", "This is bob speaking.", "This is charlie speaking."]),
        );
      }
    }
  });

  it("test_speaker_selection_method: manual, through the input function ('', q, x, 1, 10)", async () => {
    for (const answer of ["", "q", "x", "1", "10"]) {
      const [alice, bob, charlie] = three();
      const groupchat = new GroupChat({
        agents: [alice, bob, charlie],
        maxRound: 6,
        speakerSelectionMethod: "manual",
        allowRepeatSpeaker: false,
        inputFunc: () => answer,
      });
      const manager = new GroupChatManager({ groupchat, llmConfig: false });
      await alice.initiateChat(manager, { message: "This is alice speaking." });
      expect(groupchat.messages).toHaveLength(6);
      if (answer === "1") {
        expect(contents(alice.chatMessages.get(manager))).toEqual(
          Array.from({ length: 3 }, () => ["This is alice speaking.", "This is bob speaking."]).flat(),
        );
      }
    }
  });

  it("test_speaker_selection_method: a wrong method is refused (at construction here)", () => {
    expect(() => new GroupChat({ agents: three(), speakerSelectionMethod: "wrong" as never })).toThrow(
      ValidationError,
    );
  });

  it("test_n_agents_less_than_3: two agents alternate; no agents is an error", async () => {
    for (const method of ["auto", "round_robin", "random", "RounD_roBin"]) {
      const alice = agent("alice");
      const bob = agent("bob");
      const groupchat = new GroupChat({
        agents: [alice, bob],
        maxRound: 6,
        speakerSelectionMethod: method as "auto",
        allowRepeatSpeaker: method === "random" ? [alice, bob] : false,
      });
      const manager = new GroupChatManager({ groupchat, llmConfig: false });
      await alice.initiateChat(manager, { message: "This is alice speaking." });
      expect(groupchat.messages).toHaveLength(6);
      if (method !== "random") {
        expect(contents(alice.chatMessages.get(manager))).toEqual(
          Array.from({ length: 3 }, () => ["This is alice speaking.", "This is bob speaking."]).flat(),
        );
      }
    }
    const alone = new GroupChat({
      agents: [],
      maxRound: 6,
      speakerSelectionMethod: "round_robin",
      allowRepeatSpeaker: false,
    });
    const manager = new GroupChatManager({ groupchat: alone, llmConfig: false });
    await expect(agent("alice").initiateChat(manager, { message: "hi" })).rejects.toThrow(ValidationError);
  });

  it("test_invalid_allow_repeat_speaker", () => {
    expect(
      () => new GroupChat({ agents: [agent("a"), agent("b")], allowRepeatSpeaker: {} as never }),
    ).toThrow("GroupChat: allowRepeatSpeaker must be a boolean or a list of agents");
  });

  it("test_plugin: runChat registered on a plain ConversableAgent makes it a manager", async () => {
    const alice = agent("alice", { maxConsecutiveAutoReply: 2 });
    const bob = agent("bob", { maxConsecutiveAutoReply: 2 });
    const groupchat = new GroupChat({ agents: [alice, bob], maxRound: 2 });
    const deputy = new ConversableAgent({ name: "deputy_manager", llmConfig: false });
    deputy.registerReply(ConversableAgent, runChat, {
      config: groupchat,
      resetConfig: (g) => (g as GroupChat).reset(),
    });
    await alice.initiateChat(deputy, { message: "hello" });
    expect(alice.chatMessages.get(deputy)).toHaveLength(2);
    expect(groupchat.messages).toHaveLength(2);
  });

  it("test_agent_mentions: counts, substrings, word boundaries and special characters", () => {
    const [alice, bob] = [agent("alice"), agent("bob")];
    const sam = agent("sam");
    const gc = new GroupChat({ agents: [alice, bob, sam], maxRound: 2 });
    const all = [alice, bob, sam];
    expect(gc.mentionedAgents("", all)).toEqual({});
    expect(gc.mentionedAgents("alice", all)).toEqual({ alice: 1 });
    expect(gc.mentionedAgents("alice bob alice", all)).toEqual({ alice: 2, bob: 1 });
    expect(gc.mentionedAgents("alice bob alice sam robert", all)).toEqual({ alice: 2, bob: 1, sam: 1 });
    expect(gc.mentionedAgents("sam samantha basam asami", all)).toEqual({ sam: 1 });
    expect(gc.mentionedAgents("alice! .alice. .alice", all)).toEqual({ alice: 3 });
    const star = agent(".*");
    expect(gc.mentionedAgents("alice bob alice sam robert .*", [...all, star])).toEqual({
      ".*": 1,
      alice: 2,
      bob: 1,
      sam: 1,
    });
  });

  it("test_speaker_selection_agent_name_match: escaped underscores and spaces match, other casing does not", () => {
    const agents = [agent("User_proxy"), agent("Story_writer"), agent("Product_manager")];
    const gc = new GroupChat({ agents, maxRound: 8 });
    expect(gc.mentionedAgents("Story_writer", agents)).toEqual({ Story_writer: 1 });
    expect(gc.mentionedAgents("' Story_writer.\n\nHere are three story ideas", agents)).toEqual({
      Story_writer: 1,
    });
    expect(gc.mentionedAgents("Story\\_writer", agents)).toEqual({ Story_writer: 1 });
    expect(gc.mentionedAgents("Story writer", agents)).toEqual({ Story_writer: 1 });
    expect(gc.mentionedAgents("Story_Writer", agents)).toEqual({});
    expect(gc.mentionedAgents("NoName_Person", agents)).toEqual({});
    expect(gc.mentionedAgents("Story writer will follow the Product\\_manager.", agents)).toEqual({
      Story_writer: 1,
      Product_manager: 1,
    });
    expect(gc.mentionedAgents("Story Writer will follow the product\\_manager.", agents)).toEqual({});
  });

  it("test_termination: the manager's isTerminationMsg ends the rounds (default: exact TERMINATE)", async () => {
    const make = () => [
      agent("alice"),
      agent("bob"),
      agent("sam", { defaultAutoReply: "This is sam speaking. TERMINATE" }),
    ];
    let groupchat = new GroupChat({ agents: make(), speakerSelectionMethod: "round_robin", maxRound: 10 });
    let manager = new GroupChatManager({ groupchat, llmConfig: false, isTerminationMsg: null });
    await (groupchat.agents[0] as ConversableAgent).initiateChat(manager, {
      message: "'None' is_termination_msg function.",
    });
    expect(groupchat.messages).toHaveLength(10);
    groupchat = new GroupChat({ agents: make(), speakerSelectionMethod: "round_robin", maxRound: 10 });
    manager = new GroupChatManager({
      groupchat,
      llmConfig: false,
      isTerminationMsg: (m) => String(m.content ?? "").includes("TERMINATE"),
    });
    await (groupchat.agents[0] as ConversableAgent).initiateChat(manager, {
      message: "User-provided function.",
    });
    expect(groupchat.messages).toHaveLength(3);
  });

  it("test_next_agent: the next in the group's order, within a subset; agents outside the group are refused", () => {
    const [a1, a2, a3, a4, a5, a6] = ["alice", "bob", "sam", "sally", "samantha", "robert"].map((n) =>
      agent(n),
    ) as [
      ConversableAgent,
      ConversableAgent,
      ConversableAgent,
      ConversableAgent,
      ConversableAgent,
      ConversableAgent,
    ];
    const gc = new GroupChat({ agents: [a1, a2, a3], speakerSelectionMethod: "round_robin", maxRound: 10 });
    expect(gc.nextAgent(a1, [a1, a2, a3])).toBe(a2);
    expect(gc.nextAgent(a2)).toBe(a3);
    expect(gc.nextAgent(a3)).toBe(a1);
    expect(gc.nextAgent(a1, [a1, a3])).toBe(a3);
    expect(gc.nextAgent(a3, [a1, a3])).toBe(a1);
    expect(gc.nextAgent(a2, [a1, a3])).toBe(a3);
    expect(gc.nextAgent(a4, [a1, a3])).toBe(a1);
    expect(gc.nextAgent(a4, [a1, a2, a3])).toBe(a1);
    expect(() => gc.nextAgent(a4, [a5, a6])).toThrow(ValidationError);
  });

  it("test_send_intros: introductions first, only when asked", async () => {
    const make = (n: string, d: string) =>
      agent(n, { description: d, defaultAutoReply: `This is ${n} speaking. TERMINATE` });
    const [a1, a2, a3, a4] = [
      make("alice", "The first agent."),
      make("bob", "The second agent."),
      make("sam", "The third agent."),
      make("sally", "The fourth agent."),
    ];
    const gc = new GroupChat({
      agents: [a1, a2, a3],
      speakerSelectionMethod: "round_robin",
      maxRound: 10,
      sendIntroductions: true,
    });
    let intro = gc.introductionsMsg();
    expect(intro).toContain("The first agent.");
    expect(intro).toContain("The third agent.");
    expect(intro).not.toContain("The fourth agent.");
    intro = gc.introductionsMsg([a1, a2, a4]);
    expect(intro).not.toContain("The third agent.");
    expect(intro).toContain("The fourth agent.");
    const isTerminationMsg = (m: { content: unknown }) => String(m.content ?? "").includes("TERMINATE");
    const manager = new GroupChatManager({ groupchat: gc, llmConfig: false, isTerminationMsg });
    await manager.initiateChat(manager, { message: "The initiating message." });
    const messages = a1.chatMessages.get(manager) ?? [];
    expect(messages).toHaveLength(3);
    expect(messages[0]?.content).toContain("The second agent.");
    expect(messages[1]?.content).toBe("The initiating message.");
    expect(messages[2]?.content).toBe("This is alice speaking. TERMINATE");
    for (const a of [a1, a2, a3, a4]) a.reset();
    const gc2 = new GroupChat({ agents: [a1, a2, a3], speakerSelectionMethod: "round_robin", maxRound: 10 });
    const manager2 = new GroupChatManager({ groupchat: gc2, llmConfig: false, isTerminationMsg });
    await manager2.initiateChat(manager2, { message: "The initiating message." });
    expect(contents(a1.chatMessages.get(manager2))).toEqual([
      "The initiating message.",
      "This is alice speaking. TERMINATE",
    ]);
  });

  it("test_selection_helpers: the selector's message lists descriptions, the prompt lists the names", async () => {
    const alice = agent("alice", { description: "Alice is an AI agent." });
    const bob = agent("bob", { description: "Bob is an AI agent." });
    const sam = agent("sam", { systemMessage: "Sam is an AI agent." });
    const gc = new GroupChat({ agents: [alice, bob, sam], inputFunc: () => "1" });
    const msg = gc.selectSpeakerMsg();
    expect(msg).toContain("Alice is an AI agent.");
    expect(msg).toContain("Sam is an AI agent.");
    expect(gc.selectSpeakerPrompt()?.toLowerCase()).toContain("['alice', 'bob', 'sam']");
    expect(await gc.manualSelectSpeaker()).toBe(alice);
  });

  it("test_init_default_parameters: every agent may follow every agent", () => {
    const agents = [0, 1, 2].map((i) => agent(`Agent${i}`));
    const gc = new GroupChat({ agents, maxRound: 3 });
    for (const a of agents) expect(new Set(gc.allowedSpeakerTransitions.get(a))).toEqual(new Set(agents));
  });

  it("test_graph_parameters: a graph needs a type, and excludes allowRepeatSpeaker", () => {
    const agents = [0, 1, 2].map((i) => agent(`Agent${i}`)) as [
      ConversableAgent,
      ConversableAgent,
      ConversableAgent,
    ];
    const graph = new Map([
      [agents[0], [agents[1]]],
      [agents[1], [agents[2]]],
    ]);
    expect(() => new GroupChat({ agents, allowedOrDisallowedSpeakerTransitions: graph })).toThrow(
      ValidationError,
    );
    expect(
      () =>
        new GroupChat({
          agents,
          allowRepeatSpeaker: false,
          allowedOrDisallowedSpeakerTransitions: graph,
          speakerTransitionsType: "allowed",
        }),
    ).toThrow(ValidationError);
    expect(
      () =>
        new GroupChat({
          agents,
          allowedOrDisallowedSpeakerTransitions: graph,
          speakerTransitionsType: "a" as never,
        }),
    ).toThrow(ValidationError);
    const gc = new GroupChat({
      agents,
      allowedOrDisallowedSpeakerTransitions: graph,
      speakerTransitionsType: "allowed",
    });
    expect(gc.agentNames).toContain("Agent0");
    const disallowed = new GroupChat({
      agents,
      allowedOrDisallowedSpeakerTransitions: { Agent0: ["Agent1"] },
      speakerTransitionsType: "disallowed",
    });
    expect(disallowed.allowedSpeakerTransitions.get(agents[0])).toEqual([agents[0], agents[2]]);
  });

  it("test_graceful_exit_before_max_round: a speaker with no successor ends the chat", async () => {
    const [alice, bob, sam] = [agent("alice"), agent("bob"), agent("sam")];
    const gc = new GroupChat({
      agents: [alice, bob, sam],
      speakerSelectionMethod: "round_robin",
      maxRound: 10,
      allowRepeatSpeaker: null,
      allowedOrDisallowedSpeakerTransitions: new Map([
        [alice, [bob]],
        [bob, [sam]],
      ]),
      speakerTransitionsType: "allowed",
    });
    const manager = new GroupChatManager({ groupchat: gc, llmConfig: false, isTerminationMsg: null });
    await alice.initiateChat(manager, { message: "" });
    expect(gc.messages).toHaveLength(3);
  });

  it("test_get_agent_by_name / test_get_nested_agents_in_groupchat", () => {
    const team = (members: ConversableAgent[], name: string) =>
      new GroupChatManager({ groupchat: new GroupChat({ agents: members }), name, llmConfig: false });
    const m1 = agent("team1_member1");
    const m2 = agent("team1_member2");
    const user = agent("user");
    const team1 = team([m1, m2], "team1");
    const dup = team([agent("team1_member1"), agent("team1_member2")], "team1");
    const gc = new GroupChat({ agents: [user, team1, dup] });
    expect(gc.agentByName("user")).toBe(user);
    expect([team1, dup]).toContain(gc.agentByName("team1"));
    expect(gc.agentByName("team1_member1", { recursive: true })?.name).toBe("team1_member1");
    expect(gc.agentByName("team2")).toBeUndefined();
    expect(gc.agentByName("team2", { recursive: true, raiseOnNameConflict: true })).toBeUndefined();
    expect(() => gc.agentByName("team1", { raiseOnNameConflict: true })).toThrow(ValidationError);
    expect(() => gc.agentByName("team1_member1", { recursive: true, raiseOnNameConflict: true })).toThrow(
      ValidationError,
    );
    expect(gc.nestedAgents()).toHaveLength(7);
  });

  it("test_nested_teams_chat: members of nested teams talk directly", async () => {
    const team = (name: string, reply: string) =>
      new GroupChatManager({
        groupchat: new GroupChat({
          agents: [
            agent(`member1_${name}`, { defaultAutoReply: reply }),
            agent(`member2_${name}`, { defaultAutoReply: reply }),
          ],
        }),
        name,
        llmConfig: false,
      });
    const gc = new GroupChat({
      agents: [agent("user"), team("team1", "Hello from team 1"), team("team2", "Hello from team 2")],
    });
    const t1m1 = gc.agentByName("member1_team1", { recursive: true }) as ConversableAgent;
    const t2m2 = gc.agentByName("member2_team2", { recursive: true }) as ConversableAgent;
    await t1m1.send({ content: "Hello from team 1" }, t2m2, { requestReply: true });
    expect(contents(t1m1.chatMessages.get(t2m2))).toEqual(["Hello from team 1", "Hello from team 2"]);
  });

  it("test_custom_speaker_selection: a function picks speakers; returning nothing ends the chat", async () => {
    const a1 = new UserProxyAgent({
      name: "a1",
      defaultAutoReply: "This is a1 speaking.",
      humanInputMode: "NEVER",
    });
    const a2 = new UserProxyAgent({
      name: "a2",
      defaultAutoReply: "This is a2 speaking.",
      humanInputMode: "NEVER",
    });
    const a3 = new UserProxyAgent({ name: "a3", defaultAutoReply: "TERMINATE", humanInputMode: "NEVER" });
    const gc = new GroupChat({
      agents: [a1, a2, a3],
      maxRound: 20,
      speakerSelectionMethod: (last) => (last === a1 ? a2 : last === a2 ? a3 : undefined),
    });
    const result = await a1.initiateChat(new GroupChatManager({ groupchat: gc, llmConfig: false }), {
      message: "Hello, this is a1 speaking.",
    });
    expect(result.chatHistory).toHaveLength(3);
  });

  it("test_custom_speaker_selection_with_transition_graph: 26 agents spell a,u,t,o,g,e,n", async () => {
    const agents = Array.from(
      { length: 26 },
      (_, i) =>
        new UserProxyAgent({
          name: String.fromCharCode(97 + i),
          defaultAutoReply: `My name is ${String.fromCharCode(97 + i)}`,
          humanInputMode: "NEVER",
        }),
    );
    const graph = new Map(agents.slice(0, 25).map((a, i) => [a, [agents[i + 1] as ConversableAgent]]));
    const sequence = ["a", "u", "t", "o", "g", "e", "n"];
    const byName = (c: string) => agents[c.charCodeAt(0) - 97] as ConversableAgent;
    for (let i = 1; i < sequence.length; i++)
      graph.get(byName(sequence[i - 1] as string))?.push(byName(sequence[i] as string));
    const gc = new GroupChat({
      agents,
      maxRound: 20,
      speakerSelectionMethod: (last) => {
        const at = sequence.indexOf(last.name);
        return at === sequence.length - 1 ? null : byName(sequence[at + 1] as string);
      },
      allowedOrDisallowedSpeakerTransitions: graph,
      speakerTransitionsType: "allowed",
    });
    const result = await byName("a").initiateChat(new GroupChatManager({ groupchat: gc, llmConfig: false }), {
      message: "My name is a",
    });
    expect(result.chatHistory.map((m) => String(m.content).at(-1))).toEqual(sequence);
  });

  it("test_custom_speaker_selection_overrides_transition_graph", async () => {
    const names = ["teamA_engineer", "teamA_executor", "teamB_engineer"];
    const [eng, exe, engB] = names.map(
      (n) => new UserProxyAgent({ name: n, defaultAutoReply: `My name is ${n}`, humanInputMode: "NEVER" }),
    ) as [ConversableAgent, ConversableAgent, ConversableAgent];
    const gc = new GroupChat({
      agents: [eng, exe, engB],
      maxRound: 20,
      speakerSelectionMethod: (last) => (last === eng ? engB : last === engB ? exe : null),
      allowedOrDisallowedSpeakerTransitions: new Map([[eng, [exe, engB]]]),
      speakerTransitionsType: "allowed",
    });
    const result = await eng.initiateChat(new GroupChatManager({ groupchat: gc, llmConfig: false }), {
      message: "My name is teamA_engineer",
    });
    expect(result.chatHistory.map((m) => m.name)).toContain("teamA_executor");
  });

  it("test_role_for_select_speaker_messages: overrideRole sets the stored role; an empty role is refused", async () => {
    const checking = new ConversableAgent({ name: "checking_agent", llmConfig: false });
    const selection = agent("speaker_selection_agent");
    for (const role of ["system", "user", "SockS"]) {
      await checking.send({ content: "A prompt goes here.", overrideRole: role }, selection);
      expect(checking.chatMessages.size).toBe(1);
      expect(checking.chatMessages.get(selection)?.at(-1)?.role).toBe(role);
    }
    expect(
      () => new GroupChat({ agents: [agent("a"), agent("b")], roleForSelectSpeakerMessages: "" }),
    ).toThrow("roleForSelectSpeakerMessages cannot be empty");
  });

  it("test_select_speaker_message_and_prompt_templates: custom templates filled in; empty ones refused or dropped", () => {
    const agents = [
      agent("Alice", { description: "A wonderful employee named Alice." }),
      agent("Bob", { description: "An amazing employee named Bob." }),
    ];
    const msg = "Roles:\n{roles}\nYou must select only from {agentlist}.";
    const prompt = "Select the next job role from {agentlist}.";
    const gc = new GroupChat({
      agents,
      selectSpeakerMessageTemplate: msg,
      selectSpeakerPromptTemplate: prompt,
    });
    expect(gc.selectSpeakerMsg()).toBe(
      "Roles:\nAlice: A wonderful employee named Alice.\nBob: An amazing employee named Bob.\nYou must select only from ['Alice', 'Bob'].",
    );
    expect(gc.selectSpeakerPrompt()).toBe("Select the next job role from ['Alice', 'Bob'].");
    expect(() => new GroupChat({ agents, selectSpeakerMessageTemplate: "" })).toThrow(
      "selectSpeakerMessageTemplate cannot be empty",
    );
    expect(new GroupChat({ agents, selectSpeakerPromptTemplate: "" }).selectSpeakerPromptTemplate).toBeNull();
    expect(
      new GroupChat({ agents, selectSpeakerPromptTemplate: null }).selectSpeakerPromptTemplate,
    ).toBeNull();
  });

  it("test_select_speaker_auto_messages: custom retry templates; empty ones refused", () => {
    const agents = [agent("Alice"), agent("Bob")];
    const gc = new GroupChat({
      agents,
      selectSpeakerAutoMultipleTemplate: "Just one of {agentlist}.",
      selectSpeakerAutoNoneTemplate: "Pick one of {agentlist}.",
    });
    expect(gc.selectSpeakerRetryPrompt("multiple", agents)).toBe("Just one of ['Alice', 'Bob'].");
    expect(gc.selectSpeakerRetryPrompt("none", agents)).toBe("Pick one of ['Alice', 'Bob'].");
    expect(() => new GroupChat({ agents, selectSpeakerAutoMultipleTemplate: "" })).toThrow(ValidationError);
    expect(() => new GroupChat({ agents, selectSpeakerAutoNoneTemplate: "" })).toThrow(ValidationError);
  });

  it("test_speaker_selection_validate_speaker_name: auto selection retries on several names and on none, then falls back", async () => {
    const cmo = agent("Chief_Marketing_Officer");
    const pm = agent("Product_Manager");
    const selector = new ReplayChatCompletionClient([
      "Product_Manager must speak after the Chief_Marketing_Officer",
      "The PM must speak after the CMO",
      "Product_Manager is the next to speak",
      "nobody",
      "still nobody",
      "no one at all",
    ]);
    const gc = new GroupChat({ agents: [cmo, pm], maxRound: 3 });
    const manager = new GroupChatManager({ groupchat: gc, llmConfig: selector });
    await cmo.initiateChat(manager, { message: "Let's get this meeting started." });
    expect(gc.messages.map((m) => m.name)).toEqual([
      "Chief_Marketing_Officer",
      "Product_Manager",
      "Chief_Marketing_Officer",
    ]);
    // The second attempt was told it named two, the third that it named nobody.
    const second = JSON.stringify(selector.requests[1]?.messages);
    expect(second).toContain("named more than one participant");
    expect(JSON.stringify(selector.requests[2]?.messages)).toContain("named no participant");
    // The selector's system message lists the roles; its prompt goes in the configured role.
    expect(selector.requests[0]?.messages[0]).toMatchObject({ type: "SystemMessage" });
    expect(JSON.stringify(selector.requests[0]?.messages[0])).toContain("Product_Manager");
    expect(selector.remainingResponses).toBe(0);
  });

  it("test_role_for_reflection_summary: the summary prompt goes in the summaryRole", async () => {
    const model = new ReplayChatCompletionClient(["Mocked summary"]);
    const alice = agent("alice");
    const bob = agent("bob");
    const gc = new GroupChat({ agents: [alice, bob], maxRound: 3, speakerSelectionMethod: "round_robin" });
    const manager = new GroupChatManager({ groupchat: gc, llmConfig: model });
    const result = await alice.initiateChat(manager, {
      maxTurns: 2,
      message: "hello",
      summaryMethod: "reflection_with_llm",
      summaryArgs: { summaryRole: "user" },
    });
    expect(result.summary).toBe("Mocked summary");
    expect(model.requests).toHaveLength(1);
    expect(model.requests[0]?.messages.at(-1)).toMatchObject({ type: "UserMessage" });
  });
});
