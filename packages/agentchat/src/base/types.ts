/**
 * The contracts shared by agents and teams: what a turn returns ({@link Response}), what a run returns
 * ({@link TaskResult}), and the {@link TaskRunner} and {@link ChatAgent} interfaces that teams, tools and
 * the console code against.
 */
import { AutogenError } from "@autogen-ts/core";
import type { RunJournal } from "../durable/journal.js";
import type { BaseAgentMessage, BaseChatMessage } from "../messages/base.js";
import { isTransient } from "../messages/base.js";
import type { RunUsage } from "./usage.js";

/** What an agent returns from one turn: its reply, and the events and messages it produced on the way. */
export interface Response {
  /** The reply other agents see. */
  readonly chatMessage: BaseChatMessage;
  /** What happened inside the agent during the turn (tool calls, memory queries, ...), in order. */
  readonly innerMessages?: readonly BaseAgentMessage[];
}

/** The outcome of `run`, and the last item `runStream` yields. */
export interface TaskResult {
  /** Every message and event of the run (streamed chunks excepted), task messages included by default. */
  readonly messages: readonly BaseAgentMessage[];
  /** Why the run stopped, in words a person can read; undefined when an agent simply answered. */
  readonly stopReason?: string;
  /** Tokens and cost in total, per agent and per model (teams and agents fill it; see `runUsage`). */
  readonly usage?: RunUsage;
}

/** A task: text (becomes a `TextMessage` from `"user"`), one chat message, or several. */
export type Task = string | BaseChatMessage | readonly BaseChatMessage[];

/** Options of `run` and `runStream`. */
export interface RunOptions {
  /** The task; omitted to continue from the current state. */
  readonly task?: Task;
  /** Cancels the run; it then rejects with a `CancelledError`. */
  readonly signal?: AbortSignal;
  /** Whether the task messages are yielded and included in the result (default true). */
  readonly outputTaskMessages?: boolean;
  /**
   * The journal of a durable run (set by `DurableRunner`, not by hand): teams checkpoint into it and
   * hand each turn a scope of it, so a resumed run repeats no completed model or tool call.
   */
  readonly journal?: RunJournal;
}

/** Options of the calls that may wait: a cancellation signal. */
export interface CallOptions {
  /** Cancels the call. */
  readonly signal?: AbortSignal;
  /** The journal scope of this turn in a durable run (see {@link RunOptions.journal}). */
  readonly journal?: RunJournal;
}

/** Something that runs a task: an agent or a team. */
export interface TaskRunner {
  /** Runs the task to the end and returns the result. */
  run(options?: RunOptions): Promise<TaskResult>;
  /** Runs the task, yielding every message and event, then the {@link TaskResult} last. */
  runStream(options?: RunOptions): AsyncIterable<BaseAgentMessage | TaskResult>;
}

/** The saved form of an agent: plain, versioned JSON whose `type` names the agent kind. */
export interface AgentState {
  readonly type: string;
  readonly version: number;
  readonly [key: string]: unknown;
}

/** A chat agent, as teams see it. {@link BaseChatAgent} implements it. */
export interface ChatAgent extends TaskRunner {
  /** A unique name within a team: letters, digits, `_` and `-`, starting with a letter or `_`. */
  readonly name: string;
  /** What the agent does, for other agents and selectors to read. */
  readonly description: string;
  /** The `type` of every chat message the agent may reply with (such as `"TextMessage"`). */
  readonly producedMessageTypes: readonly string[];
  /** Handles new messages and returns the reply. */
  onMessages(messages: readonly BaseChatMessage[], options?: CallOptions): Promise<Response>;
  /** Handles new messages, yielding inner events and messages as they happen, then the {@link Response}. */
  onMessagesStream(
    messages: readonly BaseChatMessage[],
    options?: CallOptions,
  ): AsyncIterable<BaseAgentMessage | Response>;
  /** Forgets the conversation. */
  onReset(options?: CallOptions): Promise<void>;
  /** Called when the team pauses: stop starting new work. */
  onPause(options?: CallOptions): Promise<void>;
  /** Called when the team resumes. */
  onResume(options?: CallOptions): Promise<void>;
  /** A JSON-safe, versioned snapshot of the conversation. */
  saveState(): Promise<AgentState>;
  /** Restores a snapshot; a corrupt or foreign document is a `ValidationError` (`invalid_state`). */
  loadState(state: unknown): Promise<void>;
  /** Releases what the agent holds open. */
  close(): Promise<void>;
}

/** True when a `runStream` item is the final {@link TaskResult}. */
export function isTaskResult(value: unknown): value is TaskResult {
  return (
    typeof value === "object" &&
    value !== null &&
    Array.isArray((value as { messages?: unknown }).messages) &&
    !("kind" in value)
  );
}

/** True when an `onMessagesStream` item is the final {@link Response}. */
export function isResponse(value: unknown): value is Response {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as { chatMessage?: unknown }).chatMessage === "object" &&
    !("kind" in value)
  );
}

/**
 * Drains a turn's stream (`onMessagesStream`) into its {@link Response}: the events and messages before
 * it become `innerMessages` (streamed chunks left out), unless the Response carries its own. What an
 * agent whose `onMessages` is its stream run to the end calls. A stream that ends without a Response
 * rejects with `missing()`'s error (default: an `internal` AutogenError).
 */
export async function drainResponse(
  stream: AsyncIterable<BaseAgentMessage | Response>,
  missing: () => Error = () => new AutogenError("internal", "The turn ended without a response"),
): Promise<Response> {
  const inner: BaseAgentMessage[] = [];
  for await (const item of stream) {
    if (isResponse(item)) {
      return item.innerMessages !== undefined && item.innerMessages.length > 0
        ? item
        : { chatMessage: item.chatMessage, innerMessages: inner };
    }
    if (!isTransient(item)) inner.push(item);
  }
  throw missing();
}
