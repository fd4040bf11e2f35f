// Fidelity: AutoGen's python/packages/autogen-agentchat/tests/test_messages.py, case by case.
import { ValidationError } from "@autogen-ts/core";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import {
  HandoffMessage,
  MessageRegistry,
  ModelClientStreamingChunkEvent,
  MultiModalMessage,
  messageFromJSON,
  StopMessage,
  StructuredMessage,
  TextMessage,
  ToolCallExecutionEvent,
  ToolCallRequestEvent,
} from "../../src/index.js";

const origin = "test_messages.py::";
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const TestContent = z.object({ field1: z.string(), field2: z.number().int() });

describe("AutoGen fidelity: messages", () => {
  it(`${origin}test_structured_message`, () => {
    const message = new StructuredMessage({
      source: "test_agent",
      content: { field1: "test", field2: 42 },
      schema: TestContent,
    });
    // AutoGen names the type after the content model (StructuredMessage[TestContent]); here the type is
    // StructuredMessage and the schema travels with the reader (docs/autogen-differences.md).
    expect(message.type).toBe("StructuredMessage");
    expect(message.content).toEqual({ field1: "test", field2: 42 });
    const dumped = message.toJSON();
    expect(dumped.source).toBe("test_agent");
    expect(dumped.content).toEqual({ field1: "test", field2: 42 });
    expect(
      () => new StructuredMessage({ source: "a", content: { field1: 1 } as never, schema: TestContent }),
    ).toThrow(ValidationError);
  });

  it(`${origin}test_structured_message_component`, () => {
    const format = "this is a string {field1} and this is an int {field2}";
    const message = new StructuredMessage({
      source: "test_agent",
      content: { field1: "test", field2: 42 },
      format,
    });
    expect(message.toModelText()).toBe("this is a string test and this is an int 42");
    const restored = messageFromJSON(JSON.parse(JSON.stringify(message))) as StructuredMessage;
    expect(restored.toModelText()).toBe(message.toModelText());
    expect(restored.content).toEqual({ field1: "test", field2: 42 });
  });

  it(`${origin}test_message_factory`, () => {
    const factory = new MessageRegistry();
    const text = factory.fromJSON({
      type: "TextMessage",
      id: crypto.randomUUID(),
      source: "test_agent",
      createdAt: new Date().toISOString(),
      metadata: {},
      content: "Hello, world!",
    });
    expect(text).toBeInstanceOf(TextMessage);
    expect((text as TextMessage).content).toBe("Hello, world!");
    const handoff = factory.fromJSON(
      new HandoffMessage({
        source: "test_agent",
        content: "handoff to another agent",
        target: "target_agent",
      }).toJSON(),
    );
    expect(handoff).toBeInstanceOf(HandoffMessage);
    expect((handoff as HandoffMessage).target).toBe("target_agent");
    expect(handoff.type).toBe("HandoffMessage");

    // An unregistered type is refused until it is registered.
    const custom = {
      ...new TextMessage({ source: "a", content: "x" }).toJSON(),
      type: "StructuredMessage[TestContent]",
    };
    expect(() => factory.fromJSON(custom)).toThrow(/Unknown message type 'StructuredMessage\[TestContent\]'/);
    factory.register("StructuredMessage[TestContent]", (json) =>
      StructuredMessage.fromJSON({
        ...json,
        type: "StructuredMessage",
        content: { field1: "test", field2: 42 },
      }),
    );
    const restored = factory.fromJSON(custom) as StructuredMessage<{ field1: string; field2: number }>;
    expect(restored).toBeInstanceOf(StructuredMessage);
    expect(restored.content.field2).toBe(42);
  });

  it(`${origin}test_union_types`, () => {
    const chat = [
      new TextMessage({ source: "user", content: "Hello!" }),
      new MultiModalMessage({ source: "user", content: ["Hello!", "World!"] }),
      new HandoffMessage({ source: "user", content: "handoff to another agent", target: "target_agent" }),
      new StopMessage({ source: "user", content: "stop" }),
    ];
    const events = [
      new ModelClientStreamingChunkEvent({ source: "user", content: "Hello!" }),
      new ToolCallRequestEvent({
        source: "user",
        content: [
          { id: "1", name: "test_function", arguments: JSON.stringify({ arg1: "value1", arg2: "value2" }) },
        ],
      }),
      new ToolCallExecutionEvent({
        source: "user",
        content: [{ callId: "1", content: "result", name: "test", isError: false }],
      }),
    ];
    const data = JSON.parse(JSON.stringify({ chat, events })) as { chat: unknown[]; events: unknown[] };
    const loaded = {
      chat: data.chat.map((m) => messageFromJSON(m as never)),
      events: data.events.map((m) => messageFromJSON(m as never)),
    };
    expect(loaded.chat.map((m) => m.toJSON())).toEqual(chat.map((m) => m.toJSON()));
    expect(loaded.events.map((m) => m.toJSON())).toEqual(events.map((m) => m.toJSON()));
    expect(loaded.chat.map((m) => m.constructor)).toEqual(chat.map((m) => m.constructor));
  });

  it(`${origin}test_message_id_field`, () => {
    const a = new TextMessage({ source: "test_agent", content: "Hello, world!" });
    const b = new TextMessage({ source: "test_agent", content: "Hello, world!" });
    expect(a.id).not.toBe(b.id);
    expect(a.id).toMatch(UUID);
    expect(b.id).toMatch(UUID);
    const e1 = new ModelClientStreamingChunkEvent({ source: "test_agent", content: "chunk1" });
    const e2 = new ModelClientStreamingChunkEvent({ source: "test_agent", content: "chunk2" });
    expect(e1.id).not.toBe(e2.id);
    expect(e1.id).toMatch(UUID);
  });

  it(`${origin}test_custom_message_id`, () => {
    expect(new TextMessage({ id: "custom-message-id-123", source: "a", content: "x" }).id).toBe(
      "custom-message-id-123",
    );
    expect(
      new ModelClientStreamingChunkEvent({ id: "custom-event-id-456", source: "a", content: "c" }).id,
    ).toBe("custom-event-id-456");
  });

  it(`${origin}test_streaming_chunk_full_message_id`, () => {
    expect(
      new ModelClientStreamingChunkEvent({ source: "a", content: "chunk1" }).fullMessageId,
    ).toBeUndefined();
    const chunk = new ModelClientStreamingChunkEvent({
      source: "a",
      content: "chunk2",
      fullMessageId: "full-message-123",
    });
    expect(chunk.fullMessageId).toBe("full-message-123");
    expect(chunk.id).not.toBe(chunk.fullMessageId);
    expect(chunk.id).toMatch(UUID);
  });

  it(`${origin}test_message_serialization_with_id`, () => {
    const original = new TextMessage({ source: "test_agent", content: "Hello, world!" });
    const data = original.toJSON();
    expect(data.id).toBe(original.id);
    const restored = TextMessage.fromJSON(data);
    expect(restored.id).toBe(original.id);
    expect(restored.content).toBe("Hello, world!");
    const chunk = new ModelClientStreamingChunkEvent({
      source: "a",
      content: "chunk",
      fullMessageId: "full-msg-123",
    });
    const chunkData = chunk.toJSON();
    expect(chunkData.fullMessageId).toBe("full-msg-123");
    const back = ModelClientStreamingChunkEvent.fromJSON(chunkData);
    expect(back.id).toBe(chunk.id);
    expect(back.fullMessageId).toBe("full-msg-123");
  });

  it(`${origin}test_datetime_serialization_in_messages`, () => {
    const when = new Date(Date.UTC(2023, 11, 25, 10, 30, 45, 123));
    const message = new TextMessage({ source: "test_agent", content: "Hello, world!", createdAt: when });
    const data = message.toJSON();
    expect(data.createdAt).toBe("2023-12-25T10:30:45.123Z");
    expect(() => JSON.stringify(data)).not.toThrow();
    expect(TextMessage.fromJSON(data).createdAt.getTime()).toBe(when.getTime());
    const event = new ModelClientStreamingChunkEvent({ source: "a", content: "chunk", createdAt: when });
    expect(event.toJSON().createdAt).toBe("2023-12-25T10:30:45.123Z");
    expect(ModelClientStreamingChunkEvent.fromJSON(event.toJSON()).createdAt.getTime()).toBe(when.getTime());
    const auto = new TextMessage({ source: "a", content: "Auto datetime test" });
    expect(TextMessage.fromJSON(JSON.parse(JSON.stringify(auto))).createdAt.getTime()).toBe(
      auto.createdAt.getTime(),
    );
  });
});
