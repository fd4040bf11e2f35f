/**
 * Human-in-the-loop patterns, each a function that takes the person's input function, so that a terminal,
 * a web form or a test can play the person. Teams (RoundRobinGroupChat, Swarm) are not in the package
 * yet: these take the turns by hand, and will move onto teams when those land.
 */
import type { BaseChatMessage, InputFunc } from "@autogen-ts/agentchat";
import {
  AssistantAgent,
  CodeExecutorAgent,
  HandoffMessage,
  HandoffTermination,
  TextMessage,
  UserProxyAgent,
} from "@autogen-ts/agentchat";
import type { ApprovalFunc, ChatCompletionClient, CodeExecutor } from "@autogen-ts/core";

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

/** Pattern: an approval gate on code. The executor agent runs code only after the person says yes. */
export async function approvalGate(options: {
  readonly codeExecutor: CodeExecutor;
  readonly input: InputFunc;
  readonly codeMessage: string;
}): Promise<string> {
  const executor = new CodeExecutorAgent({
    name: "executor",
    codeExecutor: options.codeExecutor,
    approvalFunc: askPersonToApprove(options.input),
  });
  const response = await executor.onMessages([
    new TextMessage({ source: "assistant", content: options.codeMessage }),
  ]);
  return response.chatMessage.toText();
}

/**
 * Pattern: run one turn (a team's `maxTurns: 1`), show the person the result, and continue with their
 * feedback; the agent keeps its context between runs.
 */
export async function oneTurnThenFeedback(options: {
  readonly modelClient: ChatCompletionClient;
  readonly input: InputFunc;
  readonly task: string;
}): Promise<string[]> {
  const writer = new AssistantAgent({ name: "writer", modelClient: options.modelClient });
  const user = new UserProxyAgent({ name: "user", inputFunc: options.input });
  const drafts: string[] = [];
  const first = await writer.run({ task: options.task });
  drafts.push(first.messages.at(-1)?.toText() ?? "");
  const feedback = await user.onMessages(
    first.messages.filter((m): m is BaseChatMessage => m.kind === "chat").slice(-1),
  );
  const second = await writer.run({ task: feedback.chatMessage as TextMessage });
  drafts.push(second.messages.at(-1)?.toText() ?? "");
  return drafts;
}

/**
 * Pattern: the assistant hands off to the user (the run stops on `HandoffTermination("user")`), the
 * person answers, and the run resumes with the answer handed back.
 */
export async function handoffToUserAndResume(options: {
  readonly modelClient: ChatCompletionClient;
  readonly input: InputFunc;
  readonly task: string;
}): Promise<{ stopReason: string; answer: string }> {
  const assistant = new AssistantAgent({
    name: "assistant",
    modelClient: options.modelClient,
    handoffs: ["user"],
  });
  const termination = new HandoffTermination("user");
  const first = await assistant.run({ task: options.task });
  const stop = await termination.check(first.messages);
  const handoff = first.messages.findLast((m) => m instanceof HandoffMessage);
  if (stop === undefined || !(handoff instanceof HandoffMessage))
    throw new Error("The assistant did not hand off");
  const user = new UserProxyAgent({ name: "user", inputFunc: options.input });
  const reply = await user.onMessages([handoff]);
  const resumed = await assistant.run({ task: reply.chatMessage });
  return { stopReason: stop.content, answer: resumed.messages.at(-1)?.toText() ?? "" };
}
