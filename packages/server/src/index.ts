/**
 * `@autogen-ts/server`: serve autogen-ts teams over HTTP. Threads and runs on a run store, SSE streams
 * that a client can rejoin with `Last-Event-ID`, human input answered by POST, OpenAI-compatible
 * endpoints, bearer API keys with owner-only access, and an OpenAPI 3.1 document. The app is plain Hono
 * (web-standard); `@autogen-ts/server/node` listens on Node and adds the WebSocket run protocol.
 *
 * @packageDocumentation
 */
export type { ServerApp, ServerAppOptions, ServerMount } from "./app.js";
export { createServerApp } from "./app.js";
export type { Action, AuthenticateHook, AuthorizeHook, Principal, Resource, ResourceKind } from "./auth.js";
export { ANONYMOUS, apiKeyAuthenticator, ownerOnly } from "./auth.js";
export { errorResponseOf, ServerError } from "./errors.js";
export type { FeedRead, StopNotice } from "./feed.js";
export { FEED_BATCH, FEED_RING_SIZE, RunFeed, STATUS_EVENT, stopEvent } from "./feed.js";
export { parseLastEventId, sseEvent } from "./http/sse.js";
export type { RunManagerOptions, RunTask, StartRun } from "./runs/manager.js";
export { RunManager } from "./runs/manager.js";
export type { RunnableTeam, ServerTeam, TeamContext } from "./teams.js";
export { indexTeams } from "./teams.js";
export { SERVER_VERSION } from "./version.js";
