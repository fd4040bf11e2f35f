/** Component definitions of the termination conditions, under AutoGen's provider names. */
import type { ComponentDefinition, JsonSchema } from "@autogen-ts/core";
import { componentSlot } from "@autogen-ts/core";
import {
  AndTerminationCondition,
  OrTerminationCondition,
  type TerminationCondition,
} from "../conditions/base.js";
import { ExternalTermination } from "../conditions/external.js";
import {
  FunctionCallTermination,
  HandoffTermination,
  MaxMessageTermination,
  SourceMatchTermination,
  StopMessageTermination,
  TextMentionTermination,
  TextMessageTermination,
} from "../conditions/messages.js";
import { TimeoutTermination } from "../conditions/timeout.js";
import { TokenUsageTermination } from "../conditions/usage.js";

type Definition<T> = ComponentDefinition<T>;

function termination<T>(
  name: string,
  fields: Omit<Definition<T>, "provider" | "ownName" | "componentType" | "componentVersion" | "label">,
  base = "autogen_agentchat.conditions",
): Definition<T> {
  return {
    provider: `${base}.${name}`,
    ownName: `autogen_ts.agentchat.${name}`,
    componentType: "termination",
    componentVersion: 1,
    label: name,
    ...fields,
  };
}

const CONDITIONS_SCHEMA: JsonSchema = {
  type: "object",
  required: ["conditions"],
  properties: { conditions: { type: "array", items: componentSlot("termination") } },
};

function combination<T extends AndTerminationCondition | OrTerminationCondition>(
  name: "AndTerminationCondition" | "OrTerminationCondition",
  make: (conditions: TerminationCondition[]) => T,
  cls: abstract new (...args: never[]) => unknown,
  description: string,
): Definition<T> {
  return termination<T>(
    name,
    {
      description,
      schema: CONDITIONS_SCHEMA,
      classes: [cls],
      load: async (config, context) => {
        const list = config.conditions as readonly unknown[];
        const conditions = await Promise.all(
          list.map((c, i) => context.load<TerminationCondition>(c, ["conditions", i], "termination")),
        );
        return make(conditions);
      },
      dump: async (value, context) => ({
        conditions: await Promise.all(value.conditions.map((c) => context.dump(c))),
      }),
    },
    "autogen_agentchat.base",
  );
}

const SOURCES: JsonSchema = { type: "array", items: { type: "string" } };

/** Every termination condition that can be written as a component. */
export const TERMINATION_DEFINITIONS: readonly Definition<unknown>[] = [
  combination(
    "OrTerminationCondition",
    (c) => new OrTerminationCondition(c),
    OrTerminationCondition,
    "Stops when any of its conditions does.",
  ),
  combination(
    "AndTerminationCondition",
    (c) => new AndTerminationCondition(c),
    AndTerminationCondition,
    "Stops when all of its conditions have.",
  ),
  termination<MaxMessageTermination>("MaxMessageTermination", {
    description: "Stops after a number of messages.",
    schema: {
      type: "object",
      required: ["max_messages"],
      properties: { max_messages: { type: "integer", minimum: 1 }, include_agent_event: { type: "boolean" } },
    },
    classes: [MaxMessageTermination],
    load: (config) =>
      new MaxMessageTermination({
        maxMessages: config.max_messages as number,
        includeAgentEvent: config.include_agent_event === true,
      }),
    dump: (v) => ({ max_messages: v.maxMessages, include_agent_event: v.includeAgentEvent }),
  }),
  termination<TextMentionTermination>("TextMentionTermination", {
    description: "Stops when a message mentions a text.",
    schema: {
      type: "object",
      required: ["text"],
      properties: { text: { type: "string" }, sources: SOURCES },
    },
    classes: [TextMentionTermination],
    load: (config) =>
      new TextMentionTermination({
        text: config.text as string,
        ...(Array.isArray(config.sources) ? { sources: config.sources as string[] } : {}),
      }),
    dump: (v) => ({ text: v.text, ...(v.sources ? { sources: [...v.sources] } : {}) }),
  }),
  termination<StopMessageTermination>("StopMessageTermination", {
    description: "Stops when an agent sends a StopMessage.",
    schema: { type: "object" },
    classes: [StopMessageTermination],
    load: () => new StopMessageTermination(),
    dump: () => ({}),
  }),
  termination<HandoffTermination>("HandoffTermination", {
    description: "Stops when an agent hands off to the target.",
    schema: { type: "object", required: ["target"], properties: { target: { type: "string" } } },
    classes: [HandoffTermination],
    load: (config) => new HandoffTermination(config.target as string),
    dump: (v) => ({ target: v.target }),
  }),
  termination<SourceMatchTermination>("SourceMatchTermination", {
    description: "Stops when one of the sources has spoken.",
    schema: { type: "object", required: ["sources"], properties: { sources: SOURCES } },
    classes: [SourceMatchTermination],
    load: (config) => new SourceMatchTermination(config.sources as string[]),
    dump: (v) => ({ sources: [...v.sources] }),
  }),
  termination<TextMessageTermination>("TextMessageTermination", {
    description: "Stops on a TextMessage (from the source, when given).",
    schema: { type: "object", properties: { source: { type: "string" } } },
    classes: [TextMessageTermination],
    load: (config) =>
      new TextMessageTermination(typeof config.source === "string" ? { source: config.source } : {}),
    dump: (v) => (v.source === undefined ? {} : { source: v.source }),
  }),
  termination<FunctionCallTermination>("FunctionCallTermination", {
    description: "Stops when the named function has been executed.",
    schema: {
      type: "object",
      required: ["function_name"],
      properties: { function_name: { type: "string" } },
    },
    classes: [FunctionCallTermination],
    load: (config) => new FunctionCallTermination(config.function_name as string),
    dump: (v) => ({ function_name: v.functionName }),
  }),
  termination<TimeoutTermination>("TimeoutTermination", {
    description: "Stops after a number of seconds.",
    schema: {
      type: "object",
      required: ["timeout_seconds"],
      properties: { timeout_seconds: { type: "number", exclusiveMinimum: 0 } },
    },
    classes: [TimeoutTermination],
    load: (config) => new TimeoutTermination(config.timeout_seconds as number),
    dump: (v) => ({ timeout_seconds: v.timeoutSeconds }),
  }),
  termination<TokenUsageTermination>("TokenUsageTermination", {
    description: "Stops once token usage passes a limit.",
    schema: {
      type: "object",
      properties: {
        max_total_token: { type: "integer", minimum: 1 },
        max_prompt_token: { type: "integer", minimum: 1 },
        max_completion_token: { type: "integer", minimum: 1 },
      },
    },
    classes: [TokenUsageTermination],
    load: (config) =>
      new TokenUsageTermination({
        ...(typeof config.max_total_token === "number" ? { maxTotalToken: config.max_total_token } : {}),
        ...(typeof config.max_prompt_token === "number" ? { maxPromptToken: config.max_prompt_token } : {}),
        ...(typeof config.max_completion_token === "number"
          ? { maxCompletionToken: config.max_completion_token }
          : {}),
      }),
    dump: (v) => ({
      ...(v.maxTotalToken === undefined ? {} : { max_total_token: v.maxTotalToken }),
      ...(v.maxPromptToken === undefined ? {} : { max_prompt_token: v.maxPromptToken }),
      ...(v.maxCompletionToken === undefined ? {} : { max_completion_token: v.maxCompletionToken }),
    }),
  }),
  termination<ExternalTermination>("ExternalTermination", {
    description: "Stops when its set() is called from outside the run.",
    schema: { type: "object" },
    classes: [ExternalTermination],
    load: () => new ExternalTermination(),
    dump: () => ({}),
  }),
];
