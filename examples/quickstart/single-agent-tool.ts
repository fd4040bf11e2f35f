/**
 * The first quickstart: one AssistantAgent with a tool. The model asks for the weather, the tool
 * answers, and the agent reflects on the result in words (`reflectOnToolUse`), streamed token by token.
 *
 * Offline (scripted replay model): `npx tsx examples/quickstart/single-agent-tool.ts`.
 * With `OPENAI_API_KEY` set, the same command runs on OpenAI (`OPENAI_MODEL`, default gpt-4o-mini).
 */
import { AssistantAgent, Console } from "@autogen-ts/agentchat";
import { type ChatCompletionClient, FunctionTool } from "@autogen-ts/core";
import type { ReplayResponse } from "@autogen-ts/core/testing";
import { z } from "zod";
import { exampleModelClient } from "../shared/model-client.js";

/** Made-up weather, so that the example's output is the same on every run. */
const WEATHER: Readonly<Record<string, string>> = { paris: "23°C, sunny", oslo: "4°C, rain" };

/** The tool: its arguments are a zod schema, checked before `run` sees them. */
export const getWeather = new FunctionTool({
  name: "get_weather",
  description: "The current weather in a city.",
  parameters: z.object({ city: z.string().describe("The city, such as Paris") }),
  run: async ({ city }) => `${city}: ${WEATHER[city.toLowerCase()] ?? "no report"}`,
});

/** The replies the offline model gives: a tool call, then the answer. */
export const OFFLINE_SCRIPT: readonly ReplayResponse[] = [
  { content: [{ id: "call_1", name: "get_weather", arguments: '{"city": "Paris"}' }] },
  "It is 23°C and sunny in Paris: a good day for a walk along the Seine.",
];

/** The task the example runs. */
export const TASK = "What's the weather in Paris? One sentence.";

/** Builds the agent on a model client. */
export function buildAgent(modelClient: ChatCompletionClient): AssistantAgent {
  return new AssistantAgent({
    name: "weather_agent",
    modelClient,
    tools: [getWeather],
    systemMessage: "You answer questions about the weather. Use the tool, then answer in one sentence.",
    reflectOnToolUse: true,
    modelClientStream: true,
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await Console(buildAgent(exampleModelClient(OFFLINE_SCRIPT)).runStream({ task: TASK }));
}
