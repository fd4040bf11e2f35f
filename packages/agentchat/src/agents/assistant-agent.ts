/**
 * `AssistantAgent`: a chat agent backed by a model, with tools, workbenches, handoffs, a model context,
 * memory, structured output and streaming. This file is the agent's face (options, state, lifecycle);
 * the turn itself is in `assistant/`: the loop (`turn.ts`), the tool index (`tool-index.ts`), the model
 * call (`model-call.ts`), the tool calls (`tool-execution.ts`), the replies (`replies.ts`) and the
 * streaming bridge (`stream.ts`).
 */

import type { ChatCompletionClient, ChatCompletionContext, Memory, Tool, Workbench } from "@autogen-ts/core";
import { UnboundedChatCompletionContext, ValidationError } from "@autogen-ts/core";
import { checkAgentState } from "../base/state.js";
import type { CallOptions, Response } from "../base/types.js";
import type { BaseAgentMessage, BaseChatMessage } from "../messages/base.js";
import type { AssistantAgentOptions, AssistantAgentState } from "./assistant/options.js";
import { resolveSettings, type Settings, wasGiven } from "./assistant/settings.js";
import { streamTurn } from "./assistant/stream.js";
import { TurnRunner } from "./assistant/turn.js";
import { checkToolsAndHandoffs } from "./assistant-checks.js";
import { BaseChatAgent } from "./base-chat-agent.js";
import { type Handoff, toHandoff } from "./handoff.js";

export type {
  AssistantAgentOptions,
  AssistantAgentState,
  ToolCallSummaryFormatter,
} from "./assistant/options.js";

const STATE_TYPE = "AssistantAgentState";
const STATE_VERSION = 1;
const DESCRIPTION = "An agent that answers with a model and can use tools. Give it a task.";

// Shared by every agent without tools, workbenches, memory or handoffs: nothing to allocate per agent.
const EMPTY: readonly never[] = Object.freeze([]);

function copyOrEmpty<T>(list: readonly T[] | undefined): readonly T[] {
  return list === undefined || list.length === 0 ? EMPTY : [...list];
}

function workbenchList(workbench: Workbench | readonly Workbench[] | undefined): readonly Workbench[] {
  if (workbench === undefined) return EMPTY;
  return Array.isArray(workbench) ? copyOrEmpty(workbench as readonly Workbench[]) : [workbench as Workbench];
}

/**
 * A model-backed chat agent.
 *
 * @example
 * ```ts
 * const agent = new AssistantAgent({ name: "writer", modelClient, tools: [weather], reflectOnToolUse: true });
 * const result = await agent.run({ task: "What is the weather in Paris?" });
 * ```
 *
 * One agent handles one turn at a time; a second concurrent call is a `ValidationError`.
 */
export class AssistantAgent<Out = unknown> extends BaseChatAgent {
  /** The model. */
  readonly modelClient: ChatCompletionClient;
  // An idle agent holds its own lists, its (often shared) settings and nothing else: the model context
  // and the turn runner with its tool index are made at first use.
  #modelContext: ChatCompletionContext | undefined;
  readonly #tools: readonly Tool[];
  readonly #workbenches: readonly Workbench[];
  readonly #handoffs: readonly Handoff[];
  readonly #memory: readonly Memory[];
  readonly #settings: Settings<Out>;
  #runner: TurnRunner<Out> | undefined;

  constructor(options: AssistantAgentOptions<Out>) {
    super({ name: options?.name, description: options?.description ?? DESCRIPTION });
    const o = options;
    if (o.modelClient === undefined || typeof o.modelClient.create !== "function") {
      throw new ValidationError(`AssistantAgent '${this.name}' needs a 'modelClient'`);
    }
    this.modelClient = o.modelClient;
    // AutoGen's checks, in its order and words (programs that match on them keep working).
    const functionCalling = this.modelClient.modelInfo.functionCalling;
    if (o.tools !== undefined && o.tools.length > 0 && !functionCalling) {
      throw new ValidationError("The model does not support function calling.", { code: "invalid_config" });
    }
    const tools = copyOrEmpty(o.tools);
    if (tools.length > 0 || (o.handoffs !== undefined && o.handoffs.length > 0)) {
      checkToolsAndHandoffs(tools, o.handoffs, functionCalling);
    }
    if (o.workbench !== undefined && tools.length > 0) {
      throw new ValidationError("Tools cannot be used with a workbench.", { code: "invalid_config" });
    }
    const handoffs = o.handoffs === undefined || o.handoffs.length === 0 ? EMPTY : o.handoffs.map(toHandoff);
    const workbenches = workbenchList(o.workbench);
    if (workbenches.length > 0 && !functionCalling) {
      throw new ValidationError("The model does not support function calling.", { code: "invalid_config" });
    }
    this.#tools = tools;
    this.#workbenches = workbenches;
    this.#handoffs = handoffs;
    this.#memory = copyOrEmpty(o.memory);
    this.#modelContext = o.modelContext;
    const usesTools = tools.length > 0 || workbenches.length > 0 || handoffs.length > 0;
    this.#settings = resolveSettings(this.name, o, this.modelClient, usesTools, handoffs.length > 0);
  }

  /** The model context holding the conversation (an unbounded one unless the options gave one). */
  get modelContext(): ChatCompletionContext {
    this.#modelContext ??= new UnboundedChatCompletionContext();
    return this.#modelContext;
  }

  /** `TextMessage` (or `StructuredMessage`), plus `ToolCallSummaryMessage` and `HandoffMessage` as configured. */
  get producedMessageTypes(): readonly string[] {
    return this.#settings.produced;
  }

  /**
   * The options this agent was built with (read-only; for dumping it as a component). Rebuilt on each
   * read rather than kept, so that an idle agent holds only what it uses.
   */
  get options(): Readonly<AssistantAgentOptions<Out>> {
    const options: { -readonly [K in keyof AssistantAgentOptions<Out>]: AssistantAgentOptions<Out>[K] } = {
      name: this.name,
      modelClient: this.modelClient,
    };
    const s = this.#settings;
    if (wasGiven(s, "description")) options.description = this.description;
    if (wasGiven(s, "modelContext")) options.modelContext = this.modelContext;
    if (wasGiven(s, "systemMessage")) options.systemMessage = s.systemMessage?.content ?? null;
    if (wasGiven(s, "modelClientStream")) options.modelClientStream = s.stream;
    if (wasGiven(s, "reflectOnToolUse")) options.reflectOnToolUse = s.reflect;
    if (wasGiven(s, "toolCallSummaryFormat")) options.toolCallSummaryFormat = s.summaryFormat;
    if (wasGiven(s, "maxToolIterations")) options.maxToolIterations = s.maxToolIterations;
    if (wasGiven(s, "maxConcurrentToolCalls")) options.maxConcurrentToolCalls = s.maxConcurrentToolCalls;
    if (this.#tools.length > 0) options.tools = this.#tools;
    if (this.#workbenches.length > 0) options.workbench = this.#workbenches;
    if (this.#handoffs.length > 0) {
      options.handoffs = this.#handoffs.map(({ target, name, description, message }) => ({
        target,
        name,
        description,
        message,
      }));
    }
    if (this.#memory.length > 0) options.memory = this.#memory;
    if (s.summaryFormatter !== undefined) options.toolCallSummaryFormatter = s.summaryFormatter;
    if (s.outputType !== undefined) options.outputContentType = s.outputType;
    if (s.outputFormat !== undefined) options.outputContentTypeFormat = s.outputFormat;
    if (s.metadata !== undefined) options.metadata = s.metadata;
    if (s.tracerProvider !== undefined) options.tracerProvider = s.tracerProvider;
    if (s.toolApprovalFunc !== undefined) options.toolApprovalFunc = s.toolApprovalFunc;
    return options;
  }

  /** The handoffs this agent may make, resolved. */
  get handoffs(): readonly Handoff[] {
    return this.#handoffs;
  }

  #turns(): TurnRunner<Out> {
    this.#runner ??= new TurnRunner<Out>({
      name: this.name,
      description: this.description,
      modelClient: this.modelClient,
      modelContext: this.modelContext,
      settings: this.#settings,
      tools: this.#tools,
      workbenches: this.#workbenches,
      handoffs: this.#handoffs,
      memory: this.#memory,
    });
    return this.#runner;
  }

  /**
   * Handles new messages and returns the reply, with the turn's events as `innerMessages`. Cancelling
   * through `signal` rejects with a `CancelledError`; what happened until then stays in the model context.
   */
  async onMessages(messages: readonly BaseChatMessage[], options: CallOptions = {}): Promise<Response> {
    return this.#turns().handle(messages, options.signal, undefined, options.journal);
  }

  /**
   * Handles new messages: yields memory, thought, streaming and tool events as they happen, then the
   * {@link Response}. Cancelling through `signal` rejects with a `CancelledError`; what happened until
   * then stays in the model context. A consumer that stops reading early cancels the turn.
   */
  override onMessagesStream(
    messages: readonly BaseChatMessage[],
    options: CallOptions = {},
  ): AsyncGenerator<BaseAgentMessage | Response> {
    return streamTurn(this.#turns() as TurnRunner, messages, options);
  }

  /** Clears the model context. */
  async onReset(_options?: CallOptions): Promise<void> {
    await this.modelContext.clear();
  }

  /**
   * Stops the agent's workbenches (an MCP server's session ends with the agent that uses it) and closes
   * its memories. A team's `close()` calls this for every participant.
   */
  override async close(): Promise<void> {
    await Promise.allSettled([
      ...this.#workbenches.map((workbench) => workbench.stop()),
      ...this.#memory.map((memory) => memory.close()),
    ]);
  }

  /** The conversation, as a versioned document. */
  override async saveState(): Promise<AssistantAgentState> {
    return { type: STATE_TYPE, version: STATE_VERSION, llmContext: await this.modelContext.saveState() };
  }

  /**
   * Restores a conversation saved by {@link saveState}; the agent continues exactly where the saved one
   * stopped. A corrupt, foreign or outdated document is a `ValidationError` (`invalid_state`).
   */
  override async loadState(state: unknown): Promise<void> {
    const doc = checkAgentState(state, STATE_TYPE, STATE_VERSION, `AssistantAgent '${this.name}'`);
    if (!("llmContext" in doc)) {
      throw new ValidationError(`AssistantAgent '${this.name}': the saved state has no 'llmContext'`, {
        code: "invalid_state",
      });
    }
    await this.modelContext.loadState(doc.llmContext);
  }
}
