import { ReplayChatCompletionClient } from "@autogen-ts/core/testing";
import { describe, expect, it } from "vitest";
import { buildReleaseNotesFlow, OFFLINE_SCRIPTS, TASK } from "./release-notes.js";

describe("the graph-flow quickstart", () => {
  it("runs offline: a review loop, a parallel fan-out to two translators, and a join", async () => {
    const models = {
      writer: new ReplayChatCompletionClient(OFFLINE_SCRIPTS.writer),
      reviewer: new ReplayChatCompletionClient(OFFLINE_SCRIPTS.reviewer),
      translatorFr: new ReplayChatCompletionClient(OFFLINE_SCRIPTS.translatorFr),
      translatorDe: new ReplayChatCompletionClient(OFFLINE_SCRIPTS.translatorDe),
      publisher: new ReplayChatCompletionClient(OFFLINE_SCRIPTS.publisher),
    };
    const flow = buildReleaseNotesFlow(models);
    const result = await flow.run({ task: TASK });
    const sources = result.messages.map((m) => m.source);
    expect(sources.slice(0, 5)).toEqual(["user", "writer", "reviewer", "writer", "reviewer"]);
    expect(new Set(sources.slice(5, 7))).toEqual(new Set(["translator_fr", "translator_de"]));
    expect(sources.slice(7)).toEqual(["publisher"]);
    expect(result.stopReason).toBe("The graph is complete: no node is ready to run.");
    // The translators saw the task and the approved draft, not the first draft or the review.
    const fr = JSON.stringify(models.translatorFr.requests[0]?.messages);
    expect(fr).toContain("Starts up to twice as fast");
    expect(fr).not.toContain("- Faster startup");
    expect(fr).not.toContain("REVISE");
    // The publisher saw both translations.
    const pub = JSON.stringify(models.publisher.requests[0]?.messages);
    expect(pub).toContain("Démarrage");
    expect(pub).toContain("dunkles Design");
    for (const model of Object.values(models)) expect(model.remainingResponses).toBe(0);
    await flow.close();
  });
});
