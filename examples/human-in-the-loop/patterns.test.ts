import type { FunctionCall } from "@autogen-ts/core";
import { ReplayChatCompletionClient } from "@autogen-ts/core/testing";
import { LocalCommandLineCodeExecutor } from "@autogen-ts/ext/code-executors/local";
import { afterAll, describe, expect, it } from "vitest";
import { approvalGate, handoffToUserAndResume, oneTurnThenFeedback } from "./patterns.js";

const codeExecutor = new LocalCommandLineCodeExecutor({ timeoutMs: 20_000 });
afterAll(() => codeExecutor.stop());

describe("human-in-the-loop patterns", () => {
  it("approval gate: the code runs after a yes, and a no reaches the team with the person's words", async () => {
    const prompts: string[] = [];
    const code = "```python\nprint('ran')\n```";
    const yes = await approvalGate({
      codeExecutor,
      codeMessage: code,
      input: (p) => {
        prompts.push(p);
        return "yes";
      },
    });
    expect(yes).toBe("ran");
    expect(prompts[0]).toContain("print('ran')");
    const no = await approvalGate({ codeExecutor, codeMessage: code, input: () => "no, not on prod" });
    expect(no).toBe("Code execution was not approved. Reason: the user said: no, not on prod");
  });

  it("maxTurns 1 then feedback: the second run works from the person's feedback", async () => {
    const modelClient = new ReplayChatCompletionClient([
      "Draft: roses are red.",
      "Revised: roses are crimson.",
    ]);
    const drafts = await oneTurnThenFeedback({
      modelClient,
      task: "Write a line",
      input: () => "Use a stronger colour",
    });
    expect(drafts).toEqual(["Draft: roses are red.", "Revised: roses are crimson."]);
    const lastPrompt = JSON.stringify(modelClient.requests[1]?.messages);
    expect(lastPrompt).toContain("Draft: roses are red.");
    expect(lastPrompt).toContain("Use a stronger colour");
  });

  it("handoff to the user stops the run, and it resumes with the user's answer", async () => {
    const transfer: FunctionCall = { id: "call-1", name: "transfer_to_user", arguments: "{}" };
    const modelClient = new ReplayChatCompletionClient([{ content: [transfer] }, "Booked for Tuesday."]);
    const result = await handoffToUserAndResume({
      modelClient,
      task: "Book a meeting",
      input: () => "Tuesday works",
    });
    expect(result.stopReason).toMatch(/user/);
    expect(result.answer).toBe("Booked for Tuesday.");
    expect(JSON.stringify(modelClient.requests[1]?.messages)).toContain("Tuesday works");
  });
});
