/**
 * Runs agent and team tasks for the MCP server: a shared instance one task at a time (its conversation is
 * one thread), a factory's fresh instance per call; every message of the run goes out as it happens, the
 * answer is the last chat message (or all of them), and each finished run's transcript is kept for the
 * `autogen://runs/{runId}/transcript` resource.
 */
import {
  type BaseAgentMessage,
  isChatMessage,
  isTaskResult,
  isTransient,
  type TaskResult,
  type TaskRunner,
} from "@autogen-ts/agentchat";
import { CancelledError } from "@autogen-ts/core";
import { RunQueue } from "../../http/index.js";

/** An agent or team served over MCP: agentchat's `TaskRunner`, plus the name and description it has. */
export type McpServable = Pick<TaskRunner, "runStream"> & {
  readonly name?: string;
  readonly description?: string;
};

/** A served agent or team, or a function making a fresh one per call (runs then overlap freely). */
export type McpServableSource = McpServable | (() => McpServable | Promise<McpServable>);

/** One message of a run, as the tool's structured output and the transcript carry it. */
export interface McpRunMessage {
  readonly source: string;
  readonly type: string;
  readonly text: string;
}

/** A finished run. */
export interface McpRunRecord {
  readonly runId: string;
  readonly tool: string;
  readonly task: string;
  readonly answer: string;
  readonly stopReason?: string;
  readonly messages: readonly McpRunMessage[];
  readonly finishedAt: string;
}

/** What one run produced. */
export interface McpRunOutcome {
  readonly answer: string;
  readonly stopReason: string | undefined;
  readonly messages: readonly McpRunMessage[];
}

/** The most characters of one message sent in a notification. */
const NOTICE_TEXT_LIMIT = 4000;

/** Runs the tasks of one served agent or team. */
export class AgentRunner {
  private readonly queue = new RunQueue();
  private readonly active = new Set<AbortController>();

  constructor(
    private readonly source: McpServableSource,
    private readonly answer: "last" | "all",
  ) {}

  /** Aborts every run in progress (the server is closing). */
  abortAll(): void {
    for (const controller of this.active) controller.abort(new CancelledError("The MCP server closed"));
  }

  /**
   * Runs `task`, calling `onMessage` for each message as it happens. Rejects with the run's error, or a
   * `CancelledError` when `signal` aborts.
   */
  async run(
    task: string,
    signal: AbortSignal,
    onMessage: (message: McpRunMessage, step: number) => Promise<void>,
  ): Promise<McpRunOutcome> {
    const controller = new AbortController();
    const onAbort = () => controller.abort(signal.reason);
    if (signal.aborted) onAbort();
    signal.addEventListener("abort", onAbort, { once: true });
    this.active.add(controller);
    try {
      const job = () => this.runOnce(task, controller.signal, onMessage);
      return typeof this.source === "function" ? await job() : await this.queue.run(job, controller.signal);
    } finally {
      signal.removeEventListener("abort", onAbort);
      this.active.delete(controller);
    }
  }

  private async runOnce(
    task: string,
    signal: AbortSignal,
    onMessage: (message: McpRunMessage, step: number) => Promise<void>,
  ): Promise<McpRunOutcome> {
    if (signal.aborted) throw new CancelledError("The run was cancelled", { cause: signal.reason });
    const agent = typeof this.source === "function" ? await this.source() : this.source;
    const messages: McpRunMessage[] = [];
    let result: TaskResult | undefined;
    for await (const item of agent.runStream({ task, signal })) {
      if (isTaskResult(item)) {
        result = item;
        continue;
      }
      const message = describe(item);
      if (!message) continue;
      messages.push(message);
      await onMessage({ ...message, text: clip(message.text) }, messages.length);
    }
    const chat = (result?.messages ?? []).filter(isChatMessage);
    const answer =
      this.answer === "last"
        ? (chat.at(-1)?.toModelText() ?? "")
        : chat.map((m) => `${m.source}: ${m.toModelText()}`).join("\n\n");
    return { answer, stopReason: result?.stopReason, messages };
  }
}

/** A message worth a notification; streamed token chunks are not (the whole message follows). */
function describe(item: BaseAgentMessage): McpRunMessage | undefined {
  if (isTransient(item)) return undefined;
  return { source: item.source, type: item.type, text: item.toText() };
}

function clip(text: string): string {
  return text.length > NOTICE_TEXT_LIMIT ? `${text.slice(0, NOTICE_TEXT_LIMIT)}…` : text;
}

/** The transcripts of the last finished runs, oldest dropped first. */
export class RunHistory {
  private readonly runs = new Map<string, McpRunRecord>();

  constructor(private readonly limit: number) {}

  add(record: McpRunRecord): void {
    this.runs.set(record.runId, record);
    for (const id of this.runs.keys()) {
      if (this.runs.size <= this.limit) break;
      this.runs.delete(id);
    }
  }

  get(runId: string): McpRunRecord | undefined {
    return this.runs.get(runId);
  }

  list(): McpRunRecord[] {
    return [...this.runs.values()];
  }
}
