import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AssistantAgent, MemoryQueryEvent } from "@autogen-ts/agentchat";
import {
  CancelledError,
  type MemoryContent,
  ModelError,
  UnboundedChatCompletionContext,
  ValidationError,
} from "@autogen-ts/core";
import { ReplayChatCompletionClient } from "@autogen-ts/core/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type EmbeddingClient,
  InMemoryVectorStore,
  VectorMemory,
  type VectorStore,
} from "../../src/memory/index.js";
import { PostgresVectorStore } from "../../src/memory/postgres/index.js";
import { SqliteVectorStore } from "../../src/memory/sqlite/index.js";
import { OpenAIEmbeddingClient } from "../../src/models/openai/index.js";
import { bagOfWords, EmbeddingsServer } from "../support/embeddings-server.js";
import { type PgliteServer, startPgliteServer } from "../support/pglite-server.js";

let embeddings: EmbeddingsServer;
let pglite: PgliteServer;
const dir = await mkdtemp(join(tmpdir(), "autogen-vector-memory-"));

beforeAll(async () => {
  [embeddings, pglite] = await Promise.all([EmbeddingsServer.start(), startPgliteServer()]);
}, 120_000);
afterAll(async () => {
  await Promise.all([embeddings?.close(), pglite?.stop()]);
  await rm(dir, { recursive: true, force: true });
});

function embeddingClient(model = "text-embedding-3-small"): OpenAIEmbeddingClient {
  return new OpenAIEmbeddingClient({ model, apiKey: "sk-test", baseURL: embeddings.url, initialDelayMs: 1 });
}

// Each store kind, opened on a fresh collection (the SQLite file and the PGlite database are shared).
const STORES: Record<string, (collection?: string) => Promise<VectorStore>> = {
  memory: async () => new InMemoryVectorStore(),
  sqlite: (collection = crypto.randomUUID()) =>
    SqliteVectorStore.open({ path: join(dir, "memory.db"), collection }),
  postgres: (collection = crypto.randomUUID()) =>
    PostgresVectorStore.open({ connectionString: pglite.url, maxConnections: 1, collection }),
};

const text = (content: string, metadata?: Record<string, unknown>): MemoryContent => ({
  content,
  mimeType: "text/plain",
  ...(metadata ? { metadata } : {}),
});

const FACTS = [
  text("The user prefers temperatures in Celsius", { category: "preferences", lang: "en" }),
  text("The user lives in Lyon, France", { category: "facts", lang: "en" }),
  text("Meetings are never scheduled on Fridays", { category: "preferences", lang: "en" }),
  text("L'utilisateur aime le café noir", { category: "preferences", lang: "fr" }),
];

for (const [kind, openStore] of Object.entries(STORES)) {
  describe(`VectorMemory on the ${kind} store`, () => {
    it("finds the most similar items, with score and id in their metadata, best first", async () => {
      const memory = new VectorMemory({ embeddingClient: embeddingClient(), store: await openStore() });
      await memory.addMany(FACTS);
      const { results } = await memory.query("what temperatures does the user prefer?", { k: 2 });
      expect(results).toHaveLength(2);
      expect(results[0]?.content).toBe("The user prefers temperatures in Celsius");
      expect(results[0]?.metadata).toMatchObject({ category: "preferences", lang: "en" });
      const score = results[0]?.metadata?.score as number;
      expect(score).toBeGreaterThan(results[1]?.metadata?.score as number);
      expect(typeof results[0]?.metadata?.id).toBe("string");
      await memory.close();
    });

    it("applies its default k, the score threshold and metadata filters (its own and the query's)", async () => {
      const store = await openStore();
      const memory = new VectorMemory({
        embeddingClient: embeddingClient(),
        store,
        k: 10,
        scoreThreshold: 0.2,
        filter: { category: "preferences" },
      });
      await memory.addMany(FACTS);
      const prefs = await memory.query("user prefers temperatures Celsius Fridays meetings");
      expect(prefs.results.map((r) => r.content)).toEqual([
        "The user prefers temperatures in Celsius",
        "Meetings are never scheduled on Fridays",
      ]);
      const french = await memory.query("café noir", { filter: { lang: "fr" }, scoreThreshold: -1 });
      expect(french.results.map((r) => r.content)).toEqual(["L'utilisateur aime le café noir"]);
      const none = await memory.query("quantum chromodynamics");
      expect(none.results).toEqual([]);
      await memory.close();
    });

    it("adds the results to the model context as one numbered system message, once", async () => {
      const memory = new VectorMemory({ embeddingClient: embeddingClient(), store: await openStore(), k: 1 });
      await memory.addMany(FACTS);
      const context = new UnboundedChatCompletionContext();
      await context.addMessage({ type: "UserMessage", content: "Where does the user live?", source: "user" });
      const first = await memory.updateContext(context);
      expect(first.memories.results.map((r) => r.content)).toEqual(["The user lives in Lyon, France"]);
      const messages = await context.getMessages();
      expect(messages.at(-1)).toEqual({
        type: "SystemMessage",
        content: "\nRelevant memory content:\n1. The user lives in Lyon, France",
      });
      await context.addMessage({ type: "UserMessage", content: "Where does the user live?", source: "user" });
      const again = await memory.updateContext(context);
      expect(again.memories.results).toEqual([]);
      expect((await context.getMessages()).filter((m) => m.type === "SystemMessage")).toHaveLength(1);
      const empty = new UnboundedChatCompletionContext();
      expect((await memory.updateContext(empty)).memories.results).toEqual([]);
      await memory.close();
    });

    it("saves its records with their vectors, and loads them into another store without embedding again", async () => {
      const source = new VectorMemory({ embeddingClient: embeddingClient(), store: await openStore() });
      await source.addMany(FACTS);
      await source.add({ content: { city: "Lyon", country: "FR" }, mimeType: "application/json" });
      const state = await source.saveState();
      expect(state).toMatchObject({
        type: "VectorMemoryState",
        version: 1,
        embeddingModel: "text-embedding-3-small",
      });
      expect(state.records).toHaveLength(5);
      const json = JSON.parse(JSON.stringify(state));
      const target = new VectorMemory({ embeddingClient: embeddingClient(), store: await openStore() });
      await target.add(text("to be replaced"));
      const before = embeddings.embeddedTexts;
      await target.loadState(json);
      expect(embeddings.embeddedTexts).toBe(before);
      expect(await target.store.count()).toBe(5);
      const { results } = await target.query("Lyon FR city", { k: 1 });
      expect(results[0]?.content).toEqual({ city: "Lyon", country: "FR" });
      expect(results[0]?.mimeType).toBe("application/json");
      await source.close();
      await target.close();
    });

    it("refuses a state from another embedding model, of another version or corrupt, keeping its records", async () => {
      const memory = new VectorMemory({ embeddingClient: embeddingClient(), store: await openStore() });
      await memory.add(FACTS[0] as MemoryContent);
      const state = await memory.saveState();
      const other = new VectorMemory({
        embeddingClient: embeddingClient("nomic-embed-text"),
        store: await openStore(),
      });
      await other.add(FACTS[1] as MemoryContent);
      const refuse = async (doc: unknown, pattern: RegExp) => {
        const error = await other.loadState(doc).catch((e: unknown) => e);
        expect(ValidationError.isInstance(error) && error.code).toBe("invalid_state");
        expect((error as Error).message).toMatch(pattern);
      };
      await refuse(state, /embedding model "text-embedding-3-small", this memory uses "nomic-embed-text"/);
      const own = { ...state, embeddingModel: "nomic-embed-text" };
      await refuse({ ...own, version: 2 }, /version 2/);
      await refuse({ ...own, records: [{ id: "x", content: text("x"), embedding: [] }] }, /embedding/);
      await refuse({ ...own, records: "nope" }, /records should be a list/);
      await refuse(null, /VectorMemoryState/);
      expect((await other.query("Lyon", { k: 5 })).results.map((r) => r.content)).toEqual([
        "The user lives in Lyon, France",
      ]);
      await memory.close();
      await other.close();
    });

    it("refuses content with no text, a bad k and a bad threshold with ValidationError; cancels on an aborted signal", async () => {
      const memory = new VectorMemory({ embeddingClient: embeddingClient(), store: await openStore() });
      await expect(
        memory.add({
          content: { type: "image", data: "aGk=", mimeType: "image/png" } as never,
          mimeType: "image/png",
        }),
      ).rejects.toThrow(/no text to embed/);
      await expect(memory.query("x", { k: 0 })).rejects.toSatisfy(ValidationError.isInstance);
      await expect(memory.query("x", { scoreThreshold: Number.NaN })).rejects.toSatisfy(
        ValidationError.isInstance,
      );
      await expect(memory.query("x", { filter: { a: { $gt: 1 } as never } })).rejects.toSatisfy(
        ValidationError.isInstance,
      );
      const controller = new AbortController();
      controller.abort();
      await expect(memory.add(text("x"), { signal: controller.signal })).rejects.toSatisfy(
        CancelledError.isInstance,
      );
      expect(await memory.store.count()).toBe(0);
      await memory.close();
    });

    it("clear() forgets everything", async () => {
      const memory = new VectorMemory({ embeddingClient: embeddingClient(), store: await openStore() });
      await memory.addMany(FACTS);
      await memory.clear();
      expect((await memory.query("user")).results).toEqual([]);
      await memory.close();
    });
  });
}

describe("VectorMemory", () => {
  it("keeps a SQLite memory across a restart: a new process's store finds what the old one added", async () => {
    const collection = crypto.randomUUID();
    const first = new VectorMemory({
      embeddingClient: embeddingClient(),
      store: await STORES.sqlite?.(collection),
    });
    await first.addMany(FACTS);
    await first.close();
    const second = new VectorMemory({
      embeddingClient: embeddingClient(),
      store: await STORES.sqlite?.(collection),
    });
    const { results } = await second.query("Fridays meetings", { k: 1 });
    expect(results[0]?.content).toBe("Meetings are never scheduled on Fridays");
    await second.close();
  });

  it("gives an AssistantAgent what it found before the model call, as AutoGen's memory does", async () => {
    const memory = new VectorMemory({ embeddingClient: embeddingClient(), k: 1 });
    await memory.addMany(FACTS);
    const model = new ReplayChatCompletionClient(["In Lyon."]);
    const agent = new AssistantAgent({ name: "helper", modelClient: model, memory: [memory] });
    const result = await agent.run({ task: "Where does the user live?" });
    const event = result.messages.find((m) => m instanceof MemoryQueryEvent) as MemoryQueryEvent;
    expect(event.content.map((c) => c.content)).toEqual(["The user lives in Lyon, France"]);
    const sent = model.requests[0]?.messages ?? [];
    expect(
      sent.some((m) => m.type === "SystemMessage" && m.content.includes("1. The user lives in Lyon")),
    ).toBe(true);
  });

  it("turns a broken embedding client into a ModelError, and a failing endpoint's error passes through", async () => {
    const short: EmbeddingClient = { model: "m", embed: async () => [] };
    await expect(new VectorMemory({ embeddingClient: short }).add(text("x"))).rejects.toMatchObject({
      code: "model_output",
    });
    const zeros: EmbeddingClient = { model: "m", embed: async (t) => t.map(() => [0, 0]) };
    await expect(new VectorMemory({ embeddingClient: zeros }).add(text("x"))).rejects.toThrow(/all zeros/);
    embeddings.failNext(400, 1, "bad input");
    const error = await new VectorMemory({ embeddingClient: embeddingClient() })
      .add(text("x"))
      .catch((e) => e);
    expect(ModelError.isInstance(error) && error.status).toBe(400);
    expect(() => new VectorMemory({ embeddingClient: undefined as never })).toThrow(/embeddingClient/);
    expect(() => new VectorMemory({ embeddingClient: short, k: -1 })).toThrow(/k should be/);
  });

  it("scores with the cosine of the embeddings the endpoint returned", async () => {
    const memory = new VectorMemory({ embeddingClient: embeddingClient() });
    await memory.add(text("green apples and red pears"));
    const { results } = await memory.query("red apples");
    const a = bagOfWords("green apples and red pears");
    const b = bagOfWords("red apples");
    const expected = a.reduce((s, x, i) => s + x * (b[i] ?? 0), 0);
    expect(results[0]?.metadata?.score).toBeCloseTo(expected, 5);
  });
});
