import { ValidationError } from "@autogen-ts/core";
import { describe, expect, it } from "vitest";
import {
  ExternalTermination,
  FunctionalTermination,
  FunctionCallTermination,
  HandoffTermination,
  MaxMessageTermination,
  SourceMatchTermination,
  StopMessageTermination,
  TerminatedError,
  type TerminationCondition,
  TextMentionTermination,
  TextMessageTermination,
  TimeoutTermination,
  TokenUsageTermination,
} from "../../src/conditions/index.js";
import {
  HandoffMessage,
  ModelClientStreamingChunkEvent,
  StopMessage,
  TextMessage,
  ThoughtEvent,
  ToolCallExecutionEvent,
  ToolCallSummaryMessage,
} from "../../src/messages/index.js";

const text = (
  content: string,
  source = "writer",
  usage?: { promptTokens: number; completionTokens: number },
) => new TextMessage({ source, content, ...(usage ? { modelsUsage: usage } : {}) });
const thought = (source = "writer") => new ThoughtEvent({ source, content: "hmm" });
const executed = (name: string, isError = false) =>
  new ToolCallExecutionEvent({ source: "writer", content: [{ content: "ok", name, callId: "c1", isError }] });

async function expectTerminatedError(condition: TerminationCondition): Promise<void> {
  const error = await condition.check([text("again")]).catch((e: unknown) => e);
  expect(TerminatedError.isInstance(error)).toBe(true);
  expect((error as TerminatedError).code).toBe("invalid_state");
  expect((error as Error).message).toMatch(/already fired; call reset\(\)/);
}

describe("MaxMessageTermination", () => {
  it("counts chat messages across checks and fires at the limit", async () => {
    const condition = new MaxMessageTermination(3);
    expect(await condition.check([text("task", "user"), thought()])).toBeUndefined();
    expect(await condition.check([text("a")])).toBeUndefined();
    expect(condition.terminated).toBe(false);
    const stop = await condition.check([text("b")]);
    expect(stop?.content).toBe("Maximum number of messages 3 reached, current message count: 3");
    expect(stop?.source).toBe("MaxMessageTermination");
    expect(condition.terminated).toBe(true);
    await expectTerminatedError(condition);
    await condition.reset();
    expect(condition.terminated).toBe(false);
    expect(await condition.check([text("c")])).toBeUndefined();
  });

  it("counts agent events with includeAgentEvent", async () => {
    const condition = new MaxMessageTermination({ maxMessages: 3, includeAgentEvent: true });
    const stop = await condition.check([text("task", "user"), thought(), executed("f")]);
    expect(stop?.content).toBe("Maximum number of messages 3 reached, current message count: 3");
  });

  it.each([0, -2, 1.5, Number.NaN])("rejects maxMessages %s", (maxMessages) => {
    expect(() => new MaxMessageTermination(maxMessages)).toThrow(/maxMessages must be a positive integer/);
  });
});

describe("TextMentionTermination", () => {
  it("fires when a chat message contains the text", async () => {
    const condition = new TextMentionTermination("APPROVE");
    expect(await condition.check([text("looks good")])).toBeUndefined();
    const stop = await condition.check([text("I APPROVE this", "critic")]);
    expect(stop?.content).toBe("Text 'APPROVE' mentioned");
    await expectTerminatedError(condition);
  });

  it("ignores streamed chunks and sources not listed, and reads agent events as AutoGen does", async () => {
    const condition = new TextMentionTermination({ text: "DONE", sources: ["critic"] });
    const chunk = new ModelClientStreamingChunkEvent({ source: "critic", content: "DONE" });
    expect(await condition.check([chunk, text("DONE", "writer")])).toBeUndefined();
    expect(await condition.check([text("DONE", "critic")])).toBeDefined();
    const fromEvent = new TextMentionTermination("DONE");
    expect(await fromEvent.check([new ThoughtEvent({ source: "writer", content: "DONE" })])).toBeDefined();
  });

  it("reads the text form of other chat messages", async () => {
    const summary = new ToolCallSummaryMessage({
      source: "writer",
      content: "result: TERMINATE",
      toolCalls: [{ id: "1", name: "f", arguments: "{}" }],
      results: [{ content: "TERMINATE", name: "f", callId: "1", isError: false }],
    });
    expect(await new TextMentionTermination("TERMINATE").check([summary])).toBeDefined();
  });

  it("rejects empty text and empty sources", () => {
    expect(() => new TextMentionTermination("")).toThrow(ValidationError);
    expect(() => new TextMentionTermination({ text: "x", sources: [] })).toThrow(/sources must be/);
  });
});

describe("StopMessageTermination", () => {
  it("fires on a StopMessage, quoting it", async () => {
    const condition = new StopMessageTermination();
    expect(await condition.check([text("stop please")])).toBeUndefined();
    const stop = await condition.check([new StopMessage({ source: "planner", content: "all done" })]);
    expect(stop?.content).toBe("Stop message received");
    await expectTerminatedError(condition);
  });
});

describe("TokenUsageTermination", () => {
  it("adds up modelsUsage across checks", async () => {
    const condition = new TokenUsageTermination({ maxTotalToken: 100 });
    expect(
      await condition.check([text("a", "w", { promptTokens: 40, completionTokens: 10 }), thought()]),
    ).toBeUndefined();
    const stop = await condition.check([text("b", "w", { promptTokens: 45, completionTokens: 5 })]);
    expect(stop?.content).toBe(
      "Token usage limit reached, total token count: 100, prompt token count: 85, completion token count: 15.",
    );
    expect(condition.usage).toEqual({ promptTokens: 85, completionTokens: 15 });
    await expectTerminatedError(condition);
    await condition.reset();
    expect(condition.usage).toEqual({ promptTokens: 0, completionTokens: 0 });
  });

  it("has prompt and completion limits", async () => {
    const prompt = new TokenUsageTermination({ maxPromptToken: 10 });
    expect(
      (await prompt.check([text("a", "w", { promptTokens: 12, completionTokens: 0 })]))?.content,
    ).toMatch(/prompt token count: 12,/);
    const completion = new TokenUsageTermination({ maxCompletionToken: 10, maxTotalToken: 1000 });
    expect(
      (await completion.check([text("a", "w", { promptTokens: 1, completionTokens: 11 })]))?.content,
    ).toMatch(/completion token count: 11\./);
  });

  it("needs a positive limit", () => {
    expect(() => new TokenUsageTermination({})).toThrow(/needs maxTotalToken/);
    expect(() => new TokenUsageTermination({ maxPromptToken: -1 })).toThrow(
      /maxPromptToken must be a positive/,
    );
  });
});

describe("TimeoutTermination", () => {
  it("starts its clock at the first check, fires past the limit, and starts afresh after reset", async () => {
    let now = 1_000;
    const condition = new TimeoutTermination({ timeoutSeconds: 2, now: () => now });
    // Time before the run's first check (the condition made early) does not count.
    now += 60_000;
    expect(await condition.check([])).toBeUndefined();
    now += 1_999;
    expect(await condition.check([])).toBeUndefined();
    now += 1;
    expect((await condition.check([]))?.content).toBe("Timeout of 2 seconds reached");
    await expectTerminatedError(condition);
    await condition.reset();
    // Idle time between runs does not count either.
    now += 3_600_000;
    expect(await condition.check([])).toBeUndefined();
    now += 2_000;
    expect(await condition.check([])).toBeDefined();
  });

  it("runs on the real clock", async () => {
    const condition = new TimeoutTermination(0.01);
    expect(await condition.check([])).toBeUndefined();
    await new Promise((r) => setTimeout(r, 30));
    expect(await condition.check([])).toBeDefined();
  });

  it("rejects a non-positive timeout", () => {
    expect(() => new TimeoutTermination(0)).toThrow(/timeoutSeconds must be a positive number/);
  });
});

describe("HandoffTermination", () => {
  it("fires on a handoff to its target only", async () => {
    const condition = new HandoffTermination("user");
    const toCritic = new HandoffMessage({ source: "writer", content: "over to you", target: "critic" });
    expect(await condition.check([toCritic])).toBeUndefined();
    const toUser = new HandoffMessage({ source: "critic", content: "need input", target: "user" });
    expect((await condition.check([toUser]))?.content).toBe("Handoff to user from critic detected.");
    expect(() => new HandoffTermination({ target: "" })).toThrow(ValidationError);
  });
});

describe("SourceMatchTermination", () => {
  it("fires when a listed source sends a chat message, not an event", async () => {
    const condition = new SourceMatchTermination(["summarizer"]);
    expect(await condition.check([text("x", "writer"), thought("summarizer")])).toBeUndefined();
    expect((await condition.check([text("summary", "summarizer")]))?.content).toBe("'summarizer' answered");
    expect(() => new SourceMatchTermination([])).toThrow(/sources must be/);
  });
});

describe("ExternalTermination", () => {
  it("fires at the next check after set()", async () => {
    const condition = new ExternalTermination();
    expect(await condition.check([text("a")])).toBeUndefined();
    condition.set();
    expect(condition.terminated).toBe(false);
    expect((await condition.check([]))?.content).toBe("External termination requested");
    expect(condition.terminated).toBe(true);
    await condition.reset();
    expect(await condition.check([text("a")])).toBeUndefined();
  });
});

describe("TextMessageTermination", () => {
  it("fires on a TextMessage from its source", async () => {
    const condition = new TextMessageTermination("writer");
    const stop = new StopMessage({ source: "writer", content: "x" });
    expect(await condition.check([text("hi", "critic"), stop])).toBeUndefined();
    expect((await condition.check([text("hi", "writer")]))?.content).toBe(
      "Text message received from 'writer'",
    );
    expect(await new TextMessageTermination().check([text("any", "critic")])).toBeDefined();
  });
});

describe("FunctionCallTermination", () => {
  it("fires once the named function was executed", async () => {
    const condition = new FunctionCallTermination("submit");
    expect(await condition.check([executed("search"), text("submit")])).toBeUndefined();
    expect((await condition.check([executed("submit")]))?.content).toBe("Function 'submit' was executed.");
    const failing = new FunctionCallTermination({ functionName: "submit" });
    // As in AutoGen, an execution that failed still counts as executed.
    expect((await failing.check([executed("submit", true)]))?.content).toBe(
      "Function 'submit' was executed.",
    );
  });
});

describe("FunctionalTermination", () => {
  it("takes a sync or an async predicate over the delta", async () => {
    const seen: number[] = [];
    const sync = new FunctionalTermination((delta) => {
      seen.push(delta.length);
      return delta.some((m) => m.type === "StopMessage");
    });
    expect(await sync.check([text("a"), thought()])).toBeUndefined();
    expect(await sync.check([new StopMessage({ source: "a", content: "b" })])).toBeDefined();
    expect(seen).toEqual([2, 1]);
    const async = new FunctionalTermination({ func: async () => true, reason: "Budget spent" });
    expect((await async.check([]))?.content).toBe("Budget spent");
    await expectTerminatedError(async);
  });

  it("propagates the predicate's error", async () => {
    const condition = new FunctionalTermination(() => {
      throw new Error("predicate broke");
    });
    await expect(condition.check([])).rejects.toThrow("predicate broke");
    expect(() => new FunctionalTermination(undefined as never)).toThrow(/needs a function/);
  });
});

describe("combinations", () => {
  it("or fires on the first part to fire, and keeps counting in every part", async () => {
    const max = new MaxMessageTermination(3);
    const condition = new TextMentionTermination("APPROVE").or(max);
    expect(await condition.check([text("a"), text("b")])).toBeUndefined();
    const stop = await condition.check([text("c")]);
    expect(stop?.content).toBe("Maximum number of messages 3 reached, current message count: 3");
    expect(condition.terminated).toBe(true);
    await expectTerminatedError(condition);
    await condition.reset();
    expect(max.terminated).toBe(false);
  });

  it("or joins the reasons when several parts fire together", async () => {
    const condition = new TextMentionTermination("APPROVE").or(new MaxMessageTermination(1));
    const stop = await condition.check([text("APPROVE", "critic")]);
    expect(stop?.content).toBe(
      "Text 'APPROVE' mentioned, Maximum number of messages 1 reached, current message count: 1",
    );
    expect(stop?.source).toBe("TextMentionTermination, MaxMessageTermination");
  });

  it("and fires once every part has fired, in any order, across checks", async () => {
    const condition = new TextMentionTermination("APPROVE").and(new SourceMatchTermination(["editor"]));
    expect(await condition.check([text("APPROVE", "critic")])).toBeUndefined();
    expect(condition.terminated).toBe(false);
    // The mention part already fired and must not be checked again (it would throw).
    expect(await condition.check([text("more", "writer")])).toBeUndefined();
    const stop = await condition.check([text("fine", "editor")]);
    expect(stop?.content).toBe("Text 'APPROVE' mentioned, 'editor' answered");
    expect(condition.terminated).toBe(true);
    await expectTerminatedError(condition);
    await condition.reset();
    expect(condition.terminated).toBe(false);
    expect(await condition.check([text("fine", "editor")])).toBeUndefined();
  });

  it("nests: (a and b) or c", async () => {
    const external = new ExternalTermination();
    const condition = new TextMentionTermination("X").and(new TextMentionTermination("Y")).or(external);
    expect(await condition.check([text("X")])).toBeUndefined();
    external.set();
    expect((await condition.check([text("z")]))?.content).toBe("External termination requested");
  });
});
