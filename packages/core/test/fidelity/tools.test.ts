// Fidelity: AutoGen's python/packages/autogen-core/tests/test_tools.py, the cases about what a tool does (the ones
// about Python signatures, partials and pydantic internals have no TypeScript counterpart). A zod schema stands
// for the pydantic model of the arguments.
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { FunctionTool, type ToolResult } from "../../src/index.js";

const origin = "test_tools.py::";
const text = (r: ToolResult) => r.result.map((p) => (p.type === "text" ? p.text : "")).join("");

describe("AutoGen fidelity: tools", () => {
  it(`${origin}test_tool_run`, async () => {
    let calledCount = 0;
    const tool = new FunctionTool({
      name: "TestTool",
      description: "Description of test tool.",
      parameters: z.object({ query: z.string().describe("The description.") }),
      run: async () => {
        calledCount += 1;
        return { result: "value" };
      },
    });
    const result = await tool.call({ query: "test" });
    expect(result.isError).toBe(false);
    expect(JSON.parse(text(result))).toEqual({ result: "value" });
    expect(calledCount).toBe(1);
    await tool.call({ query: "test" });
    await tool.call({ query: "test" });
    expect(calledCount).toBe(3);
  });

  it(`${origin}test_tool_schema_generation`, () => {
    const tool = new FunctionTool({
      name: "TestTool",
      description: "Description of test tool.",
      parameters: z.object({ query: z.string().describe("The description.") }),
      run: async () => "value",
    });
    expect(tool.schema.name).toBe("TestTool");
    expect(tool.schema.description).toBe("Description of test tool.");
    const parameters = tool.schema.parameters as {
      type: string;
      properties: Record<string, { type: string; description?: string }>;
      required: string[];
    };
    expect(parameters.type).toBe("object");
    expect(parameters.properties.query).toMatchObject({ type: "string", description: "The description." });
    expect(parameters.required).toEqual(["query"]);
  });

  it(`${origin}test_func_tool_schema_generation_strict`, () => {
    const tool = new FunctionTool({
      name: "my_function",
      description: "Function tool.",
      parameters: z.object({ arg: z.string(), other: z.number().optional() }),
      strict: true,
      run: async () => "",
    });
    expect(tool.schema.strict).toBe(true);
    const parameters = tool.schema.parameters as { required: string[]; additionalProperties: boolean };
    // Strict mode: every property required (optional ones nullable), nothing else allowed.
    expect([...parameters.required].sort()).toEqual(["arg", "other"]);
    expect(parameters.additionalProperties).toBe(false);
  });

  it(`${origin}test_tool_properties`, () => {
    const tool = new FunctionTool({
      name: "TestTool",
      description: "Description of test tool.",
      parameters: z.object({ query: z.string() }),
      run: async () => "value",
    });
    expect(tool.name).toBe("TestTool");
    expect(tool.description).toBe("Description of test tool.");
  });

  it(`${origin}test_func_tool_no_args`, async () => {
    const tool = new FunctionTool({
      name: "my_function",
      description: "Function tool.",
      parameters: z.object({}),
      run: async () => "result",
    });
    expect(tool.name).toBe("my_function");
    expect(tool.description).toBe("Function tool.");
    expect(Object.keys((tool.schema.parameters as { properties?: object }).properties ?? {})).toHaveLength(0);
  });

  it(`${origin}test_func_call_tool`, async () => {
    const tool = new FunctionTool({
      name: "my_function",
      description: "Function tool.",
      parameters: z.object({}),
      run: async () => "result",
    });
    expect(text(await tool.call({}))).toBe("result");
  });

  it(`${origin}test_func_str_res`, async () => {
    const tool = new FunctionTool({
      name: "my_function",
      description: "Function tool.",
      parameters: z.object({ arg: z.string() }),
      run: async () => "test",
    });
    expect(text(await tool.call({ arg: "test" }))).toBe("test");
  });

  it(`${origin}test_func_int_res`, async () => {
    const tool = new FunctionTool({
      name: "my_function",
      description: "Function tool.",
      parameters: z.object({ arg: z.number().int() }),
      run: async ({ arg }) => arg,
    });
    expect(text(await tool.call({ arg: 5 }))).toBe("5");
  });

  it(`${origin}test_func_base_model_res`, async () => {
    const tool = new FunctionTool({
      name: "my_function",
      description: "Function tool.",
      parameters: z.object({ arg: z.string() }),
      run: async () => ({ result: "test" }),
    });
    // An object result reads as JSON (AutoGen's pydantic dump spaces it: {"result": "test"}).
    expect(text(await tool.call({ arg: "test" }))).toBe('{"result":"test"}');
  });

  it(`${origin}test_func_tool_return_list`, async () => {
    const tool = new FunctionTool({
      name: "my_function",
      description: "Function tool.",
      parameters: z.object({}),
      run: async () => [1, 2],
    });
    // Python's str() gives "[1, 2]"; here the list reads as JSON.
    expect(text(await tool.call({}))).toBe("[1,2]");
  });

  const addTool = () =>
    new FunctionTool({
      name: "add_tool",
      description: "Tool to add two numbers.",
      parameters: z.object({ input: z.object({ x: z.number().int(), y: z.number().int() }) }),
      run: async ({ input }) => input.x + input.y,
    });

  it(`${origin}test_func_tool_with_pydantic_model_conversion_success`, async () => {
    const result = await addTool().call({ input: { x: 2, y: 3 } });
    expect(result.isError).toBe(false);
    expect(text(result)).toBe("5");
  });

  it(`${origin}test_func_tool_with_pydantic_model_conversion_failure`, async () => {
    // AutoGen raises pydantic's ValidationError ("Field required"); here the model reads an error result
    // naming the missing field, and the turn goes on.
    const result = await addTool().call({ input: { x: 2 } });
    expect(result.isError).toBe(true);
    expect(text(result)).toMatch(/^Error: Invalid arguments: .*input\.y/);
  });

  it(`${origin}test_nested_tool_run`, async () => {
    let calledCount = 0;
    const tool = new FunctionTool({
      name: "TestNestedTool",
      description: "Description of test nested tool.",
      parameters: z.object({ arg: z.object({ query: z.string().describe("The description.") }) }),
      run: async () => {
        calledCount += 1;
        return { result: "value" };
      },
    });
    const result = await tool.call({ arg: { query: "test" } });
    expect(JSON.parse(text(result))).toEqual({ result: "value" });
    expect(calledCount).toBe(1);
  });
});
