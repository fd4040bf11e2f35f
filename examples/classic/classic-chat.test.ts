import { LocalCommandLineCodeExecutor } from "@autogen-ts/ext/code-executors/local";
import { afterAll, describe, expect, it } from "vitest";
import { groupChat, twoAgentChat } from "./classic-chat.js";

const executor = new LocalCommandLineCodeExecutor({ timeoutMs: 30_000 });
afterAll(() => executor.stop());

describe.skipIf(Boolean(process.env.OPENAI_API_KEY))("the classic API example (offline)", () => {
  it("runs the two-agent chat: real Python output, then TERMINATE", async () => {
    const lines: string[] = [];
    const result = await twoAgentChat(executor, (l) => lines.push(l));
    expect(result.chatHistory[2]?.content).toBe(
      "exitcode: 0 (execution succeeded)\nCode output: mean=14.00\n",
    );
    expect(result.summary).toBe("The mean price is 14.00. ");
    expect(lines.some((l) => l.includes("EXECUTING"))).toBe(true);
  });

  it("runs the group chat on its transitions until APPROVED", async () => {
    const group = await groupChat(() => undefined);
    expect(group.messages.map((m) => m.name)).toEqual(["client", "writer", "critic", "writer", "critic"]);
    expect(group.messages.at(-1)?.content).toBe("APPROVED");
    // After the critic, the manager's model picked the writer (from "The writer should revise it.").
    expect(group.messages[3]?.content).toBe("Slogan: Warm bread at dawn, every day.");
  });
});
