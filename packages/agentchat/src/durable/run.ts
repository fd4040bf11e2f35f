/**
 * `DurableRun`: what `DurableRunner.run` and `resume` return: the run's id at once, then its messages as
 * they are committed, then a {@link DurableRunResult}.
 */
import type { InputRequestRecord, RunStatus } from "@autogen-ts/core";
import type { TaskResult } from "../base/types.js";
import { isTaskResult } from "../base/types.js";
import type { BaseAgentMessage } from "../messages/base.js";

/** The last item a durable run yields. */
export interface DurableRunResult extends TaskResult {
  readonly runId: string;
  readonly threadId: string;
  /** `completed`, or `interrupted` when it waits for {@link pendingInput}. */
  readonly status: RunStatus;
  /** The requests the run waits on (when `interrupted`). */
  readonly pendingInput: readonly InputRequestRecord[];
}

/** A run in progress: its id at once, its messages as they are committed, then a {@link DurableRunResult}. */
export class DurableRun implements AsyncIterable<BaseAgentMessage | DurableRunResult> {
  readonly #items: AsyncGenerator<BaseAgentMessage | DurableRunResult>;

  constructor(
    /** The run's id (print it: it is what `resume` takes). */
    readonly runId: string,
    items: AsyncGenerator<BaseAgentMessage | DurableRunResult>,
  ) {
    this.#items = items;
  }

  [Symbol.asyncIterator](): AsyncIterator<BaseAgentMessage | DurableRunResult> {
    return this.#items;
  }

  /** Runs to the end (or the first request for input) and returns the result. */
  async result(): Promise<DurableRunResult> {
    let result: DurableRunResult | undefined;
    for await (const item of this.#items) if (isDurableRunResult(item)) result = item;
    return result as DurableRunResult;
  }
}

/** True for the {@link DurableRunResult} a durable run yields last. */
export function isDurableRunResult(value: unknown): value is DurableRunResult {
  return isTaskResult(value) && typeof (value as { runId?: unknown }).runId === "string";
}
