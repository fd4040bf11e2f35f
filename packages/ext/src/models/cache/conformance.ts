/**
 * The conformance suite every {@link CacheStore} passes: the in-memory, SQLite and Redis stores run it,
 * and so can a third-party store. Like core's run-store suite it needs only `describe` and `it` and
 * asserts on its own. Every test uses fresh random keys, so one store (one Redis database) can serve the
 * whole suite beside other data.
 */
import type { CreateResult, LLMMessage } from "@autogen-ts/core";
import type { ConformanceRunner } from "@autogen-ts/core/testing";
import { ReplayChatCompletionClient } from "@autogen-ts/core/testing";
import { ChatCompletionCache } from "./cache-client.js";
import type { CacheStore } from "./store.js";

/** What the suite asks of the store under test. */
export interface CacheStoreConformanceOptions {
  /** Opens a store; `ttlMs` is given only when `supportsTtl`. Closed by `close` when it has one. */
  readonly open: (options: { readonly ttlMs?: number }) => Promise<CacheStore & { close?(): Promise<void> }>;
  /** Whether the store takes a `ttlMs` option (default true). */
  readonly supportsTtl?: boolean;
}

class ConformanceFailure extends Error {}

function equal(actual: unknown, expected: unknown, what: string): void {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  if (a !== e) throw new ConformanceFailure(`${what}: expected ${e}, got ${a}`);
}

function key(label: string): string {
  return `conformance:${label}:${crypto.randomUUID()}`;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function withStore(
  options: CacheStoreConformanceOptions,
  settings: { readonly ttlMs?: number },
  body: (store: CacheStore) => Promise<void>,
): Promise<void> {
  const store = await options.open(settings);
  try {
    await body(store);
  } finally {
    await store.close?.();
  }
}

const VALUE = {
  text: "naïve café ☕ — 你好",
  number: 42.5,
  negative: -1,
  yes: true,
  nothing: null,
  list: [1, "two", { three: [3] }],
  nested: { a: { b: { c: "deep" } } },
};

/** Registers the cache-store conformance tests under `name`. */
export function describeCacheStoreConformance(
  name: string,
  runner: ConformanceRunner,
  options: CacheStoreConformanceOptions,
): void {
  const { describe, it } = runner;
  describe(name, () => {
    it("answers undefined for a key it never stored", () =>
      withStore(options, {}, async (store) => {
        equal(await store.get(key("missing")), undefined, "a missing key");
      }));

    it("gives back a JSON value as it was stored, and a later set replaces it", () =>
      withStore(options, {}, async (store) => {
        const k = key("roundtrip");
        await store.set(k, VALUE);
        equal(await store.get(k), VALUE, "the stored value");
        await store.set(k, "replaced");
        equal(await store.get(k), "replaced", "the value after a second set");
      }));

    it("hands out copies: changing what get returned changes nothing stored", () =>
      withStore(options, {}, async (store) => {
        const k = key("copy");
        const value = { list: [1, 2] };
        await store.set(k, value);
        value.list.push(3);
        const got = (await store.get(k)) as { list: number[] };
        got.list.push(4);
        equal(await store.get(k), { list: [1, 2] }, "the stored value");
      }));

    it("keeps many keys apart under concurrent writes", () =>
      withStore(options, {}, async (store) => {
        const keys = Array.from({ length: 40 }, (_, i) => key(`many-${i}`));
        await Promise.all(keys.map((k, i) => store.set(k, { i })));
        const values = await Promise.all(keys.map((k) => store.get(k)));
        equal(
          values,
          keys.map((_, i) => ({ i })),
          "the values read back",
        );
      }));

    it("serves a ChatCompletionCache: a repeated request and a repeated stream are answered from the store", () =>
      withStore(options, {}, async (store) => {
        const namespace = key("ns");
        const messages: LLMMessage[] = [{ type: "UserMessage", content: "What is 2+2?", source: "user" }];
        const inner = new ReplayChatCompletionClient(["Four.", "Two plus two."]);
        const cache = new ChatCompletionCache({ client: inner, store, namespace });
        await cache.create(messages);
        const hit = await cache.create(messages);
        equal([hit.content, hit.cached], ["Four.", true], "the repeated answer");
        const streamed: LLMMessage[] = [{ type: "UserMessage", content: "stream it", source: "user" }];
        const live: (string | CreateResult)[] = [];
        for await (const item of cache.createStream(streamed)) live.push(item);
        // A second cache on the same store (another process, say) finds the entries too.
        const again = new ChatCompletionCache({ client: inner, store, namespace });
        const replayed: (string | CreateResult)[] = [];
        for await (const item of again.createStream(streamed)) replayed.push(item);
        equal(
          replayed.filter((x) => typeof x === "string"),
          live.filter((x) => typeof x === "string"),
          "the replayed chunks",
        );
        equal((replayed.at(-1) as CreateResult).cached, true, "the replayed result's cached flag");
        equal(inner.requests.length, 2, "calls that reached the model");
      }));

    if (options.supportsTtl !== false) {
      it("forgets an entry once its time to live has passed, and keeps it before", async () => {
        await withStore(options, { ttlMs: 60_000 }, async (store) => {
          const k = key("ttl-long");
          await store.set(k, "kept");
          equal(await store.get(k), "kept", "an entry well inside its time to live");
        });
        await withStore(options, { ttlMs: 30 }, async (store) => {
          const k = key("ttl-short");
          await store.set(k, "gone");
          // Not a timing assertion: once 30 ms have certainly passed, the entry must be gone.
          await sleep(150);
          equal(await store.get(k), undefined, "an entry past its time to live");
        });
      });
    }
  });
}
