import { describe, expect, it } from "vitest";
import { describeRunStoreConformance } from "../../src/stores/conformance.js";
import { InMemoryRunStore } from "../../src/stores/memory-store.js";

const store = new InMemoryRunStore();
describeRunStoreConformance("InMemoryRunStore conformance", { describe, it }, () => store);

describe("InMemoryRunStore", () => {
  it("hands out copies: changing a record read back does not change the store", async () => {
    const own = new InMemoryRunStore({ name: "mine" });
    await own.write([{ kind: "createThread", id: "t", metadata: { a: [1] } }]);
    const read = await own.getThread("t");
    (read?.metadata.a as number[] | undefined)?.push(2);
    expect((await own.getThread("t"))?.metadata).toEqual({ a: [1] });
  });

  it("refuses values that are not JSON, naming the store", async () => {
    const own = new InMemoryRunStore({ name: "mine" });
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    await own.write([{ kind: "createThread", id: "t" }]);
    await expect(
      own.write([{ kind: "createRun", id: "r", threadId: "t", task: cyclic as never }]),
    ).rejects.toThrow(/mine: the task is not JSON-safe/);
    expect(await own.getRun("r")).toBeUndefined();
  });
});
