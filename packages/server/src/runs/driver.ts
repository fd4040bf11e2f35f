/**
 * Executes one run, or one stretch of it, on agentchat's `DurableRunner`: a fresh team instance, every
 * message committed to the record before readers see it, a checkpoint after every turn, and a person's
 * input parked as a persisted request (the run ends `interrupted`; answering it resumes the run, in this
 * process or another one, after any restart).
 */
import {
  type ChatAgent,
  DurableRunner,
  isDurableRunResult,
  type Task,
  type Team,
  TextMessage,
} from "@autogen-ts/agentchat";
import { AutogenError, type JsonObject, type JsonValue, type RunStore } from "@autogen-ts/core";
import type { RunnableTeam, ServerTeam } from "../teams.js";
import type { AbortCause, LiveRun } from "./live-run.js";

/** A task as the record keeps it: text, or messages with their source. */
export type RunTask = string | readonly { readonly source: string; readonly content: string }[];

/** What one stretch of a run needs. */
export interface DriveOptions {
  readonly store: RunStore;
  readonly live: LiveRun;
  readonly team: ServerTeam;
  /** This server's id in the runs' leases. */
  readonly holder: string;
  /** A new run: its task and owner. */
  readonly start?: { readonly task: RunTask | undefined; readonly owner: string };
  /** A resumed run: the answer it waited for, if any. */
  readonly input?: { readonly requestId: string; readonly value: JsonValue };
  /** Reports an unexpected failure (for the server's log: never a secret). */
  readonly onError?: (error: unknown) => void;
}

/** Runs the team until it ends or waits for input; never rejects (the outcome is in the record). */
export async function drive(options: DriveOptions): Promise<void> {
  const { store, live, team } = options;
  const signal = live.controller.signal;
  let instance: RunnableTeam | undefined;
  try {
    instance = (await team.create({ inputFunc: parkedInput })) as RunnableTeam;
    const runner = new DurableRunner({
      store,
      runner: instance as unknown as Team | ChatAgent,
      holder: options.holder,
    });
    const task = taskOf(options.start?.task);
    const run =
      options.start !== undefined
        ? runner.run({
            ...(task !== undefined ? { task } : {}),
            threadId: live.threadId,
            runId: live.runId,
            owner: options.start.owner,
            options: { team: team.name },
            signal,
          })
        : runner.resume(live.runId, {
            ...(options.input !== undefined ? { input: options.input } : {}),
            signal,
          });
    for await (const item of run) {
      if (isDurableRunResult(item)) {
        const request = item.pendingInput[0];
        if (item.status === "interrupted" && request !== undefined) {
          live.feed.stop({ status: "interrupted", requestId: request.requestId, prompt: request.prompt });
          live.parked();
        } else {
          live.feed.stop({
            status: item.status,
            ...(item.stopReason !== undefined ? { stopReason: item.stopReason } : {}),
          });
        }
        continue;
      }
      live.started();
      const data = item.toJSON() as unknown as JsonValue;
      if (item.type === "ModelClientStreamingChunkEvent") live.feed.transient({ type: item.type, data });
      else live.recorded({ type: item.type, data });
    }
  } catch (error) {
    await recordStop(options, error);
  } finally {
    live.started();
    await instance?.close?.().catch(() => {});
  }
}

/** How a run that threw stopped: cancelled, interrupted by the server stopping (resumable), or failed. */
async function recordStop(options: DriveOptions, error: unknown): Promise<void> {
  const { live, store } = options;
  const cause: AbortCause | undefined = live.controller.signal.aborted ? live.cause : undefined;
  if (cause?.kind === "shutdown") {
    // The runner recorded a cancel; a server that stops leaves the run to be resumed instead.
    await store
      .write([
        {
          kind: "updateRun",
          id: live.runId,
          status: "interrupted",
          stopReason: "the server stopped",
          ended: false,
          lease: null,
        },
      ])
      .catch(options.onError);
    live.feed.stop({ status: "interrupted", stopReason: "the server stopped" });
    return;
  }
  if (cause !== undefined) {
    const reason = cause.kind === "cancel" ? cause.reason : `interrupted by run ${cause.by}`;
    await store
      .write([
        {
          kind: "updateRun",
          id: live.runId,
          status: "cancelled",
          stopReason: reason,
          ended: true,
          lease: null,
        },
      ])
      .catch(options.onError);
    live.feed.stop({ status: "cancelled", stopReason: reason });
    return;
  }
  const record = errorRecord(error);
  if (!AutogenError.isInstance(error)) options.onError?.(error);
  // A run that failed before its record existed (its team could not restore the thread's checkpoint,
  // say) is recorded as failed, so the client reads why instead of a run that never was.
  if (options.start !== undefined && (await store.getRun(live.runId).catch(() => undefined)) === undefined) {
    await store
      .write([
        {
          kind: "createRun",
          id: live.runId,
          threadId: live.threadId,
          owner: options.start.owner,
          status: "failed",
          ...(options.start.task !== undefined ? { task: options.start.task as JsonValue } : {}),
          options: { team: options.team.name },
        },
        { kind: "updateRun", id: live.runId, error: record, ended: true },
      ])
      .catch(options.onError);
  }
  live.feed.stop({ status: "failed", error: record } satisfies JsonObject);
}

/** What a failure is recorded as: the error's code and message, or `internal` for a foreign error. */
export function errorRecord(error: unknown): { code: string; message: string } {
  if (AutogenError.isInstance(error)) return { code: error.code, message: error.message };
  return { code: "internal", message: "The run failed with an unexpected error" };
}

/** The team's task from the recorded one. */
function taskOf(task: RunTask | undefined): Task | undefined {
  if (task === undefined || typeof task === "string") return task;
  return task.map((m) => new TextMessage({ source: m.source, content: m.content }));
}

/**
 * The input function handed to teams: never called in a durable run (the journal parks the request
 * instead), it refuses rather than wait on a terminal the server does not have.
 */
function parkedInput(): Promise<string> {
  return Promise.reject(
    new AutogenError("invalid_state", "A served run takes input through POST /runs/{runId}/input"),
  );
}
