import type { ChatCompletionClient, Tool } from "@autogen-ts/core";
import { FunctionTool, InMemoryRunStore, StaticWorkbench } from "@autogen-ts/core";
import { ReplayChatCompletionClient } from "@autogen-ts/core/testing";
import { describe, expect, it } from "vitest";
import { AssistantAgent } from "../../src/agents/assistant-agent.js";
import { MaxMessageTermination } from "../../src/conditions/index.js";
import { DurableRunner } from "../../src/durable/runner.js";
import {
  blockedTerms,
  GuardrailError,
  moderationGuardrail,
  piiGuardrail,
  piiRedaction,
  redactPii,
  tokenBudget,
  toolAllowlist,
  toolApproval,
  withGuardrails,
  wrapChatCompletionClient,
  wrapTool,
  wrapWorkbench,
} from "../../src/guardrails/index.js";
import { RoundRobinGroupChat } from "../../src/teams/round-robin.js";

function counter(name: string, idempotent = true): { tool: FunctionTool<{ n: number }>; calls: number[] } {
  const calls: number[] = [];
  const tool = new FunctionTool<{ n: number }>({
    name,
    description: `${name} a number`,
    parameters: { type: "object", properties: { n: { type: "number" } }, required: ["n"] },
    idempotent,
    run: ({ n }) => {
      calls.push(n);
      return `${name}(${n}) done`;
    },
  });
  return { tool, calls };
}

const call = (name: string, n: number, id = `call_${name}_${n}`) => ({
  content: [{ id, name, arguments: JSON.stringify({ n }) }],
});

async function failure(p: Promise<unknown>): Promise<GuardrailError> {
  const error = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(GuardrailError.isInstance(error)).toBe(true);
  return error as GuardrailError;
}

function pair(models: [ChatCompletionClient, ChatCompletionClient], maxMessages = 5) {
  return new RoundRobinGroupChat({
    participants: [
      new AssistantAgent({ name: "a", modelClient: models[0] }),
      new AssistantAgent({ name: "b", modelClient: models[1] }),
    ],
    terminationCondition: new MaxMessageTermination(maxMessages),
  });
}

describe("model middleware", () => {
  it("runs outermost first, may change the request, and keeps the inner model's name and usage", async () => {
    const inner = new ReplayChatCompletionClient(["one", "two"]);
    const order: string[] = [];
    const model = wrapChatCompletionClient(inner, [
      {
        name: "outer",
        transformRequest: (r) => {
          order.push("outer");
          return { ...r, messages: [{ type: "SystemMessage", content: "be brief" }, ...r.messages] };
        },
      },
      {
        name: "inner",
        async wrapCreate(r, next) {
          order.push("inner");
          const result = await next(r);
          return { ...result, content: `${result.content as string}!` };
        },
      },
    ]);
    const result = await model.create([{ type: "UserMessage", content: "hi", source: "user" }]);
    expect(result.content).toBe("one!");
    expect(order).toEqual(["outer", "inner"]);
    expect(inner.requests[0]?.messages[0]).toEqual({ type: "SystemMessage", content: "be brief" });
    expect(model.totalUsage()).toEqual(inner.totalUsage());
    const streamed: unknown[] = [];
    for await (const item of model.createStream([{ type: "UserMessage", content: "hi", source: "user" }]))
      streamed.push(item);
    expect(inner.requests[1]?.messages[0]).toEqual({ type: "SystemMessage", content: "be brief" });
    expect(streamed.length).toBeGreaterThan(1);
  });
});

describe("token budget", () => {
  it("stops a team run once spent, with its messages so far, and the run continues after a raise", async () => {
    const budget = tokenBudget({ maxCalls: 2 });
    const replies = (p: string) =>
      new ReplayChatCompletionClient(Array.from({ length: 5 }, (_, i) => `${p} says ${i}`));
    const team = withGuardrails(
      pair([
        wrapChatCompletionClient(replies("a"), [budget]),
        wrapChatCompletionClient(replies("b"), [budget]),
      ]),
      {},
    );
    const stopped = await failure(team.run({ task: "count" }));
    expect(stopped).toMatchObject({ code: "guardrail_tripped", guardrail: "token_budget", stage: "model" });
    expect(stopped.reason).toContain("2 model calls made of 2");
    expect(stopped.messages.map((m) => m.source)).toEqual(["user", "a", "b"]);
    // The team kept its state: with the budget raised it goes on from where it stopped.
    budget.setLimits({ maxCalls: 10 });
    const rest = await team.run();
    const said = rest.messages.map((m) => (m as { content?: unknown }).content as string);
    // Each agent's script goes on where it was: nobody starts over at "says 0".
    expect(said).toHaveLength(5);
    expect(said).toEqual(expect.arrayContaining(["a says 1", "b says 1", "a says 2", "b says 2"]));
    expect(said.some((t) => t.endsWith("says 0"))).toBe(false);
  });

  it("a durable run stopped by the budget resumes from its checkpoint", async () => {
    const store = new InMemoryRunStore();
    const budget = tokenBudget({ maxTokens: 1 });
    const team = withGuardrails(
      pair([
        wrapChatCompletionClient(new ReplayChatCompletionClient(["a0", "a1"]), [budget]),
        wrapChatCompletionClient(new ReplayChatCompletionClient(["b0", "b1"]), [budget]),
      ]),
      {},
    );
    const durable = new DurableRunner({ store, runner: team });
    const run = durable.run({ task: "go" });
    const stopped = await failure(run.result());
    expect(stopped.messages.map((m) => m.source)).toEqual(["user", "a"]);
    expect((await store.getRun(run.runId))?.status).toBe("failed");
    budget.setLimits({ maxTokens: 1_000_000 });
    const resumed = await durable.resume(run.runId).result();
    expect(resumed.status).toBe("completed");
    expect(resumed.messages.map((m) => (m as { content?: unknown }).content)).toContain("b0");
  });

  it("refuses a budget without a limit", () => {
    expect(() => tokenBudget({})).toThrow(/needs maxTokens/);
    expect(() => tokenBudget({ maxTokens: -1 })).toThrow(/positive/);
  });
});

describe("PII", () => {
  it("redacts e-mails, phones, Luhn-valid cards, SSNs, IBANs and IPs, and leaves other numbers", () => {
    const { text, found } = redactPii(
      "Mail ann@example.com or call +1 415-555-0132; card 4111 1111 1111 1111, not 1234 5678 9012 3456; " +
        "SSN 123-45-6789; IBAN DE89 3704 0044 0532 0130 00; host 10.0.0.12; order 42.",
    );
    expect(text).toBe(
      "Mail [EMAIL] or call [PHONE]; card [CARD], not 1234 5678 9012 3456; SSN [SSN]; IBAN [IBAN]; host [IPV4]; order 42.",
    );
    expect(found).toEqual({ email: 1, phone: 1, card: 1, ssn: 1, iban: 1, ipv4: 1 });
  });

  it("the model never sees the PII of the task or of tool results", async () => {
    const lookup = new FunctionTool<{ n: number }>({
      name: "lookup",
      description: "Looks a customer up",
      parameters: { type: "object", properties: { n: { type: "number" } } },
      run: () => "customer bob@corp.example, phone +44 20 7946 0958",
    });
    const inner = new ReplayChatCompletionClient([call("lookup", 1), "done"]);
    const agent = new AssistantAgent({
      name: "a",
      modelClient: wrapChatCompletionClient(inner, [piiRedaction()]),
      tools: [lookup],
      reflectOnToolUse: true,
    });
    await agent.run({ task: "Write to ann@example.com about customer 1" });
    const sent = JSON.stringify(inner.requests.map((r) => r.messages));
    expect(sent).toContain("[EMAIL]");
    expect(sent).toContain("[PHONE]");
    expect(sent).not.toMatch(/ann@example\.com|bob@corp|7946/);
  });

  it("as an input guardrail it rewrites the task, or stops the run without echoing the PII", async () => {
    const inner = new ReplayChatCompletionClient(["ok"]);
    const agent = withGuardrails(new AssistantAgent({ name: "a", modelClient: inner }), {
      input: [piiGuardrail()],
    });
    const result = await agent.run({ task: "Mail ann@example.com" });
    expect((result.messages[0] as unknown as { content: string }).content).toBe("Mail [EMAIL]");
    expect(JSON.stringify(inner.requests)).not.toContain("ann@example.com");
    const strict = withGuardrails(new AssistantAgent({ name: "s", modelClient: inner }), {
      input: [piiGuardrail({ action: "stop" })],
    });
    const stopped = await failure(strict.run({ task: "Mail ann@example.com" }));
    expect(stopped).toMatchObject({ stage: "input", guardrail: "pii" });
    expect(stopped.message).not.toContain("ann@");
    expect(stopped.messages).toEqual([]);
  });
});

describe("tool allowlist", () => {
  it("offers only allowed tools and refuses a call of another as a result the model reads", async () => {
    const safe = counter("safe");
    const danger = counter("danger");
    const allow = toolAllowlist({ allowed: ["safe"] });
    const inner = new ReplayChatCompletionClient([call("danger", 1), call("safe", 2)]);
    const agent = new AssistantAgent({
      name: "a",
      modelClient: wrapChatCompletionClient(inner, [allow]),
      tools: [wrapTool(safe.tool, [allow]), wrapTool(danger.tool, [allow])],
    });
    const first = await agent.run({ task: "go" });
    expect(danger.calls).toEqual([]);
    expect(inner.requests[0]?.options.tools?.map((t) => t.name)).toEqual(["safe"]);
    expect(JSON.stringify(first.messages.at(-1)?.toJSON())).toContain("the tool danger is not allowed here");
    await agent.run({ task: "again" });
    expect(safe.calls).toEqual([2]);
  });

  it("with onViolation stop, ends the run with its messages so far", async () => {
    const danger = counter("danger");
    const allow = toolAllowlist({ allowed: ["safe*"], onViolation: "stop" });
    const agentB = new AssistantAgent({
      name: "b",
      modelClient: new ReplayChatCompletionClient([call("danger", 1)]),
      tools: [wrapTool(danger.tool, [allow])],
    });
    const guarded = withGuardrails(
      new RoundRobinGroupChat({
        participants: [
          new AssistantAgent({ name: "a", modelClient: new ReplayChatCompletionClient(["hello"]) }),
          agentB,
        ],
        terminationCondition: new MaxMessageTermination(4),
      }),
      {},
    );
    const stopped = await failure(guarded.run({ task: "go" }));
    expect(stopped).toMatchObject({ guardrail: "tool_allowlist", stage: "tool" });
    expect(stopped.messages.map((m) => `${m.source}:${m.type}`)).toEqual([
      "user:TextMessage",
      "a:TextMessage",
      "b:ToolCallRequestEvent",
    ]);
    expect(danger.calls).toEqual([]);
  });
});

describe("tool approval", () => {
  it("asks the approver before the chosen tools run; a refusal is a result with the reason", async () => {
    const pay = counter("pay");
    const read = counter("read");
    const asked: string[] = [];
    const approval = toolApproval({
      tools: ["pay"],
      approve: ({ name, arguments: args }) => {
        asked.push(`${name}:${JSON.stringify(args)}`);
        return args.n === 1 ? true : { approved: false, reason: "too much" };
      },
    });
    const agent = new AssistantAgent({
      name: "a",
      modelClient: new ReplayChatCompletionClient([
        { content: [...call("pay", 1).content, ...call("read", 7).content, ...call("pay", 500).content] },
      ]),
      tools: [wrapTool(pay.tool, [approval]), wrapTool(read.tool, [approval])],
    });
    const result = await agent.run({ task: "go" });
    expect(pay.calls).toEqual([1]);
    expect(read.calls).toEqual([7]);
    expect(asked).toEqual(['pay:{"n":1}', 'pay:{"n":500}']);
    expect(JSON.stringify(result.messages.at(-1)?.toJSON())).toContain("was not approved: too much");
  });

  it("without an approver or a store it stops the run", async () => {
    const pay = counter("pay");
    const agent = withGuardrails(
      new AssistantAgent({
        name: "a",
        modelClient: new ReplayChatCompletionClient([call("pay", 1)]),
        tools: [wrapTool(pay.tool, [toolApproval({ tools: ["pay"] })])],
      }),
      {},
    );
    const stopped = await failure(agent.run({ task: "go" }));
    expect(stopped.guardrail).toBe("tool_approval");
    expect(pay.calls).toEqual([]);
  });

  it("in a durable run it parks the run as a person's request, and runs the tool once approved", async () => {
    const store = new InMemoryRunStore();
    const pay = counter("pay", false);
    const build = (responses: ({ content: { id: string; name: string; arguments: string }[] } | string)[]) =>
      new AssistantAgent({
        name: "a",
        modelClient: new ReplayChatCompletionClient(responses),
        tools: [wrapTool(pay.tool, [toolApproval({ tools: ["pay"] })])],
        reflectOnToolUse: true,
      });
    const run = new DurableRunner({ store, runner: build([call("pay", 9)]) }).run({ task: "pay 9" });
    const parked = await run.result();
    expect(parked.status).toBe("interrupted");
    expect(parked.pendingInput[0]?.prompt).toContain('Approve tool call pay({"n":9})');
    expect(pay.calls).toEqual([]);
    // Another process (a fresh agent) answers; the first model call comes from the run's ledger, the tool
    // runs once though it is not idempotent, and the reflection is a new call.
    const done = await new DurableRunner({ store, runner: build(["paid"]) })
      .resume(run.runId, { input: { value: "yes" } })
      .result();
    expect(done.status).toBe("completed");
    expect(pay.calls).toEqual([9]);
    expect((done.messages.at(-1) as { content?: unknown }).content).toBe("paid");
  });

  it("a durable refusal becomes the model's error result with the person's reason", async () => {
    const store = new InMemoryRunStore();
    const pay = counter("pay");
    const agent = new AssistantAgent({
      name: "a",
      modelClient: new ReplayChatCompletionClient([call("pay", 9), "ok, not paid"]),
      tools: [wrapTool(pay.tool, [toolApproval()])],
      reflectOnToolUse: true,
    });
    const durable = new DurableRunner({ store, runner: agent });
    const run = durable.run({ task: "pay 9" });
    expect((await run.result()).status).toBe("interrupted");
    const done = await durable.resume(run.runId, { input: { value: "no: over the limit" } }).result();
    expect(pay.calls).toEqual([]);
    expect(JSON.stringify(done.messages.map((m) => m.toJSON()))).toContain(
      "was not approved: over the limit",
    );
  });
});

describe("moderation and output guardrails", () => {
  it("stops on a flagged message with the messages before it", async () => {
    const team = withGuardrails(
      pair([
        new ReplayChatCompletionClient(["fine"]),
        new ReplayChatCompletionClient(["this is forbidden stuff"]),
      ]),
      { output: [moderationGuardrail({ check: blockedTerms(["forbidden"]) })] },
    );
    const stopped = await failure(team.run({ task: "talk" }));
    expect(stopped).toMatchObject({ guardrail: "moderation", stage: "output" });
    expect(stopped.reason).toContain("blocked_term");
    expect(stopped.messages.map((m) => m.source)).toEqual(["user", "a"]);
  });

  it("rewrites a flagged message in the stream and in the result", async () => {
    const team = withGuardrails(
      pair(
        [new ReplayChatCompletionClient(["fine"]), new ReplayChatCompletionClient(["forbidden words"])],
        3,
      ),
      { output: [moderationGuardrail({ check: blockedTerms(["forbidden"]), action: "rewrite" })] },
    );
    const streamed: string[] = [];
    let final: string[] = [];
    for await (const item of team.runStream({ task: "talk" })) {
      if ("messages" in item) final = item.messages.map((m) => (m as unknown as { content: string }).content);
      else streamed.push((item as unknown as { content: string }).content);
    }
    expect(streamed).toEqual(["talk", "fine", "[removed by moderation]"]);
    expect(final).toEqual(["talk", "fine", "[removed by moderation]"]);
  });

  it("the moderation hook gets the stage and the source", async () => {
    const seen: string[] = [];
    const agent = withGuardrails(
      new AssistantAgent({ name: "a", modelClient: new ReplayChatCompletionClient(["hi"]) }),
      {
        input: [
          moderationGuardrail({
            check: (_t, c) => {
              seen.push(`${c.stage}:${c.source}`);
              return { flagged: false };
            },
          }),
        ],
        output: [
          moderationGuardrail({
            check: (_t, c) => {
              seen.push(`${c.stage}:${c.source}`);
              return { flagged: false };
            },
          }),
        ],
      },
    );
    await agent.run({ task: "x" });
    expect(seen).toEqual(["input:user", "output:a"]);
  });
});

describe("tool middleware on a workbench", () => {
  it("wraps every tool of the workbench", async () => {
    const one = counter("one");
    const two = counter("two");
    const workbench = wrapWorkbench(new StaticWorkbench({ tools: [one.tool, two.tool] as Tool[] }), [
      toolAllowlist({ allowed: ["one"] }),
    ]);
    expect((await workbench.listTools()).map((t) => t.name)).toEqual(["one", "two"]);
    expect((await workbench.callTool("one", { n: 1 })).isError).toBe(false);
    expect((await workbench.callTool("two", { n: 2 })).isError).toBe(true);
    expect(two.calls).toEqual([]);
  });
});
