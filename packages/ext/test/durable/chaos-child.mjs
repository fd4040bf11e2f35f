// One process of the chaos test: builds the three-agent team in code, opens the store and runs (or
// resumes) the durable run, killing itself with SIGKILL at the point it is told (inside a tool, or after
// the n-th message it reported). Runs on the built packages (dist): a fresh Node process starts in a
// fraction of a second that way, so twenty kills stay cheap.
import { appendFileSync } from "node:fs";
import { AssistantAgent, DurableRunner, RoundRobinGroupChat } from "@autogen-ts/agentchat";
import { FunctionTool } from "@autogen-ts/core";
import { OpenAIChatCompletionClient } from "@autogen-ts/ext/models/openai";

const { MODE, STORE, PG_SCHEMA, RUN_ID, BASE_URL, COUNT_FILE, KILL_KIND, KILL_AT, MAX_TURNS, ATTEMPT } =
  process.env;
const killAt = Number(KILL_AT ?? "0");

function die() {
  process.kill(process.pid, "SIGKILL");
}

// The counting tool logs each execution's start and end with the attempt (the process) it ran in; the
// test sets those against the ledger to tell an execution whose result was committed from one cut short.
let toolRuns = 0;
const count = new FunctionTool({
  name: "count",
  description: "Counts.",
  parameters: { type: "object", properties: { x: { type: "number" } }, required: ["x"] },
  run: async ({ x }, { callId }) => {
    appendFileSync(COUNT_FILE, `start ${callId} ${ATTEMPT}\n`);
    toolRuns += 1;
    if (KILL_KIND === "tool" && toolRuns === killAt) die();
    await new Promise((r) => setTimeout(r, 2));
    appendFileSync(COUNT_FILE, `end ${callId} ${ATTEMPT}\n`);
    return `counted ${x}`;
  },
});

function agent(name, tools) {
  return new AssistantAgent({
    name,
    systemMessage: `${name}: you help.`,
    modelClient: new OpenAIChatCompletionClient({
      model: "gpt-4o",
      apiKey: "test-key",
      baseURL: BASE_URL,
      maxRetries: 0,
    }),
    ...(tools ? { tools: [count], reflectOnToolUse: true } : {}),
  });
}

const team = new RoundRobinGroupChat({
  participants: [agent("alpha", true), agent("beta", true), agent("gamma", false)],
  maxTurns: Number(MAX_TURNS ?? "12"),
});

async function openStore() {
  if (STORE.startsWith("postgres")) {
    const { PostgresRunStore } = await import("@autogen-ts/ext/stores/postgres");
    return PostgresRunStore.open({ connectionString: STORE, schema: PG_SCHEMA });
  }
  const { SqliteRunStore } = await import("@autogen-ts/ext/stores/sqlite");
  return SqliteRunStore.open({ path: STORE.slice("sqlite:".length) });
}

const store = await openStore();
// Every process of the test is the same worker restarting: it may take its own run over at once.
const durable = new DurableRunner({ store, runner: team, holder: "chaos-worker" });
const run = MODE === "run" ? durable.run({ task: "count with us", runId: RUN_ID }) : durable.resume(RUN_ID);
let messages = 0;
for await (const item of run) {
  if ("runId" in item && "status" in item) continue;
  if (item.type === "ModelClientStreamingChunkEvent") continue;
  messages += 1;
  if (KILL_KIND === "message" && messages === killAt) die();
}
await store.close();
process.exit(0);
