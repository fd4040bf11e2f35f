/**
 * Human-in-the-loop patterns on teams, each a function that takes the person's input function, so that
 * a terminal, a web form or a test can play the person:
 *
 * - `userProxyInTeam`: the person is a participant (a `UserProxyAgent`) and takes turns like the agents;
 * - `oneTurnThenFeedback`: the team runs with `maxTurns: 1`, the person reads the turn, and the next run
 *   continues with their feedback as the task;
 * - `handoffToUserAndResume`: an agent of a `Swarm` hands off to "user", `HandoffTermination` stops the
 *   run, and the next run resumes with the person's answer handed back;
 * - `approvalGate`: the code executor of a team runs code only after the person approves it.
 *
 * Offline on the scripted replay client: `npx tsx examples/human-in-the-loop/patterns.ts` (at a terminal
 * you type the answers). With `OPENAI_API_KEY` set, the agents run on OpenAI.
 */
import type { BaseAgentMessage, InputFunc, TaskResult } from "@autogen-ts/agentchat";
import {
  AssistantAgent,
  CodeExecutorAgent,
  HandoffMessage,
  HandoffTermination,
  RoundRobinGroupChat,
  Swarm,
  TextMentionTermination,
  terminalInput,
  UserProxyAgent,
} from "@autogen-ts/agentchat";
import type { ApprovalFunc, ChatCompletionClient, CodeExecutor } from "@autogen-ts/core";
import { exampleModelClient } from "../shared/model-client.js";

/** An approval gate that shows the code to a person and runs it only when they type "yes". */
export function askPersonToApprove(input: InputFunc): ApprovalFunc {
  return async ({ code }, { signal }) => {
    const answer = await input(`The agent wants to run:\n${code}\nRun it? (yes/no) `, signal, {
      requestId: crypto.randomUUID(),
      messages: [],
    });
    const approved = answer.trim().toLowerCase() === "yes";
    return { approved, reason: approved ? "approved by the user" : `the user said: ${answer.trim()}` };
  };
}

/**
 * Pattern: a user proxy inside a team. The assistant and the person take turns until the person types
 * APPROVE (or `maxTurns` is reached).
 */
export async function userProxyInTeam(options: {
  readonly modelClient: ChatCompletionClient;
  readonly input: InputFunc;
  readonly task: string;
  readonly maxTurns?: number;
}): Promise<TaskResult> {
  const assistant = new AssistantAgent({ name: "assistant", modelClient: options.modelClient });
  const user = new UserProxyAgent({ name: "user", inputFunc: options.input });
  const team = new RoundRobinGroupChat({
    participants: [assistant, user],
    terminationCondition: new TextMentionTermination({ text: "APPROVE", sources: ["user"] }),
    maxTurns: options.maxTurns ?? 10,
  });
  try {
    return await team.run({ task: options.task });
  } finally {
    await team.close();
  }
}

/**
 * Pattern: one turn, then the person's feedback. The team runs with `maxTurns: 1`; the person reads the
 * draft and either says "done" or gives feedback, which the next run takes as its task. The writer keeps
 * its context from run to run.
 */
export async function oneTurnThenFeedback(options: {
  readonly modelClient: ChatCompletionClient;
  readonly input: InputFunc;
  readonly task: string;
  readonly maxRounds?: number;
}): Promise<string[]> {
  const writer = new AssistantAgent({ name: "writer", modelClient: options.modelClient });
  const team = new RoundRobinGroupChat({ participants: [writer], maxTurns: 1 });
  const drafts: string[] = [];
  let task = options.task;
  try {
    for (let round = 0; round < (options.maxRounds ?? 5); round++) {
      const result = await team.run({ task });
      const draft = lastChat(result.messages)?.toText() ?? "";
      drafts.push(draft);
      const feedback = await options.input(`${draft}\nFeedback (or "done")> `, undefined, {
        requestId: crypto.randomUUID(),
        messages: [],
      });
      if (feedback.trim().toLowerCase() === "done") break;
      task = feedback;
    }
  } finally {
    await team.close();
  }
  return drafts;
}

/**
 * Pattern: the assistant hands off to the user; `HandoffTermination("user")` stops the run; the person
 * answers; the run resumes with the answer handed back to the assistant.
 */
export async function handoffToUserAndResume(options: {
  readonly modelClient: ChatCompletionClient;
  readonly input: InputFunc;
  readonly task: string;
}): Promise<{ stopReason: string; answer: string; asked: string }> {
  const assistant = new AssistantAgent({
    name: "assistant",
    modelClient: options.modelClient,
    handoffs: ["user"],
    systemMessage:
      "You book meetings. When you need something from the user, ask them in one message, then hand off " +
      "to user. When the meeting is booked, say so and end with TERMINATE.",
  });
  const team = new Swarm({
    participants: [assistant],
    terminationCondition: new HandoffTermination("user").or(new TextMentionTermination("TERMINATE")),
  });
  try {
    const first = await team.run({ task: options.task });
    const handoff = first.messages.at(-1);
    if (!(handoff instanceof HandoffMessage) || handoff.target !== "user") {
      throw new Error("The assistant did not hand off to the user");
    }
    // The question is what the assistant said before handing off (a model asks, then hands off).
    const asked =
      first.messages
        .findLast((m) => m.kind === "chat" && m.source === handoff.source && m !== handoff)
        ?.toText() ?? handoff.content;
    const reply = await options.input(`${asked}\nYour answer> `, undefined, {
      requestId: crypto.randomUUID(),
      messages: [handoff],
    });
    const resumed = await team.run({
      task: new HandoffMessage({ source: "user", target: handoff.source, content: reply }),
    });
    return {
      stopReason: first.stopReason ?? "",
      asked,
      answer: lastChat(resumed.messages)?.toText() ?? "",
    };
  } finally {
    await team.close();
  }
}

/**
 * Pattern: an approval gate on code. An assistant writes code and the team's executor runs it only after
 * the person says yes; a refusal reaches the team as the executor's reply, with the person's words.
 */
export async function approvalGate(options: {
  readonly codeExecutor: CodeExecutor;
  readonly modelClient: ChatCompletionClient;
  readonly input: InputFunc;
  readonly task: string;
}): Promise<TaskResult> {
  const coder = new AssistantAgent({
    name: "coder",
    modelClient: options.modelClient,
    systemMessage: "Write one Python program in a ```python block that does the task and prints the result.",
  });
  const executor = new CodeExecutorAgent({
    name: "executor",
    codeExecutor: options.codeExecutor,
    approvalFunc: askPersonToApprove(options.input),
  });
  const team = new RoundRobinGroupChat({ participants: [coder, executor], maxTurns: 2 });
  try {
    return await team.run({ task: options.task });
  } finally {
    await team.close();
  }
}

function lastChat(messages: readonly BaseAgentMessage[]): BaseAgentMessage | undefined {
  return messages.findLast((m) => m.kind === "chat");
}

if (import.meta.url === `file://${process.argv[1]}`) {
  // At a terminal you play the person; piped, the answers are scripted.
  const scripted = ["Make it about autumn", "done"];
  const input: InputFunc = async (prompt, signal) => {
    if (process.stdin.isTTY === true) return terminalInput(prompt, signal);
    const answer = scripted.shift() ?? "done";
    console.log(`${prompt}${answer}`);
    return answer;
  };
  console.log("== one turn, then feedback ==");
  const drafts = await oneTurnThenFeedback({
    modelClient: exampleModelClient(["Leaves drift on the pond.", "Autumn leaves drift on the cold pond."]),
    input,
    task: "Write a one-line poem.",
  });
  console.log(drafts.join("\n"));
  console.log("== handoff to the user, then resume ==");
  scripted.splice(0, scripted.length, "Tuesday at 10");
  const handoff = await handoffToUserAndResume({
    modelClient: exampleModelClient([
      "Which day and time suit you?",
      { content: [{ id: "ask", name: "transfer_to_user", arguments: "{}" }] },
      "Booked for Tuesday at 10. TERMINATE",
    ]),
    input,
    task: "Book a meeting with Ana.",
  });
  console.log(`${handoff.stopReason} -> ${handoff.answer}`);
}
