/**
 * The Magentic-One quickstart: an orchestrator plans a small research task, hands each step to a team
 * member with an instruction, checks progress after every turn, and writes the final answer.
 *
 * The team: a `fares_agent` that looks up train fares with a tool, and a `calculator` that adds up costs
 * with a tool. The orchestrator decides who works when.
 *
 * Offline (scripted replay models): `npx tsx examples/magentic-one/trip-budget.ts`.
 * With `OPENAI_API_KEY` set, the same command runs on OpenAI (`OPENAI_MODEL`, default gpt-4o-mini).
 */
import { AssistantAgent, Console, MagenticOneGroupChat } from "@autogen-ts/agentchat";
import { type ChatCompletionClient, FunctionTool } from "@autogen-ts/core";
import { ReplayChatCompletionClient, type ReplayResponse } from "@autogen-ts/core/testing";
import { OpenAIChatCompletionClient } from "@autogen-ts/ext/models/openai";

/** Second-class one-way fares in euros. */
export const FARES: Readonly<Record<string, number>> = {
  "Paris-Lyon": 49,
  "Lyon-Marseille": 32,
  "Marseille-Paris": 65,
};

const lookupFare = new FunctionTool<{ from: string; to: string }>({
  name: "lookup_fare",
  description: "The one-way train fare in euros between two cities.",
  parameters: {
    type: "object",
    properties: { from: { type: "string" }, to: { type: "string" } },
    required: ["from", "to"],
  },
  run: ({ from, to }) => {
    const fare = FARES[`${from}-${to}`];
    return fare === undefined ? `No fare known from ${from} to ${to}.` : `${from} to ${to}: ${fare} EUR`;
  },
});

const addUp = new FunctionTool<{ amounts: number[] }>({
  name: "add_up",
  description: "The sum of a list of amounts.",
  parameters: {
    type: "object",
    properties: { amounts: { type: "array", items: { type: "number" } } },
    required: ["amounts"],
  },
  run: ({ amounts }) => `Total: ${amounts.reduce((a, b) => a + b, 0)} EUR`,
});

/** The models of the example: the orchestrator's and one per agent. */
export interface TripBudgetModels {
  readonly orchestrator: ChatCompletionClient;
  readonly fares: ChatCompletionClient;
  readonly calculator: ChatCompletionClient;
}

/** Builds the team. */
export function buildTripBudgetTeam(models: TripBudgetModels): MagenticOneGroupChat {
  const fares = new AssistantAgent({
    name: "fares_agent",
    description: "Looks up one-way train fares between two cities.",
    modelClient: models.fares,
    tools: [lookupFare],
    systemMessage: "You look up train fares with your tool, one call per leg, and report them.",
  });
  const calculator = new AssistantAgent({
    name: "calculator",
    description: "Adds up amounts that were already found.",
    modelClient: models.calculator,
    tools: [addUp],
    systemMessage: "You add up the amounts you are given with your tool.",
  });
  return new MagenticOneGroupChat({
    name: "orchestrator",
    participants: [fares, calculator],
    modelClient: models.orchestrator,
    maxTurns: 10,
  });
}

/** The task. */
export const TASK = "What does a round trip Paris -> Lyon -> Marseille -> Paris cost by train?";

const call = (id: string, name: string, args: unknown) => ({ id, name, arguments: JSON.stringify(args) });

function ledger(satisfied: boolean, next: string, instruction: string): string {
  const because = (reason: string, answer: unknown) => ({ reason, answer });
  return JSON.stringify({
    is_request_satisfied: because(
      satisfied ? "The total is known." : "The total is not known yet.",
      satisfied,
    ),
    is_in_loop: because("Each step has been different.", false),
    is_progress_being_made: because("The last step produced what was asked.", true),
    next_speaker: because(`${next} can do the next step.`, next),
    instruction_or_question: because("This is the next step of the plan.", instruction),
  });
}

/** The scripted replies for the offline run. */
export const OFFLINE_SCRIPTS: Readonly<Record<keyof TripBudgetModels, readonly ReplayResponse[]>> = {
  orchestrator: [
    "FACTS GIVEN: three legs, Paris-Lyon, Lyon-Marseille, Marseille-Paris.\nFACTS TO LOOK UP: each fare.\n" +
      "FACTS TO DERIVE: the total.\nEDUCATED GUESSES: around 150 EUR.",
    "- fares_agent: look up the three fares.\n- calculator: add them up.",
    ledger(false, "fares_agent", "Look up the fares Paris-Lyon, Lyon-Marseille and Marseille-Paris."),
    ledger(false, "calculator", "Add up 49, 32 and 65."),
    ledger(true, "", ""),
    "The round trip costs 146 EUR: Paris-Lyon 49, Lyon-Marseille 32 and Marseille-Paris 65.",
  ],
  fares: [
    {
      content: [
        call("f1", "lookup_fare", { from: "Paris", to: "Lyon" }),
        call("f2", "lookup_fare", { from: "Lyon", to: "Marseille" }),
        call("f3", "lookup_fare", { from: "Marseille", to: "Paris" }),
      ],
    },
  ],
  calculator: [{ content: [call("s1", "add_up", { amounts: [49, 32, 65] })] }],
};

/** OpenAI when `OPENAI_API_KEY` is set, else the replay client with `script`. */
export function exampleModel(script: readonly ReplayResponse[]): ChatCompletionClient {
  return process.env.OPENAI_API_KEY
    ? new OpenAIChatCompletionClient({ model: process.env.OPENAI_MODEL ?? "gpt-4o-mini" })
    : new ReplayChatCompletionClient(script);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const team = buildTripBudgetTeam({
    orchestrator: exampleModel(OFFLINE_SCRIPTS.orchestrator),
    fares: exampleModel(OFFLINE_SCRIPTS.fares),
    calculator: exampleModel(OFFLINE_SCRIPTS.calculator),
  });
  await Console(team.runStream({ task: TASK }));
  await team.close();
}
