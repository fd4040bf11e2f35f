/**
 * The swarm quickstart: a support desk where agents pass the customer along with handoffs. The triage
 * agent hands billing questions to the billing agent, which looks the order up with a tool, asks the
 * customer before refunding (a handoff to "user" stops the run through `HandoffTermination`), and goes on
 * when the answer comes back as a `HandoffMessage`.
 *
 * Offline (scripted replay models): `npx tsx examples/swarm/support-desk.ts`. At a terminal you type the
 * customer's answer; otherwise a scripted answer is used. With `OPENAI_API_KEY` set, it runs on OpenAI.
 */
import {
  AssistantAgent,
  type BaseAgentMessage,
  Console,
  HandoffMessage,
  HandoffTermination,
  isTaskResult,
  Swarm,
  type TaskResult,
  TextMentionTermination,
  terminalInput,
} from "@autogen-ts/agentchat";
import { type ChatCompletionClient, FunctionTool } from "@autogen-ts/core";
import type { ReplayResponse } from "@autogen-ts/core/testing";
import { exampleModelClient, usesRealModel } from "../shared/model-client.js";

/** The orders the billing tools know. */
const ORDERS = new Map([["1042", { item: "Desk lamp", price: 49.9, charges: 2 }]]);

/** Refunds made by the refund tool, for the test to check. */
export const refunds: { orderId: string; amount: number }[] = [];

const lookupOrder = new FunctionTool<{ orderId: string }>({
  name: "lookup_order",
  description: "An order's item, price and how many times the customer was charged.",
  parameters: { type: "object", properties: { orderId: { type: "string" } }, required: ["orderId"] },
  run: ({ orderId }) => {
    const order = ORDERS.get(orderId);
    return order === undefined
      ? `No order ${orderId}.`
      : `Order ${orderId}: ${order.item}, ${order.price.toFixed(2)} EUR, charged ${order.charges} times.`;
  },
});

const refundOrder = new FunctionTool<{ orderId: string; amount: number }>({
  name: "refund_order",
  description: "Refunds an amount of an order to the card it was paid with.",
  parameters: {
    type: "object",
    properties: { orderId: { type: "string" }, amount: { type: "number" } },
    required: ["orderId", "amount"],
  },
  run: ({ orderId, amount }) => {
    refunds.push({ orderId, amount });
    return `Refunded ${amount.toFixed(2)} EUR on order ${orderId}.`;
  },
});

/** The two agents' models. */
export interface SupportDeskModels {
  readonly triage: ChatCompletionClient;
  readonly billing: ChatCompletionClient;
}

/** Builds the support desk: triage first, billing on handoff; stops when an agent asks the customer. */
export function buildSupportDesk(models: SupportDeskModels): Swarm {
  const triage = new AssistantAgent({
    name: "triage",
    description: "Greets customers and routes them.",
    modelClient: models.triage,
    handoffs: ["billing", "user"],
    systemMessage:
      "You are the first contact of a support desk. Hand billing questions (charges, refunds) to billing. " +
      "If you need to know more from the customer, ask, then hand off to user.",
  });
  const billing = new AssistantAgent({
    name: "billing",
    description: "Handles charges and refunds.",
    modelClient: models.billing,
    tools: [lookupOrder, refundOrder],
    handoffs: ["triage", { target: "user", message: "Waiting for the customer's answer." }],
    reflectOnToolUse: true,
    systemMessage:
      "You handle billing. Look orders up before answering. Never refund without the customer's explicit " +
      "yes: ask them, then hand off to user. When the issue is resolved, say so and end with TERMINATE.",
  });
  return new Swarm({
    participants: [triage, billing],
    terminationCondition: new HandoffTermination("user").or(new TextMentionTermination("TERMINATE")),
  });
}

/**
 * Runs a conversation with the desk: each time an agent hands off to the customer, `answer` is asked
 * with the agent's last words, and the answer goes back to that agent. Returns every run's result.
 */
export async function supportConversation(options: {
  readonly team: Swarm;
  readonly task: string;
  readonly answer: (question: string) => string | Promise<string>;
  /** Shows a run's stream and returns its result (`Console` does); by default the stream is read quietly. */
  readonly show?: (stream: AsyncIterable<BaseAgentMessage | TaskResult>) => Promise<TaskResult>;
  readonly maxRounds?: number;
}): Promise<TaskResult[]> {
  const results: TaskResult[] = [];
  let task: string | HandoffMessage = options.task;
  for (let round = 0; round < (options.maxRounds ?? 5); round++) {
    const stream = options.team.runStream({ task });
    const result = options.show ? await options.show(stream) : await lastResult(stream);
    results.push(result);
    const last = result.messages.at(-1);
    if (!(last instanceof HandoffMessage) || last.target !== "user") break;
    // The question is what the agent said before handing off.
    const question = result.messages.findLast(
      (m) => m.kind === "chat" && m.source === last.source && m !== last,
    );
    const reply = await options.answer(question?.toText() ?? last.content);
    task = new HandoffMessage({ source: "user", target: last.source, content: reply });
  }
  return results;
}

async function lastResult(stream: AsyncIterable<BaseAgentMessage | TaskResult>): Promise<TaskResult> {
  let result: TaskResult | undefined;
  for await (const item of stream) if (isTaskResult(item)) result = item;
  if (result === undefined) throw new Error("The run ended without a result");
  return result;
}

const transfer = (target: string): ReplayResponse => ({
  content: [{ id: `to-${target}`, name: `transfer_to_${target}`, arguments: "{}" }],
});

/** The scripted replies of the offline run. */
export const OFFLINE_SCRIPTS: Record<keyof SupportDeskModels, ReplayResponse[]> = {
  triage: [transfer("billing")],
  billing: [
    { content: [{ id: "look", name: "lookup_order", arguments: JSON.stringify({ orderId: "1042" }) }] },
    "Order 1042 (desk lamp, 49.90 EUR) was charged twice. Shall I refund the duplicate 49.90 EUR?",
    transfer("user"),
    {
      content: [
        { id: "refund", name: "refund_order", arguments: JSON.stringify({ orderId: "1042", amount: 49.9 }) },
      ],
    },
    "Done: 49.90 EUR is on its way back to your card. TERMINATE",
  ],
};

/** The customer's opening message. */
export const TASK = "Hi, I was charged twice for order 1042.";

if (import.meta.url === `file://${process.argv[1]}`) {
  const team = buildSupportDesk({
    triage: exampleModelClient(OFFLINE_SCRIPTS.triage),
    billing: exampleModelClient(OFFLINE_SCRIPTS.billing),
  });
  const interactive = process.stdin.isTTY === true || usesRealModel();
  await supportConversation({
    team,
    task: TASK,
    show: (stream) => Console(stream),
    answer: async (question) => {
      if (interactive) return terminalInput(`${question}\nYour answer> `);
      console.log(`(scripted customer) ${question}\n> Yes, please refund it.`);
      return "Yes, please refund it.";
    },
  });
  await team.close();
}
