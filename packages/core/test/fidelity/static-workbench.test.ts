// Fidelity: AutoGen's python/packages/autogen-core/tests/test_static_workbench_overrides.py, case by case.
import { describe, expect, it } from "vitest";
import { z } from "zod";
import {
  dumpComponent,
  FunctionTool,
  loadComponent,
  StaticWorkbench,
  type ToolOverride,
  type ToolResult,
  type Workbench,
} from "../../src/index.js";

const origin = "test_static_workbench_overrides.py::";
const number = (description: string) => z.object({ x: z.number().int().describe(description) });
const double = () =>
  new FunctionTool({
    name: "double",
    description: "A test tool that doubles a number.",
    parameters: number("The number to double."),
    run: async ({ x }) => x * 2,
  });
const add = () =>
  new FunctionTool({
    name: "add",
    description: "A test tool that adds two numbers.",
    parameters: z.object({
      a: z.number().int().describe("First number"),
      b: z.number().int().describe("Second number"),
    }),
    run: async ({ a, b }) => a + b,
  });
const identity = (name: string, description: string) =>
  new FunctionTool({ name, description, parameters: number("Number"), run: async ({ x }) => x });
const text = (result: ToolResult) => result.result.map((r) => ("text" in r ? r.text : "")).join("");

describe("AutoGen fidelity: StaticWorkbench tool overrides", () => {
  it(`${origin}test_static_workbench_with_tool_overrides`, async () => {
    const overrides: Record<string, ToolOverride> = {
      double: { name: "multiply_by_two", description: "Multiplies a number by 2" },
      add: { description: "Performs addition of two integers" },
    };
    const workbench = new StaticWorkbench({ tools: [double(), add()], toolOverrides: overrides });
    const tools = await workbench.listTools();
    expect(tools).toHaveLength(2);
    expect(tools[0]?.name).toBe("multiply_by_two");
    expect(tools[0]?.description).toBe("Multiplies a number by 2");
    expect(tools[0]?.parameters).toMatchObject({
      type: "object",
      properties: { x: { type: "integer", description: "The number to double." } },
      required: ["x"],
    });
    expect(tools[1]?.name).toBe("add");
    expect(tools[1]?.description).toBe("Performs addition of two integers");
    expect(tools[1]?.parameters).toMatchObject({ required: ["a", "b"] });

    const doubled = await workbench.callTool("multiply_by_two", { x: 5 });
    expect(doubled.name).toBe("multiply_by_two");
    expect(text(doubled)).toBe("10");
    expect(doubled.isError).toBe(false);
    const sum = await workbench.callTool("add", { a: 3, b: 7 });
    expect(sum.name).toBe("add");
    expect(text(sum)).toBe("10");
    const missing = await workbench.callTool("nonexistent", { x: 5 });
    expect(missing.name).toBe("nonexistent");
    expect(missing.isError).toBe(true);
    expect(text(missing)).toContain("Tool nonexistent not found");
  });

  it(`${origin}test_static_workbench_without_overrides`, async () => {
    const tools = await new StaticWorkbench({ tools: [double()] }).listTools();
    expect(tools).toHaveLength(1);
    expect(tools[0]?.name).toBe("double");
    expect(tools[0]?.description).toBe("A test tool that doubles a number.");
  });

  it(`${origin}test_static_workbench_serialization_with_overrides`, async () => {
    // The tool is JavaScript source in the document, so loading it needs allowCode, as for any code.
    const tool = new FunctionTool({
      name: "double",
      description: "A test tool that doubles a number.",
      parameters: { type: "object", properties: { x: { type: "integer" } }, required: ["x"] },
      run: async ({ x }) => (x as number) * 2,
    });
    const workbench = new StaticWorkbench({
      tools: [tool],
      toolOverrides: { double: { name: "multiply_by_two", description: "Multiplies a number by 2" } },
    });
    const config = await dumpComponent(workbench);
    expect(config.config).toHaveProperty("tool_overrides");
    const loaded = await loadComponent<Workbench>(config, { allowCode: true });
    const tools = await loaded.listTools();
    expect(tools.map((t) => [t.name, t.description])).toEqual([
      ["multiply_by_two", "Multiplies a number by 2"],
    ]);
    const result = await loaded.callTool("multiply_by_two", { x: 5 });
    expect(result.name).toBe("multiply_by_two");
    expect(text(result)).toBe("10");
    expect(result.isError).toBe(false);
  });

  it(`${origin}test_static_workbench_partial_overrides`, async () => {
    const workbench = new StaticWorkbench({
      tools: [identity("tool1", "Original description 1"), identity("tool2", "Original description 2")],
      toolOverrides: { tool1: { name: "renamed_tool1" }, tool2: { description: "New description 2" } },
    });
    const tools = await workbench.listTools();
    expect(tools.map((t) => [t.name, t.description])).toEqual([
      ["renamed_tool1", "Original description 1"],
      ["tool2", "New description 2"],
    ]);
    const first = await workbench.callTool("renamed_tool1", { x: 42 });
    expect([first.name, text(first)]).toEqual(["renamed_tool1", "42"]);
    const second = await workbench.callTool("tool2", { x: 42 });
    expect([second.name, text(second)]).toEqual(["tool2", "42"]);
  });

  it(`${origin}test_tool_override_model`, () => {
    // AutoGen's ToolOverride is a model with two optional fields; here it is a plain object type.
    const both: ToolOverride = { name: "new_name", description: "new_desc" };
    const nameOnly: ToolOverride = { name: "new_name" };
    const descriptionOnly: ToolOverride = { description: "new_desc" };
    const neither: ToolOverride = {};
    expect([both.name, both.description]).toEqual(["new_name", "new_desc"]);
    expect([nameOnly.name, nameOnly.description]).toEqual(["new_name", undefined]);
    expect([descriptionOnly.name, descriptionOnly.description]).toEqual([undefined, "new_desc"]);
    expect([neither.name, neither.description]).toEqual([undefined, undefined]);
  });

  it(`${origin}test_static_workbench_conflict_detection`, async () => {
    const tools = [identity("tool1", "Tool 1"), identity("tool2", "Tool 2"), identity("tool3", "Tool 3")];
    const valid = new StaticWorkbench({
      tools,
      toolOverrides: { tool1: { name: "renamed_tool1" }, tool2: { name: "renamed_tool2" } },
    });
    expect((await valid.listTools()).map((t) => t.name)).toEqual(["renamed_tool1", "renamed_tool2", "tool3"]);
    expect(() => new StaticWorkbench({ tools, toolOverrides: { tool1: { name: "tool2" } } })).toThrow(
      "Tool override name 'tool2' conflicts with existing tool name",
    );
    expect(
      () =>
        new StaticWorkbench({
          tools,
          toolOverrides: { tool1: { name: "same_name" }, tool2: { name: "same_name" } },
        }),
    ).toThrow("Tool override name 'same_name' is used by multiple tools: 'tool1' and 'tool2'");
    const self = new StaticWorkbench({ tools, toolOverrides: { tool1: { name: "tool1" } } });
    expect((await self.listTools()).map((t) => t.name)).toEqual(["tool1", "tool2", "tool3"]);
  });
});
