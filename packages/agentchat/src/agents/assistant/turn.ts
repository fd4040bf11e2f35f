/**
 * The turn loop of an `AssistantAgent`: add the new messages to the context, query memory, call the
 * model, run the tool calls it asks for, and repeat up to `maxToolIterations`; then reply with text,
 * structured content, a tool-call summary or a handoff. Made at an agent's first turn and kept: what a
 * turn reuses (the tool index, the model-call options) lives here, so an idle agent holds none of it.
 */

import type {
  ChatCompletionClient,
  ChatCompletionContext,
  CreateOptions,
  Memory,
  RequestUsage,
  Tool,
  ToolSchema,
  Workbench,
} from "@autogen-ts/core";
import { ModelError, sumUsage, throwIfAborted, ValidationError } from "@autogen-ts/core";
import type { Response } from "../../base/types.js";
import type { RunJournal } from "../../durable/journal.js";
import type { BaseAgentMessage, BaseChatMessage } from "../../messages/base.js";
import { isTransient } from "../../messages/base.js";
import { HandoffMessage } from "../../messages/chat.js";
import {
  MemoryQueryEvent,
  ThoughtEvent,
  ToolCallExecutionEvent,
  ToolCallRequestEvent,
} from "../../messages/events.js";
import { recordError, setUsage, startAgentSpan } from "../../tracing/genai.js";
import type { Handoff } from "../handoff.js";
import { callModel } from "./model-call.js";
import type { AgentParts, TurnScope } from "./parts.js";
import { assistantMessage, handoffMessage, replyMessage, summaryMessage } from "./replies.js";
import type { Settings } from "./settings.js";
import { executeCalls } from "./tool-execution.js";
import { staticToolIndex, type ToolIndex, withWorkbenches } from "./tool-index.js";

/** What of its agent a turn runner is given. */
export interface TurnAgent<Out> {
  readonly name: string;
  readonly description: string;
  readonly modelClient: ChatCompletionClient;
  readonly modelContext: ChatCompletionContext;
  readonly settings: Settings<Out>;
  readonly tools: readonly Tool[];
  readonly workbenches: readonly Workbench[];
  readonly handoffs: readonly Handoff[];
  readonly memory: readonly Memory[];
}

/** Runs an agent's turns, one at a time. */
export class TurnRunner<Out = unknown> implements AgentParts<Out> {
  readonly name: string;
  readonly description: string;
  readonly modelClient: ChatCompletionClient;
  readonly modelContext: ChatCompletionContext;
  readonly settings: Settings<Out>;
  readonly #workbenches: readonly Workbench[];
  readonly #memory: readonly Memory[];
  /** The static tools and handoffs, indexed once. */
  readonly #index: ToolIndex;
  /** The options of a call offering the static tools, and of a call offering none (made at first use). */
  #toolOptions: CreateOptions | undefined;
  #noToolOptions: CreateOptions | undefined;
  #busy = false;
  /** The unaborted controller of the last streamed turn, reused by the next (see `streamTurn`). */
  spareController: AbortController | undefined;

  constructor(agent: TurnAgent<Out>) {
    this.name = agent.name;
    this.description = agent.description;
    this.modelClient = agent.modelClient;
    this.modelContext = agent.modelContext;
    this.settings = agent.settings;
    this.#workbenches = agent.workbenches;
    this.#memory = agent.memory;
    this.#index = staticToolIndex(agent.tools, agent.handoffs);
  }

  /** One turn, inside an `invoke_agent` span; `sink` receives each event as it happens. */
  async handle(
    messages: readonly BaseChatMessage[],
    signal: AbortSignal | undefined,
    sink: ((event: BaseAgentMessage) => void) | undefined,
    journal: RunJournal | undefined,
  ): Promise<Response> {
    if (this.#busy) {
      throw new ValidationError(
        `AssistantAgent '${this.name}' is already handling messages; one turn at a time`,
        { code: "invalid_state" },
      );
    }
    this.#busy = true;
    const agentSpan = startAgentSpan(this, undefined, this.settings.tracerProvider);
    const usages: RequestUsage[] = [];
    try {
      return await this.#turn(messages, { signal, parent: agentSpan.context, usages, sink, journal });
    } catch (error) {
      recordError(agentSpan.span, error);
      throw error;
    } finally {
      if (usages.length > 0 && agentSpan.span.isRecording()) setUsage(agentSpan.span, sumUsage(usages));
      agentSpan.span.end();
      this.#busy = false;
    }
  }

  async #turn(messages: readonly BaseChatMessage[], scope: TurnScope): Promise<Response> {
    const { signal, sink } = scope;
    const { name, modelContext: context, settings } = this;
    const inner: BaseAgentMessage[] = [];
    const emit = (m: BaseAgentMessage): void => {
      if (!isTransient(m)) inner.push(m);
      sink?.(m);
    };

    throwIfAborted(signal);
    for (const m of messages) {
      if (m instanceof HandoffMessage) for (const c of m.context) await context.addMessage(c);
      await context.addMessage(m.toModelMessage());
    }

    for (const memory of this.#memory) {
      const found = await memory.updateContext(context, signal === undefined ? {} : { signal });
      if (found.memories.results.length > 0) {
        emit(new MemoryQueryEvent({ source: name, content: found.memories.results }));
      }
    }

    const index =
      this.#workbenches.length === 0
        ? this.#index
        : await withWorkbenches(this.#index, this.#workbenches, signal);
    for (let iteration = 0; ; iteration++) {
      const call = await callModel(this, this.#options(index.schemas, signal), scope);
      const { result } = call;
      await context.addMessage(assistantMessage(name, result));
      if (result.thought !== undefined && result.thought !== "") {
        emit(new ThoughtEvent({ source: name, content: result.thought }));
      }
      if (typeof result.content === "string")
        return { chatMessage: replyMessage(this, call), innerMessages: inner };

      const calls = result.content;
      emit(new ToolCallRequestEvent({ source: name, content: calls, modelsUsage: result.usage }));
      const results = await executeCalls(this, calls, index, scope, emit);
      emit(new ToolCallExecutionEvent({ source: name, content: results }));

      const handoffCall = calls.find((c) => index.handoffs.has(c.name));
      if (handoffCall !== undefined) {
        const handoff = index.handoffs.get(handoffCall.name) as Handoff;
        const message = handoffMessage(
          this,
          handoff,
          calls,
          results,
          (c) => index.handoffs.has(c.name),
          result.thought,
        );
        return { chatMessage: message, innerMessages: inner };
      }

      if (iteration + 1 >= settings.maxToolIterations) {
        if (!settings.reflect)
          return { chatMessage: summaryMessage(this, calls, results), innerMessages: inner };
        const reflection = await callModel(this, this.#options([], signal), scope);
        await context.addMessage(assistantMessage(name, reflection.result));
        if (reflection.result.thought !== undefined && reflection.result.thought !== "") {
          emit(new ThoughtEvent({ source: name, content: reflection.result.thought }));
        }
        if (typeof reflection.result.content !== "string") {
          throw new ModelError(
            "model_output",
            `AssistantAgent '${name}': the model asked for tool calls while reflecting on tool results, ` +
              "where no tools are offered",
          );
        }
        return { chatMessage: replyMessage(this, reflection), innerMessages: inner };
      }
    }
  }

  /** The options of one model call. The common case (no signal) reuses one object per tool list. */
  #options(tools: readonly ToolSchema[], signal: AbortSignal | undefined): CreateOptions {
    if (signal === undefined) {
      if (tools === this.#index.schemas) {
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
    const jsonOutput = this.settings.outputPlan?.jsonOutput;
    return {
      ...(tools.length > 0 ? { tools } : {}),
      ...(jsonOutput === undefined ? {} : { jsonOutput }),
      ...(signal === undefined ? {} : { signal }),
    };
  }
}
