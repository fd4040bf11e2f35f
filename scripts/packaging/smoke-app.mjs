// The smoke app installed from the packed tarballs: an agent with a tool on the replay model, its run
// streamed, its state saved and loaded into a new agent. Prints one line the check compares.
import { AssistantAgent } from "@autogen-ts/agentchat";
import { FunctionTool } from "@autogen-ts/core";
import { ReplayChatCompletionClient } from "@autogen-ts/core/testing";
import { VERSION } from "@autogen-ts/ext";

const add = new FunctionTool({
  name: "add",
  description: "Adds two numbers.",
  parameters: {
    type: "object",
    properties: { a: { type: "number" }, b: { type: "number" } },
    required: ["a", "b"],
  },
  run: ({ a, b }) => String(a + b),
});
const model = new ReplayChatCompletionClient([
  { content: [{ id: "call_1", name: "add", arguments: '{"a":40,"b":2}' }] },
  "The answer is 42.",
]);
const agent = new AssistantAgent({ name: "adder", modelClient: model, tools: [add], reflectOnToolUse: true });
let last;
for await (const item of agent.runStream({ task: "What is 40 + 2?" })) last = item;
const state = JSON.parse(JSON.stringify(await agent.saveState()));
const again = new AssistantAgent({
  name: "adder",
  modelClient: new ReplayChatCompletionClient(["Still 42."]),
});
await again.loadState(state);
const second = await again.run({ task: "Sure?" });
console.log(
  JSON.stringify({
    node: process.versions.node.split(".")[0],
    version: VERSION,
    answer: last.messages.at(-1).content,
    afterLoad: second.messages.at(-1).content,
  }),
);
