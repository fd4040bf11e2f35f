// Fidelity: AutoGen's python/packages/autogen-core/tests/test_memory.py, case by case.
import { describe, expect, it } from "vitest";
import {
  BufferedChatCompletionContext,
  type ChatCompletionContext,
  dumpComponent,
  ListMemory,
  loadComponent,
  type Memory,
  type MemoryContent,
  MemoryMimeType,
  type MemoryQueryResult,
  type MemoryState,
  type UpdateContextResult,
} from "../../src/index.js";

const origin = "test_memory.py::";
const text = (content: string): MemoryContent => ({ content, mimeType: MemoryMimeType.TEXT });

describe("AutoGen fidelity: memory", () => {
  it(`${origin}test_memory_protocol_attributes`, () => {
    const memory: Memory = new ListMemory();
    for (const method of [
      "updateContext",
      "query",
      "add",
      "clear",
      "close",
      "saveState",
      "loadState",
    ] as const) {
      expect(typeof memory[method]).toBe("function");
    }
  });

  it(`${origin}test_memory_component_load_config_from_base_model`, async () => {
    const memory = await loadComponent<ListMemory>({
      provider: "autogen_core.memory.ListMemory",
      config: { name: "test_memory", memory_contents: [{ content: "test", mime_type: "text/plain" }] },
    });
    expect(memory).toBeInstanceOf(ListMemory);
    expect(memory.name).toBe("test_memory");
    expect(memory.content).toHaveLength(1);
  });

  it(`${origin}test_memory_component_dump_config_to_base_model`, async () => {
    const memory = new ListMemory({ name: "test_memory", memoryContents: [text("test")] });
    const config = await dumpComponent(memory);
    expect(config.provider).toBe("autogen_core.memory.ListMemory");
    expect(config.component_type).toBe("memory");
    expect(config.config.name).toBe("test_memory");
    expect(config.config.memory_contents).toHaveLength(1);
  });

  it(`${origin}test_memory_abc_implementation`, async () => {
    // AutoGen checks a class against its Memory ABC; here the interface is structural and the compiler
    // checks it: a class that implements it is a Memory, and works where one is expected.
    class ValidMemory implements Memory {
      readonly name = "test";
      async updateContext(_context: ChatCompletionContext): Promise<UpdateContextResult> {
        return { memories: { results: [] } };
      }
      async query(): Promise<MemoryQueryResult> {
        return { results: [] };
      }
      async add(): Promise<void> {}
      async clear(): Promise<void> {}
      async close(): Promise<void> {}
      async saveState(): Promise<MemoryState> {
        return { type: "ValidMemoryState", version: 1 };
      }
      async loadState(): Promise<void> {}
    }
    const memory: Memory = new ValidMemory();
    expect(
      (await memory.updateContext(new BufferedChatCompletionContext({ bufferSize: 1 }))).memories.results,
    ).toEqual([]);
  });

  it(`${origin}test_list_memory_empty`, async () => {
    const memory = new ListMemory({ name: "test_memory" });
    const context = new BufferedChatCompletionContext({ bufferSize: 3 });
    const results = await memory.updateContext(context);
    expect(results.memories.results).toHaveLength(0);
    expect(await context.getMessages()).toHaveLength(0);
    expect((await memory.query(text("test"))).results).toHaveLength(0);
  });

  it(`${origin}test_list_memory_add_and_query`, async () => {
    const memory = new ListMemory();
    await memory.add(text("test1"));
    await memory.add({ content: { key: "value" }, mimeType: MemoryMimeType.JSON });
    const results = await memory.query(text("query"));
    expect(results.results.map((r) => r.content)).toEqual(["test1", { key: "value" }]);
  });

  it(`${origin}test_list_memory_max_memories`, async () => {
    const memory = new ListMemory();
    for (let i = 0; i < 5; i++) await memory.add(text(`test${i}`));
    expect((await memory.query(text("query"))).results).toHaveLength(5);
  });

  it(`${origin}test_list_memory_update_context`, async () => {
    const memory = new ListMemory();
    const context = new BufferedChatCompletionContext({ bufferSize: 3 });
    await memory.add(text("test1"));
    await memory.add(text("test2"));
    const results = await memory.updateContext(context);
    const messages = await context.getMessages();
    expect(results.memories.results).toHaveLength(2);
    expect(messages).toHaveLength(1);
    expect(String(messages[0]?.content)).toContain("test1");
    expect(String(messages[0]?.content)).toContain("test2");
  });

  it(`${origin}test_list_memory_clear`, async () => {
    const memory = new ListMemory();
    await memory.add(text("test"));
    await memory.clear();
    expect((await memory.query(text("query"))).results).toHaveLength(0);
  });

  it(`${origin}test_list_memory_content_types`, async () => {
    // AutoGen's binary content is `bytes`; here binary and image content is an Image (base64 data).
    const memory = new ListMemory();
    await memory.add(text("text"));
    await memory.add({ content: { key: "value" }, mimeType: MemoryMimeType.JSON });
    const results = await memory.query(text("text"));
    expect(typeof results.results[0]?.content).toBe("string");
    expect(typeof results.results[1]?.content).toBe("object");
  });
});
