/**
 * The classic (AutoGen 0.2 / AG2) API: an AssistantAgent writes Python, a UserProxyAgent runs it on the
 * local executor and answers with the output, and the assistant ends with TERMINATE; then a GroupChat of
 * three agents with a manager. Offline on the replay client; on OpenAI when OPENAI_API_KEY is set, through
 * an AG2-style `llmConfig: { configList: [...] }` (ext's OpenAI client is registered as the factory).
 *
 * Run it: `npx tsx examples/classic/classic-chat.ts`.
 */
import type { ChatResult, ClassicMessage, LlmConfig } from "@autogen-ts/agentchat/classic";
import {
  AssistantAgent,
  ConversableAgent,
  GroupChat,
  GroupChatManager,
  registerModelClientFactory,
  UserProxyAgent,
} from "@autogen-ts/agentchat/classic";
import type { CodeExecutor } from "@autogen-ts/core";
import { ReplayChatCompletionClient, type ReplayResponse } from "@autogen-ts/core/testing";
import { LocalCommandLineCodeExecutor } from "@autogen-ts/ext/code-executors/local";
import { OpenAIChatCompletionClient } from "@autogen-ts/ext/models/openai";

// agentchat cannot import ext, so the application says which client an "openai" config entry becomes.
registerModelClientFactory(
  "openai",
  (entry, { settings }) =>
    new OpenAIChatCompletionClient({
      model: entry.model,
      apiKey: entry.apiKey,
      baseURL: entry.baseUrl,
      defaultCreateArgs: settings,
    }),
);

/** OpenAI through a config list when a key is set, else the scripted replies. */
function llmConfig(script: readonly ReplayResponse[]): LlmConfig {
  const apiKey = process.env.OPENAI_API_KEY;
  if (apiKey)
    return { configList: [{ model: process.env.OPENAI_MODEL ?? "gpt-4o-mini", apiKey }], temperature: 0 };
  return new ReplayChatCompletionClient(script);
}

const endsWithTerminate = (m: ClassicMessage) =>
  String(m.content ?? "")
    .trimEnd()
    .endsWith("TERMINATE");

/** The scripted replies of the two-agent chat. */
export const TWO_AGENT_SCRIPT: readonly ReplayResponse[] = [
  "I'll compute it.\n```python\nprices = [12.5, 14.0, 13.25, 15.75, 14.5]\nprint(f'mean={sum(prices)/len(prices):.2f}')\n```",
  "The mean price is 14.00. TERMINATE",
];

/** The two-agent chat: the assistant writes code, the user proxy runs it. */
export async function twoAgentChat(executor: CodeExecutor, print = console.log): Promise<ChatResult> {
  const assistant = new AssistantAgent({ name: "assistant", llmConfig: llmConfig(TWO_AGENT_SCRIPT) });
  const userProxy = new UserProxyAgent({
    name: "user_proxy",
    humanInputMode: "NEVER",
    maxConsecutiveAutoReply: 5,
    isTerminationMsg: endsWithTerminate,
    codeExecutionConfig: { executor },
    output: print,
  });
  return userProxy.initiateChat(assistant, {
    message: "What is the mean of these prices: 12.5, 14.0, 13.25, 15.75, 14.5? Compute it with Python.",
  });
}

/** The scripted speaker choices of the group chat's manager. */
export const GROUP_SCRIPT: readonly ReplayResponse[] = ["The writer should revise it."];

/** A writer and a critic in a group chat; the manager's model picks who speaks. */
export async function groupChat(print = console.log): Promise<GroupChat> {
  const writer = new ConversableAgent({
    name: "writer",
    description: "Writes and revises a one-line slogan.",
    llmConfig: llmConfig(["Slogan: Fresh bread, every morning.", "Slogan: Warm bread at dawn, every day."]),
    humanInputMode: "NEVER",
  });
  const critic = new ConversableAgent({
    name: "critic",
    description: "Reviews the slogan; says APPROVED when it is good.",
    llmConfig: llmConfig(["Too plain; make it warmer.", "APPROVED"]),
    humanInputMode: "NEVER",
  });
  const client = new ConversableAgent({ name: "client", llmConfig: false, humanInputMode: "NEVER" });
  const groupchat = new GroupChat({
    agents: [client, writer, critic],
    maxRound: 6,
    allowedOrDisallowedSpeakerTransitions: {
      client: ["writer"],
      writer: ["critic"],
      critic: ["writer", "client"],
    },
    speakerTransitionsType: "allowed",
  });
  const manager = new GroupChatManager({
    groupchat,
    llmConfig: llmConfig(GROUP_SCRIPT),
    isTerminationMsg: (m) => String(m.content ?? "").includes("APPROVED"),
    output: print,
  });
  await client.initiateChat(manager, { message: "We need a slogan for a bakery." });
  return groupchat;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const executor = new LocalCommandLineCodeExecutor({ timeoutMs: 30_000 });
  try {
    const result = await twoAgentChat(executor);
    console.log(
      `\nsummary: ${result.summary}\ncost: $${result.cost.usageIncludingCachedInference.totalCost}`,
    );
    const group = await groupChat();
    console.log(`\ngroup chat: ${group.messages.map((m) => `${m.name}: ${m.content}`).join("\n")}`);
  } finally {
    await executor.stop();
  }
}
