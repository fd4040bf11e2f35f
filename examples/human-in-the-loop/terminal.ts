/**
 * A person at the terminal answers an assistant: the UserProxyAgent's default input reads the typed line,
 * and the assistant's model then works from it. Offline on the replay client:
 * `npx tsx examples/human-in-the-loop/terminal.ts`.
 */
import { AssistantAgent, TextMessage, UserInputRequestedEvent, UserProxyAgent } from "@autogen-ts/agentchat";
import { ReplayChatCompletionClient } from "@autogen-ts/core/testing";

const modelClient = new ReplayChatCompletionClient([
  "Which city should the trip plan cover?",
  "Here is a one-day plan for the city you chose. TERMINATE",
]);
const assistant = new AssistantAgent({ name: "assistant", modelClient });
const user = new UserProxyAgent({ name: "user", prompt: "Your answer> " });

const question = await assistant.onMessages([
  new TextMessage({ source: "user", content: "Plan a day trip." }),
]);
console.log(`assistant: ${question.chatMessage.toText()}`);
for await (const item of user.onMessagesStream([question.chatMessage])) {
  if (item instanceof UserInputRequestedEvent) continue; // the prompt itself is written by the reader
  if ("chatMessage" in item) {
    const answer = await assistant.onMessages([item.chatMessage]);
    // Show what the model was given, so that one can see it used the typed answer.
    const seen = modelClient.requests.at(-1)?.messages.at(-1);
    console.log(`model saw: ${JSON.stringify(seen?.type === "UserMessage" ? seen.content : "")}`);
    console.log(`assistant: ${answer.chatMessage.toText()}`);
  }
}
