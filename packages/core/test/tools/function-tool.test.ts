import { describe, expect, it } from "vitest";
import { z } from "zod";
import { CancelledError, ValidationError } from "../../src/errors.js";
import { FunctionTool } from "../../src/tools/function-tool.js";
import { StaticWorkbench } from "../../src/tools/static-workbench.js";
import { type JsonSchema, toolResultText } from "../../src/tools/types.js";

// biome-ignore lint/suspicious/noExplicitAny: the tests walk JSON Schema documents freely
type Doc = any;

const order = z.object({
  customer: z.object({ name: z.string().describe("Full name"), email: z.string().optional() }),
  items: z.array(z.object({ sku: z.string(), qty: z.number().int().min(1) })).min(1),
  shipping: z.enum(["standard", "express"]),
  note: z.string().optional(),
  gift: z.boolean().nullable(),
});

/** The rules OpenAI's strict mode (and Anthropic's strict tools) put on every object in the schema. */
function assertStrictCompatible(schema: unknown, path = "$"): void {
  if (Array.isArray(schema)) {
    schema.forEach((s, i) => {
      assertStrictCompatible(s, `${path}[${i}]`);
    });
    return;
  }
  if (typeof schema !== "object" || schema === null) return;
  const s = schema as JsonSchema;
  const isObject = s.type === "object" || (Array.isArray(s.type) && s.type.includes("object"));
  if (isObject) {
    expect(s.additionalProperties, `${path}.additionalProperties`).toBe(false);
    expect([...((s.required as string[]) ?? [])].sort(), `${path}.required`).toEqual(
      Object.keys((s.properties as object) ?? {}).sort(),
    );
  }
  for (const [k, v] of Object.entries(s)) assertStrictCompatible(v, `${path}.${k}`);
}

describe("FunctionTool schemas", () => {
  it("emits the JSON Schema of nested objects, enums, optionals and arrays", () => {
    const tool = new FunctionTool({
      name: "place_order",
      description: "Places an order",
      parameters: order,
      run: () => "ok",
    });
    const p = tool.schema.parameters as Doc;
    expect(p.$schema).toBeUndefined();
    expect(p.type).toBe("object");
    expect(p.required).toEqual(["customer", "items", "shipping", "gift"]);
    expect(p.properties.customer.properties.name).toEqual({ type: "string", description: "Full name" });
    expect(p.properties.customer.required).toEqual(["name"]);
    expect(p.properties.items.type).toBe("array");
    expect(p.properties.items.minItems).toBe(1);
    expect(p.properties.items.items.properties.qty).toEqual({ type: "integer", minimum: 1 });
    expect(p.properties.shipping).toEqual({ type: "string", enum: ["standard", "express"] });
    expect(p.properties.gift.type).toEqual(["boolean", "null"]);
    expect(tool.schema.strict).toBeUndefined();
    expect(tool.schema.description).toBe("Places an order");
  });

  it("emits a strict-mode schema: everything required, closed objects, optionals nullable", () => {
    const tool = new FunctionTool({
      name: "place_order",
      description: "d",
      parameters: order,
      run: () => "ok",
      strict: true,
    });
    const p = tool.schema.parameters as Doc;
    expect(tool.schema.strict).toBe(true);
    assertStrictCompatible(p);
    expect(p.properties.note.type).toEqual(["string", "null"]);
    expect(p.properties.customer.properties.email.type).toEqual(["string", "null"]);
    // Already-nullable properties stay as they were.
    expect(p.properties.gift.type).toEqual(["boolean", "null"]);
  });

  it("makes optional enums and unions nullable in strict mode", () => {
    const tool = new FunctionTool({
      name: "t",
      description: "d",
      parameters: z.object({
        unit: z.enum(["c", "f"]).optional(),
        when: z.union([z.string(), z.number()]).optional(),
        tags: z.array(z.string()).optional(),
      }),
      run: () => "",
      strict: true,
    });
    const p = tool.schema.parameters as Doc;
    assertStrictCompatible(p);
    expect(p.properties.unit).toEqual({ type: ["string", "null"], enum: ["c", "f", null] });
    expect(JSON.stringify(p.properties.when)).toContain(`"null"`);
    expect(p.properties.tags.type).toEqual(["array", "null"]);
  });

  it("refuses strict mode for open objects, names providers reject and non-object parameters", () => {
    expect(
      () =>
        new FunctionTool({
          name: "t",
          description: "d",
          parameters: z.object({ m: z.record(z.string(), z.number()) }),
          run: () => "",
          strict: true,
        }),
    ).toThrow(ValidationError);
    expect(
      () =>
        new FunctionTool({ name: "bad name!", description: "d", parameters: z.object({}), run: () => "" }),
    ).toThrow(/not valid/);
    expect(
      () => new FunctionTool({ name: "t", description: "d", parameters: z.string() as never, run: () => "" }),
    ).toThrow(/object schema/);
  });

  it("accepts a hand-written JSON Schema, in strict mode too, and validates with it", async () => {
    const parameters: JsonSchema = {
      type: "object",
      properties: { city: { type: "string" }, days: { type: "integer", minimum: 1 } },
      required: ["city"],
    };
    const tool = new FunctionTool({
      name: "forecast",
      description: "d",
      parameters,
      strict: true,
      run: (args) => `forecast for ${String(args.city)} ${String(args.days ?? "-")}`,
    });
    assertStrictCompatible(tool.schema.parameters);
    expect(toolResultText(await tool.call('{"city":"Rome","days":null}'))).toBe("forecast for Rome -");
    const bad = await tool.call('{"city":42}');
    expect(bad.isError).toBe(true);
    expect(toolResultText(bad)).toContain("city");
  });
});

describe("FunctionTool calls", () => {
  const add = new FunctionTool({
    name: "add",
    description: "Adds two numbers",
    parameters: z.object({ a: z.number(), b: z.number() }),
    run: ({ a, b }) => a + b,
  });

  it("parses, validates and runs, with typed arguments", async () => {
    const result = await add.call('{"a": 2, "b": 3}');
    expect(result).toEqual({ name: "add", result: [{ type: "text", text: "5" }], isError: false });
    expect(toolResultText(await add.call({ a: 1, b: 1 }))).toBe("2");
  });

  it("turns bad JSON into an error result", async () => {
    const result = await add.call('{"a": 2, "b":');
    expect(result.isError).toBe(true);
    expect(toolResultText(result)).toMatch(/^Error: Invalid JSON in the arguments/);
    expect((await add.call("[1,2]")).isError).toBe(true);
  });

  it("turns failed validation into a readable error naming the field", async () => {
    const tool = new FunctionTool({
      name: "place_order",
      description: "d",
      parameters: order,
      run: () => "ok",
    });
    const result = await tool.call({
      customer: { name: "Ada" },
      items: [{ sku: "x", qty: 0 }],
      shipping: "overnight",
      gift: false,
    });
    expect(result.isError).toBe(true);
    const text = toolResultText(result);
    expect(text).toContain("items[0].qty");
    expect(text).toContain("shipping");
  });

  it("maps strict-mode nulls for optional fields back to absent before validating", async () => {
    let seen: unknown;
    const tool = new FunctionTool({
      name: "place_order",
      description: "d",
      parameters: order,
      strict: true,
      run: (args) => {
        seen = args;
        return "ok";
      },
    });
    const result = await tool.call({
      customer: { name: "Ada", email: null },
      items: [{ sku: "x", qty: 2 }],
      shipping: "express",
      note: null,
      gift: null,
    });
    expect(result.isError).toBe(false);
    expect(seen).toEqual({
      customer: { name: "Ada" },
      items: [{ sku: "x", qty: 2 }],
      shipping: "express",
      gift: null,
    });
  });

  it("turns a throwing implementation into an error result", async () => {
    const tool = new FunctionTool({
      name: "boom",
      description: "d",
      parameters: z.object({}),
      run: () => {
        throw new TypeError("disk on fire");
      },
    });
    const result = await tool.call("");
    expect(result).toEqual({
      name: "boom",
      result: [{ type: "text", text: "Error: TypeError: disk on fire" }],
      isError: true,
    });
  });

  it("returns strings, content parts and JSON", async () => {
    const parts = [{ type: "image" as const, data: "AAAA", mediaType: "image/png" }];
    const mk = (value: unknown) =>
      new FunctionTool({ name: "t", description: "d", parameters: z.object({}), run: async () => value });
    expect((await mk("plain").call("{}")).result).toEqual([{ type: "text", text: "plain" }]);
    expect((await mk(parts).call("{}")).result).toEqual(parts);
    expect((await mk({ ok: true }).call("{}")).result).toEqual([{ type: "text", text: '{"ok":true}' }]);
  });

  it("passes the signal and call id, and rejects with CancelledError when cancelled", async () => {
    let context: { signal: AbortSignal; callId: string | undefined } | undefined;
    const slow = new FunctionTool({
      name: "slow",
      description: "d",
      parameters: z.object({}),
      run: (_args, ctx) => {
        context = ctx;
        return new Promise(() => {}); // ignores the signal on purpose
      },
    });
    const controller = new AbortController();
    const pending = slow.call("{}", { signal: controller.signal, callId: "call_9" });
    await Promise.resolve();
    await Promise.resolve();
    controller.abort();
    await expect(pending).rejects.toSatisfy(CancelledError.isInstance);
    expect(context?.callId).toBe("call_9");
    expect(context?.signal.aborted).toBe(true);
    await expect(add.call("{}", { signal: AbortSignal.abort() })).rejects.toSatisfy(
      CancelledError.isInstance,
    );
  });
});

describe("StaticWorkbench", () => {
  const echo = new FunctionTool({
    name: "echo",
    description: "Echoes",
    parameters: z.object({ text: z.string() }),
    run: ({ text }) => text,
  });

  it("lists schemas and calls tools by name", async () => {
    const bench = new StaticWorkbench({ tools: [echo] });
    await bench.start();
    expect(await bench.listTools()).toEqual([echo.schema]);
    expect(toolResultText(await bench.callTool("echo", '{"text":"hi"}'))).toBe("hi");
    expect(await bench.saveState()).toEqual({});
    await bench.stop();
  });

  it("gives an error result for an unknown tool and refuses duplicate names", async () => {
    const bench = new StaticWorkbench({ tools: [echo] });
    const result = await bench.callTool("nope", "{}");
    expect(result.isError).toBe(true);
    expect(toolResultText(result)).toContain("Available tools: echo");
    expect(() => new StaticWorkbench({ tools: [echo, echo] })).toThrow(ValidationError);
  });
});
