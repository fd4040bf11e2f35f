/**
 * Guardrails and middleware in component JSON, under our own provider names (AutoGen has none):
 *
 * - `autogen_ts.agentchat.guardrails.GuardedChatCompletionClient` (model): `{model_client, middleware}`
 *   with `token_budget` (`max_tokens`, `max_cost_usd`, `max_calls`), `pii_redaction` (`kinds`),
 *   `pii_block` and `tool_allowlist` (`allowed`).
 * - `autogen_ts.agentchat.guardrails.GuardedWorkbench` (workbench) and `...GuardedTool` (tool):
 *   `{workbench | tool, middleware}` with `tool_allowlist` (`allowed`, `on_violation`) and
 *   `tool_approval` (`tools`; in a durable run it asks a person).
 * - `autogen_ts.agentchat.guardrails.GuardedTeam` (team): `{team, input, output}` with `pii` (`action`)
 *   and `blocked_terms` (`terms`, `action`), the moderation hook's declarative form.
 *
 * A middleware or guardrail is `{"kind": ..., ...settings}`. Objects built in code dump when every
 * middleware is a built-in; a custom function is refused by name.
 */
import type {
  ChatCompletionClient,
  ComponentDefinition,
  JsonSchema,
  Tool,
  Workbench,
} from "@autogen-ts/core";
import { componentSlot, ValidationError } from "@autogen-ts/core";
import type { Team } from "../teams/team.js";
import { tokenBudget } from "./budget.js";
import { MiddlewareChatCompletionClient, type ModelMiddleware } from "./model-middleware.js";
import { blockedTerms, moderationGuardrail } from "./moderation.js";
import { type PiiKind, piiBlock, piiGuardrail, piiRedaction } from "./pii.js";
import { GuardedRunner, guardrailsOf, withGuardrails } from "./runner-guardrails.js";
import { MiddlewareTool, MiddlewareWorkbench, type ToolMiddleware } from "./tool-middleware.js";
import { toolAllowlist, toolApproval } from "./tools.js";
import type { TextGuardrail } from "./types.js";

type Spec = Readonly<Record<string, unknown>> & { readonly kind: string };

// The spec each built object came from, so that it dumps back.
const SPECS = new WeakMap<object, Spec>();

function remember<T extends object>(value: T, spec: Spec): T {
  SPECS.set(value, spec);
  return value;
}

const LIST: JsonSchema = {
  type: "array",
  items: { type: "object", required: ["kind"], properties: { kind: { type: "string" } } },
};

function modelMiddleware(spec: Spec): ModelMiddleware {
  switch (spec.kind) {
    case "token_budget":
      return remember(
        tokenBudget({
          ...(spec.max_tokens === undefined ? {} : { maxTokens: Number(spec.max_tokens) }),
          ...(spec.max_cost_usd === undefined ? {} : { maxCostUsd: Number(spec.max_cost_usd) }),
          ...(spec.max_calls === undefined ? {} : { maxCalls: Number(spec.max_calls) }),
        }),
        spec,
      );
    case "pii_redaction":
      return remember(piiRedaction(spec.kinds === undefined ? {} : { kinds: spec.kinds as PiiKind[] }), spec);
    case "pii_block":
      return remember(piiBlock(spec.kinds === undefined ? {} : { kinds: spec.kinds as PiiKind[] }), spec);
    case "tool_allowlist":
      return remember(toolAllowlist({ allowed: spec.allowed as string[] }), spec);
    default:
      throw new ValidationError(
        `unknown model middleware kind ${JSON.stringify(spec.kind)} (token_budget, pii_redaction, pii_block, tool_allowlist)`,
      );
  }
}

function toolMiddleware(spec: Spec): ToolMiddleware {
  switch (spec.kind) {
    case "tool_allowlist":
      return remember(
        toolAllowlist({
          allowed: spec.allowed as string[],
          ...(spec.on_violation === "stop" ? { onViolation: "stop" as const } : {}),
        }),
        spec,
      );
    case "tool_approval":
      return remember(toolApproval(spec.tools === undefined ? {} : { tools: spec.tools as string[] }), spec);
    default:
      throw new ValidationError(
        `unknown tool middleware kind ${JSON.stringify(spec.kind)} (tool_allowlist, tool_approval)`,
      );
  }
}

function textGuardrail(spec: Spec): TextGuardrail {
  const action = spec.action === "rewrite" ? "rewrite" : spec.action === "stop" ? "stop" : undefined;
  switch (spec.kind) {
    case "pii":
      return remember(piiGuardrail(action === undefined ? {} : { action }), spec);
    case "blocked_terms":
      return remember(
        moderationGuardrail({
          check: blockedTerms(spec.terms as string[]),
          ...(action === undefined ? {} : { action }),
        }),
        spec,
      );
    default:
      throw new ValidationError(`unknown guardrail kind ${JSON.stringify(spec.kind)} (pii, blocked_terms)`);
  }
}

/** Reads a list of specs, naming the bad item's path. */
function specs<T>(
  raw: unknown,
  key: string,
  build: (s: Spec) => T,
  error: (key: (string | number)[], m: string) => Error,
): T[] {
  return ((raw ?? []) as Spec[]).map((s, i) => {
    try {
      return build(s);
    } catch (e) {
      throw error([key, i], (e as Error).message);
    }
  });
}

function dumpSpecs(list: readonly object[], what: string): Spec[] {
  return list.map((m) => {
    const spec = SPECS.get(m);
    if (spec === undefined)
      throw new ValidationError(
        `${what} "${(m as { name?: string }).name ?? "?"}" is code, which a document cannot hold`,
      );
    return spec;
  });
}

const PREFIX = "autogen_ts.agentchat.guardrails";

/** The guardrail component definitions. */
export const GUARDRAIL_DEFINITIONS: readonly ComponentDefinition<unknown>[] = [
  {
    provider: `${PREFIX}.GuardedChatCompletionClient`,
    componentType: "model",
    componentVersion: 1,
    description: "A model client with middleware: a token or cost budget, PII redaction, a tool allowlist.",
    label: "GuardedChatCompletionClient",
    classes: [MiddlewareChatCompletionClient],
    schema: {
      type: "object",
      required: ["model_client"],
      properties: { model_client: componentSlot("model"), middleware: LIST },
    },
    async load(config, context) {
      const inner = await context.load<ChatCompletionClient>(config.model_client, "model_client", "model");
      return new MiddlewareChatCompletionClient(
        inner,
        specs(config.middleware, "middleware", modelMiddleware, (k, m) => context.error(k, m)),
      );
    },
    async dump(value, context) {
      const client = value as MiddlewareChatCompletionClient;
      return {
        model_client: await context.dump(client.inner),
        middleware: dumpSpecs(client.middleware, "model middleware"),
      };
    },
  } satisfies ComponentDefinition<MiddlewareChatCompletionClient> as ComponentDefinition<unknown>,
  {
    provider: `${PREFIX}.GuardedWorkbench`,
    componentType: "workbench",
    componentVersion: 1,
    description: "A workbench whose tool calls go through middleware: an allowlist, approval.",
    label: "GuardedWorkbench",
    classes: [MiddlewareWorkbench],
    schema: {
      type: "object",
      required: ["workbench"],
      properties: { workbench: componentSlot("workbench"), middleware: LIST },
    },
    async load(config, context) {
      const inner = await context.load<Workbench>(config.workbench, "workbench", "workbench");
      return new MiddlewareWorkbench(
        inner,
        specs(config.middleware, "middleware", toolMiddleware, (k, m) => context.error(k, m)),
      );
    },
    async dump(value, context) {
      const wb = value as MiddlewareWorkbench;
      return {
        workbench: await context.dump(wb.inner),
        middleware: dumpSpecs(wb.middleware, "tool middleware"),
      };
    },
  } satisfies ComponentDefinition<MiddlewareWorkbench> as ComponentDefinition<unknown>,
  {
    provider: `${PREFIX}.GuardedTool`,
    componentType: "tool",
    componentVersion: 1,
    description: "A tool whose calls go through middleware: an allowlist, approval.",
    label: "GuardedTool",
    classes: [MiddlewareTool],
    schema: {
      type: "object",
      required: ["tool"],
      properties: { tool: componentSlot("tool"), middleware: LIST },
    },
    async load(config, context) {
      const inner = await context.load<Tool>(config.tool, "tool", "tool");
      return new MiddlewareTool(
        inner,
        specs(config.middleware, "middleware", toolMiddleware, (k, m) => context.error(k, m)),
      );
    },
    async dump(value, context) {
      const tool = value as MiddlewareTool;
      return {
        tool: await context.dump(tool.inner),
        middleware: dumpSpecs(tool.middleware, "tool middleware"),
      };
    },
  } satisfies ComponentDefinition<MiddlewareTool> as ComponentDefinition<unknown>,
  {
    provider: `${PREFIX}.GuardedTeam`,
    componentType: "team",
    componentVersion: 1,
    description: "A team with input and output guardrails: PII, blocked terms.",
    label: "GuardedTeam",
    classes: [GuardedRunner],
    schema: {
      type: "object",
      required: ["team"],
      properties: { team: componentSlot("team"), input: LIST, output: LIST },
    },
    async load(config, context) {
      const team = await context.load<Team>(config.team, "team", "team");
      return withGuardrails(team, {
        input: specs(config.input, "input", textGuardrail, (k, m) => context.error(k, m)),
        output: specs(config.output, "output", textGuardrail, (k, m) => context.error(k, m)),
      });
    },
    async dump(value, context) {
      const guarded = guardrailsOf(value);
      if (guarded === undefined) throw new ValidationError("not a guarded team");
      return {
        team: await context.dump(guarded.inner),
        input: dumpSpecs(guarded.options.input ?? [], "guardrail"),
        output: dumpSpecs(guarded.options.output ?? [], "guardrail"),
      };
    },
  },
];
