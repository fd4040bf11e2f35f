/** Team files for the `serve` tests: a writer with a person to approve, and a long two-agent chat. */
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import {
  AssistantAgent,
  MaxMessageTermination,
  RoundRobinGroupChat,
  TextMentionTermination,
  UserProxyAgent,
} from "@autogen-ts/agentchat";
import { dumpComponent } from "@autogen-ts/ext/components";
import { OpenAIChatCompletionClient } from "@autogen-ts/ext/models/openai";

const client = (baseURL: string) =>
  new OpenAIChatCompletionClient({ model: "gpt-4o", apiKey: "sk-from-file", baseURL });

/** Writes `review.json` ("Review Team": a writer, then a person; ends on APPROVE) and returns its path. */
export async function writeReviewTeam(dir: string, modelUrl: string): Promise<string> {
  const review = new RoundRobinGroupChat({
    participants: [
      new AssistantAgent({ name: "writer", modelClient: client(modelUrl) }),
      new UserProxyAgent({ name: "person" }),
    ],
    terminationCondition: new TextMentionTermination("APPROVE"),
  });
  const file = join(dir, "review.json");
  await writeFile(file, JSON.stringify({ ...(await dumpComponent(review)), label: "Review Team" }));
  return file;
}

/** Writes `chat.json` ("chat": two assistants, `turns` turns after the task) and returns its path. */
export async function writeChatTeam(dir: string, modelUrl: string, turns: number): Promise<string> {
  const chat = new RoundRobinGroupChat({
    participants: [
      new AssistantAgent({ name: "writer", modelClient: client(modelUrl) }),
      new AssistantAgent({ name: "critic", modelClient: client(modelUrl) }),
    ],
    terminationCondition: new MaxMessageTermination(turns + 1),
  });
  const file = join(dir, "chat.json");
  // Without a label the team goes by its file's name: "chat".
  const { label: _label, ...doc } = (await dumpComponent(chat)) as { label?: string };
  await writeFile(file, JSON.stringify(doc));
  return file;
}

/** Writes `helper.json` ("helper": one assistant, one reply per task) and returns its path. */
export async function writeHelperTeam(dir: string, modelUrl: string): Promise<string> {
  const helper = new AssistantAgent({
    name: "helper",
    description: "Answers in one reply.",
    modelClient: client(modelUrl),
  });
  const { label: _label, ...doc } = (await dumpComponent(helper)) as { label?: string };
  const file = join(dir, "helper.json");
  await writeFile(file, JSON.stringify(doc));
  return file;
}
