/**
 * A durable run that waits for a person: a clerk agent wants to refund an order with a tool that needs
 * approval. The run is kept in a SQLite file; when the clerk asks for the refund, the approval becomes a
 * persisted request, the run ends as `interrupted`, and the first "process" is gone. A second process,
 * with nothing but the file and the same team definition, answers the request and finishes the run.
 * The clerk's first model call (the one that asked for the refund) is not made again: it is in the
 * run's ledger.
 *
 * Offline (scripted replay models): `npx tsx examples/durable-run/refund-approval.ts`. With
 * `OPENAI_API_KEY` set it runs on OpenAI. `DURABLE_DB=./runs.db` keeps the file (default: a temp dir), and
 * then `autogen-ts runs --store sqlite:./runs.db` lists the run.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  AssistantAgent,
  DurableRunner,
  type DurableRunResult,
  RoundRobinGroupChat,
} from "@autogen-ts/agentchat";
import { type ChatCompletionClient, FunctionTool } from "@autogen-ts/core";
import type { ReplayResponse } from "@autogen-ts/core/testing";
import { SqliteRunStore } from "@autogen-ts/ext/stores/sqlite";
import { exampleModelClient } from "../shared/model-client.js";

/** Refunds made, for the test to check (a real tool would call a payment service). */
export const refunds: { orderId: string; amount: number }[] = [];

const refund = new FunctionTool<{ orderId: string; amount: number }>({
  name: "refund_order",
  description: "Refunds an amount of an order to the customer's card.",
  parameters: {
    type: "object",
    properties: { orderId: { type: "string" }, amount: { type: "number" } },
    required: ["orderId", "amount"],
  },
  // Money moves: a person approves each call, and a call cut short by a crash is not made again.
  needsApproval: true,
  idempotent: false,
  run: ({ orderId, amount }) => {
    refunds.push({ orderId, amount });
    return `Refunded ${amount.toFixed(2)} EUR on order ${orderId}.`;
  },
});

/** The team, built the same way in every process that runs or resumes it. */
export function buildTeam(model: ChatCompletionClient): RoundRobinGroupChat {
  const clerk = new AssistantAgent({
    name: "clerk",
    systemMessage: "You handle refunds. Use refund_order, then tell the customer what happened.",
    modelClient: model,
    tools: [refund],
    reflectOnToolUse: true,
  });
  return new RoundRobinGroupChat({ participants: [clerk], maxTurns: 1 });
}

/** The replies of the offline models: the first process's, then the second's. */
export const OFFLINE_SCRIPTS: Record<"first" | "second", ReplayResponse[]> = {
  first: [
    {
      content: [
        { id: "r1", name: "refund_order", arguments: JSON.stringify({ orderId: "1042", amount: 49.9 }) },
      ],
    },
  ],
  second: ["Done: 49.90 EUR is on its way back to your card."],
};

export const TASK = "Order 1042 was charged twice; please refund the duplicate 49.90 EUR.";

/** The first process: starts the run and returns once it waits for the approval. */
export async function startRun(path: string, model: ChatCompletionClient): Promise<DurableRunResult> {
  const store = await SqliteRunStore.open({ path });
  try {
    return await new DurableRunner({ store, runner: buildTeam(model) }).run({ task: TASK }).result();
  } finally {
    await store.close();
  }
}

/** The second process: answers the request (`"yes"`, `"no"`, or `{ approved, reason }`) and finishes. */
export async function approveAndFinish(
  path: string,
  runId: string,
  answer: string,
  model: ChatCompletionClient,
): Promise<DurableRunResult> {
  const store = await SqliteRunStore.open({ path });
  try {
    const [request] = await store.listInputRequests(runId, { pending: true });
    if (request === undefined) throw new Error(`run ${runId} waits for nothing`);
    return await new DurableRunner({ store, runner: buildTeam(model) })
      .resume(runId, { input: { requestId: request.requestId, value: answer } })
      .result();
  } finally {
    await store.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const path = process.env.DURABLE_DB ?? join(mkdtempSync(join(tmpdir(), "durable-run-")), "runs.db");
  const parked = await startRun(path, exampleModelClient(OFFLINE_SCRIPTS.first));
  console.log(`run ${parked.runId} is ${parked.status}`);
  for (const request of parked.pendingInput)
    console.log(`waiting for input: ${request.requestId}\n${request.prompt}`);
  console.log("(a second process, later) > yes");
  const done = await approveAndFinish(path, parked.runId, "yes", exampleModelClient(OFFLINE_SCRIPTS.second));
  console.log(`run ${done.runId} is ${done.status}: ${done.messages.at(-1)?.toText()}`);
  console.log(`store: sqlite:${path}`);
}
