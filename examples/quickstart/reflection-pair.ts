/**
 * The reflection quickstart: a writer and a critic take turns in a RoundRobinGroupChat until the critic
 * approves (or ten messages have passed). The team is saved after the run and loaded into a freshly
 * built team, which continues the same conversation with a new task.
 *
 * Offline (scripted replay models): `npx tsx examples/quickstart/reflection-pair.ts`.
 * With `OPENAI_API_KEY` set, the same command runs on OpenAI (`OPENAI_MODEL`, default gpt-4o-mini).
 */
import {
  AssistantAgent,
  Console,
  MaxMessageTermination,
  RoundRobinGroupChat,
  TextMentionTermination,
} from "@autogen-ts/agentchat";
import type { ChatCompletionClient } from "@autogen-ts/core";
import type { ReplayResponse } from "@autogen-ts/core/testing";
import { exampleModelClient } from "../shared/model-client.js";

/** The offline replies of each agent. */
export const OFFLINE_SCRIPTS = {
  writer: [
    "Rain on the harbour / the ferries hum in the grey / Oslo keeps its light",
    "Grey rain on the fjord / ferries hum beneath the clouds / windows keep their light",
  ],
  critic: [
    "Good image, but 'Oslo keeps its light' tells rather than shows. Try a concrete image in the last line.",
    "Better: the last line now shows it. APPROVE",
  ],
} satisfies Record<string, readonly ReplayResponse[]>;

/** The task the example runs first. */
export const TASK = "Write a haiku about a rainy evening in Oslo.";

/** Builds the pair on one model client per agent. */
export function buildTeam(models: {
  writer: ChatCompletionClient;
  critic: ChatCompletionClient;
}): RoundRobinGroupChat {
  const writer = new AssistantAgent({
    name: "writer",
    modelClient: models.writer,
    systemMessage: "You write short poems. When given feedback, rewrite the whole poem.",
  });
  const critic = new AssistantAgent({
    name: "critic",
    modelClient: models.critic,
    systemMessage: "You review poems in one or two sentences. When a poem is good, say APPROVE.",
  });
  return new RoundRobinGroupChat({
    participants: [writer, critic],
    terminationCondition: new TextMentionTermination("APPROVE").or(new MaxMessageTermination(10)),
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const team = buildTeam({
    writer: exampleModelClient(OFFLINE_SCRIPTS.writer),
    critic: exampleModelClient(OFFLINE_SCRIPTS.critic),
  });
  await Console(team.runStream({ task: TASK }));
  // The whole team, as versioned JSON: store it anywhere and load it into a newly built team.
  const saved = JSON.stringify(await team.saveState());
  console.log(`\nSaved the team: ${saved.length} bytes of JSON.`);
  await team.close();
}
