import { describe, expect, it } from "vitest";
import { z } from "zod";
import { CancelledError, ModelError } from "../../src/errors.js";
import { type CreateResult, isCreateResult, type LLMMessage } from "../../src/models/types.js";
import { ReplayChatCompletionClient } from "../../src/testing/index.js";

const hello: LLMMessage[] = [
  { type: "SystemMessage", content: "You are helpful." },
  { type: "UserMessage", content: "Hello there", source: "user" },
];

async function collect(stream: AsyncIterable<string | CreateResult>): Promise<(string | CreateResult)[]> {
  const out: (string | CreateResult)[] = [];
  for await (const item of stream) out.push(item);
  return out;
}

describe("ReplayChatCompletionClient", () => {
  it("answers with the scripted responses in order, then fails with replay_exhausted", async () => {
    const model = new ReplayChatCompletionClient(["one", "two"]);
    expect((await model.create(hello)).content).toBe("one");
    const second = await model.create(hello);
    expect(second).toMatchObject({ content: "two", finishReason: "stop", cached: false });
    const err = await model.create(hello).catch((e: unknown) => e);
    expect(ModelError.isInstance(err)).toBe(true);
    expect((err as ModelError).code).toBe("replay_exhausted");
    expect((err as ModelError).message).toContain("given 2");
    expect(model.remainingResponses).toBe(0);
  });

  it("replays function calls, with finishReason function_calls", async () => {
    const calls = [
      { id: "c1", name: "add", arguments: '{"a":1,"b":2}' },
      { id: "c2", name: "mul", arguments: '{"a":3,"b":4}' },
    ];
    const model = new ReplayChatCompletionClient({ responses: [{ content: calls }] });
    const result = await model.create(hello);
    expect(result.finishReason).toBe("function_calls");
    expect(result.content).toEqual(calls);
    expect(result.usage.completionTokens).toBeGreaterThan(0);
  });

  it("keeps a full CreateResult as given, usage included", async () => {
    const full: CreateResult = {
      finishReason: "length",
      content: "cut",
      usage: { promptTokens: 10, completionTokens: 5, reasoningTokens: 2, costUsd: 0.01 },
      cached: true,
      thought: "hmm",
    };
    const model = new ReplayChatCompletionClient([full]);
    expect(await model.create(hello)).toEqual(full);
    expect(model.actualUsage()).toEqual(full.usage);
  });

  it("streams text word by word, then the result", async () => {
    const model = new ReplayChatCompletionClient(["The quick brown fox"]);
    const items = await collect(model.createStream(hello));
    const chunks = items.filter((i): i is string => typeof i === "string");
    expect(chunks.length).toBe(4);
    expect(chunks.join("")).toBe("The quick brown fox");
    const last = items.at(-1);
    expect(isCreateResult(last)).toBe(true);
    expect((last as CreateResult).content).toBe("The quick brown fox");
  });

  it("streams function calls as a single result", async () => {
    const model = new ReplayChatCompletionClient([{ content: [{ id: "c", name: "f", arguments: "{}" }] }]);
    const items = await collect(model.createStream(hello));
    expect(items).toHaveLength(1);
    expect(isCreateResult(items[0])).toBe(true);
  });

  it("accounts usage per call and in total, and resets", async () => {
    const model = new ReplayChatCompletionClient(["a reply of some length", "b"]);
    const first = await model.create(hello);
    expect(first.usage.promptTokens).toBe(model.countTokens(hello));
    await model.create(hello);
    const total = model.totalUsage();
    expect(total.promptTokens).toBe(2 * model.countTokens(hello));
    expect(total.completionTokens).toBe(first.usage.completionTokens + model.actualUsage().completionTokens);
    model.reset();
    expect(model.totalUsage()).toEqual({ promptTokens: 0, completionTokens: 0 });
    expect(model.requests).toHaveLength(0);
    expect((await model.create(hello)).content).toBe("a reply of some length");
  });

  it("counts tools and images in token estimates", () => {
    const model = new ReplayChatCompletionClient({ responses: [], contextSize: 1000 });
    const base = model.countTokens(hello);
    const withTool = model.countTokens(hello, {
      tools: [{ name: "lookup", description: "Looks things up", parameters: { type: "object" } }],
    });
    expect(withTool).toBeGreaterThan(base);
    const withImage = model.countTokens([
      { type: "UserMessage", content: ["see", { type: "image", url: "https://x/y.png" }], source: "user" },
    ]);
    expect(withImage).toBeGreaterThan(700);
    expect(model.remainingTokens(hello)).toBe(1000 - base);
  });

  it("records the requests it received", async () => {
    const model = new ReplayChatCompletionClient(["x", "y"]);
    const tools = [{ name: "t", parameters: { type: "object" } }];
    await model.create(hello, { tools });
    await collect(model.createStream(hello.slice(1)));
    expect(model.requests).toHaveLength(2);
    expect(model.requests[0]?.options.tools).toEqual(tools);
    expect(model.requests[0]?.stream).toBe(false);
    expect(model.requests[1]?.messages).toEqual(hello.slice(1));
    expect(model.requests[1]?.stream).toBe(true);
  });

  it("applies the modelInfo option over the defaults", () => {
    const model = new ReplayChatCompletionClient({
      responses: [],
      modelInfo: { vision: false, family: "r1" },
    });
    expect(model.modelInfo).toMatchObject({ vision: false, functionCalling: true, family: "r1" });
  });

  it("waits latencyMs and cancels the wait when the signal aborts", async () => {
    const model = new ReplayChatCompletionClient({ responses: ["late", "later"], latencyMs: 10_000 });
    const controller = new AbortController();
    const pending = model.create(hello, { signal: controller.signal });
    controller.abort();
    const err = await pending.catch((e: unknown) => e);
    expect(CancelledError.isInstance(err)).toBe(true);
    expect((err as CancelledError).code).toBe("cancelled");

    const quick = new ReplayChatCompletionClient({ responses: ["ok"], latencyMs: 5 });
    expect((await quick.create(hello)).content).toBe("ok");
  });

  it("rejects an already-aborted signal and stops a stream when aborted mid-way", async () => {
    const model = new ReplayChatCompletionClient(["a b c d e f"]);
    const controller = new AbortController();
    const seen: string[] = [];
    const run = async () => {
      for await (const item of model.createStream(hello, { signal: controller.signal })) {
        if (typeof item === "string") seen.push(item);
        if (seen.length === 2) controller.abort();
      }
    };
    const err = await run().catch((e: unknown) => e);
    expect(CancelledError.isInstance(err)).toBe(true);
    expect(seen).toHaveLength(2);
    expect(model.totalUsage().promptTokens).toBe(0);
    await expect(model.create(hello, { signal: AbortSignal.abort() })).rejects.toSatisfy(
      CancelledError.isInstance,
    );
  });

  it("parses structured output with the given schema, and fails clearly on a mismatch", async () => {
    const schema = z.object({ city: z.string(), temp: z.number() });
    const model = new ReplayChatCompletionClient([
      '{"city":"Oslo","temp":3}',
      '{"city":"Oslo","temp":"cold"}',
    ]);
    const ok = await model.create(hello, { jsonOutput: schema });
    expect(ok.parsed).toEqual({ city: "Oslo", temp: 3 });
    const err = await model.create(hello, { jsonOutput: schema }).catch((e: unknown) => e);
    expect(ModelError.isInstance(err)).toBe(true);
    expect((err as ModelError).code).toBe("model_output");
    expect((err as ModelError).message).toContain("temp");
  });
});
