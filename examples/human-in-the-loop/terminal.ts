/**
 * A person at the terminal takes part in a team: the assistant and a UserProxyAgent take turns, the proxy's
 * default input reads the typed line, and the assistant's model then works from it. Offline on the replay
 * client: `npx tsx examples/human-in-the-loop/terminal.ts`.
 */
import {
  AssistantAgent,
  isTaskResult,
  RoundRobinGroupChat,
  TextMentionTermination,
  UserProxyAgent,
} from "@autogen-ts/agentchat";
import { ReplayChatCompletionClient } from "@autogen-ts/core/testing";

const modelClient = new ReplayChatCompletionClient([
  "Which city should the trip plan cover?",
  "Here is a one-day plan for the city you chose. TERMINATE",
]);
const assistant = new AssistantAgent({ name: "assistant", modelClient });
const user = new UserProxyAgent({ name: "user", prompt: "Your answer> " });
const team = new RoundRobinGroupChat({
  participants: [assistant, user],
  terminationCondition: new TextMentionTermination("TERMINATE"),
  maxTurns: 5,
});

for await (const item of team.runStream({ task: "Plan a day trip.", outputTaskMessages: false })) {
  if (isTaskResult(item) || item.kind !== "chat" || item.source !== "assistant") continue;
  if (modelClient.requests.length > 1) {
    // Show what the model was given, so that one can see it used the typed answer.
    const seen = modelClient.requests.at(-1)?.messages.at(-1);
    console.log(`model saw: ${JSON.stringify(seen?.type === "UserMessage" ? seen.content : "")}`);
  }
  console.log(`assistant: ${item.toText()}`);
}
await team.close();
