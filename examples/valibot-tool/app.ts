/**
 * A project on valibot: its tool's parameters are a valibot schema, checked by valibot, with the JSON
 * Schema for the model from valibot's official converter (`toStandardJsonSchema` makes the schema a
 * Standard JSON Schema, which FunctionTool reads itself). An AssistantAgent calls the tool on a scripted
 * model.
 *
 * `npx tsx examples/valibot-tool/app.ts`
 */
import { AssistantAgent, ToolCallSummaryMessage } from "@autogen-ts/agentchat";
import { FunctionTool } from "@autogen-ts/core";
import { ReplayChatCompletionClient } from "@autogen-ts/core/testing";
import { toStandardJsonSchema } from "@valibot/to-json-schema";
import * as v from "valibot";

const Booking = v.object({
  room: v.pipe(v.string(), v.minLength(1)),
  guests: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(12)),
});

/** The tool, typed from the valibot schema. */
export const book = new FunctionTool({
  name: "book_room",
  description: "Book a meeting room for a number of guests.",
  parameters: toStandardJsonSchema(Booking),
  run: ({ room, guests }) => `Booked ${room} for ${guests}.`,
});

/** Runs the agent: a good call, then a call valibot refuses. Returns the two tool results. */
export async function main(): Promise<string[]> {
  const model = new ReplayChatCompletionClient([
    { content: [{ id: "call_1", name: "book_room", arguments: '{"room":"Fjord","guests":4}' }] },
    { content: [{ id: "call_2", name: "book_room", arguments: '{"room":"Fjord","guests":40}' }] },
  ]);
  const agent = new AssistantAgent({ name: "office", modelClient: model, tools: [book] });
  const out: string[] = [];
  for (const task of ["Book Fjord for four", "Now for forty"]) {
    const result = await agent.run({ task });
    const last = result.messages.at(-1);
    out.push(last instanceof ToolCallSummaryMessage ? last.content : String(last?.toText?.() ?? ""));
  }
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const line of await main()) console.log(line);
}
