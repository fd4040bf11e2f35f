/**
 * `BaseChatAgent`: the base of every chat agent. Subclasses write `onMessages` (or `onMessagesStream`);
 * this class gives them `run`, `runStream`, name checks, state and lifecycle defaults.
 */

import { throwIfAborted, ValidationError } from "@autogen-ts/core";
import { checkAgentState } from "../base/state.js";
import type {
  AgentState,
  CallOptions,
  ChatAgent,
  Response,
  RunOptions,
  Task,
  TaskResult,
} from "../base/types.js";
import { isResponse } from "../base/types.js";
import { modelsOf, runUsage } from "../base/usage.js";
import type { BaseAgentMessage, BaseChatMessage } from "../messages/base.js";
import { isChatMessage, isTransient } from "../messages/base.js";
import { TextMessage } from "../messages/chat.js";

/** Options of {@link BaseChatAgent}. */
export interface BaseChatAgentOptions {
  /** A unique name: letters, digits, `_` and `-`, starting with a letter or `_`, at most 64 characters. */
  readonly name: string;
  /** What the agent does, for other agents and selectors to read. */
  readonly description?: string;
}

const NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_-]{0,63}$/;

/** Throws a ValidationError unless `name` is a valid agent name. */
export function validateAgentName(name: unknown): string {
  if (typeof name !== "string" || !NAME_PATTERN.test(name)) {
    throw new ValidationError(
      `Invalid agent name ${JSON.stringify(name)}: use letters, digits, '_' and '-', starting with a letter ` +
        "or '_', at most 64 characters (it becomes part of tool names and message sources)",
      { details: { name } },
    );
  }
  return name;
}

/** Turns a {@link Task} into the list of chat messages it stands for. */
export function taskMessages(task: Task | undefined): BaseChatMessage[] {
  if (task === undefined) return [];
  if (typeof task === "string") return [new TextMessage({ source: "user", content: task })];
  const list = Array.isArray(task) ? (task as readonly unknown[]) : [task];
  return list.map((m, i) => {
    if (!isChatMessage(m)) {
      throw new ValidationError(
        `The task must be a string, a chat message or a list of chat messages; item ${i} is not a chat message`,
      );
    }
    return m;
  });
}

/**
 * The base class of chat agents.
 *
 * @example
 * ```ts
 * class Echo extends BaseChatAgent {
 *   readonly producedMessageTypes = ["TextMessage"];
 *   async onMessages(messages) {
 *     return { chatMessage: new TextMessage({ source: this.name, content: messages.at(-1)?.toText() ?? "" }) };
 *   }
 *   async onReset() {}
 * }
 * const result = await new Echo({ name: "echo" }).run({ task: "hi" });
 * ```
 */
export abstract class BaseChatAgent implements ChatAgent {
  /** The agent's name. */
  readonly name: string;
  /** What the agent does. */
  readonly description: string;
  #running = false;

  constructor(options: BaseChatAgentOptions) {
    this.name = validateAgentName(options?.name);
    const description = options.description ?? "An agent.";
    if (typeof description !== "string")
      throw new ValidationError("An agent's 'description' must be a string");
    this.description = description;
  }

  /** The `type` of every chat message this agent may reply with. */
  abstract get producedMessageTypes(): readonly string[];

  /** Handles new messages and returns the reply. */
  abstract onMessages(messages: readonly BaseChatMessage[], options?: CallOptions): Promise<Response>;

  /** Forgets the conversation. */
  abstract onReset(options?: CallOptions): Promise<void>;

  /**
   * Handles new messages, yielding inner events then the {@link Response}. The default calls
   * {@link onMessages} and yields its inner messages after the fact; streaming agents override it.
   */
  async *onMessagesStream(
    messages: readonly BaseChatMessage[],
    options: CallOptions = {},
  ): AsyncGenerator<BaseAgentMessage | Response> {
    const response = await this.onMessages(messages, options);
    for (const inner of response.innerMessages ?? []) yield inner;
    yield response;
  }

  /** Does nothing by default. */
  async onPause(_options?: CallOptions): Promise<void> {}

  /** Does nothing by default. */
  async onResume(_options?: CallOptions): Promise<void> {}

  /** Nothing to release by default. */
  async close(): Promise<void> {}

  /** An empty, versioned document by default (stateless agents). */
  async saveState(): Promise<AgentState> {
    return { type: "BaseChatAgentState", version: 1 };
  }

  /** Checks the document written by the default {@link saveState}. */
  async loadState(state: unknown): Promise<void> {
    checkAgentState(state, "BaseChatAgentState", 1, `Agent '${this.name}'`);
  }

  /**
   * Runs a task to the end and returns the same {@link TaskResult} as {@link runStream} would, through
   * {@link onMessages} (no stream to drive).
   */
  async run(options: RunOptions = {}): Promise<TaskResult> {
    const input = taskMessages(options.task);
    throwIfAborted(options.signal);
    this.#begin();
    try {
      const response = await this.onMessages(input, turnOptions(this.name, options));
      const messages: BaseAgentMessage[] = options.outputTaskMessages === false ? [] : [...input];
      for (const m of response.innerMessages ?? []) {
        if (!isTransient(m)) messages.push(m);
      }
      messages.push(response.chatMessage);
      return { messages, usage: runUsage(messages, modelsOf([this])) };
    } finally {
      this.#running = false;
    }
  }

  #begin(): void {
    if (this.#running) {
      throw new ValidationError(`Agent '${this.name}' is already running a task; run one at a time`, {
        code: "invalid_state",
      });
    }
    this.#running = true;
  }

  /**
   * Runs a task: yields the task messages (unless `outputTaskMessages` is false), every event and
   * message of the agent's turn, then the {@link TaskResult}. An agent runs one task at a time.
   */
  async *runStream(options: RunOptions = {}): AsyncGenerator<BaseAgentMessage | TaskResult> {
    const input = taskMessages(options.task);
    throwIfAborted(options.signal);
    this.#begin();
    try {
      const output: BaseAgentMessage[] = [];
      if (options.outputTaskMessages !== false) {
        for (const m of input) {
          output.push(m);
          yield m;
        }
      }
      for await (const item of this.onMessagesStream(input, turnOptions(this.name, options))) {
        if (isResponse(item)) {
          output.push(item.chatMessage);
          yield item.chatMessage;
        } else {
          if (!isTransient(item)) output.push(item);
          yield item;
        }
      }
      yield { messages: output, usage: runUsage(output, modelsOf([this])) };
    } finally {
      this.#running = false;
    }
  }
}

/** The options of an agent's one turn in a run: the run's signal, and the turn's scope of its journal. */
function turnOptions(name: string, options: RunOptions): CallOptions {
  if (options.journal === undefined) return options.signal === undefined ? {} : { signal: options.signal };
  const journal = options.journal.scope(`${name}#0`);
  return options.signal === undefined ? { journal } : { signal: options.signal, journal };
}
