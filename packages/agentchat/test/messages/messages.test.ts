import { ValidationError } from "@autogen-ts/core";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import {
  BaseChatMessage,
  CodeExecutionEvent,
  CodeGenerationEvent,
  defaultMessageRegistry,
  HandoffMessage,
  isAgentEvent,
  isChatMessage,
  MemoryQueryEvent,
  type MessageJSON,
  MessageRegistry,
  ModelClientStreamingChunkEvent,
  MultiModalMessage,
  messageFromJSON,
  SelectSpeakerEvent,
  StopMessage,
  StructuredMessage,
  TextMessage,
  ThoughtEvent,
  ToolCallExecutionEvent,
  ToolCallRequestEvent,
  ToolCallSummaryMessage,
  UserInputRequestedEvent,
} from "../../src/messages/index.js";

const usage = { promptTokens: 10, completionTokens: 5 };
const call = { id: "c1", name: "get_weather", arguments: '{"city":"Oslo"}' };
const result = { content: "Oslo: 4C", name: "get_weather", callId: "c1", isError: false };

const samples = [
  new TextMessage({ source: "user", content: "hi", metadata: { lang: "en" } }),
  new MultiModalMessage({
    source: "user",
    content: [
      "look",
      { type: "image", url: "https://example.com/a.png" },
      { type: "image", data: "AAAA", mediaType: "image/png" },
    ],
  }),
  new StructuredMessage({ source: "a", content: { city: "Oslo", celsius: 4 }, format: "{city}: {celsius}C" }),
  new ToolCallSummaryMessage({
    source: "a",
    content: "Oslo: 4C",
    toolCalls: [call],
    results: [result],
    modelsUsage: usage,
  }),
  new HandoffMessage({
    source: "a",
    content: "over to b",
    target: "b",
    context: [
      { type: "AssistantMessage", content: [call], source: "a" },
      { type: "FunctionExecutionResultMessage", content: [result] },
    ],
  }),
  new StopMessage({ source: "a", content: "done" }),
  new ToolCallRequestEvent({ source: "a", content: [call], modelsUsage: usage }),
  new ToolCallExecutionEvent({ source: "a", content: [result] }),
  new ModelClientStreamingChunkEvent({ source: "a", content: "Os", fullMessageId: "m1" }),
  new ThoughtEvent({ source: "a", content: "thinking" }),
  new MemoryQueryEvent({ source: "a", content: [{ content: "likes tea", mimeType: "text/plain" }] }),
  new UserInputRequestedEvent({ source: "u", requestId: "r1" }),
  new SelectSpeakerEvent({ source: "manager", content: ["a", "b"] }),
  new CodeGenerationEvent({
    source: "coder",
    content: "```py\nprint(1)\n```",
    codeBlocks: [{ code: "print(1)", language: "py" }],
  }),
  new CodeExecutionEvent({ source: "coder", result: { exitCode: 0, output: "1\n" }, retryAttempt: 1 }),
];

describe("messages", () => {
  it("round-trip every built-in type through JSON text", () => {
    expect(new Set(samples.map((m) => m.type)).size).toBe(samples.length);
    for (const m of samples) {
      const text = JSON.stringify(m);
      const back = messageFromJSON(text);
      expect(back.constructor).toBe(m.constructor);
      expect(back.toJSON()).toEqual(m.toJSON());
      expect(back.createdAt.getTime()).toBe(m.createdAt.getTime());
      expect(back.toText()).toBe(m.toText());
    }
    expect(defaultMessageRegistry.types()).toHaveLength(samples.length);
  });

  it("gives each message shared fields", () => {
    const a = new TextMessage({ source: "user", content: "hi" });
    const b = new TextMessage({ source: "user", content: "hi" });
    expect(a.id).not.toBe(b.id);
    expect(a.createdAt).toBeInstanceOf(Date);
    expect(a.metadata).toEqual({});
    expect(a.modelsUsage).toBeUndefined();
    expect(a.toJSON()).not.toHaveProperty("modelsUsage");
  });

  it("tells chat messages from events", () => {
    for (const m of samples) {
      expect(isChatMessage(m)).toBe(m instanceof BaseChatMessage);
      expect(isAgentEvent(m)).toBe(!(m instanceof BaseChatMessage));
    }
    expect(isChatMessage({ kind: "chat" })).toBe(false);
    expect(isChatMessage(null)).toBe(false);
    expect(isAgentEvent("event")).toBe(false);
  });

  it("renders text and model forms", () => {
    const mm = samples[1] as MultiModalMessage;
    expect(mm.toText()).toBe("look\n<image>\n<image>");
    expect(mm.toModelMessage()).toEqual({ type: "UserMessage", content: mm.content, source: "user" });
    expect(new TextMessage({ source: "bob", content: "yo" }).toModelMessage()).toEqual({
      type: "UserMessage",
      content: "yo",
      source: "bob",
    });
    const s = samples[2] as StructuredMessage;
    expect(s.toText()).toBe("Oslo: 4C");
    expect(s.toModelMessage().content).toBe("Oslo: 4C");
    expect(new StructuredMessage({ source: "a", content: { x: 1 } }).toText()).toBe('{"x":1}');
    expect(new StructuredMessage({ source: "a", content: { x: 1 }, format: "{x} {missing}" }).toText()).toBe(
      "1 {missing}",
    );
    expect(samples[6]!.toText()).toBe('get_weather({"city":"Oslo"})');
    expect(
      new ToolCallExecutionEvent({ source: "a", content: [{ ...result, isError: true }] }).toText(),
    ).toBe("get_weather (error): Oslo: 4C");
    expect(samples[14]!.toText()).toBe("1\n");
  });

  it("types and validates structured content with a zod schema", () => {
    const Weather = z.object({ city: z.string(), celsius: z.number() });
    const m = new StructuredMessage({ source: "a", content: { city: "Oslo", celsius: 4 }, schema: Weather });
    const celsius: number = m.content.celsius;
    expect(celsius).toBe(4);
    expect(
      () => new StructuredMessage({ source: "a", content: { city: 1 } as never, schema: Weather }),
    ).toThrow(/does not match its schema/);
    const back = StructuredMessage.fromJSON(m.toJSON(), Weather);
    expect(back.content).toEqual({ city: "Oslo", celsius: 4 });
    const bad = { ...m.toJSON(), content: { city: "Oslo" } };
    expect(() => StructuredMessage.fromJSON(bad, Weather)).toThrow(ValidationError);
  });

  it("rejects malformed constructor input with ValidationError", () => {
    expect(() => new TextMessage({ source: "u", content: 3 as never })).toThrow(/string 'content'/);
    expect(() => new TextMessage({ content: "x" } as never)).toThrow(/source/);
    expect(() => new HandoffMessage({ source: "a", content: "", target: "" })).toThrow(/target/);
    expect(() => new UserInputRequestedEvent({ source: "u", requestId: "" })).toThrow(/requestId/);
    expect(() => new CodeExecutionEvent({ source: "u", result: { exitCode: "0" } as never })).toThrow(
      /exitCode/,
    );
  });

  it("rejects malformed JSON with a ValidationError naming the field", () => {
    const good = samples[3]!.toJSON();
    const cases: [unknown, RegExp][] = [
      ["{not json", /not valid JSON/],
      [[], /must be an object/],
      [{ ...good, type: 7 }, /no string 'type'/],
      [{ ...good, type: "Nope" }, /Unknown message type 'Nope'/],
      [{ ...good, createdAt: "yesterday" }, /createdAt/],
      [{ ...good, id: 1 }, /'id' must be a string, got number/],
      [{ ...good, toolCalls: [{ id: "x", name: "y" }] }, /toolCalls\[0\]: 'arguments'/],
      [{ ...good, results: "none" }, /'results' must be an array/],
      [{ ...good, metadata: { a: 1 } }, /metadata 'a'/],
      [{ ...good, modelsUsage: { promptTokens: "1" } }, /modelsUsage/],
      [{ ...samples[1]!.toJSON(), content: [{ type: "image" }] }, /url' or 'data'/],
      [{ ...samples[4]!.toJSON(), context: [{ type: "Bogus" }] }, /context\[0\]/],
    ];
    for (const [json, pattern] of cases) {
      const attempt = () => messageFromJSON(typeof json === "string" ? json : (json as MessageJSON));
      expect(attempt).toThrow(pattern);
      try {
        attempt();
      } catch (e) {
        expect(ValidationError.isInstance(e)).toBe(true);
      }
    }
  });

  it("lets applications register their own types", () => {
    class PollMessage extends BaseChatMessage {
      readonly type = "PollMessage";
      readonly options: string[];
      constructor(o: { source: string; options: string[] } & Partial<Record<"id", string>>) {
        super(o);
        this.options = o.options;
      }
      toText() {
        return this.options.join(" / ");
      }
      toModelText() {
        return `Poll: ${this.toText()}`;
      }
      protected contentJSON() {
        return { options: this.options };
      }
    }
    const registry = new MessageRegistry();
    registry.register(
      "PollMessage",
      (json) => new PollMessage({ source: json.source, id: json.id, options: json.options as string[] }),
    );
    const p = new PollMessage({ source: "a", options: ["tea", "coffee"] });
    const back = messageFromJSON(JSON.stringify(p), registry);
    expect(back).toBeInstanceOf(PollMessage);
    expect(back.id).toBe(p.id);
    expect((back as PollMessage).toModelMessage().content).toBe("Poll: tea / coffee");
    expect(() => messageFromJSON(p.toJSON())).toThrow(/Unknown message type 'PollMessage'/);
    expect(() => registry.register("PollMessage", () => p)).toThrow(/already registered/);
    registry.register("PollMessage", () => p, { replace: true });
    expect(registry.fromJSON(p.toJSON())).toBe(p);
  });
});
