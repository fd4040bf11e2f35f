/** How store records are shown over the API (the shapes of `schemas.ts`). */

import type {
  CheckpointRecord,
  InputRequestRecord,
  JsonObject,
  RunEventRecord,
  RunRecord,
  ThreadRecord,
} from "@autogen-ts/core";
import type { z } from "@hono/zod-openapi";
import type { Checkpoint, InputRequest, Run, RunEvent, Thread } from "../schemas.js";

/** A queued run is kept as `interrupted` with this option until its turn comes. */
export const QUEUED_OPTION = "queued";

/** The API view of a run. */
export function runView(run: RunRecord, pending: readonly InputRequestRecord[]): z.infer<typeof Run> {
  const options = run.options as JsonObject;
  const queued = run.status === "interrupted" && options[QUEUED_OPTION] === true;
  return {
    runId: run.id,
    threadId: run.threadId,
    team: typeof options.team === "string" ? options.team : "",
    status: queued ? "pending" : run.status,
    ...(run.stopReason !== undefined ? { stopReason: run.stopReason } : {}),
    ...(run.error !== undefined ? { error: { code: run.error.code, message: run.error.message } } : {}),
    lastSeq: run.lastSeq,
    pendingInput: pending.map(inputView),
    createdAt: run.createdAt,
    updatedAt: run.updatedAt,
    ...(run.endedAt !== undefined ? { endedAt: run.endedAt } : {}),
  };
}

/** The API view of an input request. */
export function inputView(request: InputRequestRecord): z.infer<typeof InputRequest> {
  return {
    requestId: request.requestId,
    prompt: request.prompt,
    ...(request.schema !== undefined ? { schema: request.schema as Record<string, unknown> } : {}),
    createdAt: request.createdAt,
  };
}

/** The API view of a thread, given its status. */
export function threadView(
  thread: ThreadRecord,
  status: z.infer<typeof Thread>["status"],
): z.infer<typeof Thread> {
  return {
    threadId: thread.id,
    status,
    metadata: thread.metadata as Record<string, unknown>,
    createdAt: thread.createdAt,
    updatedAt: thread.updatedAt,
  };
}

/** The API view of a checkpoint. */
export function checkpointView(checkpoint: CheckpointRecord, withState: boolean): z.infer<typeof Checkpoint> {
  return {
    checkpointId: checkpoint.id,
    threadId: checkpoint.threadId,
    ...(checkpoint.runId !== undefined ? { runId: checkpoint.runId } : {}),
    ...(checkpoint.parentId !== undefined ? { parentId: checkpoint.parentId } : {}),
    seq: checkpoint.seq,
    createdAt: checkpoint.createdAt,
    metadata: checkpoint.metadata as Record<string, unknown>,
    ...(withState ? { state: checkpoint.state } : {}),
  };
}

/** The API view of one event. */
export function eventView(event: RunEventRecord): z.infer<typeof RunEvent> {
  return { seq: event.seq, type: event.type, data: event.data };
}

/** The stop notice a run's record implies (undefined while it runs). */
export function stopNoticeOf(run: RunRecord, pending: readonly InputRequestRecord[]): JsonObject | undefined {
  if (run.status === "running") return undefined;
  if (run.status === "interrupted") {
    if ((run.options as JsonObject)[QUEUED_OPTION] === true) return undefined;
    const request = pending[0];
    return request === undefined
      ? { status: "interrupted", ...(run.stopReason !== undefined ? { stopReason: run.stopReason } : {}) }
      : { status: "interrupted", requestId: request.requestId, prompt: request.prompt };
  }
  return {
    status: run.status,
    ...(run.stopReason !== undefined ? { stopReason: run.stopReason } : {}),
    ...(run.error !== undefined ? { error: { code: run.error.code, message: run.error.message } } : {}),
  };
}
