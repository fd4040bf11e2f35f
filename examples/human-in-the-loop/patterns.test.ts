import type { FunctionCall } from "@autogen-ts/core";
import { ReplayChatCompletionClient } from "@autogen-ts/core/testing";
import { LocalCommandLineCodeExecutor } from "@autogen-ts/ext/code-executors/local";
import { afterAll, describe, expect, it } from "vitest";
import { approvalGate, handoffToUserAndResume, oneTurnThenFeedback, userProxyInTeam } from "./patterns.js";

const codeExecutor = new LocalCommandLineCodeExecutor({ timeoutMs: 20_000 });
afterAll(() => codeExecutor.stop());

const said = (messages: readonly { kind: string; source: string; toText(): string }[]) =>
  messages.filter((m) => m.kind === "chat").map((m) => `${m.source}:${m.toText()}`);

describe("human-in-the-loop patterns on teams", () => {
  it("user proxy in a team: the person takes turns until they type APPROVE", async () => {
    const modelClient = new ReplayChatCompletionClient(["Draft: a red bike.", "Draft: a crimson bike."]);
    const answers = ["Use a stronger colour", "APPROVE"];
    const prompts: string[] = [];
    const result = await userProxyInTeam({
      modelClient,
      task: "Describe a bike in four words",
      input: (prompt) => {
        prompts.push(prompt);
        return answers.shift() ?? "APPROVE";
      },
    });
    expect(said(result.messages)).toEqual([
      "user:Describe a bike in four words",
      "assistant:Draft: a red bike.",
      "user:Use a stronger colour",
      "assistant:Draft: a crimson bike.",
      "user:APPROVE",
    ]);
    expect(result.stopReason).toContain("APPROVE");
    // A UserInputRequestedEvent preceded each request to the person.
    expect(result.messages.filter((m) => m.type === "UserInputRequestedEvent")).toHaveLength(2);
    expect(JSON.stringify(modelClient.requests[1]?.messages)).toContain("Use a stronger colour");
  });

  it("maxTurns 1 then feedback: each run takes one turn and the next starts from the person's words", async () => {
    const modelClient = new ReplayChatCompletionClient([
      "Draft: roses are red.",
      "Revised: roses are crimson.",
    ]);
    const feedback = ["Use a stronger colour", "done"];
    const drafts = await oneTurnThenFeedback({
      modelClient,
      task: "Write a line",
      input: () => feedback.shift() ?? "done",
    });
    expect(drafts).toEqual(["Draft: roses are red.", "Revised: roses are crimson."]);
    const lastPrompt = JSON.stringify(modelClient.requests[1]?.messages);
    expect(lastPrompt).toContain("Draft: roses are red.");
    expect(lastPrompt).toContain("Use a stronger colour");
    expect(modelClient.requests).toHaveLength(2);
  });

  it("handoff to the user stops the swarm, and it resumes with the user's answer", async () => {
    const transfer: FunctionCall = { id: "call-1", name: "transfer_to_user", arguments: "{}" };
    const modelClient = new ReplayChatCompletionClient([
      "Which day suits you?",
      { content: [transfer] },
      "Booked for Tuesday. TERMINATE",
    ]);
    const prompts: string[] = [];
    const result = await handoffToUserAndResume({
      modelClient,
      task: "Book a meeting",
      input: (prompt) => {
        prompts.push(prompt);
        return "Tuesday works";
      },
    });
    expect(result).toEqual({
      stopReason: "Handoff to user from assistant detected.",
      asked: "Which day suits you?",
      answer: "Booked for Tuesday. TERMINATE",
    });
    expect(prompts).toEqual(["Which day suits you?\nYour answer> "]);
    expect(JSON.stringify(modelClient.requests[2]?.messages)).toContain("Tuesday works");
  });

  it("approval gate in a team: the code runs after a yes, and a no reaches the team with the person's words", async () => {
    const code = "```python\nprint('ran')\n```";
    const prompts: string[] = [];
    const yes = await approvalGate({
      codeExecutor,
      modelClient: new ReplayChatCompletionClient([code]),
      task: "print ran",
      input: (p) => {
        prompts.push(p);
        return "yes";
      },
    });
    expect(said(yes.messages).at(-1)).toBe("executor:ran\n");
    expect(prompts[0]).toContain("print('ran')");
    const no = await approvalGate({
      codeExecutor,
      modelClient: new ReplayChatCompletionClient([code]),
      task: "print ran",
      input: () => "no, not on prod",
    });
    expect(said(no.messages).at(-1)).toBe(
      "executor:Code execution was not approved. Reason: the user said: no, not on prod",
    );
  });
});
