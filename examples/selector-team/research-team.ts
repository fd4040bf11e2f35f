/**
 * The selector-team quickstart: a planner, a records agent with a lookup tool and an analyst with a
 * calculator answer a question together. A model picks who speaks next from their descriptions and the
 * conversation; a `selectorFunc` hands the turn back to the planner after each worker, so the planner
 * reviews every result.
 *
 * Offline (scripted replay models): `npx tsx examples/selector-team/research-team.ts`.
 * With `OPENAI_API_KEY` set, the same command runs on OpenAI (`OPENAI_MODEL`, default gpt-4o-mini).
 */
import {
  AssistantAgent,
  Console,
  MaxMessageTermination,
  SelectorGroupChat,
  TextMentionTermination,
} from "@autogen-ts/agentchat";
import { type ChatCompletionClient, FunctionTool } from "@autogen-ts/core";
import type { ReplayResponse } from "@autogen-ts/core/testing";
import { exampleModelClient } from "../shared/model-client.js";

/** The records the lookup tool reads: head count per office and year. */
export const HEADCOUNT: Readonly<Record<string, Readonly<Record<string, number>>>> = {
  Berlin: { "2023": 120, "2024": 138 },
  Lisbon: { "2023": 64, "2024": 80 },
  Toronto: { "2023": 95, "2024": 101 },
};

const lookupHeadcount = new FunctionTool<{ office: string; year: number }>({
  name: "lookup_headcount",
  description: "The number of people working at an office at the end of a year.",
  parameters: {
    type: "object",
    properties: { office: { type: "string" }, year: { type: "integer" } },
    required: ["office", "year"],
  },
  run: ({ office, year }) => {
    const count = HEADCOUNT[office]?.[String(year)];
    return count === undefined ? `No record for ${office} in ${year}.` : `${office} ${year}: ${count}`;
  },
});

const percentageChange = new FunctionTool<{ label: string; start: number; end: number }>({
  name: "percentage_change",
  description: "The percentage change from start to end, labelled.",
  parameters: {
    type: "object",
    properties: { label: { type: "string" }, start: { type: "number" }, end: { type: "number" } },
    required: ["label", "start", "end"],
  },
  run: ({ label, start, end }) => `${label}: ${(((end - start) / start) * 100).toFixed(1)}%`,
});

/** The models of the team: one per agent, and the selector's. */
export interface ResearchTeamModels {
  readonly planner: ChatCompletionClient;
  readonly records: ChatCompletionClient;
  readonly analyst: ChatCompletionClient;
  readonly selector: ChatCompletionClient;
}

/** Builds the team. */
export function buildResearchTeam(models: ResearchTeamModels): SelectorGroupChat {
  const planner = new AssistantAgent({
    name: "planner",
    description: "Plans the work, hands out steps, and gives the final answer.",
    modelClient: models.planner,
    systemMessage:
      "You coordinate a small team: records_agent looks up office head counts, analyst computes percentage " +
      "changes. Break the question into steps and say who does each; do no lookups or arithmetic yourself. " +
      "Once the results answer the question, state the answer and end with TERMINATE.",
  });
  const records = new AssistantAgent({
    name: "records_agent",
    description: "Looks up how many people worked at an office in a given year.",
    modelClient: models.records,
    tools: [lookupHeadcount],
    systemMessage: "You look up head counts with your tool, nothing else.",
  });
  const analyst = new AssistantAgent({
    name: "analyst",
    description: "Computes percentage changes from numbers already found.",
    modelClient: models.analyst,
    tools: [percentageChange],
    systemMessage: "You compute percentage changes with your tool from the numbers in the conversation.",
  });
  return new SelectorGroupChat({
    participants: [planner, records, analyst],
    modelClient: models.selector,
    // After a worker's turn the planner reviews; otherwise the model decides.
    selectorFunc: (thread) => {
      const last = thread.at(-1);
      return last !== undefined && last.source !== "planner" && last.source !== "user"
        ? "planner"
        : undefined;
    },
    terminationCondition: new TextMentionTermination("TERMINATE").or(new MaxMessageTermination(25)),
  });
}

/** The question of the quickstart. */
export const TASK =
  "Which of our offices (Berlin, Lisbon, Toronto) grew its head count the most from 2023 to 2024, and by " +
  "what percentage?";

const call = (id: string, name: string, args: Record<string, unknown>) => ({
  id,
  name,
  arguments: JSON.stringify(args),
});

/** The scripted replies of the offline run. */
export const OFFLINE_SCRIPTS: Record<keyof ResearchTeamModels, ReplayResponse[]> = {
  selector: ["planner", "records_agent", "analyst"],
  planner: [
    "Plan:\n1. records_agent: look up the 2023 and 2024 head counts of Berlin, Lisbon and Toronto.\n" +
      "2. analyst: compute each office's percentage change.",
    "The records are in. analyst, please compute the changes.",
    "Lisbon grew the most: from 64 to 80 people, +25.0% (Berlin +15.0%, Toronto +6.3%). TERMINATE",
  ],
  records: [
    {
      content: ["Berlin", "Lisbon", "Toronto"].flatMap((office) =>
        [2023, 2024].map((year) => call(`${office}-${year}`, "lookup_headcount", { office, year })),
      ),
    },
  ],
  analyst: [
    {
      content: [
        call("b", "percentage_change", { label: "Berlin", start: 120, end: 138 }),
        call("l", "percentage_change", { label: "Lisbon", start: 64, end: 80 }),
        call("t", "percentage_change", { label: "Toronto", start: 95, end: 101 }),
      ],
    },
  ],
};

if (import.meta.url === `file://${process.argv[1]}`) {
  const team = buildResearchTeam({
    planner: exampleModelClient(OFFLINE_SCRIPTS.planner),
    records: exampleModelClient(OFFLINE_SCRIPTS.records),
    analyst: exampleModelClient(OFFLINE_SCRIPTS.analyst),
    selector: exampleModelClient(OFFLINE_SCRIPTS.selector),
  });
  await Console(team.runStream({ task: TASK }));
  await team.close();
}
