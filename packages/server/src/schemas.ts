/**
 * The request and response bodies of the HTTP API, defined once with zod: the routes validate with them and
 * `/openapi.json` is generated from them, so the document cannot drift from what the server does.
 */
import { z } from "@hono/zod-openapi";

/** Every error response: a stable code to branch on and a sentence to show. */
export const ErrorBody = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: "not_found" }),
      message: z.string().openapi({ example: "No thread 3f2c..." }),
    }),
  })
  .openapi("Error");

/** A JSON object of the caller's own (thread metadata). */
const Metadata = z.record(z.string(), z.unknown()).openapi("Metadata");

/** A team (or agent) this server was started with. */
export const Team = z
  .object({
    name: z.string().openapi({ example: "writers" }),
    description: z.string().optional(),
  })
  .openapi("Team");

/** `GET /teams`. */
export const TeamList = z.object({ items: z.array(Team) }).openapi("TeamList");

/** Where a thread is: free for a run, running one, or waiting for a person's answer. */
export const ThreadStatus = z.enum(["idle", "busy", "interrupted"]).openapi("ThreadStatus");

/** A conversation that runs continue. */
export const Thread = z
  .object({
    threadId: z.string(),
    status: ThreadStatus,
    metadata: Metadata,
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi("Thread");

/** `POST /threads`. */
export const ThreadCreate = z.object({ metadata: Metadata.optional() }).openapi("ThreadCreate");

/** A page of threads, newest first. */
export const ThreadList = z
  .object({ items: z.array(Thread), nextCursor: z.string().optional() })
  .openapi("ThreadList");

/** A restorable snapshot of a thread's team, as `GET /threads/{threadId}/history` lists them. */
export const Checkpoint = z
  .object({
    checkpointId: z.string(),
    threadId: z.string(),
    runId: z.string().optional(),
    parentId: z.string().optional(),
    seq: z.number().int(),
    createdAt: z.string(),
    metadata: Metadata,
    state: z.unknown().optional(),
  })
  .openapi("Checkpoint");

/** A page of checkpoints, newest first. */
export const CheckpointList = z
  .object({ items: z.array(Checkpoint), nextCursor: z.string().optional() })
  .openapi("CheckpointList");

/** How `POST /threads/{threadId}/runs` answers: at once, with the run's SSE stream, or at its end. */
export const RunMode = z.enum(["background", "stream", "wait"]).openapi("RunMode");

/** What a run on a thread that already has one active does. */
export const BusyPolicy = z.enum(["reject", "enqueue", "interrupt"]).openapi("BusyPolicy");

/** Whether a `stream` request's run goes on when its stream is dropped (the default) or is cancelled. */
export const DisconnectPolicy = z.enum(["continue", "cancel"]).openapi("DisconnectPolicy");

/** `POST /threads/{threadId}/runs`: the NAME of a team the server runs, never a definition. */
export const RunCreate = z
  .object({
    team: z.string().min(1).openapi({ example: "writers" }),
    task: z.string().optional().openapi({ description: "The task; omitted to continue the thread." }),
    mode: RunMode.default("background"),
    ifBusy: BusyPolicy.default("reject").openapi({
      description: "A run on a thread with an active one: refuse (409), queue behind it, or cancel it.",
    }),
    onDisconnect: DisconnectPolicy.default("continue").openapi({
      description: "Whether the run is cancelled when the stream of a `stream` request is dropped.",
    }),
  })
  .strict()
  .openapi("RunCreate");

/** Where a run is. `pending` waits in a thread's queue; `interrupted` waits for input or a restart. */
export const RunStatus = z
  .enum(["pending", "running", "interrupted", "completed", "failed", "cancelled"])
  .openapi("RunStatus");

/** A question to a person that the run waits on. */
export const InputRequest = z
  .object({
    requestId: z.string(),
    prompt: z.string(),
    schema: z.record(z.string(), z.unknown()).optional(),
    createdAt: z.string(),
  })
  .openapi("InputRequest");

/** A run of a team on a thread. */
export const Run = z
  .object({
    runId: z.string(),
    threadId: z.string(),
    team: z.string(),
    status: RunStatus,
    stopReason: z.string().optional(),
    error: z.object({ code: z.string(), message: z.string() }).optional(),
    lastSeq: z.number().int().openapi({ description: "The sequence number of the run's newest event." }),
    pendingInput: z.array(InputRequest),
    createdAt: z.string(),
    updatedAt: z.string(),
    endedAt: z.string().optional(),
  })
  .openapi("Run");

/** One event of a run's record: a message or event of the team, or a change of the run's status. */
export const RunEvent = z
  .object({
    seq: z.number().int(),
    type: z.string().openapi({ example: "TextMessage" }),
    data: z
      .unknown()
      .openapi({ description: "A message's JSON form (with its own createdAt), or a status change" }),
  })
  .openapi("RunEvent");

/** `mode: "wait"`: the run once it stopped (ended or waiting for input), with its events. */
export const RunResult = z.object({ run: Run, events: z.array(RunEvent) }).openapi("RunResult");

/** `POST /runs/{runId}/input`. */
export const InputAnswer = z
  .object({ requestId: z.string().min(1), value: z.unknown() })
  .strict()
  .openapi("InputAnswer");

/** `GET /health`. */
export const Health = z.object({ status: z.literal("ok") }).openapi("Health");

/** `GET /ready`: whether the server takes runs (false while it shuts down or its store is down). */
export const Ready = z.object({ ready: z.boolean(), reason: z.string().optional() }).openapi("Ready");

/** Path and query parameters. */
export const ThreadParams = z.object({
  threadId: z.string().openapi({ param: { name: "threadId", in: "path" } }),
});
export const RunParams = z.object({ runId: z.string().openapi({ param: { name: "runId", in: "path" } }) });
export const PageQuery = z.object({
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(1000)
    .optional()
    .openapi({ param: { name: "limit", in: "query" } }),
  cursor: z
    .string()
    .optional()
    .openapi({ param: { name: "cursor", in: "query" } }),
});
