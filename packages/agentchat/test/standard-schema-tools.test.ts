/**
 * An AssistantAgent with tools whose parameters come from different schema libraries (zod 3, valibot,
 * ArkType) and a plain JSON Schema, all in one agent: each tool is offered to the model with its JSON
 * Schema, called, and its arguments checked by its own library.
 */
import { FunctionTool, toolResultText } from "@autogen-ts/core";
import { ReplayChatCompletionClient } from "@autogen-ts/core/testing";
import { toStandardJsonSchema } from "@valibot/to-json-schema";
import { type } from "arktype";
import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { zodToJsonSchema } from "zod-to-json-schema";
import { z as z3 } from "zod-v3";
import { AssistantAgent } from "../src/agents/assistant-agent.js";
import { ToolCallExecutionEvent } from "../src/messages/events.js";

const Zod3Args = z3.object({ text: z3.string() });
const tools = [
  new FunctionTool({
    name: "shout",
    description: "Upper-case a text.",
    parameters: Zod3Args,
    jsonSchema: zodToJsonSchema(Zod3Args as never),
    run: ({ text }) => text.toUpperCase(),
  }),
  new FunctionTool({
    name: "repeat",
    description: "Repeat a text.",
    parameters: toStandardJsonSchema(v.object({ text: v.string(), times: v.number() })),
    run: ({ text, times }) => text.repeat(times),
  }),
  new FunctionTool({
    name: "reverse",
    description: "Reverse a text.",
    parameters: type({ text: "string" }),
    run: ({ text }) => [...text].reverse().join(""),
  }),
  new FunctionTool({
    name: "count",
    description: "Count the characters of a text.",
    parameters: { type: "object", properties: { text: { type: "string" } }, required: ["text"] },
    run: ({ text }) => String(String(text).length),
  }),
];

describe("AssistantAgent with Standard Schema and JSON Schema tools", () => {
  it("offers each tool's JSON Schema, runs good calls and returns each library's error for a bad one", async () => {
    const call = (id: string, name: string, args: unknown) => ({ id, name, arguments: JSON.stringify(args) });
    const model = new ReplayChatCompletionClient([
      {
        content: [
          call("c1", "shout", { text: "hi" }),
          call("c2", "repeat", { text: "ab", times: 3 }),
          call("c3", "reverse", { text: "abc" }),
          call("c4", "count", { text: "four" }),
          call("c5", "shout", { text: 5 }),
          call("c6", "repeat", { text: "x" }),
          call("c7", "reverse", {}),
          call("c8", "count", { text: ["no"] }),
        ],
      },
    ]);
    const agent = new AssistantAgent({ name: "helper", modelClient: model, tools });
    const result = await agent.run({ task: "go" });

    const offered = model.requests[0]?.options?.tools ?? [];
    expect(offered.map((t) => t.name)).toEqual(["shout", "repeat", "reverse", "count"]);
    for (const t of offered) {
      expect(t.parameters).toMatchObject({ type: "object", properties: { text: { type: "string" } } });
    }

    const execution = result.messages.find(
      (m) => m instanceof ToolCallExecutionEvent,
    ) as ToolCallExecutionEvent;
    const results = Object.fromEntries(execution.content.map((r) => [r.callId, r]));
    expect(results.c1).toMatchObject({ content: "HI", isError: false });
    expect(results.c2).toMatchObject({ content: "ababab", isError: false });
    expect(results.c3).toMatchObject({ content: "cba", isError: false });
    expect(results.c4).toMatchObject({ content: "4", isError: false });
    for (const id of ["c5", "c6", "c7", "c8"]) {
      expect(results[id]?.isError, id).toBe(true);
      expect(results[id]?.content, id).toMatch(/^Error: Invalid arguments: (text|times)/);
    }
    expect(results.c5?.content).toContain("Expected string, received number"); // zod 3's wording
    expect(toolResultText(await tools[0]!.call('{"text":"ok"}'))).toBe("OK");
  });
});
