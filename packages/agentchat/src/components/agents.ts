/** Component definitions of the chat agents, under AutoGen's provider names. */
import type {
  ChatCompletionClient,
  ChatCompletionContext,
  CodeExecutor,
  ComponentDefinition,
  JsonSchema,
  LoadContext,
  Tool,
  Workbench,
} from "@autogen-ts/core";
import { componentSlot, StaticWorkbench, ValidationError } from "@autogen-ts/core";
import { AssistantAgent } from "../agents/assistant-agent.js";
import { CodeExecutorAgent } from "../agents/code-executor-agent.js";
import { type HandoffSpec, toHandoff } from "../agents/handoff.js";
import { MessageFilterAgent, type PerSourceFilter } from "../agents/message-filter-agent.js";
import { SocietyOfMindAgent } from "../agents/society-of-mind-agent.js";
import { type InputFunc, UserProxyAgent } from "../agents/user-proxy-agent.js";
import type { ChatAgent } from "../base/types.js";
import type { Team } from "../teams/team.js";
import { writes } from "./teams.js";

const HANDOFF_SCHEMA: JsonSchema = {
  anyOf: [
    { type: "string" },
    {
      type: "object",
      required: ["target"],
      properties: {
        target: { type: "string" },
        name: { type: "string" },
        description: { type: "string" },
        message: { type: "string" },
      },
    },
  ],
};

const ASSISTANT_SCHEMA: JsonSchema = {
  type: "object",
  required: ["name", "model_client"],
  properties: {
    name: { type: "string" },
    model_client: componentSlot("model"),
    tools: { type: "array", items: componentSlot("tool") },
    workbench: {
      anyOf: [componentSlot("workbench"), { type: "array", items: componentSlot("workbench") }],
    },
    handoffs: { type: "array", items: HANDOFF_SCHEMA },
    model_context: componentSlot("chat_completion_context"),
    memory: { type: "array", items: componentSlot("memory") },
    description: { type: "string" },
    system_message: { type: ["string", "null"] },
    model_client_stream: { type: "boolean" },
    reflect_on_tool_use: { type: "boolean" },
    tool_call_summary_format: { type: "string" },
    max_tool_iterations: { type: "integer", minimum: 1 },
    metadata: { type: "object", additionalProperties: { type: "string" } },
  },
};

async function loadList<T>(list: unknown, key: string, type: string, context: LoadContext): Promise<T[]> {
  if (list === undefined || list === null) return [];
  const items = Array.isArray(list) ? list : [list];
  return Promise.all(
    items.map((item, i) => context.load<T>(item, Array.isArray(list) ? [key, i] : key, type)),
  );
}

const assistant: ComponentDefinition<AssistantAgent> = {
  provider: "autogen_agentchat.agents.AssistantAgent",
  ownName: "autogen_ts.agentchat.AssistantAgent",
  componentType: "agent",
  componentVersion: 2,
  description: "An agent that answers with a model and can use tools.",
  label: "AssistantAgent",
  schema: ASSISTANT_SCHEMA,
  classes: [AssistantAgent],
  // Version 1 listed tools on the agent; version 2 holds them in workbenches. Both load; an old document is
  // rewritten so that its tools sit in one StaticWorkbench.
  upgrades: {
    1: (config) => {
      const { tools, ...rest } = config;
      if (!Array.isArray(tools) || tools.length === 0 || rest.workbench !== undefined) return config;
      return {
        ...rest,
        workbench: [
          { provider: "autogen_core.tools.StaticWorkbench", component_type: "workbench", config: { tools } },
        ],
      };
    },
  },
  async load(config, context) {
    const [modelClient, tools, workbenches, memory] = await Promise.all([
      context.load<ChatCompletionClient>(config.model_client, "model_client", "model"),
      loadList<Tool>(config.tools, "tools", "tool", context),
      loadList<Workbench>(config.workbench, "workbench", "workbench", context),
      loadList<never>(config.memory, "memory", "memory", context),
    ]);
    const modelContext =
      config.model_context === undefined || config.model_context === null
        ? undefined
        : await context.load<ChatCompletionContext>(
            config.model_context,
            "model_context",
            "chat_completion_context",
          );
    // Tools and workbenches together: the agent takes one or the other, so tools join a workbench.
    const allWorkbenches =
      tools.length > 0 && workbenches.length > 0
        ? [new StaticWorkbench({ tools }), ...workbenches]
        : workbenches;
    const agent = new AssistantAgent({
      name: config.name as string,
      modelClient,
      ...(typeof config.description === "string" ? { description: config.description } : {}),
      ...(tools.length > 0 && workbenches.length === 0 ? { tools } : {}),
      ...(allWorkbenches.length > 0 ? { workbench: allWorkbenches } : {}),
      ...(Array.isArray(config.handoffs) ? { handoffs: config.handoffs as HandoffSpec[] } : {}),
      ...(modelContext ? { modelContext } : {}),
      ...(memory.length > 0 ? { memory } : {}),
      ...(config.system_message !== undefined
        ? { systemMessage: config.system_message as string | null }
        : {}),
      ...(typeof config.model_client_stream === "boolean"
        ? { modelClientStream: config.model_client_stream }
        : {}),
      ...(typeof config.reflect_on_tool_use === "boolean"
        ? { reflectOnToolUse: config.reflect_on_tool_use }
        : {}),
      ...(typeof config.tool_call_summary_format === "string"
        ? { toolCallSummaryFormat: config.tool_call_summary_format }
        : {}),
      ...(typeof config.max_tool_iterations === "number"
        ? { maxToolIterations: config.max_tool_iterations }
        : {}),
      ...(config.metadata && typeof config.metadata === "object"
        ? { metadata: config.metadata as Record<string, string> }
        : {}),
    });
    return agent;
  },
  async dump(agent, context) {
    const options = agent.options;
    const notSerialisable = [
      options.toolCallSummaryFormatter === undefined ? undefined : "toolCallSummaryFormatter",
      options.outputContentType === undefined ? undefined : "outputContentType",
      options.toolApprovalFunc === undefined ? undefined : "toolApprovalFunc",
    ].filter((f) => f !== undefined);
    if (notSerialisable.length > 0) {
      throw new ValidationError(
        `AssistantAgent "${agent.name}" has a ${notSerialisable.join(" and a ")}, which a component document cannot hold (it is code, not data); build the agent without ${notSerialisable.length > 1 ? "them" : "it"} to dump it`,
        { code: "invalid_config" },
      );
    }
    const loaded = context.loadedFrom;
    const out: Record<string, unknown> = {
      name: agent.name,
      model_client: await context.dump(agent.modelClient),
    };
    const tools = options.tools ?? [];
    const workbenches =
      options.workbench === undefined
        ? []
        : Array.isArray(options.workbench)
          ? (options.workbench as readonly Workbench[])
          : [options.workbench as Workbench];
    if (workbenches.length > 0) {
      out.workbench = await Promise.all(workbenches.map((w) => context.dump(w)));
    } else if (tools.length > 0) {
      // AutoGen's layout (version 2) holds tools in a workbench; a document that listed them keeps its list.
      if (loaded !== undefined && "tools" in loaded) {
        out.tools = await Promise.all(tools.map((t) => context.dump(t)));
      } else {
        out.workbench = [await context.dump(new StaticWorkbench({ tools }))];
      }
    }
    if (Array.isArray(loaded?.handoffs)) out.handoffs = loaded.handoffs;
    else if (options.handoffs !== undefined && options.handoffs.length > 0)
      out.handoffs = options.handoffs.map(handoffToConfig);
    out.model_context = await context.dump(agent.modelContext);
    const memory = options.memory ?? [];
    if (memory.length > 0) out.memory = await Promise.all(memory.map((m) => context.dump(m)));
    else if (loaded !== undefined && "memory" in loaded) out.memory = loaded.memory;
    out.description = agent.description;
    const settings: [string, unknown][] = [
      ["system_message", options.systemMessage],
      ["model_client_stream", options.modelClientStream],
      ["reflect_on_tool_use", options.reflectOnToolUse],
      ["tool_call_summary_format", options.toolCallSummaryFormat],
      ["max_tool_iterations", options.maxToolIterations],
      ["metadata", options.metadata === undefined ? undefined : { ...options.metadata }],
    ];
    for (const [key, value] of settings) if (value !== undefined) out[key] = value;
    return out;
  },
};

/** A handoff for a config: its target's name when every other field is the default, else all its fields. */
function handoffToConfig(spec: HandoffSpec): unknown {
  const handoff = toHandoff(spec);
  const plain = toHandoff(handoff.target);
  if (
    handoff.name === plain.name &&
    handoff.description === plain.description &&
    handoff.message === plain.message
  )
    return handoff.target;
  return {
    target: handoff.target,
    name: handoff.name,
    description: handoff.description,
    message: handoff.message,
  };
}

const userProxy: ComponentDefinition<UserProxyAgent> = {
  provider: "autogen_agentchat.agents.UserProxyAgent",
  ownName: "autogen_ts.agentchat.UserProxyAgent",
  componentType: "agent",
  componentVersion: 1,
  description: "An agent that stands for a person: it asks for their input in the terminal.",
  label: "UserProxyAgent",
  schema: {
    type: "object",
    required: ["name"],
    properties: { name: { type: "string" }, description: { type: "string" } },
  },
  classes: [UserProxyAgent],
  // A server hands its input function in as the `inputFunc` setting: answers then come over HTTP.
  load: (config, context) => {
    const inputFunc = context.setting<InputFunc>("inputFunc");
    return new UserProxyAgent({
      name: config.name as string,
      ...(typeof config.description === "string" ? { description: config.description } : {}),
      ...(typeof inputFunc === "function" ? { inputFunc } : {}),
    });
  },
  dump: (agent) => ({ name: agent.name, description: agent.description }),
};

/**
 * `SocietyOfMindAgent`. AutoGen's `model_context` is accepted and written back, but not used: the agent
 * summarises the inner team's whole transcript of the turn.
 */
const societyOfMind: ComponentDefinition<SocietyOfMindAgent> = {
  provider: "autogen_agentchat.agents.SocietyOfMindAgent",
  ownName: "autogen_ts.agentchat.SocietyOfMindAgent",
  componentType: "agent",
  componentVersion: 1,
  description: "An agent that thinks with an inner team and answers with a model's summary of its work.",
  label: "SocietyOfMindAgent",
  schema: {
    type: "object",
    required: ["name", "team", "model_client"],
    properties: {
      name: { type: "string" },
      team: componentSlot("team"),
      model_client: componentSlot("model"),
      description: { type: ["string", "null"] },
      instruction: { type: ["string", "null"] },
      response_prompt: { type: ["string", "null"] },
      model_context: { anyOf: [componentSlot("chat_completion_context"), { type: "null" }] },
    },
  },
  classes: [SocietyOfMindAgent],
  async load(config, context) {
    const [team, modelClient] = await Promise.all([
      context.load<Team>(config.team, "team", "team"),
      context.load<ChatCompletionClient>(config.model_client, "model_client", "model"),
    ]);
    return new SocietyOfMindAgent({
      name: config.name as string,
      team,
      modelClient,
      ...(typeof config.description === "string" ? { description: config.description } : {}),
      ...(typeof config.instruction === "string" ? { instruction: config.instruction } : {}),
      ...(typeof config.response_prompt === "string" ? { responsePrompt: config.response_prompt } : {}),
    });
  },
  async dump(agent, context) {
    const out: Record<string, unknown> = {
      name: agent.name,
      team: await context.dump(agent.team),
      model_client: await context.dump(agent.modelClient),
    };
    if (writes(context, "description")) out.description = agent.description;
    if (writes(context, "instruction")) out.instruction = agent.instruction;
    if (writes(context, "response_prompt")) out.response_prompt = agent.responsePrompt;
    if (context.loadedFrom?.model_context !== undefined) out.model_context = context.loadedFrom.model_context;
    return out;
  },
};

/**
 * `CodeExecutorAgent`, with AutoGen's keys plus ours: `max_retries_on_error` and `reflect_on_result`.
 * AutoGen's `model_client_stream` and `model_context` are accepted and written back, but not used.
 */
const codeExecutorAgent: ComponentDefinition<CodeExecutorAgent> = {
  provider: "autogen_agentchat.agents.CodeExecutorAgent",
  ownName: "autogen_ts.agentchat.CodeExecutorAgent",
  componentType: "agent",
  componentVersion: 1,
  description: "An agent that runs the code blocks it receives, or writes and runs code for a task.",
  label: "CodeExecutorAgent",
  schema: {
    type: "object",
    required: ["name", "code_executor"],
    properties: {
      name: { type: "string" },
      code_executor: componentSlot("code_executor"),
      model_client: { anyOf: [componentSlot("model"), { type: "null" }] },
      description: { type: ["string", "null"] },
      sources: { type: ["array", "null"], items: { type: "string" } },
      system_message: { type: ["string", "null"] },
      supported_languages: { type: ["array", "null"], items: { type: "string" } },
      max_retries_on_error: { type: "integer", minimum: 0 },
      reflect_on_result: { type: "boolean" },
      model_client_stream: { type: "boolean" },
      model_context: { anyOf: [componentSlot("chat_completion_context"), { type: "null" }] },
    },
  },
  classes: [CodeExecutorAgent],
  async load(config, context) {
    const [codeExecutor, modelClient] = await Promise.all([
      context.load<CodeExecutor>(config.code_executor, "code_executor", "code_executor"),
      config.model_client === undefined || config.model_client === null
        ? undefined
        : context.load<ChatCompletionClient>(config.model_client, "model_client", "model"),
    ]);
    return new CodeExecutorAgent({
      name: config.name as string,
      codeExecutor,
      ...(modelClient ? { modelClient } : {}),
      ...(typeof config.description === "string" ? { description: config.description } : {}),
      ...(Array.isArray(config.sources) ? { sources: config.sources as string[] } : {}),
      ...(typeof config.system_message === "string" ? { systemMessage: config.system_message } : {}),
      ...(Array.isArray(config.supported_languages)
        ? { supportedLanguages: config.supported_languages as string[] }
        : {}),
      ...(typeof config.max_retries_on_error === "number"
        ? { maxRetriesOnError: config.max_retries_on_error }
        : {}),
      ...(typeof config.reflect_on_result === "boolean" ? { reflectOnResult: config.reflect_on_result } : {}),
    });
  },
  async dump(agent, context) {
    const options = agent.options;
    if (options.approvalFunc !== undefined) {
      throw new ValidationError(
        `CodeExecutorAgent "${agent.name}" has an approvalFunc, which a component document cannot hold (functions are not serialisable); build the agent without it to dump it, and set it again after loading`,
        { code: "invalid_config" },
      );
    }
    const loaded = context.loadedFrom;
    const out: Record<string, unknown> = {
      name: agent.name,
      code_executor: await context.dump(agent.codeExecutor),
    };
    if (options.modelClient !== undefined) out.model_client = await context.dump(options.modelClient);
    else if (loaded?.model_client === null) out.model_client = null;
    if (writes(context, "description")) out.description = agent.description;
    if (options.sources !== undefined) out.sources = [...options.sources];
    else if (loaded?.sources === null) out.sources = null;
    if (options.systemMessage !== undefined) out.system_message = options.systemMessage;
    else if (loaded?.system_message === null) out.system_message = null;
    if (writes(context, "supported_languages")) out.supported_languages = [...agent.supportedLanguages];
    if (options.maxRetriesOnError !== undefined) out.max_retries_on_error = options.maxRetriesOnError;
    if (options.reflectOnResult !== undefined) out.reflect_on_result = options.reflectOnResult;
    for (const key of ["model_client_stream", "model_context"]) {
      if (loaded?.[key] !== undefined) out[key] = loaded[key];
    }
    return out;
  },
};

/** `MessageFilterAgent`: AutoGen's `filter.per_source` rules, snake_case. */
const messageFilterAgent: ComponentDefinition<MessageFilterAgent> = {
  provider: "autogen_agentchat.agents.MessageFilterAgent",
  ownName: "autogen_ts.agentchat.MessageFilterAgent",
  componentType: "agent",
  componentVersion: 1,
  description: "An agent that shows the agent it wraps only some of the new messages.",
  label: "MessageFilterAgent",
  schema: {
    type: "object",
    required: ["name", "wrapped_agent", "filter"],
    properties: {
      name: { type: "string" },
      wrapped_agent: componentSlot("agent"),
      description: { type: "string" },
      filter: {
        type: "object",
        required: ["per_source"],
        properties: {
          per_source: {
            type: "array",
            items: {
              type: "object",
              required: ["source"],
              properties: {
                source: { type: "string" },
                position: { enum: ["first", "last", null] },
                count: { type: ["integer", "null"], minimum: 0 },
              },
            },
          },
        },
      },
    },
  },
  classes: [MessageFilterAgent],
  async load(config, context) {
    const wrappedAgent = await context.load<ChatAgent>(config.wrapped_agent, "wrapped_agent", "agent");
    const rules = (config.filter as { per_source: readonly Record<string, unknown>[] }).per_source;
    const perSource = rules.map((rule, i): PerSourceFilter => {
      const position = rule.position ?? undefined;
      const count = rule.count ?? undefined;
      // AutoGen lets a position stand without a count, meaning every message: so do we.
      if (position !== undefined && count === undefined) return { source: rule.source as string };
      if (position === undefined && count !== undefined) {
        throw context.error(
          ["filter", "per_source", i, "position"],
          'is needed with a count ("first" or "last")',
        );
      }
      return {
        source: rule.source as string,
        ...(position === undefined ? {} : { position: position as "first" | "last", count: count as number }),
      };
    });
    return new MessageFilterAgent({
      name: config.name as string,
      wrappedAgent,
      filter: { perSource },
      ...(typeof config.description === "string" ? { description: config.description } : {}),
    });
  },
  async dump(agent, context) {
    const out: Record<string, unknown> = {
      name: agent.name,
      wrapped_agent: await context.dump(agent.wrappedAgent),
      filter: {
        per_source: agent.filter.perSource.map((rule) => ({
          source: rule.source,
          position: rule.position ?? null,
          count: rule.count ?? null,
        })),
      },
    };
    if (agent.description !== agent.wrappedAgent.description) out.description = agent.description;
    return out;
  },
};

/** The chat agents that can be written as components. */
export const AGENT_DEFINITIONS: readonly ComponentDefinition<unknown>[] = [
  assistant,
  userProxy,
  societyOfMind,
  codeExecutorAgent,
  messageFilterAgent,
];
