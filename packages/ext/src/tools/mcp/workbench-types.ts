/**
 * The public types of `McpWorkbench`: its options, its tool overrides, roots, elicitation and progress
 * callbacks, what it reports about its server, and its saved state.
 */
import type { ChatCompletionClient, JsonSchema, ToolCallOptions } from "@autogen-ts/core";
import type { McpServerParams } from "./params.js";
import type { McpAuth, McpProtocolMode } from "./session.js";

/** Renames or re-describes one server tool, as the model will see it. */
export interface ToolOverride {
  readonly name?: string;
  readonly description?: string;
}

/** A filesystem root (or other URI) the client tells the server it may work in. */
export interface McpRoot {
  /** A `file://` URI. */
  readonly uri: string;
  readonly name?: string;
}

/** A server asking the user for input: a form to fill (`mode: "form"`) or a URL to visit (`mode: "url"`). */
export type McpElicitationRequest =
  | {
      readonly mode: "form";
      /** What the server wants, for a person to read. */
      readonly message: string;
      /** A flat JSON Schema object of the fields wanted. */
      readonly requestedSchema: JsonSchema;
    }
  | {
      readonly mode: "url";
      readonly message: string;
      readonly url: string;
      /**
       * The server's id for this URL interaction, on 2025-11-25 connections; the stateless 2026-07-28
       * revision correlates retries in its own request state instead and sends none.
       */
      readonly elicitationId?: string;
    };

/** The user's answer to an elicitation. `content` (the form's fields) goes with `accept` in form mode. */
export interface McpElicitationResponse {
  readonly action: "accept" | "decline" | "cancel";
  readonly content?: Readonly<Record<string, string | number | boolean | readonly string[]>>;
}

/** Asks the user and returns the answer; `signal` aborts when the server gives up on the request. */
export type McpElicitationHandler = (
  request: McpElicitationRequest,
  options: { readonly signal: AbortSignal; readonly server: string },
) => Promise<McpElicitationResponse>;

/** A progress report of a running tool call. */
export interface McpProgress {
  readonly progress: number;
  readonly total?: number;
  readonly message?: string;
}

/** Options of one MCP tool call, beyond core's {@link ToolCallOptions}. */
export interface McpCallOptions extends ToolCallOptions {
  /**
   * The time limit of this call in milliseconds (default: the server params' `timeout`, else 60 000).
   * Progress reported by the server restarts the clock, so long tools that report progress keep going.
   */
  readonly timeout?: number;
  /** Receives the server's progress notifications for this call. */
  readonly onProgress?: (progress: McpProgress) => void;
}

/** Options of {@link McpWorkbench}. */
export interface McpWorkbenchOptions {
  /** How to reach the server. */
  readonly server: McpServerParams;
  /** Put before every tool name (for example `"github_"`), so two servers' tools never collide. */
  readonly toolNamePrefix?: string;
  /** Per-tool renames and descriptions, keyed by the server's tool name; an override name wins over the prefix. */
  readonly toolOverrides?: Readonly<Record<string, ToolOverride>>;
  /** Answers the server's sampling requests (`sampling/createMessage`); without it, sampling is not offered. */
  readonly modelClient?: ChatCompletionClient;
  /** Answers the server's elicitation requests; without it, elicitation is not offered. */
  readonly elicitation?: McpElicitationHandler;
  /** Roots offered to the server: a list, or a function asked each time the server wants them. */
  readonly roots?: readonly McpRoot[] | (() => readonly McpRoot[] | Promise<readonly McpRoot[]>);
  /**
   * Credentials for an HTTP server that wants authorization: `new McpOAuth({...})` for the authorization
   * code flow with PKCE (dynamic registration, metadata documents, refresh and scope step-up by the SDK),
   * or any of the SDK's providers (`ClientCredentialsProvider`, `PrivateKeyJwtProvider`,
   * `CrossAppAccessProvider`, or a plain `{ token }`). Ignored for stdio servers.
   */
  readonly auth?: McpAuth;
  /** How this client names itself to the server (default `autogen-ts`). */
  readonly clientInfo?: { readonly name: string; readonly version: string };
  /**
   * Which protocol revisions to speak. `"auto"` (the default) asks the server with `server/discover` and
   * speaks the stateless 2026-07-28 revision when it answers, else falls back to the `initialize`
   * handshake (2025-11-25 and older); `"modern"` insists on 2026-07-28; `"legacy"` skips the probe.
   * The legacy SSE transport always speaks the older revisions.
   */
  readonly protocol?: McpProtocolMode;
}

/** What the server said about itself in the handshake. */
export interface McpServerInfo {
  readonly name: string | undefined;
  readonly version: string | undefined;
  /** The protocol revision agreed on, such as `2026-07-28` or `2025-11-25`. */
  readonly protocolVersion: string | undefined;
  /**
   * `"modern"` for the stateless 2026-07-28 revision (found through `server/discover`), `"legacy"` for a
   * connection opened with the `initialize` handshake.
   */
  readonly era: "modern" | "legacy" | undefined;
  readonly instructions: string | undefined;
  readonly capabilities: Readonly<Record<string, unknown>>;
}

/** The state {@link McpWorkbench.saveState} returns. */
export interface McpWorkbenchState {
  readonly type: "McpWorkbenchState";
  readonly version: 1;
  /** The server params with environment and header values redacted (for reference; not loaded). */
  readonly server: Record<string, unknown>;
  readonly toolNamePrefix?: string;
  readonly toolOverrides?: Record<string, ToolOverride>;
  readonly roots?: McpRoot[];
}
