/**
 * An agent server for the MCP conformance suite: two agents and a team on replay models, nothing else
 * (the suite's scenarios that apply to any server run against it). Prints its URL; serves until killed.
 */
import { AssistantAgent, MaxMessageTermination, RoundRobinGroupChat } from "@autogen-ts/agentchat";
import { ReplayChatCompletionClient } from "@autogen-ts/core/testing";
import { serveMcp } from "@autogen-ts/ext/mcp/server";

const agent = (name: string, reply: string) =>
  new AssistantAgent({
    name,
    description: `The ${name}.`,
    modelClient: new ReplayChatCompletionClient({ responses: [reply, reply, reply] }),
  });

const server = await serveMcp(
  {
    agents: [
      { agent: () => agent("researcher", "Found it.") },
      { agent: agent("writer", "Written.") },
      {
        name: "pair",
        description: "A researcher and a writer taking turns.",
        agent: () =>
          new RoundRobinGroupChat({
            participants: [agent("researcher", "Found it."), agent("writer", "Written.")],
            terminationCondition: new MaxMessageTermination({ maxMessages: 3 }),
          }),
      },
    ],
  },
  { transport: "http", serverName: "autogen-ts-agents" },
);
process.stdout.write(`${server.url}\n`);
