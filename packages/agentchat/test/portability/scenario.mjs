// The portability scenario: a two-agent team with a tool, a streaming model and saved state, written in
// plain JavaScript against the public API so that Node, Deno, Bun, a browser page and an edge-runtime
// context can each run it unchanged from the built bundles. Each host resolves the bare specifiers its
// own way (node_modules, an import map, a bundle) and compares the summary it returns.
import { AssistantAgent, RoundRobinGroupChat, TextMentionTermination } from "@autogen-ts/agentchat";
import { FunctionTool, randomUuid } from "@autogen-ts/core";
import { ReplayChatCompletionClient } from "@autogen-ts/core/testing";

const ADD = {
  name: "add",
  description: "Adds two numbers.",
  parameters: {
    type: "object",
    properties: { a: { type: "number" }, b: { type: "number" } },
    required: ["a", "b"],
    additionalProperties: false,
  },
  run: ({ a, b }) => String(a + b),
};

/** Builds the team on fresh agents: a writer with the tool and a streaming model, and a critic. */
function buildTeam(writerScript, criticScript) {
  const writerModel = new ReplayChatCompletionClient(writerScript);
  const writer = new AssistantAgent({
    name: "writer",
    modelClient: writerModel,
    tools: [new FunctionTool(ADD)],
    reflectOnToolUse: true,
    modelClientStream: true,
    systemMessage: "You add numbers with the tool.",
  });
  const critic = new AssistantAgent({
    name: "critic",
    modelClient: new ReplayChatCompletionClient(criticScript),
    systemMessage: "Say APPROVE when the sum is right.",
  });
  const team = new RoundRobinGroupChat({
    participants: [writer, critic],
    terminationCondition: new TextMentionTermination("APPROVE"),
  });
  return { team, writerModel };
}

/** Runs a task as a stream and sums up what came out. */
async function streamRun(team, task) {
  const types = [];
  let streamed = "";
  let chunks = 0;
  let result;
  for await (const item of team.runStream({ task })) {
    if (item.type === "ModelClientStreamingChunkEvent") {
      chunks += 1;
      streamed += item.content;
      continue;
    }
    if ("messages" in item && "stopReason" in item) {
      result = item;
      continue;
    }
    types.push(`${item.source}:${item.type}`);
  }
  return {
    types,
    streamed,
    streamedInChunks: chunks > 1,
    resultTypes: result.messages.map((m) => `${m.source}:${m.type}`),
    stopReason: result.stopReason,
    toolResults: result.messages
      .filter((m) => m.type === "ToolCallExecutionEvent")
      .flatMap((m) => m.content.map((r) => r.content)),
    idsUnique: new Set(result.messages.map((m) => m.id)).size === result.messages.length,
  };
}

/** Runs the scenario and returns a JSON-able summary, the same in every runtime. */
export async function runScenario() {
  const first = buildTeam(
    [{ content: [{ id: "call_1", name: "add", arguments: '{"a":2,"b":3}' }] }, "The sum of 2 and 3 is 5."],
    ["Correct. APPROVE"],
  );
  const firstRun = await streamRun(first.team, "What is 2 + 3?");
  // Bad arguments are checked against the JSON Schema (by @cfworker/json-schema) and become a result.
  const badCall = await new FunctionTool(ADD).call('{"a":"two"}');

  // Saved state goes through JSON, as it would through a store, into a team built anew.
  const saved = JSON.parse(JSON.stringify(await first.team.saveState()));
  const second = buildTeam(["Still 5."], ["APPROVE again"]);
  await second.team.loadState(saved);
  const secondRun = await streamRun(second.team, "Check it once more.");
  const history = second.writerModel.requests[0].messages;

  return {
    firstRun,
    badCall: { isError: badCall.isError, text: badCall.result.map((r) => r.text ?? "").join("") },
    secondRun,
    // The reloaded writer's first request carries the earlier conversation, not only the new task.
    historyAfterLoad: history.length,
    historySawFirstTask: history.some((m) => JSON.stringify(m.content).includes("What is 2 + 3?")),
    uuid: /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(randomUuid()),
  };
}
