/**
 * Executes one run: a fresh team instance, the thread's state loaded from its head checkpoint, every
 * message and event of `runStream` committed to the record as it comes, and at the end a checkpoint of
 * the team's state that becomes the thread's new head, with the run's end status, in one batch.
 */
import { isTaskResult, type Task, TextMessage } from "@autogen-ts/agentchat";
import {
  AutogenError,
  CancelledError,
  type JsonObject,
  type JsonValue,
  type RunStore,
  type StoreWrite,
} from "@autogen-ts/core";
import type { RunnableTeam, ServerTeam } from "../teams.js";
import type { AbortCause, LiveRun } from "./live-run.js";
import type { RunTask } from "./manager.js";

/** The version of the checkpoint documents this server writes (the team's `saveState` JSON). */
export const CHECKPOINT_FORMAT = 1;

/** What one run needs. */
export interface DriveOptions {
  readonly store: RunStore;
  readonly live: LiveRun;
  readonly team: ServerTeam;
  readonly task: RunTask | undefined;
  /** Reports an unexpected failure (for the server's log: never a secret). */
  readonly onError?: (error: unknown) => void;
}

/** Runs the team to its end; never rejects (a failure is recorded as the run's status). */
export async function drive(options: DriveOptions): Promise<void> {
  const { store, live, team } = options;
  const signal = live.controller.signal;
  let instance: RunnableTeam | undefined;
  let stopReason: string | undefined;
  try {
    instance = (await team.create({
      inputFunc: (prompt, inputSignal, request) =>
        waitForInput(options, prompt, request.requestId, inputSignal),
    })) as RunnableTeam;
    const thread = await store.getThread(live.threadId);
    const head = thread?.head;
    if (head !== undefined && instance.loadState) {
      const checkpoint = await store.getCheckpoint(head);
      if (checkpoint !== undefined) await instance.loadState(checkpoint.state);
    }
    const task = taskOf(options.task);
    const stream = instance.runStream({ ...(task !== undefined ? { task } : {}), signal });
    for await (const item of stream) {
      if (isTaskResult(item)) {
        stopReason = item.stopReason;
        continue;
      }
      await live.append([{ type: item.type, data: item.toJSON() as unknown as JsonValue }]);
    }
    const state = instance.saveState ? ((await instance.saveState()) as JsonValue) : null;
    const checkpointId = crypto.randomUUID();
    const writes: StoreWrite[] = [
      {
        kind: "putCheckpoint",
        id: checkpointId,
        threadId: live.threadId,
        runId: live.runId,
        ...(head !== undefined ? { parentId: head } : {}),
        formatVersion: CHECKPOINT_FORMAT,
        definitionHash: team.name,
        seq: 0,
        state,
        metadata: { team: team.name },
      },
      { kind: "setHead", threadId: live.threadId, expected: head ?? null, head: checkpointId },
      {
        kind: "updateRun",
        id: live.runId,
        status: "completed",
        ...(stopReason !== undefined ? { stopReason } : {}),
        ended: true,
        lease: null,
      },
    ];
    await live.status({ status: "completed", ...(stopReason !== undefined ? { stopReason } : {}) }, writes);
  } catch (error) {
    await recordFailure(options, error);
  } finally {
    await instance?.close?.().catch(() => {});
  }
}

/** Records how the run stopped: cancelled, interrupted by the server stopping, or failed. */
async function recordFailure(options: DriveOptions, error: unknown): Promise<void> {
  const { live } = options;
  const cause = live.cause;
  if (live.controller.signal.aborted && cause !== undefined) {
    const status = cause.kind === "shutdown" ? "interrupted" : "cancelled";
    const reason = stopReasonOf(cause);
    const update: StoreWrite = {
      kind: "updateRun",
      id: live.runId,
      status,
      stopReason: reason,
      ended: status !== "interrupted",
      lease: null,
    };
    await live.status({ status, stopReason: reason }, [update]).catch(options.onError);
    return;
  }
  const record = errorRecord(error);
  if (!AutogenError.isInstance(error)) options.onError?.(error);
  const update: StoreWrite = {
    kind: "updateRun",
    id: live.runId,
    status: "failed",
    error: record,
    ended: true,
    lease: null,
  };
  await live.status({ status: "failed", error: record }, [update]).catch(options.onError);
}

/** The words recorded for an aborted run. */
function stopReasonOf(cause: AbortCause): string {
  if (cause.kind === "cancel") return cause.reason;
  if (cause.kind === "interrupt") return `interrupted by run ${cause.by}`;
  return "the server stopped";
}

/** What a failure is recorded as: the error's code and message, or `internal` for a foreign error. */
export function errorRecord(error: unknown): { code: string; message: string } {
  if (AutogenError.isInstance(error)) return { code: error.code, message: error.message };
  return { code: "internal", message: "The run failed with an unexpected error" };
}

/**
 * The input function of a run: records the request (the run becomes `interrupted`), waits for the
 * answer that `POST /runs/{runId}/input` delivers, and marks the run running again.
 */
async function waitForInput(
  options: DriveOptions,
  prompt: string,
  requestId: string,
  signal: AbortSignal | undefined,
): Promise<string> {
  const { live } = options;
  const answer = new Promise<JsonValue>((resolve) => live.waiters.set(requestId, resolve));
  await live.status({ status: "interrupted", requestId, prompt } satisfies JsonObject, [
    { kind: "putInputRequest", runId: live.runId, requestId, prompt },
    { kind: "updateRun", id: live.runId, status: "interrupted" },
  ]);
  live.parked();
  const value = await new Promise<JsonValue>((resolve, reject) => {
    const onAbort = () => reject(new CancelledError("The run stopped while it waited for input"));
    if (signal?.aborted) return onAbort();
    signal?.addEventListener("abort", onAbort, { once: true });
    void answer.then((v) => {
      signal?.removeEventListener("abort", onAbort);
      resolve(v);
    });
  }).finally(() => live.waiters.delete(requestId));
  await live.status({ status: "running", answered: requestId }, [
    { kind: "updateRun", id: live.runId, status: "running", ifStatus: ["interrupted"] },
  ]);
  return typeof value === "string" ? value : JSON.stringify(value);
}

/** The team's task from the recorded one. */
function taskOf(task: RunTask | undefined): Task | undefined {
  if (task === undefined || typeof task === "string") return task;
  return task.map((m) => new TextMessage({ source: m.source, content: m.content }));
}
