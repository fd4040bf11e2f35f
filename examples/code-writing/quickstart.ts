/**
 * The code-writing quickstart: an assistant writes Python, an executor agent runs it, and the result goes
 * back to the assistant, which answers. The two take turns until the assistant says TERMINATE.
 *
 * Run it offline on the scripted replay client: `npx tsx examples/code-writing/quickstart.ts`.
 * With a real model, pass any ChatCompletionClient to `codeWritingQuickstart`.
 *
 * (Teams are not in the package yet; this takes the turns by hand, as RoundRobinGroupChat will.)
 */
import type { BaseAgentMessage, BaseChatMessage } from "@autogen-ts/agentchat";
import {
  AssistantAgent,
  CodeExecutorAgent,
  TextMentionTermination,
  TextMessage,
} from "@autogen-ts/agentchat";
import type { ChatCompletionClient, CodeExecutor } from "@autogen-ts/core";
import { ReplayChatCompletionClient } from "@autogen-ts/core/testing";
import { LocalCommandLineCodeExecutor } from "@autogen-ts/ext/code-executors/local";

const SYSTEM_MESSAGE =
  "You are a data assistant. To compute anything, write one complete Python program in a ```python block " +
  "and print the results; the executor runs it and shows you the output. When you have the answer, " +
  "state it and end with TERMINATE.";

/** Runs the quickstart: the task, then assistant and executor turns, until TERMINATE or `maxTurns`. */
export async function codeWritingQuickstart(options: {
  readonly task: string;
  readonly modelClient: ChatCompletionClient;
  readonly codeExecutor: CodeExecutor;
  readonly maxTurns?: number;
  readonly onMessage?: (message: BaseAgentMessage) => void;
}): Promise<BaseAgentMessage[]> {
  const assistant = new AssistantAgent({
    name: "assistant",
    modelClient: options.modelClient,
    systemMessage: SYSTEM_MESSAGE,
  });
  const executor = new CodeExecutorAgent({ name: "executor", codeExecutor: options.codeExecutor });
  const termination = new TextMentionTermination("TERMINATE");
  const transcript: BaseAgentMessage[] = [];
  let next: BaseChatMessage[] = [new TextMessage({ source: "user", content: options.task })];
  transcript.push(...next);
  const speakers = [assistant, executor];
  for (let turn = 0; turn < (options.maxTurns ?? 10); turn++) {
    const speaker = speakers[turn % 2]!;
    const response = await speaker.onMessages(next);
    for (const message of [...(response.innerMessages ?? []), response.chatMessage]) {
      transcript.push(message);
      options.onMessage?.(message);
    }
    next = [response.chatMessage];
    if (await termination.check([response.chatMessage])) break;
  }
  return transcript;
}

/** The scripted model replies for the offline run. */
export const QUICKSTART_SCRIPT = [
  "I'll compute it with Python.\n```python\nimport statistics\nprices = [12.5, 14.0, 13.25, 15.75, 14.5]\n" +
    "print(f'mean={statistics.mean(prices):.2f} stdev={statistics.stdev(prices):.2f}')\n```",
  "The mean price is 14.00 and the standard deviation is 1.24. TERMINATE",
];

if (import.meta.url === `file://${process.argv[1]}`) {
  const codeExecutor = new LocalCommandLineCodeExecutor({ timeoutMs: 30_000 });
  try {
    await codeWritingQuickstart({
      task: "What are the mean and standard deviation of these prices: 12.5, 14.0, 13.25, 15.75, 14.5?",
      modelClient: new ReplayChatCompletionClient(QUICKSTART_SCRIPT),
      codeExecutor,
      onMessage: (m) => console.log(`--- ${m.source} (${m.type})\n${m.toText()}`),
    });
  } finally {
    await codeExecutor.stop();
  }
}
