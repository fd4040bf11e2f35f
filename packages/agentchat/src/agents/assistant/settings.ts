/**
 * An `AssistantAgent`'s settings, checked and resolved once at construction. Agents built alike (same
 * prompt, same switches, no per-agent objects such as a formatter or a schema) share one frozen settings
 * object: idle agents are many (a team of hundreds, a server holding one per session), so an agent keeps
 * only what differs from its neighbours.
 */

import type {
  ChatCompletionClient,
  StructuredOutputSchema,
  SystemMessage,
  ToolApprovalFunc,
} from "@autogen-ts/core";
import { ValidationError } from "@autogen-ts/core";
import type { TracerProvider } from "@opentelemetry/api";
import { type OutputContentPlan, planOutputContent } from "../output-content.js";
import type { AssistantAgentOptions, ToolCallSummaryFormatter } from "./options.js";

/** The resolved settings of one agent (or of several agents built alike). */
export interface Settings<Out = unknown> {
  readonly systemMessage: SystemMessage | undefined;
  readonly stream: boolean;
  readonly reflect: boolean;
  readonly summaryFormat: string;
  readonly summaryFormatter: ToolCallSummaryFormatter | undefined;
  readonly outputType: StructuredOutputSchema<Out> | undefined;
  readonly outputFormat: string | undefined;
  /** How the model is asked for `outputType` (its schema, JSON mode plus an instruction, or an instruction). */
  readonly outputPlan: OutputContentPlan | undefined;
  readonly maxToolIterations: number;
  readonly maxConcurrentToolCalls: number;
  readonly metadata: Readonly<Record<string, string>> | undefined;
  readonly tracerProvider: TracerProvider | undefined;
  readonly toolApprovalFunc: ToolApprovalFunc | undefined;
  /** Which optional settings were given (a bit each, see {@link GIVEN}), so `options` can say so. */
  readonly given: number;
  /** The agent's `producedMessageTypes`. */
  readonly produced: readonly string[];
}

/** Enough to overlap slow tools; few enough that a model asking for thousands of calls cannot exhaust sockets. */
const DEFAULT_MAX_CONCURRENT_TOOL_CALLS = 16;

/** The optional settings whose presence `options` reports (values of the others are kept anyway). */
export const GIVEN = [
  "description",
  "modelContext",
  "systemMessage",
  "modelClientStream",
  "reflectOnToolUse",
  "toolCallSummaryFormat",
  "maxToolIterations",
  "maxConcurrentToolCalls",
] as const;

/** True when the option `key` was given to the agent whose settings these are. */
export function wasGiven(settings: Settings, key: (typeof GIVEN)[number]): boolean {
  return (settings.given & (1 << GIVEN.indexOf(key))) !== 0;
}

const DEFAULT_SYSTEM: SystemMessage = Object.freeze({
  type: "SystemMessage",
  content:
    "You are a helpful assistant. Use your tools when they help. Reply with TERMINATE once the task is done.",
});

/** System messages by text: agents built with the same prompt share one frozen message. */
const SYSTEM_MESSAGES = new Map<string, SystemMessage>();

function systemMessage(content: string | null | undefined): SystemMessage | undefined {
  if (content === undefined) return DEFAULT_SYSTEM;
  if (content === null) return undefined;
  let message = SYSTEM_MESSAGES.get(content);
  if (message === undefined) {
    message = Object.freeze({ type: "SystemMessage", content });
    if (SYSTEM_MESSAGES.size < 1024) SYSTEM_MESSAGES.set(content, message);
  }
  return message;
}

const PRODUCED = new Map<number, readonly string[]>();

function producedTypes(structured: boolean, tools: boolean, handoffs: boolean): readonly string[] {
  const key = (+structured << 2) | (+tools << 1) | +handoffs;
  let types = PRODUCED.get(key);
  if (types === undefined) {
    const list = [structured ? "StructuredMessage" : "TextMessage"];
    if (tools) list.push("ToolCallSummaryMessage");
    if (handoffs) list.push("HandoffMessage");
    types = Object.freeze(list);
    PRODUCED.set(key, types);
  }
  return types;
}

/** Shared settings by prompt and switches; bounded, as prompts may be generated per agent. */
const SHARED = new Map<SystemMessage | undefined, Map<number, Settings>>();
let sharedCount = 0;

function positiveInteger(value: number, what: string, agent: string): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new ValidationError(`AssistantAgent '${agent}': ${what} must be an integer >= 1`);
  }
  return value;
}

/**
 * Checks `o` and returns the settings of agent `name`. `usesTools` and `hasHandoffs` say what the agent
 * was given (its tool lists are kept by the agent itself).
 */
export function resolveSettings<Out>(
  name: string,
  o: AssistantAgentOptions<Out>,
  client: ChatCompletionClient,
  usesTools: boolean,
  hasHandoffs: boolean,
): Settings<Out> {
  const maxToolIterations = o.maxToolIterations ?? 1;
  if (!Number.isInteger(maxToolIterations) || maxToolIterations < 1) {
    // AutoGen's words, so programs that match on them keep working.
    throw new ValidationError(
      `Maximum number of tool iterations must be greater than or equal to 1, got ${maxToolIterations}`,
      { code: "invalid_config" },
    );
  }
  const maxConcurrentToolCalls = positiveInteger(
    o.maxConcurrentToolCalls ?? DEFAULT_MAX_CONCURRENT_TOOL_CALLS,
    "maxConcurrentToolCalls",
    name,
  );
  // Read by name, not through a loop over GIVEN (a keyed load per option cost ~40% of a construction).
  const given =
    (o.description !== undefined ? 1 : 0) |
    (o.modelContext !== undefined ? 2 : 0) |
    (o.systemMessage !== undefined ? 4 : 0) |
    (o.modelClientStream !== undefined ? 8 : 0) |
    (o.reflectOnToolUse !== undefined ? 16 : 0) |
    (o.toolCallSummaryFormat !== undefined ? 32 : 0) |
    (o.maxToolIterations !== undefined ? 64 : 0) |
    (o.maxConcurrentToolCalls !== undefined ? 128 : 0);
  const system = systemMessage(o.systemMessage);
  const stream = o.modelClientStream ?? false;
  const reflect = o.reflectOnToolUse ?? o.outputContentType !== undefined;
  const summaryFormat = o.toolCallSummaryFormat ?? "{result}";
  // Only settings made of switches and small numbers are shared; an agent given its own objects (a
  // formatter, a schema, metadata, a provider) or a summary template keeps its own settings. The key is
  // one number: the given bits, the switches, and the two limits.
  const shareable =
    o.toolCallSummaryFormat === undefined &&
    o.toolCallSummaryFormatter === undefined &&
    o.outputContentType === undefined &&
    o.outputContentTypeFormat === undefined &&
    o.metadata === undefined &&
    o.tracerProvider === undefined &&
    o.toolApprovalFunc === undefined &&
    maxToolIterations < 256 &&
    maxConcurrentToolCalls < 2048;
  const key = shareable
    ? given |
      (+stream << 8) |
      (+reflect << 9) |
      (+usesTools << 10) |
      (+hasHandoffs << 11) |
      (maxToolIterations << 12) |
      (maxConcurrentToolCalls << 20)
    : undefined;
  if (key !== undefined) {
    const found = SHARED.get(system)?.get(key);
    if (found !== undefined) return found as Settings<Out>;
  }
  const settings: Settings<Out> = Object.freeze({
    systemMessage: system,
    stream,
    reflect,
    summaryFormat,
    summaryFormatter: o.toolCallSummaryFormatter,
    outputType: o.outputContentType,
    outputFormat: o.outputContentTypeFormat,
    outputPlan:
      o.outputContentType === undefined
        ? undefined
        : planOutputContent(o.outputContentType, client.modelInfo),
    maxToolIterations,
    maxConcurrentToolCalls,
    metadata: o.metadata,
    tracerProvider: o.tracerProvider,
    toolApprovalFunc: o.toolApprovalFunc,
    given,
    // Handoffs alone can still end in a summary: the model may call a tool name that does not exist.
    produced: producedTypes(o.outputContentType !== undefined, usesTools, hasHandoffs),
  });
  if (key !== undefined && sharedCount < 4096) {
    let byKey = SHARED.get(system);
    if (byKey === undefined) {
      byKey = new Map();
      SHARED.set(system, byKey);
    }
    byKey.set(key, settings);
    sharedCount += 1;
  }
  return settings;
}
