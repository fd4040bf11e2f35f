import { toJsonSchema, toStandardJsonSchema } from "@valibot/to-json-schema";
import { type } from "arktype";
import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { zodToJsonSchema as zod3ToJsonSchema } from "zod-to-json-schema";
import { z as z3 } from "zod-v3";
import { ValidationError } from "../../src/errors.js";
import { FunctionTool } from "../../src/tools/function-tool.js";
import { isStandardSchema, standardJsonSchema } from "../../src/tools/standard-schema.js";
import { toolResultText } from "../../src/tools/types.js";

const run = ({ city, days }: { city: string; days?: number | undefined }) =>
  `${city} for ${days ?? 1} day(s)`;

// The same tool, `{ city: string, days?: number }`, in every schema library.
const cases = [
  { name: "zod 4", parameters: z.object({ city: z.string(), days: z.number().optional() }) },
  {
    name: "zod 3 (with zod-to-json-schema)",
    parameters: z3.object({ city: z3.string(), days: z3.number().optional() }),
    jsonSchema: (s: object) => zod3ToJsonSchema(s as never),
  },
  {
    name: "valibot (toStandardJsonSchema)",
    parameters: toStandardJsonSchema(v.object({ city: v.string(), days: v.optional(v.number()) })),
  },
  {
    name: "valibot (with toJsonSchema)",
    parameters: v.object({ city: v.string(), days: v.optional(v.number()) }),
    jsonSchema: (s: object) => toJsonSchema(s as never),
  },
  { name: "ArkType", parameters: type({ city: "string", "days?": "number" }) },
] as const;

describe("FunctionTool over Standard Schema", () => {
  it.each(cases)("$name: shows the model JSON Schema and checks arguments with the library", async (c) => {
    const jsonSchema =
      "jsonSchema" in c ? (c.jsonSchema(c.parameters) as Record<string, unknown>) : undefined;
    const tool = new FunctionTool({
      name: "trip",
      description: "Plan a trip.",
      parameters: c.parameters,
      ...(jsonSchema ? { jsonSchema } : {}),
      run,
    });
    expect(isStandardSchema(c.parameters)).toBe(true);
    expect(tool.schema.parameters).toMatchObject({
      type: "object",
      properties: { city: { type: "string" }, days: { type: "number" } },
      required: ["city"],
    });
    expect(tool.schema.parameters).not.toHaveProperty("$schema");
    const ok = await tool.call('{"city":"Oslo","days":2}');
    expect(ok).toMatchObject({ isError: false });
    expect(toolResultText(ok)).toBe("Oslo for 2 day(s)");
    const bad = await tool.call('{"city":7}');
    expect(bad.isError).toBe(true);
    // The library's own message, under the field's name, for the model to fix its call.
    expect(toolResultText(bad)).toMatch(/^Error: Invalid arguments: city: /);
  });

  it("refuses a schema that cannot produce JSON Schema itself, saying what to pass", () => {
    const make = () =>
      new FunctionTool({
        name: "trip",
        description: "Plan a trip.",
        parameters: z3.object({ city: z3.string() }),
        run: () => "",
      });
    expect(make).toThrow(ValidationError);
    expect(make).toThrow(/zod schema that cannot produce JSON Schema itself: pass `jsonSchema`/);
    expect(standardJsonSchema(v.object({ a: v.string() }))).toBeUndefined();
  });

  it("awaits a Standard Schema that validates asynchronously, and uses its output", async () => {
    const asyncSchema = {
      "~standard": {
        version: 1 as const,
        vendor: "custom",
        validate: async (value: unknown) =>
          typeof (value as { n?: unknown }).n === "number"
            ? { value: { n: (value as { n: number }).n * 10 } }
            : { issues: [{ message: "n must be a number", path: [{ key: "n" }] }] },
      },
    };
    const tool = new FunctionTool({
      name: "times_ten",
      description: "n times ten.",
      parameters: asyncSchema,
      jsonSchema: { type: "object", properties: { n: { type: "number" } }, required: ["n"] },
      run: ({ n }: { n: number }) => String(n),
    });
    expect(toolResultText(await tool.call('{"n":4}'))).toBe("40");
    expect(toolResultText(await tool.call('{"n":"x"}'))).toBe(
      "Error: Invalid arguments: n: n must be a number",
    );
  });

  it("checks a plain JSON Schema with the JSON Schema checker", async () => {
    const tool = new FunctionTool({
      name: "trip",
      description: "Plan a trip.",
      parameters: {
        type: "object",
        properties: { city: { type: "string" }, stops: { type: "array", items: { type: "string" } } },
        required: ["city"],
      },
      run: ({ city }) => String(city),
    });
    expect(toolResultText(await tool.call('{"city":"Rome","stops":["Pisa"]}'))).toBe("Rome");
    const missing = toolResultText(await tool.call('{"stops":["Pisa", 3]}'));
    expect(missing).toMatch(/^Error: Invalid arguments: /);
    expect(missing).toContain("stops[1]");
    expect(missing).toContain("city");
  });
});
