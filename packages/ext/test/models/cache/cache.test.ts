import type { LLMMessage } from "@autogen-ts/core";
import { ReplayChatCompletionClient } from "@autogen-ts/core/testing";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { ChatCompletionCache, canonicalJson, InMemoryCacheStore } from "../../../src/models/cache/index.js";
import { collect } from "../../support/model-harness.js";

const msgs: LLMMessage[] = [{ type: "UserMessage", content: "What is 2+2?", source: "user" }];

describe("ChatCompletionCache", () => {
  it("answers a repeated request from the cache with cached: true", async () => {
    const inner = new ReplayChatCompletionClient(["Four.", "Something else"]);
    const cache = new ChatCompletionCache({ client: inner });
    const first = await cache.create(msgs);
    const second = await cache.create(msgs);
    expect(first).toMatchObject({ content: "Four.", cached: false });
    expect(second).toMatchObject({ content: "Four.", cached: true, usage: first.usage });
    expect(inner.requests).toHaveLength(1);
    expect(cache.totalUsage()).toEqual(inner.totalUsage());
  });

  it("keys on messages, tools, output format and extra arguments", async () => {
    const inner = new ReplayChatCompletionClient(["a", "b", "c", "d", "e"]);
    const cache = new ChatCompletionCache({ client: inner });
    await cache.create(msgs);
    await cache.create([{ type: "UserMessage", content: "What is 3+3?", source: "user" }]);
    await cache.create(msgs, { tools: [{ name: "calc", parameters: { type: "object" } }] });
    await cache.create(msgs, { extraCreateArgs: { temperature: 0 } });
    await cache.create(msgs, { jsonOutput: true });
    expect(inner.requests).toHaveLength(5);
    expect(await cache.key(msgs, { extraCreateArgs: { a: 1, b: 2 } })).toBe(
      await cache.key(msgs, { extraCreateArgs: { b: 2, a: 1 } }),
    );
    expect(await cache.key(msgs, { jsonOutput: z.object({ x: z.number() }) })).not.toBe(
      await cache.key(msgs, { jsonOutput: z.object({ y: z.number() }) }),
    );
    expect(await cache.key(msgs, { signal: new AbortController().signal })).toBe(await cache.key(msgs));
  });

  it("caches function-call results", async () => {
    const calls = [{ id: "c1", name: "calc", arguments: '{"e":"2+2"}' }];
    const cache = new ChatCompletionCache({ client: new ReplayChatCompletionClient([{ content: calls }]) });
    await cache.create(msgs);
    expect(await cache.create(msgs)).toMatchObject({
      content: calls,
      finishReason: "function_calls",
      cached: true,
    });
  });

  it("replays a cached stream chunk by chunk, and a create() result as a stream", async () => {
    const inner = new ReplayChatCompletionClient(["The answer is four.", "Two plus two."]);
    const cache = new ChatCompletionCache({ client: inner });
    const live = await collect(cache.createStream(msgs));
    const replayed = await collect(cache.createStream(msgs));
    expect(replayed.chunks).toEqual(live.chunks);
    expect(replayed.result).toMatchObject({ content: "The answer is four.", cached: true });
    const other: LLMMessage[] = [{ type: "UserMessage", content: "again", source: "user" }];
    await cache.create(other);
    const fromCreate = await collect(cache.createStream(other));
    expect(fromCreate.chunks).toEqual(["Two plus two."]);
    expect(fromCreate.result.cached).toBe(true);
    expect(inner.requests).toHaveLength(2);
  });

  it("does not cache failures, and shares a store between namespaces without collisions", async () => {
    const store = new InMemoryCacheStore();
    const empty = new ChatCompletionCache({ client: new ReplayChatCompletionClient([]), store });
    await expect(empty.create(msgs)).rejects.toMatchObject({ code: "replay_exhausted" });
    expect(store.size).toBe(0);
    const a = new ChatCompletionCache({
      client: new ReplayChatCompletionClient(["from a"]),
      store,
      namespace: "a",
    });
    const b = new ChatCompletionCache({
      client: new ReplayChatCompletionClient(["from b"]),
      store,
      namespace: "b",
    });
    expect((await a.create(msgs)).content).toBe("from a");
    expect((await b.create(msgs)).content).toBe("from b");
    expect(store.size).toBe(2);
  });

  it("bounds the in-memory store, dropping the least recently used entry", async () => {
    const store = new InMemoryCacheStore({ maxEntries: 2 });
    await store.set("x", 1);
    await store.set("y", 2);
    await store.get("x");
    await store.set("z", 3);
    expect(await store.get("y")).toBeUndefined();
    expect(await store.get("x")).toBe(1);
    expect(canonicalJson({ b: 1, a: [{ d: 1, c: 2 }] })).toBe('{"a":[{"c":2,"d":1}],"b":1}');
  });
});
