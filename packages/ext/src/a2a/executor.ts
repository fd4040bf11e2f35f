/**
 * Runs A2A tasks on autogen-ts agents and teams: the SDK's `AgentExecutor`. Each incoming message is a
 * task; every message of the run goes out as a `working` status update while it happens, the answer is
 * the task's artifact and its final status message, and a cancel aborts the run. Conversations are kept
 * per A2A context: one shared instance, or one made by the factory for each `contextId`.
 */
import { type Message, type Part, TaskState } from "@a2a-js/sdk";
import {
  AgentEvent,
  type AgentExecutor,
  type ExecutionEventBus,
  type RequestContext,
} from "@a2a-js/sdk/server";
import type { BaseAgentMessage, BaseChatMessage, TaskResult } from "@autogen-ts/agentchat";
import { isChatMessage, isTaskResult, isTransient } from "@autogen-ts/agentchat";
import { CancelledError } from "@autogen-ts/core";
import { RunQueue } from "../http/index.js";
import { agentMessage, messageToParts, partsToMessages, textPart } from "./parts.js";

/**
 * What `serveA2A` needs of an agent or a team: agentchat's `TaskRunner.runStream`, which yields the run's
 * messages and ends with a `TaskResult`.
 */
export interface A2AServable {
  /** Used as the card's name when `name` is not given. */
  readonly name?: string;
  /** Used as the card's description when `description` is not given. */
  readonly description?: string;
  runStream(options: {
    task: readonly BaseChatMessage[];
    signal?: AbortSignal;
    outputTaskMessages?: boolean;
  }): AsyncIterable<BaseAgentMessage | TaskResult>;
}

/** Makes the agent or team of one A2A context (conversation); called once per new `contextId`. */
export type A2AServableFactory = (contextId: string) => A2AServable | Promise<A2AServable>;

/** One conversation: its agent or team, and its queue of runs (one at a time). */
interface Conversation {
  readonly runner: Promise<A2AServable>;
  readonly queue: RunQueue;
}

/** The conversations by context id: one shared, or one per context made by the factory. */
export class Contexts {
  private readonly byId = new Map<string, Conversation>();
  private shared: Conversation | undefined;

  constructor(
    private readonly source: A2AServable | A2AServableFactory,
    private readonly max: number,
  ) {}

  get(contextId: string): Conversation {
    if (typeof this.source !== "function") {
      this.shared ??= { runner: Promise.resolve(this.source), queue: new RunQueue() };
      return this.shared;
    }
    let conversation = this.byId.get(contextId);
    if (conversation) {
      // Most recently used last.
      this.byId.delete(contextId);
    } else {
      const factory = this.source;
      conversation = { runner: Promise.resolve().then(() => factory(contextId)), queue: new RunQueue() };
      conversation.runner.catch(() => {});
      this.evict();
    }
    this.byId.set(contextId, conversation);
    return conversation;
  }

  private evict(): void {
    for (const [id, conversation] of this.byId) {
      if (this.byId.size < this.max) return;
      if (conversation.queue.pending === 0) this.byId.delete(id);
    }
  }
}

/** A run in progress: its abort controller, and whether its task has reached a final state. */
interface Run {
  readonly controller: AbortController;
  readonly contextId: string;
  final: boolean;
}

/** The SDK's `AgentExecutor` over autogen-ts runs. */
export class RunExecutor implements AgentExecutor {
  private readonly runs = new Map<string, Run>();

  constructor(
    private readonly contexts: Contexts,
    private readonly answer: "last" | "all",
  ) {}

  abortAll(): void {
    for (const run of this.runs.values()) run.controller.abort(new CancelledError("The A2A server closed"));
  }

  execute = async (request: RequestContext, bus: ExecutionEventBus): Promise<void> => {
    const { taskId, contextId } = request;
    const ids = { taskId, contextId };
    const run: Run = { controller: new AbortController(), contextId, final: false };
    this.runs.set(taskId, run);
    const status = (state: TaskState, message?: Message) =>
      bus.publish(
        AgentEvent.statusUpdate({
          taskId,
          contextId,
          status: { state, message, timestamp: new Date().toISOString() },
          metadata: undefined,
        }),
      );
    bus.publish(
      AgentEvent.task(
        request.task ?? {
          id: taskId,
          contextId,
          status: {
            state: TaskState.TASK_STATE_SUBMITTED,
            message: undefined,
            timestamp: new Date().toISOString(),
          },
          artifacts: [],
          history: [request.userMessage],
          metadata: undefined,
        },
      ),
    );
    const task = partsToMessages(request.userMessage.parts, "user");
    if (task.length === 0) {
      run.final = true;
      this.runs.delete(taskId);
      status(
        TaskState.TASK_STATE_REJECTED,
        agentMessage([textPart("The message has no text, data or file parts to work on.")], ids),
      );
      return;
    }
    const conversation = this.contexts.get(contextId);
    try {
      await conversation.queue.run(async () => {
        const runner = await conversation.runner;
        status(TaskState.TASK_STATE_WORKING);
        let result: TaskResult | undefined;
        for await (const item of runner.runStream({
          task,
          signal: run.controller.signal,
          outputTaskMessages: false,
        })) {
          if (isTaskResult(item)) {
            result = item;
            continue;
          }
          if (isTransient(item) || run.final) continue;
          status(
            TaskState.TASK_STATE_WORKING,
            agentMessage(messageToParts(item), ids, { source: item.source, type: item.type }),
          );
        }
        if (run.final) return;
        const chat = (result?.messages ?? []).filter(isChatMessage);
        const last = chat.at(-1);
        const parts: Part[] =
          last === undefined
            ? [textPart("")]
            : this.answer === "last"
              ? messageToParts(last)
              : chat.flatMap((m) => messageToParts(m));
        bus.publish(
          AgentEvent.artifactUpdate({
            taskId,
            contextId,
            artifact: {
              artifactId: `${taskId}-answer`,
              name: "answer",
              description: "The final answer of the run.",
              parts,
              metadata: result?.stopReason !== undefined ? { stopReason: result.stopReason } : undefined,
              extensions: [],
            },
            append: false,
            lastChunk: true,
            metadata: undefined,
          }),
        );
        run.final = true;
        status(TaskState.TASK_STATE_COMPLETED, agentMessage(parts, ids));
      }, run.controller.signal);
    } catch (error) {
      if (run.final) return;
      run.final = true;
      if (run.controller.signal.aborted) {
        status(TaskState.TASK_STATE_CANCELED, agentMessage([textPart("The run was cancelled.")], ids));
        return;
      }
      const text = error instanceof Error ? error.message : String(error);
      status(TaskState.TASK_STATE_FAILED, agentMessage([textPart(`The run failed: ${text}`)], ids));
    } finally {
      this.runs.delete(taskId);
    }
  };

  cancelTask = async (taskId: string, bus: ExecutionEventBus): Promise<void> => {
    const run = this.runs.get(taskId);
    if (run?.final) return;
    if (run) {
      run.final = true;
      run.controller.abort(new CancelledError("The A2A client cancelled the task"));
    }
    // The handler waits for the final state on the task's bus; the run winds down behind it.
    const contextId = run?.contextId ?? "";
    bus.publish(
      AgentEvent.statusUpdate({
        taskId,
        contextId,
        status: {
          state: TaskState.TASK_STATE_CANCELED,
          message: undefined,
          timestamp: new Date().toISOString(),
        },
        metadata: undefined,
      }),
    );
  };
}
