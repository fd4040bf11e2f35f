import { ReplayChatCompletionClient } from "@autogen-ts/core/testing";
import { LocalCommandLineCodeExecutor } from "@autogen-ts/ext/code-executors/local";
import { afterAll, describe, expect, it } from "vitest";
import { codeWritingQuickstart, QUICKSTART_SCRIPT } from "./quickstart.js";

const codeExecutor = new LocalCommandLineCodeExecutor({ timeoutMs: 30_000 });
afterAll(() => codeExecutor.stop());

describe("the code-writing quickstart", () => {
  it("runs end to end on the replay client: the assistant writes Python, it runs, the result goes back", async () => {
    const modelClient = new ReplayChatCompletionClient(QUICKSTART_SCRIPT);
    const transcript = await codeWritingQuickstart({
      task: "Mean and standard deviation of 12.5, 14.0, 13.25, 15.75, 14.5?",
      modelClient,
      codeExecutor,
    });
    expect(transcript.map((m) => `${m.source}:${m.type}`)).toEqual([
      "user:TextMessage",
      "assistant:TextMessage",
      "executor:TextMessage",
      "assistant:TextMessage",
    ]);
    // The real Python process computed this; the model's second call saw it.
    expect(transcript[2]?.toText().trim()).toBe("mean=14.00 stdev=1.24");
    expect(JSON.stringify(modelClient.requests[1]?.messages)).toContain("mean=14.00 stdev=1.24");
    expect(transcript.at(-1)?.toText()).toContain("TERMINATE");
  });

  it("feeds a failing program's error back to the assistant", async () => {
    const modelClient = new ReplayChatCompletionClient([
      "```python\nimport numpy_that_does_not_exist\n```",
      "That module is not installed here. TERMINATE",
    ]);
    const transcript = await codeWritingQuickstart({ task: "try", modelClient, codeExecutor });
    expect(transcript[2]?.toText()).toContain(
      "The script ran, then exited with an error (POSIX exit code: 1)",
    );
    expect(transcript[2]?.toText()).toContain("ModuleNotFoundError");
    expect(JSON.stringify(modelClient.requests[1]?.messages)).toContain("ModuleNotFoundError");
  });
});
