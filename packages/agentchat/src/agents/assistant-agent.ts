/**
 * `AssistantAgent`: a chat agent backed by a model, with tools, workbenches, handoffs, a model context,
 * memory, structured output and streaming. One turn: add the new messages to the context, query memory,
 * call the model, run the tool calls it asks for (concurrently), and repeat up to `maxToolIterations`;
 * then reply with text, structured content, a tool-call summary or a handoff.
 */

import type {
  AssistantMessage,
  ChatCompletionClient,
  ChatCompletionContext,
  CreateOptions,
  CreateResult,
  FunctionCall,
  FunctionExecutionResult,
  LLMMessage,
  Memory,
  RequestUsage,
  StructuredOutputSchema,
  SystemMessage,
  Tool,
  ToolApprovalFunc,
  ToolResult,
  ToolSchema,
  Workbench,
} from "@autogen-ts/core";
import {
  CancelledError,
  describeValidationError,
  isCreateResult,
  ModelError,
  mapConcurrent,
  parseStructuredOutput,
  sumUsage,
  throwIfAborted,
  toolResultText,
  UnboundedChatCompletionContext,
  ValidationError,
} from "@autogen-ts/core";
import type { Context, TracerProvider } from "@opentelemetry/api";
import { checkAgentState } from "../base/state.js";
import type { AgentState, CallOptions, Response } from "../base/types.js";
import type { RunJournal } from "../durable/journal.js";
import type { BaseAgentMessage, BaseChatMessage } from "../messages/base.js";
import { isTransient, newMessageId } from "../messages/base.js";
import { HandoffMessage, StructuredMessage, TextMessage, ToolCallSummaryMessage } from "../messages/chat.js";
import {
  MemoryQueryEvent,
  ModelClientStreamingChunkEvent,
  ThoughtEvent,
  ToolCallExecutionEvent,
  ToolCallRequestEvent,
} from "../messages/events.js";
import {
  recordChatResult,
  recordError,
  recordErrorType,
  runInContext,
  setUsage,
  startAgentSpan,
  startChatSpan,
  startToolSpan,
} from "../tracing/genai.js";
import { BaseChatAgent } from "./base-chat-agent.js";
import { type Handoff, type HandoffSpec, toHandoff } from "./handoff.js";
import { refusedCalls } from "./tool-approval.js";

/** Turns one tool call and its result into a line of a {@link ToolCallSummaryMessage}. */
export type ToolCallSummaryFormatter = (call: FunctionCall, result: FunctionExecutionResult) => string;

/** Options of {@link AssistantAgent}. */
export interface AssistantAgentOptions<Out = unknown> {
  /** The agent's name (letters, digits, `_`, `-`). */
  readonly name: string;
  /** The model. */
  readonly modelClient: ChatCompletionClient;
  /** What the agent does, for other agents and selectors. */
  readonly description?: string;
  /** Tools the model may call. Not together with `workbench`. */
  readonly tools?: readonly Tool[];
  /** One or several workbenches (an MCP server, a `StaticWorkbench`) whose tools the model may call. */
  readonly workbench?: Workbench | readonly Workbench[];
  /** Agents this one may hand the conversation to; each becomes a `transfer_to_<name>` tool. */
  readonly handoffs?: readonly HandoffSpec[];
  /** Holds the conversation and decides what the model sees (default: an unbounded context). */
  readonly modelContext?: ChatCompletionContext;
  /** Memories queried before each model call; what they find goes into the context. */
  readonly memory?: readonly Memory[];
  /** The system prompt; `null` for none. */
  readonly systemMessage?: string | null;
  /** Stream the model's reply as {@link ModelClientStreamingChunkEvent}s (default false). */
  readonly modelClientStream?: boolean;
  /**
   * After the tool calls, call the model once more to answer in words (default false, or true when
   * `outputContentType` is set). Without it, the reply is a {@link ToolCallSummaryMessage}.
   */
  readonly reflectOnToolUse?: boolean;
  /**
   * The template of each line of a tool-call summary: `{toolName}`, `{arguments}`, `{result}` and
   * `{isError}` are replaced (default `"{result}"`).
   */
  readonly toolCallSummaryFormat?: string;
  /** Formats each line of a tool-call summary; takes precedence over `toolCallSummaryFormat`. */
  readonly toolCallSummaryFormatter?: ToolCallSummaryFormatter;
  /** A schema (zod, say) for the reply: the model is asked for it and the reply is a {@link StructuredMessage}. */
  readonly outputContentType?: StructuredOutputSchema<Out>;
  /** The text template of the structured reply (see {@link StructuredMessage}). */
  readonly outputContentTypeFormat?: string;
  /** How many rounds of model call and tool calls one turn may take (default 1). */
  readonly maxToolIterations?: number;
  /**
   * The most tool calls of one model reply that run at once (default 16); the rest wait their turn.
   * A model that asks for thousands of calls then does not start thousands of requests or processes.
   */
  readonly maxConcurrentToolCalls?: number;
  /** Annotations put on every reply of this agent. */
  readonly metadata?: Readonly<Record<string, string>>;
  /** Where the agent's spans go (as the runtime's option of that name); by default the global provider. */
  readonly tracerProvider?: TracerProvider;
  /**
   * Decides on calls of tools that say `needsApproval` (a person at a prompt, a policy). In a durable
   * run each such call is a persisted request instead, which this function answers only when the run
   * may ask now (`askInput`). Without either, those calls are refused.
   */
  readonly toolApprovalFunc?: ToolApprovalFunc;
}

/** The saved form of an {@link AssistantAgent}. */
export interface AssistantAgentState extends AgentState {
  readonly type: "AssistantAgentState";
  readonly version: 1;
  /** The model context's own saved document. */
  readonly llmContext: unknown;
}

const STATE_TYPE = "AssistantAgentState";
/** Enough to overlap slow tools; few enough that a model asking for thousands of calls cannot exhaust sockets. */
const DEFAULT_MAX_CONCURRENT_TOOL_CALLS = 16;
const STATE_VERSION = 1;
/** The optional settings whose presence `options` reports (values of the others are kept anyway). */
const GIVEN = [
  "description",
  "modelContext",
  "systemMessage",
  "modelClientStream",
  "reflectOnToolUse",
  "toolCallSummaryFormat",
  "maxToolIterations",
  "maxConcurrentToolCalls",
] as const;

/** System messages by text: agents built with the same prompt share one frozen message. */
const SYSTEM_MESSAGES = new Map<string, SystemMessage>();

function systemMessage(content: string): SystemMessage {
  let message = SYSTEM_MESSAGES.get(content);
  if (message === undefined) {
    message = Object.freeze({ type: "SystemMessage", content });
    if (SYSTEM_MESSAGES.size < 1024) SYSTEM_MESSAGES.set(content, message);
  }
  return message;
}

const DEFAULT_SYSTEM: SystemMessage = Object.freeze({
  type: "SystemMessage",
  content:
    "You are a helpful assistant. Use your tools when they help. Reply with TERMINATE once the task is done.",
});

// Idle agents are many (a team of hundreds, a server holding one per session): share what does not vary
// rather than allocate it per agent.
const EMPTY: readonly never[] = Object.freeze([]);

function copyOrEmpty<T>(list: readonly T[] | undefined): readonly T[] {
  return list === undefined || list.length === 0 ? EMPTY : [...list];
}

const PRODUCED = new Map<string, readonly string[]>();

function producedTypes(structured: boolean, tools: boolean, handoffs: boolean): readonly string[] {
  const key = `${+structured}${+tools}${+handoffs}`;
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

/** Where the model's tools come from in one turn: static tools, workbenches and handoffs, by name. */
interface ToolIndex {
  readonly schemas: ToolSchema[];
  readonly tools: Map<string, Tool>;
  readonly workbenches: Map<string, Workbench>;
  readonly handoffs: Map<string, Handoff>;
}

/** The outcome of one model call. */
interface ModelCall {
  readonly result: CreateResult;
  /** With streaming: the id the reply gets if it becomes the final chat message (chunks point to it). */
  readonly messageId?: string;
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
  /** The model context holding the conversation. */
  readonly modelContext: ChatCompletionContext;
  readonly #tools: readonly Tool[];
  readonly #workbenches: readonly Workbench[];
  readonly #handoffs: readonly Handoff[];
  readonly #memory: readonly Memory[];
  readonly #systemMessage: SystemMessage | undefined;
  readonly #stream: boolean;
  readonly #reflect: boolean;
  readonly #summaryFormat: string;
  readonly #summaryFormatter: ToolCallSummaryFormatter | undefined;
  readonly #outputType: StructuredOutputSchema<Out> | undefined;
  readonly #outputFormat: string | undefined;
  readonly #maxToolIterations: number;
  readonly #maxConcurrentToolCalls: number;
  readonly #metadata: Readonly<Record<string, string>> | undefined;
  readonly #produced: readonly string[];
  /** Without workbenches the tools cannot change: indexed once, at the first turn (idle agents pay nothing). */
  #staticIndex: ToolIndex | undefined;
  readonly #tracerProvider: TracerProvider | undefined;
  readonly #toolApprovalFunc: ToolApprovalFunc | undefined;
  #toolOptions: CreateOptions | undefined;
  #noToolOptions: CreateOptions | undefined;
  /** Which optional settings were given (a bit each, see {@link GIVEN}), so `options` can say so. */
  readonly #given: number;
  #busy = false;
  /** The unaborted controller of the last streamed turn, reused by the next. */
  #spareController: AbortController | undefined;

  constructor(options: AssistantAgentOptions<Out>) {
    super({
      name: options?.name,
      description:
        options?.description ?? "An agent that answers with a model and can use tools. Give it a task.",
    });
    const o = options;
    if (o.modelClient === undefined || typeof o.modelClient.create !== "function") {
      throw new ValidationError(`AssistantAgent '${this.name}' needs a 'modelClient'`);
    }
    this.modelClient = o.modelClient;
    if (o.tools !== undefined && o.workbench !== undefined) {
      throw new ValidationError(
        `AssistantAgent '${this.name}': give either 'tools' or 'workbench', not both (wrap tools in a StaticWorkbench)`,
        { code: "invalid_config" },
      );
    }
    this.#tools = copyOrEmpty(o.tools);
    this.#workbenches = Array.isArray(o.workbench)
      ? copyOrEmpty(o.workbench as readonly Workbench[])
      : o.workbench === undefined
        ? EMPTY
        : [o.workbench as Workbench];
    this.#handoffs = o.handoffs === undefined || o.handoffs.length === 0 ? EMPTY : o.handoffs.map(toHandoff);
    const names = new Set<string>();
    for (const name of [...this.#tools.map((t) => t.name), ...this.#handoffs.map((h) => h.name)]) {
      if (names.has(name)) {
        throw new ValidationError(
          `AssistantAgent '${this.name}': two tools or handoffs are named "${name}"`,
          {
            code: "invalid_config",
          },
        );
      }
      names.add(name);
    }
    const usesTools = this.#tools.length > 0 || this.#workbenches.length > 0 || this.#handoffs.length > 0;
    if (usesTools && !this.modelClient.modelInfo.functionCalling) {
      throw new ValidationError(
        `AssistantAgent '${this.name}' has tools or handoffs, but its model does not support function calling`,
        { code: "invalid_config" },
      );
    }
    if (o.outputContentType !== undefined && !this.modelClient.modelInfo.structuredOutput) {
      throw new ValidationError(
        `AssistantAgent '${this.name}' has an outputContentType, but its model does not support structured output`,
        { code: "invalid_config" },
      );
    }
    const maxIterations = o.maxToolIterations ?? 1;
    if (!Number.isInteger(maxIterations) || maxIterations < 1) {
      throw new ValidationError(`AssistantAgent '${this.name}': maxToolIterations must be an integer >= 1`);
    }
    this.#maxToolIterations = maxIterations;
    const maxConcurrent = o.maxConcurrentToolCalls ?? DEFAULT_MAX_CONCURRENT_TOOL_CALLS;
    if (!Number.isInteger(maxConcurrent) || maxConcurrent < 1) {
      throw new ValidationError(
        `AssistantAgent '${this.name}': maxConcurrentToolCalls must be an integer >= 1`,
      );
    }
    this.#maxConcurrentToolCalls = maxConcurrent;
    this.#toolApprovalFunc = o.toolApprovalFunc;
    this.modelContext = o.modelContext ?? new UnboundedChatCompletionContext();
    this.#memory = copyOrEmpty(o.memory);
    this.#systemMessage =
      o.systemMessage === undefined
        ? DEFAULT_SYSTEM
        : o.systemMessage === null
          ? undefined
          : systemMessage(o.systemMessage);
    this.#stream = o.modelClientStream ?? false;
    this.#outputType = o.outputContentType;
    this.#outputFormat = o.outputContentTypeFormat;
    this.#reflect = o.reflectOnToolUse ?? o.outputContentType !== undefined;
    this.#summaryFormat = o.toolCallSummaryFormat ?? "{result}";
    this.#summaryFormatter = o.toolCallSummaryFormatter;
    this.#metadata = o.metadata;
    this.#tracerProvider = o.tracerProvider;
    let given = 0;
    for (let bit = 0; bit < GIVEN.length; bit++)
      if (o[GIVEN[bit] as keyof typeof o] !== undefined) given |= 1 << bit;
    this.#given = given;
    this.#produced = producedTypes(
      this.#outputType !== undefined,
      // Handoffs alone can still end in a summary: the model may call a tool name that does not exist.
      this.#tools.length > 0 || this.#workbenches.length > 0 || this.#handoffs.length > 0,
      this.#handoffs.length > 0,
    );
  }

  /** `TextMessage` (or `StructuredMessage`), plus `ToolCallSummaryMessage` and `HandoffMessage` as configured. */
  get producedMessageTypes(): readonly string[] {
    return this.#produced;
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
    const given = (key: (typeof GIVEN)[number]) => (this.#given & (1 << GIVEN.indexOf(key))) !== 0;
    if (given("description")) options.description = this.description;
    if (given("modelContext")) options.modelContext = this.modelContext;
    if (given("systemMessage")) options.systemMessage = this.#systemMessage?.content ?? null;
    if (given("modelClientStream")) options.modelClientStream = this.#stream;
    if (given("reflectOnToolUse")) options.reflectOnToolUse = this.#reflect;
    if (given("toolCallSummaryFormat")) options.toolCallSummaryFormat = this.#summaryFormat;
    if (given("maxToolIterations")) options.maxToolIterations = this.#maxToolIterations;
    if (given("maxConcurrentToolCalls")) options.maxConcurrentToolCalls = this.#maxConcurrentToolCalls;
    if (this.#toolApprovalFunc !== undefined) options.toolApprovalFunc = this.#toolApprovalFunc;
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
    if (this.#summaryFormatter !== undefined) options.toolCallSummaryFormatter = this.#summaryFormatter;
    if (this.#outputType !== undefined) options.outputContentType = this.#outputType;
    if (this.#outputFormat !== undefined) options.outputContentTypeFormat = this.#outputFormat;
    if (this.#metadata !== undefined) options.metadata = this.#metadata;
    if (this.#tracerProvider !== undefined) options.tracerProvider = this.#tracerProvider;
    return options;
  }

  /** The handoffs this agent may make, resolved. */
  get handoffs(): readonly Handoff[] {
    return this.#handoffs;
  }

  /**
   * Handles new messages and returns the reply, with the turn's events as `innerMessages`. Cancelling
   * through `signal` rejects with a `CancelledError`; what happened until then stays in the model context.
   */
  async onMessages(messages: readonly BaseChatMessage[], options: CallOptions = {}): Promise<Response> {
    return this.#handle(messages, options.signal, undefined, options.journal);
  }

  /**
   * Handles new messages: yields memory, thought, streaming and tool events as they happen, then the
   * {@link Response}. Cancelling through `signal` rejects with a `CancelledError`; what happened until
   * then stays in the model context. A consumer that stops reading early cancels the turn.
   */
  override async *onMessagesStream(
    messages: readonly BaseChatMessage[],
    options: CallOptions = {},
  ): AsyncGenerator<BaseAgentMessage | Response> {
    // The turn runs as a plain async function (the fast path `onMessages` uses too) and hands its events
    // to this generator through a queue.
    // One signal for the turn: aborted by the caller's, or when the consumer stops reading. (A listener
    // rather than AbortSignal.any, which costs a WeakRef and a registry entry per turn in Node.)
    // An agent runs one turn at a time, so the controller of a turn that ended unaborted is kept for the
    // next (making one costs ~1 us in Node, a noticeable part of a team's turn).
    const spare = this.#spareController;
    this.#spareController = undefined;
    const leave = spare !== undefined && !spare.signal.aborted ? spare : new AbortController();
    const signal = leave.signal;
    const outer = options.signal;
    const forward = (): void => leave.abort(outer?.reason);
    if (outer?.aborted) forward();
    else outer?.addEventListener("abort", forward, { once: true });
    const queue: (BaseAgentMessage | Response)[] = [];
    let wake: (() => void) | undefined;
    let settled = false;
    let failure: { error: unknown } | undefined;
    const notify = () => {
      const w = wake;
      wake = undefined;
      w?.();
    };
    const turn = this.#handle(
      messages,
      signal,
      (event) => {
        queue.push(event);
        notify();
      },
      options.journal,
    ).then(
      (response) => {
        queue.push(response);
        settled = true;
        notify();
      },
      (error: unknown) => {
        failure = { error };
        settled = true;
        notify();
      },
    );
    let read = 0;
    try {
      while (true) {
        // Once cancelled, deliver nothing more of what the turn queued (the turn itself is settled in finally).
        throwIfAborted(options.signal);
        if (read < queue.length) {
          const item = queue[read] as BaseAgentMessage | Response;
          queue[read++] = undefined as never;
          yield item;
          continue;
        }
        if (settled) {
          if (failure !== undefined) throw failure.error;
          return;
        }
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
      }
    } finally {
      outer?.removeEventListener("abort", forward);
      if (!settled) {
        leave.abort(new CancelledError("The consumer of the agent's stream stopped reading"));
        await turn;
      }
      if (!leave.signal.aborted) this.#spareController = leave;
    }
  }

  /** One turn, inside an `invoke_agent` span; `sink` receives each event as it happens. */
  async #handle(
    messages: readonly BaseChatMessage[],
    signal: AbortSignal | undefined,
    sink: ((event: BaseAgentMessage) => void) | undefined,
    journal: RunJournal | undefined,
  ): Promise<Response> {
    if (this.#busy) {
      throw new ValidationError(
        `AssistantAgent '${this.name}' is already handling messages; one turn at a time`,
        {
          code: "invalid_state",
        },
      );
    }
    this.#busy = true;
    const agentSpan = startAgentSpan(this, undefined, this.#tracerProvider);
    const usages: RequestUsage[] = [];
    try {
      return await this.#turn(messages, signal, agentSpan.context, usages, sink, journal);
    } catch (error) {
      recordError(agentSpan.span, error);
      throw error;
    } finally {
      if (usages.length > 0 && agentSpan.span.isRecording()) setUsage(agentSpan.span, sumUsage(usages));
      agentSpan.span.end();
      this.#busy = false;
    }
  }

  async #turn(
    messages: readonly BaseChatMessage[],
    signal: AbortSignal | undefined,
    spanContext: Context,
    usages: RequestUsage[],
    sink: ((event: BaseAgentMessage) => void) | undefined,
    journal: RunJournal | undefined,
  ): Promise<Response> {
    const inner: BaseAgentMessage[] = [];
    const emit = (m: BaseAgentMessage): void => {
      if (!isTransient(m)) inner.push(m);
      sink?.(m);
    };

    throwIfAborted(signal);
    for (const m of messages) {
      if (m instanceof HandoffMessage) for (const c of m.context) await this.modelContext.addMessage(c);
      await this.modelContext.addMessage(m.toModelMessage());
    }

    for (const memory of this.#memory) {
      const found = await memory.updateContext(this.modelContext, signal === undefined ? {} : { signal });
      if (found.memories.results.length > 0) {
        emit(new MemoryQueryEvent({ source: this.name, content: found.memories.results }));
      }
    }

    const index = this.#workbenches.length === 0 ? this.#toolIndex() : await this.#indexTools(signal);
    for (let iteration = 0; ; iteration++) {
      const call = await this.#journaledModel(index.schemas, signal, spanContext, usages, sink, journal);
      const { result } = call;
      await this.modelContext.addMessage(this.#assistantMessage(result));
      if (result.thought !== undefined && result.thought !== "") {
        emit(new ThoughtEvent({ source: this.name, content: result.thought }));
      }
      if (typeof result.content === "string") return this.#finish(this.#replyMessage(call), inner);

      const calls = result.content;
      emit(new ToolCallRequestEvent({ source: this.name, content: calls, modelsUsage: result.usage }));
      const results = await this.#executeCalls(calls, index, signal, spanContext, journal);
      emit(new ToolCallExecutionEvent({ source: this.name, content: results }));

      const handoffCall = calls.find((c) => index.handoffs.has(c.name));
      if (handoffCall !== undefined) {
        const handoff = index.handoffs.get(handoffCall.name) as Handoff;
        const otherCalls = calls.filter((c) => !index.handoffs.has(c.name));
        const otherIds = new Set(otherCalls.map((c) => c.id));
        const context: LLMMessage[] =
          otherCalls.length === 0
            ? []
            : [
                { type: "AssistantMessage", content: otherCalls, source: this.name },
                {
                  type: "FunctionExecutionResultMessage",
                  content: results.filter((r) => otherIds.has(r.callId)),
                },
              ];
        const message = new HandoffMessage({
          source: this.name,
          content: handoff.message,
          target: handoff.target,
          context,
          ...(this.#metadata === undefined ? {} : { metadata: this.#metadata }),
        });
        return this.#finish(message, inner);
      }

      if (iteration + 1 >= this.#maxToolIterations) {
        if (!this.#reflect) return this.#finish(this.#summary(calls, results), inner);
        const reflection = await this.#journaledModel([], signal, spanContext, usages, sink, journal);
        await this.modelContext.addMessage(this.#assistantMessage(reflection.result));
        if (reflection.result.thought !== undefined && reflection.result.thought !== "") {
          emit(new ThoughtEvent({ source: this.name, content: reflection.result.thought }));
        }
        if (typeof reflection.result.content !== "string") {
          throw new ModelError(
            "model_output",
            `AssistantAgent '${this.name}': the model asked for tool calls while reflecting on tool results, ` +
              "where no tools are offered",
          );
        }
        return this.#finish(this.#replyMessage(reflection), inner);
      }
    }
  }

  #finish(chatMessage: BaseChatMessage, inner: readonly BaseAgentMessage[]): Response {
    return { chatMessage, innerMessages: inner };
  }

  #assistantMessage(result: CreateResult): AssistantMessage {
    return result.thought === undefined
      ? { type: "AssistantMessage", content: result.content, source: this.name }
      : { type: "AssistantMessage", content: result.content, thought: result.thought, source: this.name };
  }

  /** The final text reply: a TextMessage, or a StructuredMessage parsed by `outputContentType`. */
  #replyMessage(call: ModelCall): BaseChatMessage {
    const { result, messageId } = call;
    const text = result.content as string;
    const base = {
      source: this.name,
      ...(messageId === undefined ? {} : { id: messageId }),
      modelsUsage: result.usage,
      ...(this.#metadata === undefined ? {} : { metadata: this.#metadata }),
    };
    if (this.#outputType === undefined) return new TextMessage({ ...base, content: text });
    // A client that parsed the reply already hands it over; otherwise parse it here. Either way a reply that
    // does not fit the schema is a ModelError (`model_output`) naming the failing fields.
    const parsed =
      result.parsed !== undefined ? result.parsed : parseStructuredOutput(text, this.#outputType);
    const checked = this.#outputType.safeParse(parsed);
    if (!checked.success) {
      throw new ModelError(
        "model_output",
        `AssistantAgent '${this.name}': the model's reply does not match the output schema: ` +
          describeValidationError(checked.error),
        { cause: checked.error, details: { content: text } },
      );
    }
    return new StructuredMessage<Out>({
      ...base,
      content: checked.data,
      ...(this.#outputFormat === undefined ? {} : { format: this.#outputFormat }),
    });
  }

  #summary(
    calls: readonly FunctionCall[],
    results: readonly FunctionExecutionResult[],
  ): ToolCallSummaryMessage {
    const byId = new Map(calls.map((c) => [c.id, c]));
    const lines = results.map((r) => {
      const call = byId.get(r.callId) ?? { id: r.callId, name: r.name, arguments: "" };
      if (this.#summaryFormatter !== undefined) return this.#summaryFormatter(call, r);
      return this.#summaryFormat.replace(/\{(toolName|arguments|result|isError)\}/g, (_m, key: string) => {
        if (key === "toolName") return call.name;
        if (key === "arguments") return call.arguments;
        if (key === "result") return r.content;
        return String(r.isError);
      });
    });
    return new ToolCallSummaryMessage({
      source: this.name,
      content: lines.join("\n"),
      toolCalls: calls,
      results,
      ...(this.#metadata === undefined ? {} : { metadata: this.#metadata }),
    });
  }

  /** The index of the static tools and handoffs, built at the first turn that needs it. */
  #toolIndex(): ToolIndex {
    if (this.#staticIndex === undefined) this.#staticIndex = this.#buildStaticIndex();
    return this.#staticIndex;
  }

  #buildStaticIndex(): ToolIndex {
    const index: ToolIndex = { schemas: [], tools: new Map(), workbenches: new Map(), handoffs: new Map() };
    for (const tool of this.#tools) {
      index.schemas.push(tool.schema);
      index.tools.set(tool.name, tool);
    }
    for (const handoff of this.#handoffs) {
      index.schemas.push(handoff.schema);
      index.handoffs.set(handoff.name, handoff);
    }
    return index;
  }

  /** The tools on offer now: the static ones and handoffs, and what the workbenches list. */
  async #indexTools(signal: AbortSignal | undefined): Promise<ToolIndex> {
    const index: ToolIndex = { schemas: [], tools: new Map(), workbenches: new Map(), handoffs: new Map() };
    for (const tool of this.#tools) {
      index.schemas.push(tool.schema);
      index.tools.set(tool.name, tool);
    }
    for (const workbench of this.#workbenches) {
      for (const schema of await workbench.listTools(signal === undefined ? {} : { signal })) {
        if (index.workbenches.has(schema.name)) continue; // the first workbench offering a name serves it
        index.schemas.push(schema);
        index.workbenches.set(schema.name, workbench);
      }
    }
    for (const handoff of this.#handoffs) {
      index.schemas.push(handoff.schema);
      index.handoffs.set(handoff.name, handoff);
    }
    return index;
  }

  /** A model call through the run's journal: in a resumed run, a call the turn made before is not made again. */
  async #journaledModel(
    tools: readonly ToolSchema[],
    signal: AbortSignal | undefined,
    parent: Context,
    usages: RequestUsage[],
    sink: ((event: BaseAgentMessage) => void) | undefined,
    journal: RunJournal | undefined,
  ): Promise<ModelCall> {
    if (journal === undefined) return this.#callModel(tools, signal, parent, usages, sink);
    let messageId: string | undefined;
    const { result } = await journal.model(async () => {
      const call = await this.#callModel(tools, signal, parent, usages, sink);
      messageId = call.messageId;
      return call.result;
    });
    return messageId === undefined ? { result } : { result, messageId };
  }

  /** One model call, streamed or not as configured. */
  #callModel(
    tools: readonly ToolSchema[],
    signal: AbortSignal | undefined,
    parent: Context,
    usages: RequestUsage[],
    sink: ((event: BaseAgentMessage) => void) | undefined,
  ): Promise<ModelCall> {
    return this.#stream
      ? this.#callModelStream(tools, signal, parent, usages, sink)
      : this.#callModelOnce(tools, signal, parent, usages);
  }

  #createOptions(tools: readonly ToolSchema[], signal: AbortSignal | undefined): CreateOptions {
    // The common case (no signal) reuses one options object per tool list.
    if (signal === undefined) {
      if (tools === this.#staticIndex?.schemas) {
        this.#toolOptions ??= this.#buildOptions(tools, undefined);
        return this.#toolOptions;
      }
      if (tools.length === 0) {
        this.#noToolOptions ??= this.#buildOptions(tools, undefined);
        return this.#noToolOptions;
      }
    }
    return this.#buildOptions(tools, signal);
  }

  #buildOptions(tools: readonly ToolSchema[], signal: AbortSignal | undefined): CreateOptions {
    return {
      ...(tools.length > 0 ? { tools } : {}),
      ...(this.#outputType === undefined ? {} : { jsonOutput: this.#outputType }),
      ...(signal === undefined ? {} : { signal }),
    };
  }

  #withSystem(history: LLMMessage[]): LLMMessage[] {
    if (this.#systemMessage !== undefined) history.unshift(this.#systemMessage);
    return history;
  }

  /** One `create` call inside a `chat` span (no generator on this hot path). */
  async #callModelOnce(
    tools: readonly ToolSchema[],
    signal: AbortSignal | undefined,
    parent: Context,
    usages: RequestUsage[],
  ): Promise<ModelCall> {
    const messages = this.#withSystem(await this.modelContext.getMessages());
    const options = this.#createOptions(tools, signal);
    throwIfAborted(signal);
    const chat = startChatSpan(this.modelClient, this.name, parent, { stream: false }, this.#tracerProvider);
    try {
      const result = await runInContext(chat.context, () => this.modelClient.create(messages, options));
      throwIfAborted(signal);
      usages.push(result.usage);
      recordChatResult(chat.span, result);
      return { result };
    } catch (error) {
      recordError(chat.span, error);
      throw error;
    } finally {
      chat.span.end();
    }
  }

  /** One `createStream` call inside a `chat` span, handing a chunk event per text chunk to `sink`. */
  async #callModelStream(
    tools: readonly ToolSchema[],
    signal: AbortSignal | undefined,
    parent: Context,
    usages: RequestUsage[],
    sink: ((event: BaseAgentMessage) => void) | undefined,
  ): Promise<ModelCall> {
    const messageId = newMessageId();
    const messages = this.#withSystem(await this.modelContext.getMessages());
    const options = this.#createOptions(tools, signal);
    throwIfAborted(signal);
    const chat = startChatSpan(this.modelClient, this.name, parent, { stream: true }, this.#tracerProvider);
    let iterator: AsyncIterator<string | CreateResult> | undefined;
    let finished = false;
    try {
      let result: CreateResult | undefined;
      const stream = runInContext(chat.context, () => this.modelClient.createStream(messages, options));
      iterator = stream[Symbol.asyncIterator]();
      const it = iterator;
      while (true) {
        const step = await runInContext(chat.context, () => it.next());
        if (step.done) break;
        const chunk = step.value;
        if (typeof chunk === "string") {
          if (sink !== undefined) {
            sink(
              new ModelClientStreamingChunkEvent({
                source: this.name,
                content: chunk,
                fullMessageId: messageId,
              }),
            );
          }
        } else if (isCreateResult(chunk)) {
          result = chunk;
        }
      }
      finished = true;
      if (result === undefined) {
        throw new ModelError("model_output", "The model's stream ended without a final result");
      }
      throwIfAborted(signal);
      usages.push(result.usage);
      recordChatResult(chat.span, result);
      return { result, messageId };
    } catch (error) {
      recordError(chat.span, error);
      throw error;
    } finally {
      // Stopped early (cancelled, or the consumer went away): let the client release its connection.
      if (!finished && iterator?.return !== undefined) await iterator.return().catch(() => undefined);
      chat.span.end();
    }
  }

  /**
   * Runs the calls concurrently. Every failure the model can act on becomes an error result; on
   * cancellation the context still gets a result per call (so it stays well-formed) and the turn rejects.
   */
  async #executeCalls(
    calls: readonly FunctionCall[],
    index: ToolIndex,
    signal: AbortSignal | undefined,
    parent: Context,
    journal: RunJournal | undefined,
  ): Promise<FunctionExecutionResult[]> {
    let results: FunctionExecutionResult[];
    const refused = await refusedCalls(calls, index.tools, this.#toolApprovalFunc, journal, signal);
    const run =
      journal === undefined
        ? (c: FunctionCall) => this.#executeCall(c, index, signal, parent)
        : (c: FunctionCall) =>
            journal.tool(c, index.tools.get(c.name)?.idempotent !== false, () =>
              this.#executeCall(c, index, signal, parent),
            );
    const execute = async (c: FunctionCall) => refused.get(c.id) ?? run(c);
    try {
      results = await mapConcurrent(calls, this.#maxConcurrentToolCalls, execute);
    } catch (error) {
      await this.modelContext.addMessage({
        type: "FunctionExecutionResultMessage",
        content: calls.map((c) => ({
          content: "Error: the call was cancelled before it finished.",
          name: c.name,
          callId: c.id,
          isError: true,
        })),
      });
      throw error;
    }
    await this.modelContext.addMessage({ type: "FunctionExecutionResultMessage", content: results });
    return results;
  }

  async #executeCall(
    call: FunctionCall,
    index: ToolIndex,
    signal: AbortSignal | undefined,
    parent: Context,
  ): Promise<FunctionExecutionResult> {
    const tool = index.tools.get(call.name);
    const handoff = index.handoffs.get(call.name);
    const scope = startToolSpan(
      call.name,
      call.id,
      handoff?.description ?? tool?.description,
      parent,
      this.#tracerProvider,
    );
    try {
      const result = await runInContext(scope.context, () =>
        this.#invoke(call, tool, handoff, index, signal),
      );
      const content = toolResultText(result);
      if (result.isError) recordErrorType(scope.span, "tool_error", content);
      return { content, name: call.name, callId: call.id, isError: result.isError };
    } catch (error) {
      recordError(scope.span, error);
      if (CancelledError.isInstance(error) || signal?.aborted) throw error;
      // A tool that broke its contract by throwing still becomes a result the model can read.
      const text = error instanceof Error ? error.message : String(error);
      return { content: `Error: ${text}`, name: call.name, callId: call.id, isError: true };
    } finally {
      scope.span.end();
    }
  }

  #invoke(
    call: FunctionCall,
    tool: Tool | undefined,
    handoff: Handoff | undefined,
    index: ToolIndex,
    signal: AbortSignal | undefined,
  ): Promise<ToolResult> | ToolResult {
    const options = signal === undefined ? { callId: call.id } : { callId: call.id, signal };
    if (handoff !== undefined)
      return { name: call.name, result: [{ type: "text", text: handoff.message }], isError: false };
    if (tool !== undefined) return tool.call(call.arguments, options);
    const workbench = index.workbenches.get(call.name);
    if (workbench !== undefined) return workbench.callTool(call.name, call.arguments, options);
    const known = [...index.tools.keys(), ...index.workbenches.keys(), ...index.handoffs.keys()];
    return {
      name: call.name,
      result: [
        {
          type: "text",
          text: `Error: there is no tool named "${call.name}". Available tools: ${known.join(", ") || "none"}.`,
        },
      ],
      isError: true,
    };
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
