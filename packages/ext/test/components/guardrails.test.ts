/**
 * Guardrails declared in component JSON (our own provider names): a team whose agents' model clients
 * have a budget and PII redaction, whose task goes through a PII guardrail, and whose tool needs
 * approval, which becomes a durable input request; each loads, runs, stops or rewrites, and dumps back.
 */
import type { TaskRunner } from "@autogen-ts/agentchat";
import { DurableRunner, GuardrailError, type Team } from "@autogen-ts/agentchat";
import { InMemoryRunStore } from "@autogen-ts/core";
import { describe, expect, it } from "vitest";
import { dumpComponent, loadComponent } from "../../src/components/index.js";

const replay = (responses: unknown[]) => ({
  provider: "autogen_ts.testing.ReplayChatCompletionClient",
  component_type: "model",
  config: { responses },
});

const guardedModel = (responses: unknown[], middleware: unknown[]) => ({
  provider: "autogen_ts.agentchat.guardrails.GuardedChatCompletionClient",
  component_type: "model",
  config: { model_client: replay(responses), middleware },
});

const pay = {
  provider: "autogen_ts.agentchat.guardrails.GuardedTool",
  component_type: "tool",
  config: {
    tool: {
      provider: "autogen_core.tools.FunctionTool",
      component_type: "tool",
      config: {
        name: "pay",
        description: "Pays an amount.",
        language: "javascript",
        source_code: '({ amount }) => "paid " + amount',
        parameters: { type: "object", properties: { amount: { type: "number" } }, required: ["amount"] },
      },
    },
    middleware: [{ kind: "tool_approval", tools: ["pay"] }],
  },
};

function team(models: [unknown, unknown], extra: Record<string, unknown> = {}) {
  return {
    provider: "autogen_ts.agentchat.guardrails.GuardedTeam",
    component_type: "team",
    config: {
      team: {
        provider: "autogen_agentchat.teams.RoundRobinGroupChat",
        component_type: "team",
        config: {
          participants: ["a", "b"].map((name, i) => ({
            provider: "autogen_agentchat.agents.AssistantAgent",
            component_type: "agent",
            config: { name, model_client: models[i], ...(i === 0 ? extra : {}) },
          })),
          termination_condition: {
            provider: "autogen_agentchat.conditions.MaxMessageTermination",
            component_type: "termination",
            config: { max_messages: 4 },
          },
        },
      },
      input: [{ kind: "pii", action: "rewrite" }],
      output: [{ kind: "blocked_terms", terms: ["forbidden"], action: "stop" }],
    },
  };
}

describe("guardrails in component JSON", () => {
  it("a budget stops the run with its messages; the task's PII is rewritten; the document dumps back", async () => {
    const doc = team([
      guardedModel(["a0", "a1"], [{ kind: "token_budget", max_calls: 1 }, { kind: "pii_redaction" }]),
      replay(["b0", "b1"]),
    ]);
    const runner = await loadComponent<TaskRunner>(doc);
    const error = await runner.run({ task: "Write to ann@example.com" }).catch((e: unknown) => e);
    expect(GuardrailError.isInstance(error)).toBe(true);
    const stopped = error as GuardrailError;
    expect(stopped.guardrail).toBe("token_budget");
    expect(stopped.messages.map((m) => (m as unknown as { content: string }).content)).toEqual([
      "Write to [EMAIL]",
      "a0",
      "b0",
    ]);
    const dumped = await dumpComponent(runner, { ownProviderNames: true });
    expect(dumped.provider).toBe("autogen_ts.agentchat.guardrails.GuardedTeam");
    expect(JSON.stringify(dumped)).toContain('"kind":"token_budget","max_calls":1');
    expect(JSON.stringify(dumped)).toContain('"kind":"blocked_terms"');
  });

  it("an output guardrail stops on a blocked term", async () => {
    const runner = await loadComponent<TaskRunner>(team([replay(["fine"]), replay(["a forbidden plan"])]));
    const error = (await runner.run({ task: "go" }).catch((e: unknown) => e)) as GuardrailError;
    expect(error).toMatchObject({ guardrail: "moderation", stage: "output" });
    expect(error.messages).toHaveLength(2);
  });

  it("a tool needing approval parks a durable run; the answer runs it", async () => {
    const call = { content: [{ id: "c1", name: "pay", arguments: '{"amount": 5}' }] };
    const doc = team([replay([call, "done"]), replay(["ok", "ok"])], { tools: [pay] });
    const store = new InMemoryRunStore();
    const first = new DurableRunner({ store, runner: await loadComponent<Team>(doc, { allowCode: true }) });
    const run = first.run({ task: "pay 5" });
    const parked = await run.result();
    expect(parked.status).toBe("interrupted");
    expect(parked.pendingInput[0]?.prompt).toContain('pay({"amount":5})');
    const resumedDoc = team([replay(["done"]), replay(["ok", "ok"])], { tools: [pay] });
    const second = new DurableRunner({
      store,
      runner: await loadComponent<Team>(resumedDoc, { allowCode: true }),
    });
    const done = await second.resume(run.runId, { input: { value: "yes" } }).result();
    expect(done.status).toBe("completed");
    expect(JSON.stringify(done.messages.map((m) => m.toJSON()))).toContain("paid 5");
  });

  it("a bad middleware kind is a ValidationError naming its path", async () => {
    const doc = team([guardedModel(["x"], [{ kind: "nope" }]), replay(["y"])]);
    await expect(loadComponent(doc)).rejects.toThrow(
      /config.team.config.participants\[0\].config.model_client.config.middleware\[0\].*unknown model middleware kind "nope"/,
    );
  });
});
