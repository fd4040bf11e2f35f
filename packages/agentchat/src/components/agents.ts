/** Component definitions of the chat agents, under AutoGen's provider names. */
import type {
  ChatCompletionClient,
  ChatCompletionContext,
  ComponentDefinition,
  JsonSchema,
  LoadContext,
  Tool,
  Workbench,
} from "@autogen-ts/core";
import { componentSlot, StaticWorkbench } from "@autogen-ts/core";
import { AssistantAgent } from "../agents/assistant-agent.js";
import type { HandoffSpec } from "../agents/handoff.js";
import { UserProxyAgent } from "../agents/user-proxy-agent.js";

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

/** What an AssistantAgent loaded from a document was built from, for dumping it back. */
interface AssistantParts {
  readonly tools: readonly Tool[];
  readonly workbenches: readonly Workbench[];
}
const PARTS = new WeakMap<AssistantAgent, AssistantParts>();

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
    PARTS.set(agent, { tools, workbenches: allWorkbenches.length > 0 ? allWorkbenches : [] });
    return agent;
  },
  async dump(agent, context) {
    const parts = PARTS.get(agent);
    const loaded = context.loadedFrom;
    if (parts === undefined || loaded === undefined) {
      throw new Error(
        "an AssistantAgent built in code cannot be dumped yet (its tools and settings are private); dump one loaded from a document",
      );
    }
    const out: Record<string, unknown> = {
      name: agent.name,
      model_client: await context.dump(agent.modelClient),
    };
    if (parts.workbenches.length > 0) {
      out.workbench = await Promise.all(parts.workbenches.map((w) => context.dump(w)));
    } else if (parts.tools.length > 0) {
      out.tools = await Promise.all(parts.tools.map((t) => context.dump(t)));
    }
    if (Array.isArray(loaded.handoffs)) out.handoffs = loaded.handoffs;
    out.model_context = await context.dump(agent.modelContext);
    out.description = agent.description;
    for (const key of [
      "system_message",
      "model_client_stream",
      "reflect_on_tool_use",
      "tool_call_summary_format",
      "max_tool_iterations",
      "metadata",
    ]) {
      if (loaded[key] !== undefined) out[key] = loaded[key];
    }
    return out;
  },
};

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
  load: (config) =>
    new UserProxyAgent({
      name: config.name as string,
      ...(typeof config.description === "string" ? { description: config.description } : {}),
    }),
  dump: (agent) => ({ name: agent.name, description: agent.description }),
};

/** The chat agents that can be written as components. */
export const AGENT_DEFINITIONS: readonly ComponentDefinition<never>[] = [
  assistant,
  userProxy,
] as unknown as readonly ComponentDefinition<never>[];
