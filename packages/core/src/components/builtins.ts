/**
 * Component definitions of core's own classes: `FunctionTool` (JavaScript source), `StaticWorkbench`,
 * `ListMemory` and the model contexts, under AutoGen's provider names and ours (`autogen_ts.core.*`).
 */

import { ValidationError } from "../errors.js";
import { ListMemory } from "../memory/list-memory.js";
import type { MemoryContent } from "../memory/types.js";
import { BufferedChatCompletionContext } from "../model-context/buffered.js";
import { HeadAndTailChatCompletionContext } from "../model-context/head-and-tail.js";
import { TokenLimitedChatCompletionContext } from "../model-context/token-limited.js";
import { UnboundedChatCompletionContext } from "../model-context/unbounded.js";
import type { LLMMessage, ModelInfo } from "../models/types.js";
import { FunctionTool } from "../tools/function-tool.js";
import { StaticWorkbench, type ToolOverride } from "../tools/static-workbench.js";
import type { JsonSchema, Tool } from "../tools/types.js";
import { componentSlot } from "./schema.js";
import type { ComponentDefinition, DumpContext, LoadContext } from "./types.js";

/** The JSON Schema of AutoGen's `model_info` (snake_case). */
export const MODEL_INFO_SCHEMA: JsonSchema = {
  type: "object",
  properties: {
    vision: { type: "boolean" },
    function_calling: { type: "boolean" },
    json_output: { type: "boolean" },
    structured_output: { type: "boolean" },
    family: { type: "string" },
    multiple_system_messages: { type: "boolean" },
  },
};

/** Reads AutoGen's `model_info` into a partial {@link ModelInfo}. */
export function modelInfoFromConfig(value: unknown): Partial<ModelInfo> | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const v = value as Record<string, unknown>;
  const out: { -readonly [K in keyof ModelInfo]?: ModelInfo[K] } = {};
  if (typeof v.vision === "boolean") out.vision = v.vision;
  if (typeof v.function_calling === "boolean") out.functionCalling = v.function_calling;
  if (typeof v.json_output === "boolean") out.jsonOutput = v.json_output;
  if (typeof v.structured_output === "boolean") out.structuredOutput = v.structured_output;
  if (typeof v.family === "string") out.family = v.family;
  if (typeof v.multiple_system_messages === "boolean")
    out.multipleSystemMessages = v.multiple_system_messages;
  return out;
}

/** Writes a {@link ModelInfo} as AutoGen's `model_info`. */
export function modelInfoToConfig(info: Partial<ModelInfo>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (info.vision !== undefined) out.vision = info.vision;
  if (info.functionCalling !== undefined) out.function_calling = info.functionCalling;
  if (info.jsonOutput !== undefined) out.json_output = info.jsonOutput;
  if (info.family !== undefined) out.family = info.family;
  if (info.structuredOutput !== undefined) out.structured_output = info.structuredOutput;
  if (info.multipleSystemMessages !== undefined) out.multiple_system_messages = info.multipleSystemMessages;
  return out;
}

/** Keys of `config` whose value is neither undefined nor null, copied. */
export function compact(config: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config)) if (value !== undefined) out[key] = value;
  return out;
}

const INITIAL_MESSAGES_SCHEMA: JsonSchema = {
  type: "array",
  items: {
    type: "object",
    required: ["type", "content"],
    properties: {
      type: { enum: ["SystemMessage", "UserMessage", "AssistantMessage"] },
      source: { type: "string" },
    },
  },
};

function initialMessages(config: Readonly<Record<string, unknown>>): { initialMessages?: LLMMessage[] } {
  const list = config.initial_messages as readonly Record<string, unknown>[] | undefined | null;
  if (!list || list.length === 0) return {};
  return {
    initialMessages: list.map((m) =>
      m.type === "SystemMessage"
        ? { type: "SystemMessage", content: String(m.content) }
        : ({ type: m.type, content: m.content, source: String(m.source ?? "user") } as LLMMessage),
    ),
  };
}

function dumpInitial(context: DumpContext): Record<string, unknown> {
  const loaded = context.loadedFrom?.initial_messages;
  return Array.isArray(loaded) && loaded.length > 0 ? { initial_messages: loaded } : {};
}

const unbounded: ComponentDefinition<UnboundedChatCompletionContext> = {
  provider: "autogen_core.model_context.UnboundedChatCompletionContext",
  ownName: "autogen_ts.core.UnboundedChatCompletionContext",
  componentType: "chat_completion_context",
  componentVersion: 1,
  description: "A model context that shows the model every message.",
  label: "UnboundedChatCompletionContext",
  schema: { type: "object", properties: { initial_messages: INITIAL_MESSAGES_SCHEMA } },
  classes: [UnboundedChatCompletionContext],
  load: (config) => new UnboundedChatCompletionContext(initialMessages(config)),
  dump: (_value, context) => dumpInitial(context),
};

const buffered: ComponentDefinition<BufferedChatCompletionContext> = {
  provider: "autogen_core.model_context.BufferedChatCompletionContext",
  ownName: "autogen_ts.core.BufferedChatCompletionContext",
  componentType: "chat_completion_context",
  componentVersion: 1,
  description: "A model context that shows the model the last buffer_size messages.",
  label: "BufferedChatCompletionContext",
  schema: {
    type: "object",
    required: ["buffer_size"],
    properties: { buffer_size: { type: "integer", minimum: 1 }, initial_messages: INITIAL_MESSAGES_SCHEMA },
  },
  classes: [BufferedChatCompletionContext],
  load: (config) =>
    new BufferedChatCompletionContext({
      bufferSize: config.buffer_size as number,
      ...initialMessages(config),
    }),
  dump: (value, context) => ({ buffer_size: value.bufferSize, ...dumpInitial(context) }),
};

const headAndTail: ComponentDefinition<HeadAndTailChatCompletionContext> = {
  provider: "autogen_core.model_context.HeadAndTailChatCompletionContext",
  ownName: "autogen_ts.core.HeadAndTailChatCompletionContext",
  componentType: "chat_completion_context",
  componentVersion: 1,
  description: "A model context that shows the model the first head_size and the last tail_size messages.",
  label: "HeadAndTailChatCompletionContext",
  schema: {
    type: "object",
    required: ["head_size", "tail_size"],
    properties: {
      head_size: { type: "integer", minimum: 0 },
      tail_size: { type: "integer", minimum: 1 },
      initial_messages: INITIAL_MESSAGES_SCHEMA,
    },
  },
  classes: [HeadAndTailChatCompletionContext],
  load: (config) =>
    new HeadAndTailChatCompletionContext({
      headSize: config.head_size as number,
      tailSize: config.tail_size as number,
      ...initialMessages(config),
    }),
  dump: (value, context) => ({ head_size: value.head, tail_size: value.tail, ...dumpInitial(context) }),
};

const tokenLimited: ComponentDefinition<TokenLimitedChatCompletionContext> = {
  provider: "autogen_core.model_context.TokenLimitedChatCompletionContext",
  ownName: "autogen_ts.core.TokenLimitedChatCompletionContext",
  componentType: "chat_completion_context",
  componentVersion: 1,
  description: "A model context that shows the model as many recent messages as fit in token_limit tokens.",
  label: "TokenLimitedChatCompletionContext",
  schema: {
    type: "object",
    required: ["model_client"],
    properties: {
      model_client: componentSlot("model"),
      token_limit: { type: "integer", minimum: 1 },
      initial_messages: INITIAL_MESSAGES_SCHEMA,
    },
  },
  classes: [TokenLimitedChatCompletionContext],
  load: async (config, context) =>
    new TokenLimitedChatCompletionContext({
      modelClient: await context.load(config.model_client, "model_client", "model"),
      ...(typeof config.token_limit === "number" ? { tokenLimit: config.token_limit } : {}),
      ...initialMessages(config),
    }),
  dump: async (value, context) => {
    // The context does not keep its client; one loaded from a document dumps the client it was given.
    const loaded = context.loadedFrom?.model_client;
    if (loaded === undefined)
      throw new ValidationError("TokenLimitedChatCompletionContext keeps no modelClient to dump", {
        code: "invalid_config",
      });
    return compact({ model_client: loaded, token_limit: value.tokenLimit, ...dumpInitial(context) });
  },
};

async function loadTools(list: unknown, key: string, context: LoadContext): Promise<Tool[]> {
  const items = (list ?? []) as readonly unknown[];
  return Promise.all(items.map((item, i) => context.load<Tool>(item, [key, i], "tool")));
}

const staticWorkbench: ComponentDefinition<StaticWorkbench> = {
  provider: "autogen_core.tools.StaticWorkbench",
  aliases: ["autogen_core.tools.StaticStreamWorkbench"],
  ownName: "autogen_ts.core.StaticWorkbench",
  componentType: "workbench",
  componentVersion: 1,
  description: "A workbench with a fixed list of tools.",
  label: "StaticWorkbench",
  schema: {
    type: "object",
    properties: {
      tools: { type: "array", items: componentSlot("tool") },
      tool_overrides: {
        type: "object",
        additionalProperties: {
          type: "object",
          properties: { name: { type: ["string", "null"] }, description: { type: ["string", "null"] } },
        },
      },
    },
  },
  classes: [StaticWorkbench],
  load: async (config, context) =>
    new StaticWorkbench({
      tools: await loadTools(config.tools, "tools", context),
      toolOverrides: readToolOverrides(config.tool_overrides),
    }),
  dump: async (value, context) => ({
    tools: await Promise.all(value.tools.map((t) => context.dump(t))),
    ...(Object.keys(value.toolOverrides).length === 0
      ? {}
      : {
          tool_overrides: Object.fromEntries(
            Object.entries(value.toolOverrides).map(([k, o]) => [
              k,
              { name: o.name ?? null, description: o.description ?? null },
            ]),
          ),
        }),
  }),
};

/** AutoGen's `tool_overrides` (nulls for "keep the original") as {@link ToolOverride}s. */
function readToolOverrides(value: unknown): Record<string, ToolOverride> | undefined {
  if (value === undefined || value === null) return undefined;
  const overrides: Record<string, ToolOverride> = {};
  for (const [name, o] of Object.entries(
    value as Record<string, { name?: unknown; description?: unknown }>,
  )) {
    overrides[name] = {
      ...(typeof o?.name === "string" ? { name: o.name } : {}),
      ...(typeof o?.description === "string" ? { description: o.description } : {}),
    };
  }
  return overrides;
}

/** Evaluates JavaScript function source from a document into a function. */
export function compileJavaScriptFunction(source: string): (...args: unknown[]) => unknown {
  // The source is a function expression (`async ({ a, b }) => a + b`, `function f(x) {...}`) or a
  // method shorthand (`run(args) {...}`), which is only an expression once prefixed with `function`.
  const attempts = [source, `function ${source}`];
  for (const text of attempts) {
    try {
      const value = new Function(`"use strict"; return (${text});`)() as unknown;
      if (typeof value === "function") return value as (...args: unknown[]) => unknown;
    } catch {
      // Try the next reading.
    }
  }
  throw new ValidationError("source_code is not a JavaScript function expression", {
    code: "invalid_config",
  });
}

/** The JSON Schema of a `FunctionTool` config: AutoGen's fields, plus `language` and `parameters` for ours. */
export const FUNCTION_TOOL_SCHEMA: JsonSchema = {
  type: "object",
  required: ["source_code", "name"],
  properties: {
    source_code: { type: "string" },
    name: { type: "string", pattern: "^[a-zA-Z0-9_-]{1,64}$" },
    description: { type: "string" },
    global_imports: { type: "array" },
    has_cancellation_support: { type: "boolean" },
    language: { enum: ["python", "javascript"] },
    parameters: { type: "object" },
    strict: { type: "boolean" },
  },
};

/** The language of a `FunctionTool` config: `python` (AutoGen's, the default) or `javascript` (ours). */
export function functionToolLanguage(config: Readonly<Record<string, unknown>>): "python" | "javascript" {
  return config.language === "javascript" ? "javascript" : "python";
}

/** Loads a JavaScript `FunctionTool` config. */
export function loadJavaScriptFunctionTool(
  config: Readonly<Record<string, unknown>>,
  context: LoadContext,
): FunctionTool {
  let run: (...args: unknown[]) => unknown;
  try {
    run = compileJavaScriptFunction(config.source_code as string);
  } catch (error) {
    throw context.error("source_code", (error as Error).message);
  }
  return new FunctionTool({
    name: config.name as string,
    description: (config.description as string | undefined) ?? "",
    parameters: (config.parameters as JsonSchema | undefined) ?? { type: "object", properties: {} },
    // The compiled function itself, so that a dump writes its source back unchanged.
    run: run as (args: Record<string, unknown>, context: unknown) => unknown,
    ...(config.strict === true ? { strict: true } : {}),
  });
}

/**
 * `FunctionTool` under AutoGen's provider name. JavaScript source loads here; Python source needs the
 * process-backed tool of `@autogen-ts/ext` (its registry replaces this definition).
 */
export const functionToolDefinition: ComponentDefinition<FunctionTool> = {
  provider: "autogen_core.tools.FunctionTool",
  ownName: "autogen_ts.core.FunctionTool",
  componentType: "tool",
  componentVersion: 1,
  description: "A tool made from a function; its source code travels in the config.",
  label: "FunctionTool",
  schema: FUNCTION_TOOL_SCHEMA,
  carriesCode: true,
  classes: [FunctionTool],
  load(config, context) {
    if (functionToolLanguage(config) === "python") {
      throw context.error(
        "source_code",
        "a Python FunctionTool runs in a Python process; load it with loadComponent from @autogen-ts/ext/components",
      );
    }
    return loadJavaScriptFunctionTool(config, context);
  },
  dump: (tool) => dumpJavaScriptFunctionTool(tool),
};

/** A TypeScript/JavaScript `FunctionTool` as a config with its source and `language: "javascript"`. */
export function dumpJavaScriptFunctionTool(tool: FunctionTool): Record<string, unknown> {
  const source = tool.implementation.toString();
  if (source.includes("[native code]")) {
    throw new ValidationError(
      `FunctionTool "${tool.name}" wraps a native or bound function, which has no source to dump`,
      { code: "invalid_config" },
    );
  }
  return {
    source_code: source,
    name: tool.name,
    description: tool.description,
    global_imports: [],
    has_cancellation_support: true,
    language: "javascript",
    parameters: tool.parameters,
    ...(tool.schema.strict ? { strict: true } : {}),
  };
}

/** One item of AutoGen's `memory_contents`, read into a {@link MemoryContent}. */
function memoryItemFromConfig(item: Readonly<Record<string, unknown>>): MemoryContent {
  const metadata = item.metadata;
  return {
    content: item.content as MemoryContent["content"],
    mimeType: item.mime_type as string,
    ...(metadata && typeof metadata === "object" ? { metadata: metadata as Record<string, unknown> } : {}),
  };
}

function memoryItemToConfig(item: MemoryContent, index: number, memory: string): Record<string, unknown> {
  if (typeof item.content === "object" && (item.content as { type?: unknown }).type === "image") {
    throw new ValidationError(
      `ListMemory "${memory}": item ${index} is an image, which a component document does not hold; keep images out of a memory you dump`,
      { code: "invalid_config" },
    );
  }
  return { content: item.content, mime_type: item.mimeType, metadata: item.metadata ?? null };
}

const listMemory: ComponentDefinition<ListMemory> = {
  provider: "autogen_core.memory.ListMemory",
  ownName: "autogen_ts.core.ListMemory",
  componentType: "memory",
  componentVersion: 1,
  description: "A memory that keeps a list of items and adds all of them to the model context.",
  label: "ListMemory",
  schema: {
    type: "object",
    properties: {
      name: { type: ["string", "null"] },
      memory_contents: {
        type: "array",
        items: {
          type: "object",
          required: ["content", "mime_type"],
          properties: {
            content: { type: ["string", "object"] },
            mime_type: { type: "string", minLength: 1 },
            metadata: { type: ["object", "null"] },
          },
        },
      },
    },
  },
  classes: [ListMemory],
  load: (config) =>
    new ListMemory({
      ...(typeof config.name === "string" ? { name: config.name } : {}),
      memoryContents: ((config.memory_contents ?? []) as readonly Record<string, unknown>[]).map(
        memoryItemFromConfig,
      ),
    }),
  dump: (memory) => ({
    name: memory.name,
    memory_contents: memory.content.map((item, i) => memoryItemToConfig(item, i, memory.name)),
  }),
};

/** Every definition of core's classes. */
export const CORE_COMPONENT_DEFINITIONS: readonly ComponentDefinition<unknown>[] = [
  unbounded,
  buffered,
  headAndTail,
  tokenLimited,
  staticWorkbench,
  functionToolDefinition,
  listMemory,
];
