/**
 * The conformance suite every {@link VectorStore} passes: the in-memory, SQLite and PostgreSQL +
 * pgvector stores run it, and so can a third-party store. It needs only `describe` and `it` and asserts
 * on its own. `open` is called once per test and should give an empty store (a fresh collection).
 * Scores are compared to float32 precision, since the SQL stores keep float32 vectors.
 */
import { AutogenError, type MemoryContent } from "@autogen-ts/core";
import type { ConformanceRunner } from "@autogen-ts/core/testing";
import type { ScoredRecord, VectorRecord, VectorStore } from "./types.js";
import { cosine } from "./vectors.js";

/** What the suite asks of the store under test. */
export interface VectorStoreConformanceOptions {
  /** An empty store; closed at the end of each test. */
  readonly open: () => Promise<VectorStore>;
}

class ConformanceFailure extends Error {}

function fail(message: string): never {
  throw new ConformanceFailure(message);
}

function equal(actual: unknown, expected: unknown, what: string): void {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  if (a !== e) fail(`${what}: expected ${e}, got ${a}`);
}

function close(actual: number | undefined, expected: number, what: string): void {
  if (actual === undefined || Math.abs(actual - expected) > 1e-5)
    fail(`${what}: expected ${expected}, got ${actual}`);
}

async function rejects(promise: Promise<unknown>, code: string, what: string): Promise<void> {
  try {
    await promise;
  } catch (error) {
    if (AutogenError.isInstance(error) && error.code === code) return;
    fail(
      `${what}: expected an error with code ${code}, got ${AutogenError.isInstance(error) ? error.code : String(error)}`,
    );
  }
  fail(`${what}: expected an error with code ${code}, but it succeeded`);
}

function text(content: string, metadata?: Record<string, unknown>): MemoryContent {
  return { content, mimeType: "text/plain", ...(metadata ? { metadata } : {}) };
}

function record(id: string, embedding: number[], metadata?: Record<string, unknown>): VectorRecord {
  return { id, content: text(`item ${id}`, metadata), embedding };
}

const ids = (found: readonly ScoredRecord[]) => found.map((f) => f.record.id);

async function withStore(
  options: VectorStoreConformanceOptions,
  body: (store: VectorStore) => Promise<void>,
) {
  const store = await options.open();
  try {
    await body(store);
  } finally {
    await store.close();
  }
}

/** Registers the vector-store conformance tests under `name`. */
export function describeVectorStoreConformance(
  name: string,
  runner: ConformanceRunner,
  options: VectorStoreConformanceOptions,
): void {
  const { describe, it } = runner;
  const test = (title: string, body: (store: VectorStore) => Promise<void>) =>
    it(title, () => withStore(options, body));

  describe(name, () => {
    test("starts empty: nothing counted, listed or found", async (store) => {
      equal(await store.count(), 0, "count");
      equal(await store.list(), [], "list");
      equal(await store.search({ embedding: [1, 0, 0], k: 3 }), [], "search");
    });

    test("ranks by cosine similarity, keeps k, and scores as cosine does", async (store) => {
      const records = [
        record("far", [0, 0, 1]),
        record("near", [0.9, 0.1, 0]),
        record("exact", [2, 0, 0]),
        record("opposite", [-1, 0, 0]),
        record("side", [0, 1, 0]),
      ];
      await store.add(records);
      const query = [1, 0, 0];
      const top = await store.search({ embedding: query, k: 2 });
      equal(ids(top), ["exact", "near"], "the two nearest");
      close(top[0]?.score, 1, "the score of a vector pointing the same way");
      close(top[1]?.score, cosine(query, [0.9, 0.1, 0]), "the score of a near vector");
      const all = await store.search({ embedding: query, k: 10 });
      equal(ids(all).slice(0, 2), ["exact", "near"], "the nearest of all");
      equal(ids(all).at(-1), "opposite", "the least similar (scores below zero are kept)");
      close(all.at(-1)?.score, -1, "the score of an opposite vector");
      equal(all.length, 5, "results when k is larger than the store");
    });

    test("drops results under the score threshold", async (store) => {
      await store.add([record("a", [1, 0]), record("b", [1, 1]), record("c", [0, 1])]);
      const found = await store.search({ embedding: [1, 0], k: 10, scoreThreshold: 0.5 });
      equal(ids(found), ["a", "b"], "results at or over 0.5");
      equal(await store.search({ embedding: [1, 0], k: 10, scoreThreshold: 1.5 }), [], "results over 1.5");
    });

    test("breaks ties in the order records were added", async (store) => {
      await store.add([record("first", [1, 1]), record("second", [2, 2])]);
      await store.add([record("third", [3, 3])]);
      equal(
        ids(await store.search({ embedding: [1, 1], k: 3 })),
        ["first", "second", "third"],
        "tied results",
      );
    });

    test("filters on metadata: equality by JSON type, $in, $ne (a missing key included), all keys at once", async (store) => {
      await store.add([
        record("en-pref", [1, 0], { category: "preferences", lang: "en", priority: 1, pinned: true }),
        record("fr-pref", [1, 0.1], { category: "preferences", lang: "fr", priority: 2, pinned: false }),
        record("en-fact", [1, 0.2], { category: "facts", lang: "en", priority: "1", note: null }),
        record("bare", [1, 0.3]),
        record("odd key", [1, 0.4], { "a.b c": "dotted", ключ: "значение" }),
      ]);
      const find = async (filter: Record<string, unknown>) =>
        ids(await store.search({ embedding: [1, 0], k: 10, filter: filter as never }));
      equal(await find({ category: "preferences" }), ["en-pref", "fr-pref"], "a string");
      equal(await find({ priority: 1 }), ["en-pref"], "a number (not the string '1')");
      equal(await find({ priority: "1" }), ["en-fact"], "the string '1' (not the number)");
      equal(await find({ pinned: false }), ["fr-pref"], "a boolean");
      equal(await find({ note: null }), ["en-fact"], "null (not a missing key)");
      equal(await find({ lang: { $in: ["fr", "de"] } }), ["fr-pref"], "$in");
      equal(await find({ lang: { $ne: "en" } }), ["fr-pref", "bare", "odd key"], "$ne");
      equal(await find({ category: "preferences", lang: "en" }), ["en-pref"], "two keys");
      equal(
        await find({ "a.b c": "dotted", ключ: "значение" }),
        ["odd key"],
        "keys with dots, spaces, Cyrillic",
      );
      equal(await find({ category: "nothing" }), [], "a value nobody has");
      equal(await find({}), ["en-pref", "fr-pref", "en-fact", "bare", "odd key"], "an empty filter");
      await rejects(find({ lang: { $regex: "e" } }), "invalid_argument", "an unknown operator");
      await rejects(find({ lang: ["en"] }), "invalid_argument", "an array value");
    });

    test("keeps content and metadata as added, and lists records in the order they were first added", async (store) => {
      const json: VectorRecord = {
        id: "json",
        content: {
          content: { city: "Zürich", temps: [1.5, -2] },
          mimeType: "application/json",
          metadata: { nested: { deep: [1, "x"] } },
        },
        embedding: [0.25, 0.5, -0.75],
      };
      await store.add([record("one", [1, 0, 0], { k: "v" }), json]);
      const listed = await store.list();
      equal(
        listed.map((r) => r.id),
        ["one", "json"],
        "listed ids",
      );
      equal(listed[1]?.content, json.content, "JSON content and nested metadata");
      for (const [i, x] of (listed[1]?.embedding ?? []).entries()) {
        close(x, json.embedding[i] as number, `embedding[${i}]`);
      }
      const [hit] = await store.search({ embedding: [0.25, 0.5, -0.75], k: 1 });
      equal(hit?.record.content, json.content, "the content a search returns");
    });

    test("replaces a record added again under its id, in place", async (store) => {
      await store.add([record("a", [1, 0]), record("b", [0, 1])]);
      await store.add([{ id: "a", content: text("changed", { v: 2 }), embedding: [0, 1] }]);
      equal(await store.count(), 2, "count after the replacement");
      const listed = await store.list();
      equal(
        listed.map((r) => r.id),
        ["a", "b"],
        "order after the replacement",
      );
      equal(listed[0]?.content, text("changed", { v: 2 }), "the replaced content");
      equal(
        ids(await store.search({ embedding: [0, 1], k: 2 })),
        ["a", "b"],
        "the replaced vector is searched",
      );
    });

    test("refuses another length, a zero vector or a bad k, and adds all of a batch or none of it", async (store) => {
      await store.add([record("a", [1, 0, 0])]);
      await rejects(
        store.add([record("b", [0, 1, 0]), record("c", [0, 1])]),
        "invalid_argument",
        "a batch with a short vector",
      );
      equal(await store.count(), 1, "count after the refused batch");
      await rejects(store.add([record("z", [0, 0, 0])]), "invalid_argument", "a zero vector");
      await rejects(
        store.add([record("dup", [1, 0, 0]), record("dup", [0, 1, 0])]),
        "invalid_argument",
        "one id twice",
      );
      await rejects(
        store.search({ embedding: [1, 0], k: 1 }),
        "invalid_argument",
        "a query of another length",
      );
      await rejects(store.search({ embedding: [1, 0, 0], k: 0 }), "invalid_argument", "k = 0");
      await rejects(
        store.search({ embedding: [1, 0, Number.NaN], k: 1 }),
        "invalid_argument",
        "a NaN in the query",
      );
    });

    test("replace swaps every record at once (a new length too), and a refused replace keeps the old ones", async (store) => {
      await store.add([record("old1", [1, 0]), record("old2", [0, 1])]);
      await rejects(
        store.replace([record("n", [1, 0, 0]), record("m", [1])]),
        "invalid_argument",
        "a replace with two lengths",
      );
      equal(
        (await store.list()).map((r) => r.id),
        ["old1", "old2"],
        "records after the refused replace",
      );
      await store.replace([record("new", [0, 0, 1])]);
      equal(
        (await store.list()).map((r) => r.id),
        ["new"],
        "records after the replace",
      );
      equal(ids(await store.search({ embedding: [0, 0, 1], k: 5 })), ["new"], "a search of the new length");
      await store.replace([]);
      equal(await store.count(), 0, "count after replacing with nothing");
    });

    test("deletes by id and clears; a cleared store takes another length", async (store) => {
      await store.add([record("a", [1, 0]), record("b", [0, 1]), record("c", [1, 1])]);
      equal(await store.delete(["a", "c", "missing"]), 2, "records deleted");
      equal(
        (await store.list()).map((r) => r.id),
        ["b"],
        "what is left",
      );
      await store.clear();
      equal(await store.count(), 0, "count after clear");
      await store.add([record("d", [1, 2, 3, 4])]);
      equal(await store.count(), 1, "count after adding another length");
    });

    test("takes concurrent adds without losing one", async (store) => {
      await Promise.all(Array.from({ length: 20 }, (_, i) => store.add([record(`r${i}`, [1, i])])));
      equal(await store.count(), 20, "count after 20 concurrent adds");
      const found = await store.search({ embedding: [1, 19], k: 1 });
      equal(ids(found), ["r19"], "the nearest after concurrent adds");
    });
  });
}
