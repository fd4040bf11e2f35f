/**
 * `@autogen-ts/ext/models/replay`: the scripted model client, under the same subpath layout as the
 * provider clients. It lives in `@autogen-ts/core/testing` (so core and agentchat tests can use it) and
 * is re-exported here.
 *
 * @packageDocumentation
 */
export type {
  ReplayChatCompletionClientOptions,
  ReplayRequest,
  ReplayResponse,
  ReplayResult,
} from "@autogen-ts/core/testing";
export { ReplayChatCompletionClient } from "@autogen-ts/core/testing";
