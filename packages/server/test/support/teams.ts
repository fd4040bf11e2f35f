/** Teams for the server tests: an assistant, a team that asks a person, a several-turn chat. */
import {
  AssistantAgent,
  MaxMessageTermination,
  RoundRobinGroupChat,
  TextMentionTermination,
  UserProxyAgent,
} from "@autogen-ts/agentchat";
import { OpenAIChatCompletionClient } from "@autogen-ts/ext/models/openai";
import type { ServerTeam } from "../../src/index.js";

function model(baseURL: string) {
  return new OpenAIChatCompletionClient({ model: "gpt-4o", apiKey: "sk-test-secret", baseURL });
}

/** `assistant`: one AssistantAgent (a single reply per run; its state carries the thread). */
export function assistantTeam(
  baseURL: string,
  options: { stream?: boolean; name?: string } = {},
): ServerTeam {
  return {
    name: options.name ?? "assistant",
    description: "One assistant",
    create: () =>
      new AssistantAgent({
        name: "assistant",
        modelClient: model(baseURL),
        ...(options.stream ? { modelClientStream: true } : {}),
      }),
  };
}

/** `chat`: two assistants taking `turns` turns (many events per run). */
export function chatTeam(baseURL: string, turns = 6): ServerTeam {
  return {
    name: "chat",
    create: () =>
      new RoundRobinGroupChat({
        participants: [
          new AssistantAgent({ name: "writer", modelClient: model(baseURL) }),
          new AssistantAgent({ name: "critic", modelClient: model(baseURL) }),
        ],
        terminationCondition: new MaxMessageTermination(turns + 1),
      }),
  };
}

/** `review`: an assistant, then the person (a UserProxyAgent); ends when the person says APPROVE. */
export function reviewTeam(baseURL: string): ServerTeam {
  return {
    name: "review",
    create: ({ inputFunc }) =>
      new RoundRobinGroupChat({
        participants: [
          new AssistantAgent({ name: "writer", modelClient: model(baseURL) }),
          new UserProxyAgent({ name: "person", inputFunc }),
        ],
        terminationCondition: new TextMentionTermination("APPROVE"),
      }),
  };
}
