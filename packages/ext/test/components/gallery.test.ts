/**
 * Conformance: every component of AutoGen Studio's gallery and notebook teams loads; the supported ones
 * dump back to an equal document (apart from the documented normalisation) and run; the rest fail with
 * "not supported yet", the provider and the path.
 */
import { readFileSync } from "node:fs";
import type { TaskRunner } from "@autogen-ts/agentchat";
import type { ComponentModel, Tool } from "@autogen-ts/core";
import { dumpComponent, loadComponent, PythonFunctionTool } from "@autogen-ts/ext/components";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ModelServer, startModelServer } from "../support/model-server.js";
import { chatReply } from "../support/openai-wire.js";

// CI and developers have shared/ beside the repository.
const DIR = new URL("../../../../../shared/conformance/autogen-studio", import.meta.url).pathname;
const read = (name: string) => JSON.parse(readFileSync(`${DIR}/${name}`, "utf8"));
const gallery = read("studio_default_gallery.json") as { components: Record<string, ComponentModel[]> };
const ENV = { OPENAI_API_KEY: "sk-test", AZURE_OPENAI_API_KEY: "az-test" };

/**
 * Providers of the gallery that are not supported yet, and why (the README's compatibility table says the
 * same). Every component of the gallery loads now; a provider that stops loading belongs here, with its
 * reason, until it is back.
 */
const NOT_YET: Record<string, RegExp> = {};

/**
 * The documented normalisation of a dump: literal secrets are dropped (the gallery's masked Azure key,
 * the MCP example's Authorization header), and StaticStreamWorkbench is written as StaticWorkbench (one
 * class here); everything else must be equal.
 */
function normalise(doc: unknown): unknown {
  return JSON.parse(
    JSON.stringify(doc, (key, value) => {
      if (key === "api_key" && typeof value === "string") return undefined;
      if (key === "Authorization" && typeof value === "string") return undefined;
      if (value === "autogen_core.tools.StaticStreamWorkbench") return "autogen_core.tools.StaticWorkbench";
      return value;
    }),
  );
}

/**
 * The travel team's agents are AssistantAgent documents of component_version 1 (tools on the agent, here
 * an empty list); loading upgrades them to version 2, which has no empty `tools`.
 */
function upgraded(doc: unknown): unknown {
  return JSON.parse(JSON.stringify(doc), (_key, value) => {
    if (value?.provider === "autogen_agentchat.agents.AssistantAgent" && value.component_version === 1) {
      const { tools, ...config } = value.config;
      expect(tools).toEqual([]);
      return { ...value, version: 2, component_version: 2, config };
    }
    return value;
  });
}

const all = Object.entries(gallery.components).flatMap(([kind, list]) => list.map((c) => ({ kind, c })));

describe("AutoGen Studio gallery", () => {
  const process = globalThis.process;
  beforeAll(() => {
    Object.assign(process.env, ENV);
  });

  for (const { kind, c } of all) {
    // The outermost unsupported provider is the one reported.
    const unsupported =
      c.provider in NOT_YET
        ? c.provider
        : Object.keys(NOT_YET).find((p) => JSON.stringify(c).includes(`"provider":"${p}"`));
    if (unsupported) {
      it(`${kind} "${c.label}" fails clearly: ${unsupported} is not supported yet`, async () => {
        const error = await loadComponent(c, { allowCode: true }).catch((e: Error) => e);
        expect(error).toBeInstanceOf(Error);
        expect((error as Error).message).toMatch(NOT_YET[unsupported]!);
        expect((error as Error).message).toContain(unsupported);
      });
      continue;
    }
    it(`${kind} "${c.label}" loads and dumps back to an equal document`, async () => {
      const value = await loadComponent(c, { allowCode: true });
      const dumped = await dumpComponent(value);
      expect(normalise(dumped)).toEqual(normalise(c));
      const again = await dumpComponent(await loadComponent(dumped, { allowCode: true }));
      expect(again).toEqual(dumped);
      await (value as { close?: () => Promise<void> }).close?.();
    });
  }

  it("lists the unsupported providers with their reasons (none of the gallery's)", async () => {
    const unsupported = all.filter(({ c }) =>
      Object.keys(NOT_YET).some((p) => JSON.stringify(c).includes(p)),
    );
    expect(unsupported.map(({ c }) => c.label)).toEqual([]);
    // Providers AutoGen has and the gallery does not use still fail by name, with the reason.
    const docker = await loadComponent({
      provider: "autogen_ext.code_executors.docker.DockerCommandLineCodeExecutor",
      config: {},
    }).catch((e: Error) => e);
    expect((docker as Error).message).toMatch(
      /provider "autogen_ext\.code_executors\.docker\.DockerCommandLineCodeExecutor" is not supported yet: /,
    );
  });

  for (const file of ["studio_notebook_team.json", "studio_notebook_travel_team.json"]) {
    it(`${file} loads and round-trips`, async () => {
      const doc = read(file);
      const team = await loadComponent(doc, { allowCode: true });
      expect(normalise(await dumpComponent(team))).toEqual(normalise(upgraded(doc)));
    });
  }

  it("never writes an API key: a literal one is dropped, an env reference is kept", async () => {
    const literal = await loadComponent({
      provider: "autogen_ext.models.openai.OpenAIChatCompletionClient",
      config: { model: "gpt-4o-mini", api_key: "sk-very-secret" },
    });
    expect(JSON.stringify(await dumpComponent(literal))).not.toContain("sk-very-secret");
    const referenced = await loadComponent(
      {
        provider: "autogen_ext.models.openai.OpenAIChatCompletionClient",
        config: { model: "gpt-4o-mini", api_key: { $env: "MY_KEY" } },
      },
      { env: { MY_KEY: "sk-from-env" } },
    );
    const dumped = await dumpComponent(referenced);
    expect(dumped.config.api_key).toEqual({ $env: "MY_KEY" });
    expect(JSON.stringify(dumped)).not.toContain("sk-from-env");
  });
});

describe("the calculator tool runs as real Python", () => {
  const calculator = gallery.components.tools!.find((t) => t.label === "Calculator Tool")!;
  let tool: Tool & { close(): Promise<void> };
  beforeAll(async () => {
    tool = await loadComponent(calculator, { allowCode: true });
  });
  afterAll(() => tool.close());

  it("reads the parameter schema from the signature", () => {
    expect(tool).toBeInstanceOf(PythonFunctionTool);
    expect(tool.schema.parameters).toEqual({
      type: "object",
      properties: { a: { type: "number" }, b: { type: "number" }, operator: { type: "string" } },
      required: ["a", "b", "operator"],
    });
  });

  it("calls the function in a Python process", async () => {
    const result = await tool.call({ a: 6, b: 7, operator: "*" });
    expect(result).toEqual({ name: "calculator", result: [{ type: "text", text: "42" }], isError: false });
    const zero = await tool.call('{"a": 1, "b": 0, "operator": "/"}');
    expect(zero.result[0]).toEqual({ type: "text", text: "Error: Division by zero" });
  });

  it("gives bad arguments and Python exceptions back as error results", async () => {
    const bad = await tool.call({ a: "six", b: 7, operator: "*" });
    expect(bad.isError).toBe(true);
    const raising = await PythonFunctionTool.create({
      name: "boom",
      sourceCode: "def boom(n: int) -> str:\n    raise ValueError(f'no {n}')\n",
    });
    const out = await raising.call({ n: 3 });
    expect(out.isError).toBe(true);
    expect(out.result[0]).toMatchObject({ text: expect.stringContaining("ValueError: no 3") });
    await raising.close();
  });

  it("maps Optional, Literal, List and Annotated annotations to JSON Schema", async () => {
    const t = await PythonFunctionTool.create({
      name: "f",
      globalImports: [{ module: "typing", imports: ["Optional", "Literal", "List", "Annotated"] }],
      sourceCode:
        'async def f(q: Annotated[str, "the query"], n: Optional[int] = None, size: Literal["s", "m"] = "s", tags: List[str] = []) -> str:\n    """Finds things."""\n    return json.dumps([q, n, size, tags])\n',
    });
    expect(t.description).toBe("Finds things.");
    expect(t.schema.parameters).toEqual({
      type: "object",
      properties: {
        q: { type: "string", description: "the query" },
        n: { anyOf: [{ type: "integer" }, { type: "null" }], default: null },
        size: { enum: ["s", "m"], default: "s" },
        tags: { type: "array", items: { type: "string" }, default: [] },
      },
      required: ["q"],
    });
    await t.close();
  });
});

describe("the gallery's teams run on the scripted model server", () => {
  let server: ModelServer;
  beforeAll(async () => {
    server = await startModelServer();
  });
  afterAll(() => server.close());

  it("calls the Python calculator and stops on TERMINATE", async () => {
    const doc = gallery.components.teams!.find((t) => t.label === "RoundRobin Team")!;
    server.enqueue(
      chatReply({
        toolCalls: [{ id: "c1", name: "calculator", arguments: '{"a": 2, "b": 3, "operator": "+"}' }],
      }),
      chatReply({ content: "2 + 3 = 5. TERMINATE" }),
    );
    const team = await loadComponent<TaskRunner>(doc, {
      allowCode: true,
      transform: (c) =>
        c.component_type === "model" ? { ...c, config: { ...c.config, base_url: `${server.url}/v1` } } : c,
    });
    const result = await team.run({ task: "What is 2 + 3?" });
    expect(result.stopReason).toContain("TERMINATE");
    const texts = result.messages.map((m) => m.toText()).join("\n");
    expect(texts).toContain("calculator: 5");
    expect(server.requests).toHaveLength(2);
    const second = server.requests[1]!.body as { messages: { role: string; content: string }[] };
    expect(second.messages.some((m) => m.role === "tool" && m.content === "5")).toBe(true);
  });
  it("Selector Team: the model picks each speaker, the assistant uses the Python calculator", async () => {
    const doc = gallery.components.teams!.find((t) => t.label === "Selector Team")!;
    const before = server.requests.length;
    server.enqueue(
      chatReply({ content: "assistant_agent" }),
      chatReply({
        toolCalls: [{ id: "c1", name: "calculator", arguments: '{"a": 6, "b": 7, "operator": "*"}' }],
      }),
      chatReply({ content: "6 * 7 = 42 is right. TERMINATE" }),
    );
    const team = await loadComponent<TaskRunner & { close(): Promise<void> }>(doc, {
      allowCode: true,
      transform: (c) =>
        c.component_type === "model" ? { ...c, config: { ...c.config, base_url: `${server.url}/v1` } } : c,
    });
    const result = await team.run({ task: "What is 6 * 7?" });
    await team.close();
    expect(result.stopReason).toContain("TERMINATE");
    const said = result.messages
      .filter((m) => m.type !== "SelectSpeakerEvent")
      .map((m) => `${m.source}: ${m.toText()}`);
    expect(said).toContain("assistant_agent: 42");
    expect(said.at(-1)).toBe("critic_agent: 6 * 7 = 42 is right. TERMINATE");
    const requests = server.requests.slice(before).map((r) => r.body as { messages: { content: string }[] });
    expect(requests).toHaveLength(3);
    // The selector reads the gallery's own prompt, with the roles and the conversation filled in.
    const selectorPrompt = requests[0]!.messages[0]!.content;
    expect(selectorPrompt).toContain("You are in a role play game.");
    expect(selectorPrompt).toContain(
      "assistant_agent: An agent that provides assistance with ability to use tools.",
    );
    expect(selectorPrompt).toContain("[assistant_agent, critic_agent]");
    expect(selectorPrompt).toContain("user: What is 6 * 7?");
    // allow_repeated_speaker is false: the critic is the only candidate left, so no model call picks it.
    expect(JSON.stringify(requests[2]!.messages)).toContain("42");
    expect(JSON.stringify(requests[2]!.messages)).not.toContain("role play game");
  });
});
