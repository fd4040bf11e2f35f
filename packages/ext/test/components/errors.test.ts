/** Loading errors name the JSON path; secrets, code and untrusted providers are refused. */
import {
  dumpComponent as dumpCore,
  FunctionTool,
  loadComponent as loadCore,
  ValidationError,
} from "@autogen-ts/core";
import { loadComponent } from "@autogen-ts/ext/components";
import { describe, expect, it } from "vitest";

const model = (
  config: Record<string, unknown> = { model: "gpt-4o-mini" },
  provider = "autogen_ext.models.openai.OpenAIChatCompletionClient",
) => ({
  provider,
  component_type: "model",
  config,
});
const agent = (name: string, modelClient: unknown) => ({
  provider: "autogen_agentchat.agents.AssistantAgent",
  component_type: "agent",
  component_version: 2,
  config: { name, model_client: modelClient },
});
const team = (...participants: unknown[]) => ({
  provider: "autogen_agentchat.teams.RoundRobinGroupChat",
  component_type: "team",
  config: { participants },
});
const env = { OPENAI_API_KEY: "sk-test" };

async function failure(promise: Promise<unknown>): Promise<ValidationError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(ValidationError.isInstance(error)).toBe(true);
  return error as ValidationError;
}

describe("loadComponent errors", () => {
  it("names the path of an unknown provider", async () => {
    const doc = team(agent("a", model()), agent("b", model({ model: "m" }, "x.Y")));
    const error = await failure(loadComponent(doc, { env }));
    expect(error.message).toBe('config.participants[1].config.model_client: unknown provider "x.Y"');
    expect(error.code).toBe("invalid_config");
    expect(error.details).toEqual({ path: "config.participants[1].config.model_client" });
  });

  it("names the path of a config that does not fit the schema", async () => {
    const doc = team(agent("a", model({ model: 42 })));
    expect((await failure(loadComponent(doc))).message).toBe(
      "config.participants[0].config.model_client.config.model: expected string, got integer",
    );
    const missing = { provider: "autogen_agentchat.conditions.MaxMessageTermination", config: {} };
    expect((await failure(loadComponent(missing))).message).toBe("config.max_messages: is required");
    expect((await failure(loadComponent({ config: {} }))).message).toMatch(/^provider: is required/);
    expect((await failure(loadComponent("nope"))).message).toMatch(/expected a component document/);
  });

  it("refuses a component of the wrong type where another is expected", async () => {
    const doc = agent("a", { provider: "autogen_agentchat.conditions.StopMessageTermination", config: {} });
    expect((await failure(loadComponent(doc))).message).toBe(
      "config.model_client: expected a model component, got autogen_agentchat.conditions.StopMessageTermination (a termination)",
    );
  });

  it("reports a missing environment variable by name, and reads a present one", async () => {
    const doc = agent("a", model({ model: "gpt-4o-mini", api_key: { $env: "NO_SUCH_KEY_AUTOGEN_TS" } }));
    expect((await failure(loadComponent(doc, { env: {} }))).message).toBe(
      "config.model_client.config.api_key: environment variable NO_SUCH_KEY_AUTOGEN_TS is not set",
    );
    await expect(loadComponent(doc, { env: { NO_SUCH_KEY_AUTOGEN_TS: "sk-x" } })).resolves.toBeDefined();
  });

  it("loads code only with allowCode", async () => {
    const tool = {
      provider: "autogen_core.tools.FunctionTool",
      config: {
        name: "add",
        source_code: "({ a, b }) => String(a + b)",
        language: "javascript",
        parameters: { type: "object" },
      },
    };
    expect((await failure(loadComponent(tool))).message).toMatch(/carries code.*allowCode: true/);
    const loaded = await loadComponent<FunctionTool>(tool, { allowCode: true });
    expect((await loaded.call({ a: 2, b: 3 })).result).toEqual([{ type: "text", text: "5" }]);
  });

  it("refuses providers outside the trusted list", async () => {
    const doc = team(agent("a", model({ model: "gpt-4o-mini", api_key: "sk-test" })));
    const trustedProviders = ["autogen_agentchat.*"];
    expect((await failure(loadComponent(doc, { env, trustedProviders }))).message).toBe(
      'config.participants[0].config.model_client: provider "autogen_ext.models.openai.OpenAIChatCompletionClient" is not in the trusted provider list',
    );
    await expect(
      loadComponent(doc, { env, trustedProviders: [...trustedProviders, "autogen_ext.models.openai.*"] }),
    ).resolves.toBeDefined();
  });

  it("refuses a newer component_version and upgrades an older one", async () => {
    const newer = { ...agent("a", model()), component_version: 3 };
    expect((await failure(loadComponent(newer, { env }))).message).toMatch(
      /^component_version: is 3, newer than the 2/,
    );
  });

  it("needs ext for a Python FunctionTool", async () => {
    const tool = {
      provider: "autogen_core.tools.FunctionTool",
      config: { name: "f", source_code: "def f(): pass" },
    };
    expect((await failure(loadCore(tool, { allowCode: true }))).message).toMatch(
      /^config.source_code: a Python FunctionTool/,
    );
  });
});

describe("TypeScript FunctionTool round trip", () => {
  it("dumps with JavaScript source and a language tag, and loads back", async () => {
    const tool = new FunctionTool<{ text: string }>({
      name: "shout",
      description: "Upper-cases text.",
      parameters: { type: "object", properties: { text: { type: "string" } }, required: ["text"] },
      run: ({ text }) => `${text.toUpperCase()}!`,
    });
    const doc = await dumpCore(tool);
    expect(doc).toMatchObject({
      provider: "autogen_core.tools.FunctionTool",
      component_type: "tool",
      config: { name: "shout", language: "javascript", source_code: expect.stringContaining("toUpperCase") },
    });
    const back = await loadCore<FunctionTool>(JSON.parse(JSON.stringify(doc)), { allowCode: true });
    expect((await back.call({ text: "hi" })).result).toEqual([{ type: "text", text: "HI!" }]);
    expect(await dumpCore(back)).toEqual(doc);
  });
});
