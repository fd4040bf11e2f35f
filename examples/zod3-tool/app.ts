/**
 * A project on zod 3: its tool's parameters are a zod 3 schema (this folder's own `zod`, version 3),
 * checked by that zod, with the JSON Schema for the model from `zod-to-json-schema`, as zod 3 projects
 * usually make it. An AssistantAgent calls the tool on a scripted model.
 *
 * `npx tsx examples/zod3-tool/app.ts`
 */
import { AssistantAgent, ToolCallSummaryMessage } from "@autogen-ts/agentchat";
import { FunctionTool } from "@autogen-ts/core";
import { ReplayChatCompletionClient } from "@autogen-ts/core/testing";
import { z } from "zod";
import { zodToJsonSchema } from "zod-to-json-schema";

const Convert = z.object({
  amount: z.number().positive(),
  from: z.enum(["EUR", "USD", "NOK"]),
  to: z.enum(["EUR", "USD", "NOK"]),
});

const RATES = { EUR: 1, USD: 1.08, NOK: 11.6 } as const;

/** The tool, typed from the zod 3 schema. */
export const convert = new FunctionTool({
  name: "convert_currency",
  description: "Convert an amount between currencies.",
  parameters: Convert,
  jsonSchema: zodToJsonSchema(Convert),
  run: ({ amount, from, to }) =>
    `${amount} ${from} = ${((amount / RATES[from]) * RATES[to]).toFixed(2)} ${to}`,
});

/** Runs the agent: a good call, then a call the zod 3 schema refuses. Returns the two tool results. */
export async function main(): Promise<string[]> {
  const model = new ReplayChatCompletionClient([
    {
      content: [
        { id: "call_1", name: "convert_currency", arguments: '{"amount":100,"from":"EUR","to":"NOK"}' },
      ],
    },
    {
      content: [
        { id: "call_2", name: "convert_currency", arguments: '{"amount":-5,"from":"EUR","to":"GBP"}' },
      ],
    },
  ]);
  const agent = new AssistantAgent({ name: "banker", modelClient: model, tools: [convert] });
  const out: string[] = [];
  for (const task of ["100 euros in kroner?", "and -5 euros in pounds?"]) {
    const result = await agent.run({ task });
    const last = result.messages.at(-1);
    out.push(last instanceof ToolCallSummaryMessage ? last.content : String(last?.toText?.() ?? ""));
  }
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const line of await main()) console.log(line);
}
