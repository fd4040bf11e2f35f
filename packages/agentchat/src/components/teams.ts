/**
 * Component definitions of the teams, under AutoGen's provider names: `RoundRobinGroupChat`,
 * `SelectorGroupChat`, `Swarm`, `MagenticOneGroupChat` and `GraphFlow` (with AutoGen's `DiGraph` layout).
 *
 * A team loaded from a document dumps the keys that document had (with the team's values); a team built
 * in code dumps every setting.
 */
import type {
  ChatCompletionClient,
  ChatCompletionContext,
  ComponentDefinition,
  DumpContext,
  JsonSchema,
  LoadContext,
} from "@autogen-ts/core";
import { componentSlot, ValidationError } from "@autogen-ts/core";
import type { TerminationCondition } from "../conditions/base.js";
import { GraphFlow } from "../teams/graph/graph-flow.js";
import type { BaseGroupChat } from "../teams/group-chat/base-group-chat.js";
import { MagenticOneGroupChat } from "../teams/magentic-one/magentic-one-group-chat.js";
import { RoundRobinGroupChat } from "../teams/round-robin.js";
import { SelectorGroupChat } from "../teams/selector.js";
import { Swarm } from "../teams/swarm.js";
import type { Participant } from "../teams/team.js";
import { DIGRAPH_SCHEMA, dumpDiGraph, loadDiGraph } from "./digraph.js";

/** The config keys every group chat shares (AutoGen's `BaseGroupChat` configs). */
const BASE_PROPERTIES: Record<string, JsonSchema> = {
  participants: {
    type: "array",
    minItems: 1,
    items: { anyOf: [componentSlot("agent"), componentSlot("team")] },
  },
  termination_condition: { anyOf: [componentSlot("termination"), { type: "null" }] },
  max_turns: { type: ["integer", "null"], minimum: 1 },
  emit_team_events: { type: "boolean" },
  name: { type: ["string", "null"] },
  description: { type: ["string", "null"] },
};

function teamSchema(required: readonly string[], extra: Record<string, JsonSchema> = {}): JsonSchema {
  return {
    type: "object",
    required: ["participants", ...required],
    properties: { ...BASE_PROPERTIES, ...extra },
  };
}

/** The base options of a group chat, read from its config. */
interface BaseParts {
  participants: Participant[];
  terminationCondition?: TerminationCondition;
  maxTurns?: number;
  emitTeamEvents?: boolean;
  name?: string;
  description?: string;
}

async function loadBase(config: Readonly<Record<string, unknown>>, context: LoadContext): Promise<BaseParts> {
  const list = config.participants as readonly unknown[];
  const participants = await Promise.all(
    list.map((p, i) => context.load<Participant>(p, ["participants", i])),
  );
  const termination =
    config.termination_condition === undefined || config.termination_condition === null
      ? undefined
      : await context.load<TerminationCondition>(
          config.termination_condition,
          "termination_condition",
          "termination",
        );
  return {
    participants,
    ...(termination ? { terminationCondition: termination } : {}),
    ...(typeof config.max_turns === "number" ? { maxTurns: config.max_turns } : {}),
    ...(typeof config.emit_team_events === "boolean" ? { emitTeamEvents: config.emit_team_events } : {}),
    ...(typeof config.name === "string" ? { name: config.name } : {}),
    ...(typeof config.description === "string" ? { description: config.description } : {}),
  };
}

/**
 * Whether a dump writes `key`: always for an object built in code; for one loaded from a document, only
 * when that document had it (its absence meant the default, which the object still has).
 */
export function writes(context: DumpContext, key: string): boolean {
  const loaded = context.loadedFrom;
  return loaded === undefined || (key in loaded && loaded[key] !== undefined);
}

async function dumpBase(team: BaseGroupChat, context: DumpContext): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  if (writes(context, "name")) out.name = team.name;
  if (writes(context, "description")) out.description = team.description;
  out.participants = await Promise.all(team.participants.map((p) => context.dump(p)));
  if (team.terminationCondition) out.termination_condition = await context.dump(team.terminationCondition);
  else if (context.loadedFrom?.termination_condition === null) out.termination_condition = null;
  // A team loaded without max_turns has its class's default (Magentic-One's is 20): not written back.
  const loaded = context.loadedFrom;
  if (loaded === undefined ? team.maxTurns !== undefined : "max_turns" in loaded)
    out.max_turns = team.maxTurns ?? null;
  if (writes(context, "emit_team_events")) out.emit_team_events = team.emitTeamEvents;
  return out;
}

function team<T>(
  name: string,
  fields: Omit<
    ComponentDefinition<T>,
    "provider" | "ownName" | "componentType" | "label" | "componentVersion"
  >,
): ComponentDefinition<T> {
  return {
    provider: `autogen_agentchat.teams.${name}`,
    ownName: `autogen_ts.agentchat.${name}`,
    componentType: "team",
    componentVersion: 1,
    label: name,
    ...fields,
  };
}

const roundRobin = team<RoundRobinGroupChat>("RoundRobinGroupChat", {
  description: "A team whose participants speak in turn.",
  schema: teamSchema([]),
  classes: [RoundRobinGroupChat],
  load: async (config, context) => new RoundRobinGroupChat(await loadBase(config, context)),
  dump: (value, context) => dumpBase(value, context),
});

const selector = team<SelectorGroupChat>("SelectorGroupChat", {
  description: "A team where a model picks who speaks next from the conversation.",
  schema: teamSchema(["model_client"], {
    model_client: componentSlot("model"),
    model_context: { anyOf: [componentSlot("chat_completion_context"), { type: "null" }] },
    selector_prompt: { type: "string", minLength: 1 },
    allow_repeated_speaker: { type: "boolean" },
    max_selector_attempts: { type: "integer", minimum: 1 },
    model_client_streaming: { type: "boolean" },
  }),
  classes: [SelectorGroupChat],
  async load(config, context) {
    const [base, modelClient, modelContext] = await Promise.all([
      loadBase(config, context),
      context.load<ChatCompletionClient>(config.model_client, "model_client", "model"),
      config.model_context === undefined || config.model_context === null
        ? undefined
        : context.load<ChatCompletionContext>(
            config.model_context,
            "model_context",
            "chat_completion_context",
          ),
    ]);
    return new SelectorGroupChat({
      ...base,
      modelClient,
      ...(modelContext ? { modelContext } : {}),
      ...(typeof config.selector_prompt === "string" ? { selectorPrompt: config.selector_prompt } : {}),
      ...(typeof config.allow_repeated_speaker === "boolean"
        ? { allowRepeatedSpeaker: config.allow_repeated_speaker }
        : {}),
      ...(typeof config.max_selector_attempts === "number"
        ? { maxSelectorAttempts: config.max_selector_attempts }
        : {}),
      ...(typeof config.model_client_streaming === "boolean"
        ? { modelClientStreaming: config.model_client_streaming }
        : {}),
    });
  },
  async dump(value, context) {
    const settings = value.selectorSettings;
    const functions = [
      settings.selectorFunc === undefined ? undefined : "selectorFunc",
      settings.candidateFunc === undefined ? undefined : "candidateFunc",
    ].filter((f) => f !== undefined);
    if (functions.length > 0) {
      throw new ValidationError(
        `SelectorGroupChat "${value.name}" has a ${functions.join(" and a ")}, which a component document cannot hold (functions are not serialisable); build the team without ${functions.length > 1 ? "them" : "it"} to dump it, and set ${functions.length > 1 ? "them" : "it"} again after loading`,
        { code: "invalid_config" },
      );
    }
    const out = await dumpBase(value, context);
    out.model_client = await context.dump(settings.modelClient);
    if (writes(context, "model_context")) out.model_context = await context.dump(settings.modelContext);
    out.selector_prompt = settings.selectorPrompt;
    out.allow_repeated_speaker = settings.allowRepeatedSpeaker;
    out.max_selector_attempts = settings.maxSelectorAttempts;
    if (writes(context, "model_client_streaming")) out.model_client_streaming = settings.modelClientStreaming;
    return out;
  },
});

const swarm = team<Swarm>("Swarm", {
  description: "A team where the speaker follows the handoffs.",
  schema: teamSchema([]),
  classes: [Swarm],
  load: async (config, context) => new Swarm(await loadBase(config, context)),
  dump: (value, context) => dumpBase(value, context),
});

const magenticOne = team<MagenticOneGroupChat>("MagenticOneGroupChat", {
  description: "A team led by the Magentic-One orchestrator, which plans, assigns turns and re-plans.",
  schema: teamSchema(["model_client"], {
    model_client: componentSlot("model"),
    max_stalls: { type: "integer", minimum: 1 },
    final_answer_prompt: { type: ["string", "null"] },
    max_ledger_retries: { type: "integer", minimum: 0 },
  }),
  classes: [MagenticOneGroupChat],
  async load(config, context) {
    const [base, modelClient] = await Promise.all([
      loadBase(config, context),
      context.load<ChatCompletionClient>(config.model_client, "model_client", "model"),
    ]);
    return new MagenticOneGroupChat({
      ...base,
      modelClient,
      ...(typeof config.max_stalls === "number" ? { maxStalls: config.max_stalls } : {}),
      ...(typeof config.final_answer_prompt === "string" && config.final_answer_prompt !== ""
        ? { finalAnswerPrompt: config.final_answer_prompt }
        : {}),
      ...(typeof config.max_ledger_retries === "number"
        ? { maxLedgerRetries: config.max_ledger_retries }
        : {}),
    });
  },
  async dump(value, context) {
    const out = await dumpBase(value, context);
    out.model_client = await context.dump(value.modelClient);
    out.max_stalls = value.maxStalls;
    // AutoGen writes its own default prompt here; ours is used when the document has none.
    if (value.finalAnswerPrompt !== undefined) out.final_answer_prompt = value.finalAnswerPrompt;
    else if (context.loadedFrom !== undefined && "final_answer_prompt" in context.loadedFrom)
      out.final_answer_prompt = context.loadedFrom.final_answer_prompt;
    if (writes(context, "max_ledger_retries")) out.max_ledger_retries = value.maxLedgerRetries;
    return out;
  },
});

const graphFlow = team<GraphFlow>("GraphFlow", {
  description: "A team whose turns follow a directed graph: sequences, fan-out, joins, branches and loops.",
  schema: teamSchema(["graph"], { graph: DIGRAPH_SCHEMA }),
  classes: [GraphFlow],
  async load(config, context) {
    const base = await loadBase(config, context);
    const graph = loadDiGraph(config.graph as Record<string, unknown>, context);
    return new GraphFlow({ ...base, graph });
  },
  async dump(value, context) {
    const out = await dumpBase(value, context);
    out.graph = dumpDiGraph(value.graph, value.name);
    return out;
  },
});

/** The teams that can be written as components. */
export const TEAM_DEFINITIONS: readonly ComponentDefinition<unknown>[] = [
  roundRobin,
  selector,
  swarm,
  magenticOne,
  graphFlow,
];
