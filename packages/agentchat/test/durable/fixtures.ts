/**
 * A small durable-run cast for the tests: model clients whose reply depends only on the conversation
 * they are shown (so a team rebuilt in a fresh "process" answers as the first one did), a counting tool,
 * and teams built from them.
 */
import {
  BaseChatCompletionClient,
  type CreateOptions,
  type CreateResult,
  FunctionTool,
  type LLMMessage,
  type ModelInfo,
} from "@autogen-ts/core";
import { AssistantAgent, RoundRobinGroupChat, UserProxyAgent } from "../../src/index.js";

/** Calls made to the models of a test, across every rebuilt team. */
export interface Counters {
  model: number;
  /** Executions of the counting tool by call id (started, finished). */
  started: Map<string, number>;
  finished: Map<string, number>;
  /** Called inside the tool at each execution (by overall index): a test crashes the run here. */
  onTool?: (index: number, callId: string) => Promise<void> | void;
  toolRuns: number;
}

export function counters(): Counters {
  return { model: 0, started: new Map(), finished: new Map(), toolRuns: 0 };
}

const INFO: ModelInfo = {
  vision: false,
  functionCalling: true,
  jsonOutput: false,
  family: "unknown",
  structuredOutput: false,
};

/**
 * Answers by how many replies of its own the conversation holds: with `tools`, even counts ask for the
 * tool and odd ones answer in words; without, always words.
 */
export class ConversationModel extends BaseChatCompletionClient {
  readonly modelInfo = INFO;
  protected readonly contextWindow = 100_000;

  constructor(
    readonly label: string,
    readonly counts: Counters,
    readonly tools: boolean,
  ) {
    super();
  }

  async create(messages: readonly LLMMessage[], _options?: CreateOptions): Promise<CreateResult> {
    this.counts.model += 1;
    const n = messages.filter((m) => m.type === "AssistantMessage").length;
    const usage = { promptTokens: 1, completionTokens: 1 };
    if (this.tools && n % 2 === 0) {
      return {
        finishReason: "function_calls",
        content: [
          { id: `${this.label}-${n}-a`, name: "count", arguments: JSON.stringify({ x: n }) },
          { id: `${this.label}-${n}-b`, name: "count", arguments: JSON.stringify({ x: n + 1 }) },
        ],
        usage,
        cached: false,
      };
    }
    return { finishReason: "stop", content: `${this.label} says ${n}`, usage, cached: false };
  }

  async *createStream(
    messages: readonly LLMMessage[],
    options?: CreateOptions,
  ): AsyncIterable<string | CreateResult> {
    yield await this.create(messages, options);
  }
}

/** The counting tool: records each execution's start and finish by call id. */
export function countTool(counts: Counters, idempotent = true): FunctionTool {
  return new FunctionTool({
    name: "count",
    description: "Counts.",
    parameters: { type: "object", properties: { x: { type: "number" } }, required: ["x"] },
    idempotent,
    run: async (args: Record<string, unknown>, { callId }) => {
      const id = callId ?? "?";
      counts.started.set(id, (counts.started.get(id) ?? 0) + 1);
      const index = counts.toolRuns++;
      await counts.onTool?.(index, id);
      counts.finished.set(id, (counts.finished.get(id) ?? 0) + 1);
      return `counted ${String(args.x)}`;
    },
  });
}

/** Two assistants, the first with the counting tool, taking turns for `maxTurns`. */
export function toolTeam(
  counts: Counters,
  options: { idempotent?: boolean; extra?: boolean; maxTurns?: number } = {},
) {
  const a = new AssistantAgent({
    name: "a",
    modelClient: new ConversationModel("a", counts, true),
    tools: [countTool(counts, options.idempotent ?? true)],
    reflectOnToolUse: true,
  });
  const b = new AssistantAgent({ name: "b", modelClient: new ConversationModel("b", counts, false) });
  const participants = options.extra
    ? [a, b, new AssistantAgent({ name: "c", modelClient: new ConversationModel("c", counts, false) })]
    : [a, b];
  return new RoundRobinGroupChat({ participants, maxTurns: options.maxTurns ?? 4 });
}

/** An assistant and a person, then the assistant again. */
export function humanTeam(counts: Counters) {
  const a = new AssistantAgent({ name: "a", modelClient: new ConversationModel("a", counts, false) });
  const user = new UserProxyAgent({
    name: "user",
    inputFunc: () => {
      throw new Error("a durable run that parks input must not ask the input function");
    },
  });
  return new RoundRobinGroupChat({ participants: [a, user], maxTurns: 3 });
}

/** The transcript as the tests compare it: type, source and text of each message (ids and times differ). */
export function transcript(
  messages: readonly { type: string; source: string; toJSON(): unknown }[],
): string[] {
  return messages.map((m) => {
    const json = m.toJSON() as { content?: unknown };
    return `${m.type}|${m.source}|${JSON.stringify(json.content)}`;
  });
}
