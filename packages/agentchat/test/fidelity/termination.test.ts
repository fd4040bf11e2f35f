// Fidelity: AutoGen's python/packages/autogen-agentchat/tests/test_termination_condition.py, case by case.
// Each `it` names the Python test it ports; the stop reasons are AutoGen's own wording.
import { describe, expect, it } from "vitest";
import {
  ExternalTermination,
  FunctionalTermination,
  FunctionCallTermination,
  HandoffMessage,
  HandoffTermination,
  MaxMessageTermination,
  SourceMatchTermination,
  StopMessage,
  StopMessageTermination,
  StructuredMessage,
  TerminatedError,
  TextMentionTermination,
  TextMessage,
  TextMessageTermination,
  TimeoutTermination,
  TokenUsageTermination,
  ToolCallExecutionEvent,
  UserInputRequestedEvent,
} from "../../src/index.js";

const origin = "test_termination_condition.py::";
const text = (content: string, source = "user", usage?: [number, number]) =>
  new TextMessage({
    source,
    content,
    ...(usage ? { modelsUsage: { promptTokens: usage[0], completionTokens: usage[1] } } : {}),
  });
const executed = (...names: string[]) =>
  new ToolCallExecutionEvent({
    source: "assistant",
    content: names.map((name) => ({ content: "", name, callId: "", isError: false })),
  });

describe("AutoGen fidelity: termination conditions", () => {
  it(`${origin}test_handoff_termination`, async () => {
    const termination = new HandoffTermination("target");
    expect(await termination.check([])).toBeUndefined();
    await termination.reset();
    expect(await termination.check([text("Hello")])).toBeUndefined();
    await termination.reset();
    const stop = await termination.check([
      new HandoffMessage({ target: "target", source: "user", content: "Hello" }),
    ]);
    expect(stop?.content).toBe("Handoff to target from user detected.");
    expect(stop?.source).toBe("HandoffTermination");
    expect(termination.terminated).toBe(true);
    await termination.reset();
    expect(
      await termination.check([new HandoffMessage({ target: "another", source: "user", content: "Hello" })]),
    ).toBeUndefined();
    expect(termination.terminated).toBe(false);
    await termination.reset();
    expect(
      await termination.check([
        text("Hello"),
        new HandoffMessage({ target: "target", source: "user", content: "Hello" }),
      ]),
    ).toBeDefined();
    expect(termination.terminated).toBe(true);
  });

  it(`${origin}test_stop_message_termination`, async () => {
    const termination = new StopMessageTermination();
    expect(await termination.check([])).toBeUndefined();
    await termination.reset();
    expect(await termination.check([text("Hello")])).toBeUndefined();
    await termination.reset();
    const stop = await termination.check([new StopMessage({ content: "Stop", source: "user" })]);
    expect(stop?.content).toBe("Stop message received");
    expect(stop?.source).toBe("StopMessageTermination");
    await termination.reset();
    expect(await termination.check([text("Hello"), text("World", "agent")])).toBeUndefined();
    await termination.reset();
    expect(
      await termination.check([text("Hello"), new StopMessage({ content: "Stop", source: "user" })]),
    ).toBeDefined();
  });

  it(`${origin}test_text_message_termination`, async () => {
    let termination = new TextMessageTermination();
    expect(await termination.check([])).toBeUndefined();
    await termination.reset();
    expect(await termination.check([new StopMessage({ content: "Hello", source: "user" })])).toBeUndefined();
    await termination.reset();
    expect((await termination.check([text("Hello")]))?.content).toBe("Text message received from 'user'");
    expect(termination.terminated).toBe(true);
    await termination.reset();
    expect(
      await termination.check([
        new StopMessage({ content: "Hello", source: "user" }),
        text("World", "agent"),
      ]),
    ).toBeDefined();
    expect(termination.terminated).toBe(true);
    const error = await termination.check([text("Hello")]).catch((e: unknown) => e);
    expect(TerminatedError.isInstance(error)).toBe(true);

    termination = new TextMessageTermination("user");
    expect(await termination.check([])).toBeUndefined();
    expect(await termination.check([text("Hello")])).toBeDefined();
    expect(termination.terminated).toBe(true);

    termination = new TextMessageTermination({ source: "agent" });
    expect(await termination.check([text("Hello")])).toBeUndefined();
    await termination.reset();
    expect(await termination.check([text("Hello", "agent")])).toBeDefined();
    expect(termination.terminated).toBe(true);
  });

  it(`${origin}test_max_message_termination`, async () => {
    let termination = new MaxMessageTermination(2);
    expect(await termination.check([])).toBeUndefined();
    await termination.reset();
    expect(await termination.check([text("Hello")])).toBeUndefined();
    await termination.reset();
    const stop = await termination.check([text("Hello"), text("World", "agent")]);
    expect(stop?.content).toBe("Maximum number of messages 2 reached, current message count: 2");

    termination = new MaxMessageTermination({ maxMessages: 2, includeAgentEvent: true });
    expect(await termination.check([])).toBeUndefined();
    await termination.reset();
    expect(await termination.check([text("Hello")])).toBeUndefined();
    await termination.reset();
    expect(
      await termination.check([
        text("Hello"),
        new UserInputRequestedEvent({ requestId: "1", source: "agent" }),
      ]),
    ).toBeDefined();
  });

  it(`${origin}test_mention_termination`, async () => {
    let termination = new TextMentionTermination("stop");
    expect(await termination.check([])).toBeUndefined();
    await termination.reset();
    expect(await termination.check([text("Hello")])).toBeUndefined();
    await termination.reset();
    expect((await termination.check([text("stop")]))?.content).toBe("Text 'stop' mentioned");
    await termination.reset();
    expect(await termination.check([text("Hello"), text("stop")])).toBeDefined();

    termination = new TextMentionTermination({ text: "stop", sources: ["agent"] });
    expect(await termination.check([text("stop")])).toBeUndefined();
    await termination.reset();
    expect(await termination.check([text("stop"), text("stop", "agent")])).toBeDefined();
  });

  it(`${origin}test_token_usage_termination`, async () => {
    const termination = new TokenUsageTermination({ maxTotalToken: 10 });
    expect(await termination.check([])).toBeUndefined();
    await termination.reset();
    const stop = await termination.check([text("Hello", "user", [10, 10])]);
    expect(stop?.content).toBe(
      "Token usage limit reached, total token count: 20, prompt token count: 10, completion token count: 10.",
    );
    await termination.reset();
    expect(
      await termination.check([text("Hello", "user", [1, 1]), text("World", "agent", [1, 1])]),
    ).toBeUndefined();
    await termination.reset();
    expect(
      await termination.check([text("Hello", "user", [5, 0]), text("stop", "user", [0, 5])]),
    ).toBeDefined();
  });

  it(`${origin}test_and_termination`, async () => {
    const termination = new MaxMessageTermination(2).and(new TextMentionTermination("stop"));
    expect(await termination.check([])).toBeUndefined();
    await termination.reset();
    expect(await termination.check([text("Hello")])).toBeUndefined();
    await termination.reset();
    expect(await termination.check([text("Hello"), text("World", "agent")])).toBeUndefined();
    await termination.reset();
    const stop = await termination.check([text("Hello"), text("stop")]);
    expect(stop?.content).toBe(
      "Maximum number of messages 2 reached, current message count: 2, Text 'stop' mentioned",
    );
    expect(stop?.source).toBe("MaxMessageTermination, TextMentionTermination");
  });

  it(`${origin}test_or_termination`, async () => {
    const termination = new MaxMessageTermination(3).or(new TextMentionTermination("stop"));
    const check = async (...contents: string[]) => {
      await termination.reset();
      return termination.check(contents.map((c) => text(c)));
    };
    expect(await termination.check([])).toBeUndefined();
    expect(await check("Hello")).toBeUndefined();
    expect(await check("Hello", "World")).toBeUndefined();
    expect(await check("Hello", "stop")).toBeDefined();
    expect(await check("Hello", "Hello")).toBeUndefined();
    expect(await check("Hello", "Hello", "Hello")).toBeDefined();
    expect(await check("Hello", "Hello", "stop")).toBeDefined();
    const both = await check("Hello", "Hello", "Hello", "stop");
    expect(both?.content).toBe(
      "Maximum number of messages 3 reached, current message count: 4, Text 'stop' mentioned",
    );
  });

  it(`${origin}test_timeout_termination`, async () => {
    // AutoGen sleeps 200 ms against a 100 ms limit; the clock is injected here instead of slept on.
    let now = 0;
    const termination = new TimeoutTermination({ timeoutSeconds: 0.1, now: () => now });
    expect(await termination.check([])).toBeUndefined();
    expect(termination.terminated).toBe(false);
    now += 200;
    expect((await termination.check([]))?.content).toBe("Timeout of 0.1 seconds reached");
    expect(termination.terminated).toBe(true);
    await termination.reset();
    expect(termination.terminated).toBe(false);
    expect(await termination.check([])).toBeUndefined();
    expect(await termination.check([text("Hello")])).toBeUndefined();
    now += 200;
    expect(await termination.check([text("World")])).toBeDefined();
  });

  it(`${origin}test_external_termination`, async () => {
    const termination = new ExternalTermination();
    expect(await termination.check([])).toBeUndefined();
    expect(termination.terminated).toBe(false);
    termination.set();
    expect((await termination.check([]))?.content).toBe("External termination requested");
    expect(termination.terminated).toBe(true);
    await termination.reset();
    expect(await termination.check([])).toBeUndefined();
  });

  it(`${origin}test_source_match_termination`, async () => {
    const termination = new SourceMatchTermination({ sources: ["Assistant"] });
    expect(await termination.check([])).toBeUndefined();
    expect(await termination.check([text("Hello", "agent"), text("Hello", "user")])).toBeUndefined();
    const stop = await termination.check([text("Hello", "agent"), text("Hello", "Assistant"), text("Hello")]);
    expect(stop).toBeInstanceOf(StopMessage);
    expect(stop?.content).toBe("'Assistant' answered");
    expect(termination.terminated).toBe(true);
    const error = await termination.check([]).catch((e: unknown) => e);
    expect(TerminatedError.isInstance(error)).toBe(true);
    await termination.reset();
    expect(termination.terminated).toBe(false);
  });

  it(`${origin}test_function_call_termination`, async () => {
    const termination = new FunctionCallTermination({ functionName: "test_function" });
    expect(await termination.check([])).toBeUndefined();
    await termination.reset();
    expect(await termination.check([text("Hello")])).toBeUndefined();
    await termination.reset();
    expect(await termination.check([text("Hello"), executed()])).toBeUndefined();
    await termination.reset();
    const stop = await termination.check([text("Hello"), executed("test_function")]);
    expect(stop?.content).toBe("Function 'test_function' was executed.");
    expect(termination.terminated).toBe(true);
    await termination.reset();
    expect(await termination.check([text("Hello"), executed("another_function")])).toBeUndefined();
    expect(termination.terminated).toBe(false);
  });

  it(`${origin}test_functional_termination`, async () => {
    const lastIsStop = async (messages: readonly unknown[]) => {
      const last = messages.at(-1);
      return last instanceof TextMessage && last.content === "stop";
    };
    let termination = new FunctionalTermination(lastIsStop);
    expect(await termination.check([])).toBeUndefined();
    await termination.reset();
    expect(await termination.check([text("Hello")])).toBeUndefined();
    await termination.reset();
    expect((await termination.check([text("stop")]))?.content).toBe("Functional termination condition met");
    expect(termination.terminated).toBe(true);
    await termination.reset();
    expect(await termination.check([text("Hello")])).toBeUndefined();

    // A synchronous function over a structured message.
    termination = new FunctionalTermination((messages) => {
      const last = messages.at(-1);
      return last instanceof StructuredMessage && (last.content as { data: string }).data === "stop";
    });
    expect(await termination.check([text("Hello")])).toBeUndefined();
    await termination.reset();
    expect(
      await termination.check([
        new StructuredMessage({ content: { content: "1", data: "stop" }, source: "user" }),
      ]),
    ).toBeDefined();
    expect(termination.terminated).toBe(true);
    await termination.reset();
    expect(await termination.check([text("Hello")])).toBeUndefined();
  });
});
