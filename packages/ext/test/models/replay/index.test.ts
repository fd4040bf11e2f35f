import { ReplayChatCompletionClient as FromCore } from "@autogen-ts/core/testing";
import { describe, expect, it } from "vitest";
import { ReplayChatCompletionClient } from "../../../src/models/replay/index.js";

describe("@autogen-ts/ext/models/replay", () => {
  it("re-exports the core replay client", async () => {
    expect(ReplayChatCompletionClient).toBe(FromCore);
    const model = new ReplayChatCompletionClient(["hi"]);
    expect((await model.create([{ type: "UserMessage", content: "x", source: "user" }])).content).toBe("hi");
  });
});
