/**
 * Behaviour checks of the classic ConversableAgent, ported from AG2's tests: each `it` names the AG2 test
 * it comes from (ag2ai/ag2 test/agentchat/test_conversable_agent.py, "tca"; and
 * test/agentchat/conversableAgent/test_base.py, "base").
 */
import { ValidationError } from "@autogen-ts/core";
import { ReplayChatCompletionClient } from "@autogen-ts/core/testing";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import type { ClassicMessage, MessageInput, ReplyFunc } from "../../src/classic/index.js";
import { ConversableAgent, registerFunction, UserProxyAgent } from "../../src/classic/index.js";

const agent = (name: string, extra: Partial<ConstructorParameters<typeof ConversableAgent>[0]> = {}) =>
  new ConversableAgent({ name, llmConfig: false, humanInputMode: "NEVER", ...extra });

const reply =
  (text: string): ReplyFunc =>
  () => [true, text];

describe("ConversableAgent (ported from AG2)", () => {
  it("tca test_sync_trigger: triggers by agent, name, class, predicate and list, newest first", async () => {
    const a0 = agent("a0", { maxConsecutiveAutoReply: 0 });
    const a1 = agent("a1", { maxConsecutiveAutoReply: 0 });
    a0.registerReply(a1, reply("hello"));
    await a1.initiateChat(a0, { message: "hi" });
    expect(a1.lastMessage(a0)?.content).toBe("hello");
    a0.registerReply("a1", reply("hello a1"));
    await a1.initiateChat(a0, { message: "hi" });
    expect(a1.lastMessage(a0)?.content).toBe("hello a1");
    a0.registerReply(ConversableAgent, reply("hello conversable agent"));
    await a1.initiateChat(a0, { message: "hi" });
    expect(a1.lastMessage(a0)?.content).toBe("hello conversable agent");
    a0.registerReply((s) => s.name.startsWith("a"), reply("hello a"));
    await a1.initiateChat(a0, { message: "hi" });
    expect(a1.lastMessage(a0)?.content).toBe("hello a");
    a0.registerReply((s) => s.name.startsWith("b"), reply("hello b"));
    await a1.initiateChat(a0, { message: "hi" });
    expect(a1.lastMessage(a0)?.content).toBe("hello a");
    a0.registerReply(["agent2", a1], reply("hello agent2 or agent1"));
    await a1.initiateChat(a0, { message: "hi" });
    expect(a1.lastMessage(a0)?.content).toBe("hello agent2 or agent1");
    a0.registerReply(["agent2", "agent3"], reply("hello agent2 or agent3"));
    await a1.initiateChat(a0, { message: "hi" });
    expect(a1.lastMessage(a0)?.content).toBe("hello agent2 or agent1");
    expect(() => a0.registerReply(1 as never, reply("hi"))).toThrow(ValidationError);
  });

  it("tca test_async_trigger: async reply functions work the same (every reply is async here)", async () => {
    const a0 = agent("a0", { maxConsecutiveAutoReply: 0 });
    const a1 = agent("a1", { maxConsecutiveAutoReply: 0 });
    a0.registerReply(a1, async () => [true, "hello"]);
    await a1.initiateChat(a0, { message: "hi" });
    expect(a1.lastMessage(a0)?.content).toBe("hello");
  });

  it("tca test_context: a message's context is kept with it", async () => {
    const a0 = agent("a0", { maxConsecutiveAutoReply: 0 });
    const a1 = agent("a1", { maxConsecutiveAutoReply: 0 });
    await a1.send({ content: "hello {name}", context: { name: "there" } }, a0);
    expect(a0.lastMessage(a1)).toEqual({
      role: "user",
      content: "hello {name}",
      name: "a1",
      context: { name: "there" },
    });
  });

  it("tca test_max_consecutive_auto_reply: the limit per sender, reset by each chat", async () => {
    const a0 = agent("a0", { maxConsecutiveAutoReply: 2 });
    const a1 = agent("a1", { maxConsecutiveAutoReply: 0 });
    expect(a0.maxConsecutiveAutoReply()).toBe(2);
    expect(a0.maxConsecutiveAutoReply(a1)).toBe(2);
    a0.updateMaxConsecutiveAutoReply(1);
    expect(a0.maxConsecutiveAutoReply()).toBe(1);
    expect(a0.maxConsecutiveAutoReply(a1)).toBe(1);
    await a1.initiateChat(a0, { message: "hello" });
    expect(a0.consecutiveAutoReplyCounter.get(a1)).toBe(1);
    await a1.initiateChat(a0, { message: "hello again" });
    // With an auto reply, because the chat reset the counter.
    expect(a1.lastMessage(a0)?.role).toBe("user");
    expect(a1.chatMessages.get(a0)).toHaveLength(2);
    expect(a0.chatMessages.get(a1)).toHaveLength(2);
    expect(a0.consecutiveAutoReplyCounter.get(a1)).toBe(1);
    await a1.send("bye", a0);
    // No auto reply: the limit is reached.
    expect(a1.lastMessage(a0)?.role).toBe("assistant");
    await a1.initiateChat(a0, { clearHistory: false, message: "hi" });
    expect(a1.chatMessages.get(a0)?.length).toBeGreaterThan(2);
    expect(a1.replyAtReceive.get(a0)).toBe(true);
    expect(a0.replyAtReceive.get(a1)).toBe(true);
    a1.stopReplyAtReceive(a0);
    expect(a1.replyAtReceive.get(a0)).toBe(false);
    expect(a0.replyAtReceive.get(a1)).toBe(true);
  });

  it("base test_update_max_consecutive_auto_reply_sender: a per-sender limit leaves the global one", () => {
    const a = agent("test_agent", { maxConsecutiveAutoReply: 5 });
    const sender = agent("sender");
    a.updateMaxConsecutiveAutoReply(10, sender);
    expect(a.maxConsecutiveAutoReply(sender)).toBe(10);
    expect(a.maxConsecutiveAutoReply()).toBe(5);
  });

  it("tca test_conversable_agent: receive/send of text and messages; a message without content fails and is not stored", async () => {
    const d1 = new ConversableAgent({
      name: "dummy_agent_1",
      llmConfig: false,
      humanInputMode: "ALWAYS",
      inputFunc: () => "exit",
      description: "The first dummy.",
    });
    const d2 = new ConversableAgent({ name: "dummy_agent_2", llmConfig: false, humanInputMode: "TERMINATE" });
    await d1.receive("hello", d2);
    await d1.receive({ content: "hello {name}", context: { name: "dummy_agent_2" } }, d2);
    expect(d1.chatMessages.get(d2)?.at(-1)?.context).toBeDefined();
    const before = d1.chatMessages.get(d2)?.length;
    await expect(d1.receive({ message: "hello" } as unknown as MessageInput, d2)).rejects.toThrow(
      ValidationError,
    );
    expect(d1.chatMessages.get(d2)?.length).toBe(before);
    await d1.send("TERMINATE", d2);
    await d1.send({ content: "TERMINATE" }, d2);
    const sent = d1.chatMessages.get(d2)?.length;
    await expect(d1.send({ message: "hello" } as unknown as MessageInput, d2)).rejects.toThrow(
      ValidationError,
    );
    expect(d1.chatMessages.get(d2)?.length).toBe(sent);
    d1.updateSystemMessage("new system message");
    expect(d1.systemMessage).toBe("new system message");
    const d3 = agent("dummy_agent_3");
    expect(() => d1.lastMessage(d3)).toThrow(ValidationError);
    expect(d1.description).not.toBe(d1.systemMessage);
    expect(d2.description).toBe(d2.systemMessage);
    const d4 = agent("dummy_agent_4", { systemMessage: "The fourth dummy agent used for testing." });
    expect(d4.description).toBe("The fourth dummy agent used for testing.");
    const d5 = agent("dummy_agent_5", {
      systemMessage: "",
      description: "The fifth dummy agent used for testing.",
    });
    expect(d5.description).toBe("The fifth dummy agent used for testing.");
  });

  it("tca test_generate_reply: a function call answered without a sender, or from the sender's conversation", async () => {
    const proxy = new ConversableAgent({
      name: "user_proxy",
      llmConfig: false,
      humanInputMode: "TERMINATE",
      functionMap: { add_num: ({ num_to_be_added }) => (num_to_be_added as number) + 10 },
    });
    const messages: ClassicMessage[] = [
      {
        role: "assistant",
        content: null,
        functionCall: { name: "add_num", arguments: '{ "num_to_be_added": 5 }' },
      },
    ];
    const withoutSender = await proxy.generateReply({ messages });
    expect(typeof withoutSender === "object" && withoutSender?.content).toBe("15");
    const d1 = agent("dummy_agent_1");
    proxy.chatMessages.set(d1, messages);
    const fromSender = await proxy.generateReply({ sender: d1 });
    expect(typeof fromSender === "object" && fromSender?.content).toBe("15");
  });

  it("tca test_generate_reply_raises_on_messages_and_sender_none", async () => {
    await expect(agent("a").generateReply({})).rejects.toThrow(ValidationError);
  });

  it("tca test_generate_reply_with_messages_and_sender_none: the default auto-reply", async () => {
    expect(await agent("a").generateReply({ messages: [{ role: "user", content: "hello" }] })).toBe("");
  });

  it("tca test_update_function_signature_and_register_functions: a function map is added to and removed from", () => {
    const a = agent("agent");
    const execPython = () => undefined;
    const execSh = () => undefined;
    a.registerFunction({ python: execPython, sh: execSh });
    expect([...a.functionMap.keys()].sort()).toEqual(["python", "sh"]);
    a.registerFunction({ python: null });
    expect([...a.functionMap.keys()]).toEqual(["sh"]);
    expect(a.canExecuteFunction("sh")).toBe(true);
    expect(a.canExecuteFunction(["sh", "python"])).toBe(false);
  });

  it("tca test_register_for_llm_without_LLM: offering a tool needs a model", () => {
    const a = agent("agent");
    expect(() =>
      registerFunction(() => "done", { caller: a, executor: a, name: "do_stuff", description: "do things." }),
    ).toThrow(/llmConfig/);
  });

  it("tca test_register_for_llm_without_configuration / _without_model_name: an empty list or model is refused", () => {
    expect(() => new ConversableAgent({ name: "agent", llmConfig: { configList: [] } })).toThrow(
      /non-empty 'model'/,
    );
    expect(() => new ConversableAgent({ name: "agent", llmConfig: { configList: [{ model: "" }] } })).toThrow(
      /non-empty 'model'/,
    );
  });

  it("tca test_register_functions: the caller's model sees the schema, the executor has the function", () => {
    const model = new ReplayChatCompletionClient([]);
    const caller = new ConversableAgent({ name: "agent", llmConfig: model });
    const executor = new UserProxyAgent({ name: "user_proxy" });
    registerFunction(({ cell }: { cell: string }) => cell, {
      caller,
      executor,
      name: "exec_python",
      description: "run cell in ipython and return the execution result.",
      parameters: z.object({ cell: z.string().describe("Valid Python cell to execute.") }),
    });
    expect([...executor.functionMap.keys()]).toEqual(["exec_python"]);
    expect(caller.tools).toEqual([
      {
        name: "exec_python",
        description: "run cell in ipython and return the execution result.",
        parameters: expect.objectContaining({
          type: "object",
          properties: { cell: { type: "string", description: "Valid Python cell to execute." } },
          required: ["cell"],
        }),
      },
    ]);
  });

  it("tca test_register_for_llm_without_description: a description is required", () => {
    const caller = new ConversableAgent({ name: "agent", llmConfig: new ReplayChatCompletionClient([]) });
    expect(() => registerFunction(() => 1, { caller, executor: caller, name: "f", description: "" })).toThrow(
      /description is required/,
    );
  });

  it("tca test_process_before_send: the hook sees every message, silent or not", async () => {
    const seen: string[] = [];
    const d1 = agent("dummy_agent_1");
    const d2 = agent("dummy_agent_2");
    d1.registerHook("processMessageBeforeSend", ((
      sender: ConversableAgent,
      message: MessageInput,
      _r: unknown,
      silent: boolean,
    ) => {
      expect(sender.name).toBe("dummy_agent_1");
      if (!silent) seen.push(String(message));
      return message;
    }) as never);
    await d1.send("hello", d2);
    await d1.send("silent hello", d2, { silent: true });
    expect(seen).toEqual(["hello"]);
  });

  it("tca test_messages_with_carryover / test_handle_carryover: carry-over is appended as context", async () => {
    const { withCarryover } = await import("../../src/classic/index.js");
    expect(withCarryover("I am your assistant.", "How can I help you?")).toBe(
      "I am your assistant.\nContext: \nHow can I help you?",
    );
    expect(withCarryover("I am your assistant.", ["How can I help you?"])).toBe(
      "I am your assistant.\nContext: \nHow can I help you?",
    );
    expect(withCarryover("hello", ["Testing carryover.", "This should pass"])).toBe(
      "hello\nContext: \nTesting carryover.\nThis should pass",
    );
    expect(withCarryover("I am your assistant.", undefined)).toBe("I am your assistant.");
    expect(() => withCarryover("hello", 3 as never)).toThrow(ValidationError);
    const mm = {
      content: [
        { type: "text" as const, text: "hello" },
        { type: "text" as const, text: "goodbye" },
        { type: "image_url" as const, image_url: { url: "https://example.com/image.png" } },
      ],
    };
    const withContext = withCarryover(mm, "Testing carryover.") as { content: unknown[] };
    expect(withContext.content).toHaveLength(4);
    const onlyImage = { content: [mm.content[2] as (typeof mm.content)[number]] };
    expect((withCarryover(onlyImage, "Testing carryover.") as { content: unknown[] }).content).toHaveLength(
      2,
    );
  });

  it("tca test_chat_history: an agent made with earlier chat messages continues them", async () => {
    const alice = agent("alice", { defaultAutoReply: "This is alice speaking." });
    const charlie = agent("charlie", { defaultAutoReply: "This is charlie speaking." });
    const talk = async (bob: ConversableAgent, text: string) => {
      await bob.initiateChat(alice, {
        message: `This is bob from the ${text} speaking.`,
        maxTurns: 2,
        clearHistory: false,
      });
      await bob.initiateChat(charlie, {
        message: `This is bob from the ${text} speaking.`,
        maxTurns: 2,
        clearHistory: false,
      });
    };
    const past = agent("bob", { defaultAutoReply: "This is bob from the past speaking." });
    await talk(past, "past");
    const bob = agent("bob", {
      defaultAutoReply: "This is bob from the future speaking.",
      chatMessages: past.chatMessages,
    });
    expect(bob.chatMessages.get(alice)).toHaveLength(4);
    expect(bob.chatMessages.get(charlie)).toHaveLength(4);
    await talk(bob, "future");
    expect(bob.chatMessages.get(alice)).toHaveLength(8);
    expect(bob.chatMessages.get(alice)?.[0]?.content).toBe("This is bob from the past speaking.");
    expect(bob.chatMessages.get(charlie)?.at(-2)?.content).toBe("This is bob from the future speaking.");
  });

  it("base test_last_message_*: none, the only one, several (an error), a given agent", () => {
    const a = agent("test_agent");
    expect(a.lastMessage()).toBeUndefined();
    const other = agent("other");
    a.chatMessages.set(other, [{ role: "user", content: "hello" }]);
    expect(a.lastMessage()?.content).toBe("hello");
    a.chatMessages.set(agent("agent2"), [{ role: "user", content: "hi" }]);
    expect(() => a.lastMessage()).toThrow(/more than one conversation/);
    expect(a.lastMessage(other)?.content).toBe("hello");
  });

  it("base test__init__basic / test_description_property_setter / test_tools_property", () => {
    const a = agent("test_agent");
    expect(a.llmConfig).toBe(false);
    expect(a.chatMessages.size).toBe(0);
    a.description = "New description";
    expect(a.description).toBe("New description");
    const tools = a.tools;
    tools.push({ name: "x", parameters: {} });
    expect(a.tools).toHaveLength(0);
    expect(a.functionMap.size).toBe(0);
  });

  it("base test__setup_code_execution_invalid_type: codeExecutionConfig must be false or an object", () => {
    expect(() => agent("a", { codeExecutionConfig: "invalid" as never })).toThrow(ValidationError);
  });

  it("an unknown humanInputMode and a negative maxConsecutiveAutoReply are refused", () => {
    expect(() => agent("a", { humanInputMode: "SOMETIMES" as never })).toThrow(/humanInputMode/);
    expect(() => agent("a", { maxConsecutiveAutoReply: -1 })).toThrow(/maxConsecutiveAutoReply/);
  });

  it("registerReply with removeOtherReplyFuncs and a position; reset restores configs", async () => {
    const a = agent("a");
    const first: ReplyFunc = (_r, _m, _s, config) => [true, `first ${String((config as { n: number }).n)}`];
    a.registerReply(null, first, { config: { n: 1 } });
    expect(await a.generateReply({ messages: [{ role: "user", content: "x" }] })).toBe("first 1");
    const late: ReplyFunc = () => [true, "late"];
    a.registerReply(null, late, { position: a.replyFuncs.length });
    expect(await a.generateReply({ messages: [{ role: "user", content: "x" }] })).toBe("first 1");
    a.registerReply(null, late, { removeOtherReplyFuncs: true });
    expect(a.replyFuncs).toEqual([late]);
  });

  it("the built-in replies are in AG2's order: termination and human input, function call, tool calls, code, model", async () => {
    const {
      checkTerminationAndHumanReply,
      generateFunctionCallReply,
      generateToolCallsReply,
      generateCodeExecutionReply,
      generateOaiReply,
    } = await import("../../src/classic/index.js");
    expect(agent("a").replyFuncs).toEqual([
      checkTerminationAndHumanReply,
      generateFunctionCallReply,
      generateToolCallsReply,
      generateCodeExecutionReply,
      generateOaiReply,
    ]);
  });
});
