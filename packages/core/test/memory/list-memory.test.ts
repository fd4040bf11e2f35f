import { describe, expect, it } from "vitest";
import { CancelledError, ValidationError } from "../../src/errors.js";
import { ListMemory, MemoryMimeType } from "../../src/memory/index.js";
import {
  BufferedChatCompletionContext,
  UnboundedChatCompletionContext,
} from "../../src/model-context/index.js";

describe("ListMemory", () => {
  it("adds every item to the model context as one numbered system message and returns them", async () => {
    const memory = new ListMemory({
      memoryContents: [{ content: "The user prefers metric units", mimeType: MemoryMimeType.TEXT }],
    });
    await memory.add({
      content: { city: "Oslo" },
      mimeType: MemoryMimeType.JSON,
      metadata: { from: "profile" },
    });
    const context = new UnboundedChatCompletionContext({
      initialMessages: [{ type: "UserMessage", content: "weather?", source: "user" }],
    });
    const added = await memory.updateContext(context);
    expect(added.memories.results).toHaveLength(2);
    const messages = await context.getMessages();
    expect(messages).toHaveLength(2);
    expect(messages[1]).toEqual({
      type: "SystemMessage",
      content:
        'Things you remember that may matter here, oldest first:\n1. The user prefers metric units\n2. {"city":"Oslo"}',
    });
  });

  it("does not repeat the block while the model still sees it, and adds it again once it changed or left the window", async () => {
    const memory = new ListMemory({
      memoryContents: [{ content: "metric units", mimeType: MemoryMimeType.TEXT }],
    });
    const context = new BufferedChatCompletionContext({ bufferSize: 3 });
    const turn = async (text: string) => {
      await context.addMessage({ type: "UserMessage", content: text, source: "user" });
      return (await memory.updateContext(context)).memories.results.length;
    };
    expect(await turn("first")).toBe(1);
    expect(await turn("second")).toBe(0);
    await memory.add({ content: "lives in Oslo", mimeType: MemoryMimeType.TEXT });
    expect(await turn("third")).toBe(2);
    const blocks = (await context.getMessages()).filter((m) => m.type === "SystemMessage");
    expect(blocks.at(-1)?.content).toContain("2. lives in Oslo");
    // Three more messages push the block out of the 3-message window: it comes back.
    await context.addMessage({ type: "UserMessage", content: "a", source: "user" });
    await context.addMessage({ type: "UserMessage", content: "b", source: "user" });
    expect(await turn("c")).toBe(2);
  });

  it("adds nothing to the context when empty", async () => {
    const memory = new ListMemory();
    const context = new UnboundedChatCompletionContext();
    expect(await memory.updateContext(context)).toEqual({ memories: { results: [] } });
    expect(await context.getMessages()).toEqual([]);
  });

  it("describes an image item without inlining its data", async () => {
    const memory = new ListMemory();
    await memory.add({
      content: { type: "image", data: "aGk=", mediaType: "image/png" },
      mimeType: "image/png",
    });
    const context = new UnboundedChatCompletionContext();
    await memory.updateContext(context);
    expect((await context.getMessages())[0]?.content).toContain("1. [an image (image/png)]");
  });

  it("query returns every item in order; clear forgets them", async () => {
    const memory = new ListMemory({ name: "prefs" });
    expect(memory.name).toBe("prefs");
    await memory.add({ content: "a", mimeType: MemoryMimeType.TEXT });
    await memory.add({ content: "b", mimeType: MemoryMimeType.MARKDOWN });
    expect((await memory.query("anything")).results.map((r) => r.content)).toEqual(["a", "b"]);
    expect(memory.content).toHaveLength(2);
    await memory.clear();
    expect((await memory.query("anything")).results).toEqual([]);
    await memory.close();
    await memory.close();
  });

  it("round-trips its state through JSON", async () => {
    const memory = new ListMemory();
    await memory.add({ content: "a", mimeType: MemoryMimeType.TEXT, metadata: { score: 1 } });
    const saved = JSON.parse(JSON.stringify(await memory.saveState()));
    expect(saved).toMatchObject({ type: "ListMemoryState", version: 1 });
    const fresh = new ListMemory();
    await fresh.loadState(saved);
    expect(fresh.content).toEqual(memory.content);
  });

  it.each([
    ["a string", "oops", /expected a JSON object/],
    ["an older version", { type: "ListMemoryState", version: 0, memoryContents: [] }, /version 0, older/],
    ["a context document", { type: "ChatCompletionContextState", version: 1, messages: [] }, /"type" is/],
    [
      "no list",
      { type: "ListMemoryState", version: 1, memoryContents: "a" },
      /memoryContents should be a list/,
    ],
    [
      "an item without mimeType",
      { type: "ListMemoryState", version: 1, memoryContents: [{ content: "a" }] },
      /\[0\] needs a mimeType/,
    ],
    [
      "an item with a numeric content",
      { type: "ListMemoryState", version: 1, memoryContents: [{ content: 5, mimeType: "text/plain" }] },
      /content should be a string/,
    ],
  ])("loadState rejects %s and keeps its items", async (_label, document, pattern) => {
    const memory = new ListMemory({ memoryContents: [{ content: "kept", mimeType: MemoryMimeType.TEXT }] });
    const error = await memory.loadState(document).catch((e: unknown) => e);
    expect(ValidationError.isInstance(error)).toBe(true);
    expect((error as ValidationError).code).toBe("invalid_state");
    expect((error as Error).message).toMatch(pattern);
    expect(memory.content.map((c) => c.content)).toEqual(["kept"]);
  });

  it("rejects bad content on add with an invalid_argument error", async () => {
    const memory = new ListMemory();
    const error = await memory.add({ content: "x" } as never).catch((e: unknown) => e);
    expect(ValidationError.isInstance(error) && error.code).toBe("invalid_argument");
    expect(
      () => new ListMemory({ memoryContents: [{ content: null, mimeType: "text/plain" } as never] }),
    ).toThrow(/content should be/);
  });

  it("honours an aborted signal", async () => {
    const memory = new ListMemory();
    const signal = AbortSignal.abort();
    for (const attempt of [
      memory.add({ content: "a", mimeType: "text/plain" }, { signal }),
      memory.query("a", { signal }),
      memory.updateContext(new UnboundedChatCompletionContext(), { signal }),
    ]) {
      const error = await attempt.catch((e: unknown) => e);
      expect(CancelledError.isInstance(error)).toBe(true);
    }
    expect(memory.content).toEqual([]);
  });
});
