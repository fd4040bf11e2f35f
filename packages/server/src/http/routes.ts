/** The API's routes as OpenAPI definitions: paths, parameters, bodies and answers, from `schemas.ts`. */
import { createRoute, z } from "@hono/zod-openapi";
import {
  CheckpointList,
  ErrorBody,
  Health,
  InputAnswer,
  PageQuery,
  Ready,
  Run,
  RunCreate,
  RunEvent,
  RunParams,
  RunResult,
  TeamList,
  Thread,
  ThreadCreate,
  ThreadList,
  ThreadParams,
} from "../schemas.js";

const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { "application/json": { schema } },
});
const error = (description: string) => json(ErrorBody, description);
const sse = {
  description:
    "Server-Sent Events: each event's `id:` is its sequence number, `event:` its type, `data:` a RunEvent.",
  content: { "text/event-stream": { schema: RunEvent } },
};
const body = <T extends z.ZodType>(schema: T) => ({
  required: true,
  content: { "application/json": { schema } },
});
const security = [{ bearer: [] as string[] }];
const common = { 401: error("Not authenticated"), 400: error("Malformed request") };

export const listTeams = createRoute({
  method: "get",
  path: "/teams",
  operationId: "listTeams",
  tags: ["teams"],
  security,
  responses: { 200: json(TeamList, "The teams this server runs"), ...common },
});

export const createThread = createRoute({
  method: "post",
  path: "/threads",
  operationId: "createThread",
  tags: ["threads"],
  security,
  request: { body: { ...body(ThreadCreate), required: false } },
  responses: { 201: json(Thread, "The new thread"), ...common },
});

export const listThreads = createRoute({
  method: "get",
  path: "/threads",
  operationId: "listThreads",
  tags: ["threads"],
  security,
  request: { query: PageQuery },
  responses: { 200: json(ThreadList, "The caller's threads, newest first"), ...common },
});

export const getThread = createRoute({
  method: "get",
  path: "/threads/{threadId}",
  operationId: "getThread",
  tags: ["threads"],
  security,
  request: { params: ThreadParams },
  responses: { 200: json(Thread, "The thread"), 404: error("No such thread"), ...common },
});

export const deleteThread = createRoute({
  method: "delete",
  path: "/threads/{threadId}",
  operationId: "deleteThread",
  tags: ["threads"],
  security,
  request: { params: ThreadParams },
  responses: {
    204: { description: "Deleted, with its runs and checkpoints" },
    404: error("No such thread"),
    ...common,
  },
});

export const threadHistory = createRoute({
  method: "get",
  path: "/threads/{threadId}/history",
  operationId: "threadHistory",
  tags: ["threads"],
  security,
  request: {
    params: ThreadParams,
    query: PageQuery.extend({
      state: z
        .enum(["true", "false"])
        .optional()
        .openapi({ param: { name: "state", in: "query" } }),
    }),
  },
  responses: {
    200: json(CheckpointList, "Checkpoints, newest first"),
    404: error("No such thread"),
    ...common,
  },
});

export const createRun = createRoute({
  method: "post",
  path: "/threads/{threadId}/runs",
  operationId: "createRun",
  tags: ["runs"],
  security,
  request: { params: ThreadParams, body: body(RunCreate) },
  responses: {
    201: json(Run, "mode background: the run, started or queued"),
    200: {
      description: "mode wait: the run once it stopped, with its events; mode stream: its events as SSE",
      content: { "application/json": { schema: RunResult }, "text/event-stream": { schema: RunEvent } },
    },
    404: error("No such thread, or no such team"),
    409: error("The thread is busy (ifBusy: reject)"),
    503: error("The server is shutting down"),
    ...common,
  },
});

export const getRun = createRoute({
  method: "get",
  path: "/runs/{runId}",
  operationId: "getRun",
  tags: ["runs"],
  security,
  request: { params: RunParams },
  responses: { 200: json(Run, "The run"), 404: error("No such run"), ...common },
});

export const streamRun = createRoute({
  method: "get",
  path: "/runs/{runId}/stream",
  operationId: "streamRun",
  tags: ["runs"],
  security,
  request: {
    params: RunParams,
    headers: z.object({
      "last-event-id": z
        .string()
        .optional()
        .openapi({ param: { name: "last-event-id", in: "header" } }),
    }),
  },
  responses: { 200: sse, 404: error("No such run"), ...common },
});

export const cancelRun = createRoute({
  method: "post",
  path: "/runs/{runId}/cancel",
  operationId: "cancelRun",
  tags: ["runs"],
  security,
  request: { params: RunParams },
  responses: {
    200: json(Run, "The cancelled run"),
    404: error("No such run"),
    409: error("The run has ended"),
    ...common,
  },
});

export const answerInput = createRoute({
  method: "post",
  path: "/runs/{runId}/input",
  operationId: "answerInput",
  tags: ["runs"],
  security,
  request: { params: RunParams, body: body(InputAnswer) },
  responses: {
    202: json(Run, "Answer recorded; the run continues"),
    404: error("No such run or request"),
    409: error("The request was already answered"),
    ...common,
  },
});

export const health = createRoute({
  method: "get",
  path: "/health",
  operationId: "health",
  tags: ["meta"],
  responses: { 200: json(Health, "The process is up") },
});

export const ready = createRoute({
  method: "get",
  path: "/ready",
  operationId: "ready",
  tags: ["meta"],
  responses: { 200: json(Ready, "Taking runs"), 503: json(Ready, "Not taking runs") },
});
