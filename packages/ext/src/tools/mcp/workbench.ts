/**
 * `McpWorkbench`: core's {@link Workbench} over one MCP server, on the official TypeScript SDK (v2 client):
 * the stateless 2026-07-28 revision with servers that answer `server/discover`, the `initialize` handshake
 * (2025-11-25 and older) with the rest.
 *
 * One session is kept open across calls. It starts on first use, survives the server's tool list
 * changing, is replaced when the server dies or forgets it, and ends with `stop()`.
 */
import {
  raceAbort,
  ToolError,
  type ToolResult,
  type ToolSchema,
  toCancelledError,
  ValidationError,
  type Workbench,
} from "@autogen-ts/core";
import type {
  CallToolResult,
  Client,
  GetPromptResult,
  Prompt,
  ReadResourceResult,
  Resource,
  ResourceTemplateType as ResourceTemplate,
  Tool as SdkTool,
} from "@modelcontextprotocol/client";
import { type ClientHooks, clientOptions, configureClient } from "./client-handlers.js";
import { callResultToToolResult, errorResult } from "./convert.js";
import { checkNaming, nameTools, parseArguments } from "./naming.js";
import {
  DEFAULT_MCP_TIMEOUT_MS,
  describeServer,
  type McpServerParams,
  redactServerParams,
  transportKind,
} from "./params.js";
import {
  announcesToolChanges,
  closeSession,
  errorText,
  finishAuthorization,
  isRequestTimeout,
  isServerAnswer,
  isSessionLost,
  isStaleSocket,
  type McpSession,
  openSession,
  stderrSuffix,
} from "./session.js";
import type {
  McpCallOptions,
  McpRoot,
  McpServerInfo,
  McpWorkbenchOptions,
  McpWorkbenchState,
  ToolOverride,
} from "./workbench-types.js";

interface ToolCache {
  readonly session: McpSession;
  readonly tools: readonly SdkTool[];
}

const CLIENT_INFO = { name: "autogen-ts", version: "0.1.0" };

/** The pause before re-sending a request that went out on a connection the server had closed. */
const STALE_SOCKET_PAUSE_MS = 20;

/** How long a server may take to answer the ping sent after one of its streams broke. */
const PROBE_TIMEOUT_MS = 5_000;

/** How many times one request re-authorizes (a scope step-up) before its error is reported: clients should bound them. */
const MAX_REQUEST_AUTHORIZATIONS = 1;

/**
 * A {@link Workbench} backed by one MCP server (stdio, Streamable HTTP or legacy SSE).
 *
 * Tool failures, unknown tools, a dead server and timeouts come back as `isError` results the model can
 * read; only cancellation through the caller's signal rejects (with a `CancelledError`).
 *
 * @example
 * ```ts
 * const github = new McpWorkbench({
 *   server: { command: "npx", args: ["-y", "@modelcontextprotocol/server-github"], env: { GITHUB_TOKEN } },
 *   toolNamePrefix: "gh_",
 * });
 * const agent = new AssistantAgent({ name: "dev", modelClient, workbench: github });
 * // ...
 * await github.stop();
 * ```
 */
export class McpWorkbench implements Workbench {
  /** The server's params, as given. */
  readonly server: McpServerParams;
  private toolNamePrefix: string;
  private toolOverrides: Record<string, ToolOverride>;
  private roots: McpWorkbenchOptions["roots"];
  private readonly options: McpWorkbenchOptions;
  private readonly serverName: string;
  private opening: Promise<McpSession> | undefined;
  private current: McpSession | undefined;
  private toolCache: ToolCache | undefined;
  /**
   * The last listing, cacheable or not. Calls map names through it without listing again: a tool gone
   * since then gets the server's own error, and an unknown name triggers a fresh listing.
   */
  private lastListing: readonly SdkTool[] | undefined;
  private toolListeners = new Set<() => void>();
  /** Bumped by every list-changed notification, so that a list fetched across one is not cached. */
  private toolsGeneration = 0;

  constructor(options: McpWorkbenchOptions) {
    transportKind(options.server);
    this.options = options;
    this.server = options.server;
    this.serverName = describeServer(options.server);
    this.toolNamePrefix = options.toolNamePrefix ?? "";
    this.toolOverrides = { ...(options.toolOverrides ?? {}) };
    this.roots = options.roots;
    checkNaming(this.toolNamePrefix, this.toolOverrides);
  }

  /** The tool name prefix and overrides in effect (copies; read-only, for dumping it as a component). */
  get naming(): {
    readonly toolNamePrefix: string;
    readonly toolOverrides: Readonly<Record<string, ToolOverride>>;
  } {
    return { toolNamePrefix: this.toolNamePrefix, toolOverrides: { ...this.toolOverrides } };
  }

  /** Opens the session now rather than on first use (idempotent). */
  async start(): Promise<void> {
    await this.session();
  }

  /** Closes the session (and ends a stdio server's process). A later call opens a new one. */
  async stop(): Promise<void> {
    const opening = this.opening;
    this.opening = undefined;
    this.current = undefined;
    this.toolCache = undefined;
    this.lastListing = undefined;
    const session = await opening?.catch(() => undefined);
    if (session && !session.closed) await closeSession(session, this.terminateOnClose());
  }

  /** Forgets the cached tool list; the session stays open. */
  async reset(): Promise<void> {
    this.toolCache = undefined;
    this.lastListing = undefined;
  }

  /** True while a session is open. */
  get isConnected(): boolean {
    return this.current !== undefined && !this.current.closed;
  }

  /** What the server said about itself (opens the session if needed). */
  async serverInfo(): Promise<McpServerInfo> {
    const session = await this.session();
    const version = session.client.getServerVersion();
    return {
      name: version?.name,
      version: version?.version,
      protocolVersion: session.protocolVersion,
      era: session.era,
      instructions: session.client.getInstructions(),
      capabilities: { ...(session.client.getServerCapabilities() ?? {}) },
    };
  }

  /** Calls `listener` whenever the server announces that its tool list changed. Returns an unsubscribe. */
  onToolsChanged(listener: () => void): () => void {
    this.toolListeners.add(listener);
    return () => this.toolListeners.delete(listener);
  }

  /**
   * The server's tools, renamed by the prefix and overrides. The list is cached while the server
   * promises to announce changes (`tools.listChanged`), and fetched afresh otherwise.
   *
   * @throws ToolError when the server cannot be reached; ValidationError (`invalid_config`) when two
   *   tools end up with the same name.
   */
  async listTools(options: { signal?: AbortSignal } = {}): Promise<ToolSchema[]> {
    const tools = await this.serverTools(options.signal, false);
    return nameTools(tools, this.toolNamePrefix, this.toolOverrides, this.serverName).schemas;
  }

  /**
   * Calls a tool by its exposed name. Arguments are JSON text or an object. Never rejects except when
   * `options.signal` aborts.
   */
  async callTool(
    name: string,
    args: string | Readonly<Record<string, unknown>>,
    options: McpCallOptions = {},
  ): Promise<ToolResult> {
    const { signal } = options;
    if (signal?.aborted) throw toCancelledError(signal.reason);
    const parsed = parseArguments(args);
    if (typeof parsed === "string") return errorResult(name, parsed);

    let serverName: string | undefined;
    try {
      serverName = await this.resolveToolName(name, signal);
    } catch (error) {
      if (signal?.aborted) throw toCancelledError(signal.reason);
      return errorResult(name, errorText(error));
    }
    if (serverName === undefined) {
      const known = (await this.listTools().catch(() => [])).map((t) => t.name);
      return errorResult(name, `Unknown tool "${name}". Available tools: ${known.join(", ") || "(none)"}`);
    }

    const timeout = options.timeout ?? this.server.timeout ?? DEFAULT_MCP_TIMEOUT_MS;
    const request = { name: serverName, arguments: parsed as Record<string, unknown> };
    const requestOptions = {
      timeout,
      resetTimeoutOnProgress: true,
      ...(signal ? { signal } : {}),
      onprogress: (p: { progress: number; total?: number; message?: string }) =>
        options.onProgress?.({
          progress: p.progress,
          ...(p.total !== undefined ? { total: p.total } : {}),
          ...(p.message !== undefined ? { message: p.message } : {}),
        }),
    };

    let resentStale = false;
    let resentLost = false;
    let authorizations = 0;
    for (;;) {
      let session: McpSession;
      try {
        session = await this.session(signal);
      } catch (error) {
        if (signal?.aborted) throw toCancelledError(signal.reason);
        return errorResult(name, errorText(error));
      }
      try {
        const result = (await session.client.callTool(request, requestOptions)) as CallToolResult;
        return callResultToToolResult(name, result);
      } catch (error) {
        if (signal?.aborted) throw toCancelledError(signal.reason);
        if (await this.authorized(session, error, authorizations++)) continue;
        if (isServerAnswer(error)) return errorResult(name, errorText(error));
        if (isRequestTimeout(error)) {
          return errorResult(name, `The MCP tool "${name}" did not answer within ${timeout} ms.`);
        }
        // A request that went out on a connection the server had already closed got no answer at all
        // (no headers): send it once more, on a new connection.
        if (!resentStale && isStaleSocket(error)) {
          resentStale = true;
          // Give the connection pool a moment to see the other closed connections too.
          await new Promise((resolve) => setTimeout(resolve, STALE_SOCKET_PAUSE_MS));
          continue;
        }
        // The session is gone. The server never saw a call it rejected for an unknown session, so that
        // one is safe to send again on a fresh session; any other loss is reported, and the next call
        // starts the server again.
        const stderr = stderrSuffix(session);
        await this.discard(session);
        if (isSessionLost(error) && !resentLost) {
          resentLost = true;
          continue;
        }
        return errorResult(
          name,
          `The MCP server ${this.serverName} failed during the call to "${name}": ${errorText(error)}. ` +
            `It will be restarted on the next call.${stderr}`,
        );
      }
    }
  }

  /** The server's prompts (all pages). */
  async listPrompts(options: { signal?: AbortSignal } = {}): Promise<Prompt[]> {
    return this.paged(options.signal, "listPrompts", async (client, cursor, o) => {
      // A server without prompts has none to list (the SDK would say so on stdout).
      if (!client.getServerCapabilities()?.prompts) return { items: [] };
      const page = await client.listPrompts(cursor ? { cursor } : undefined, o);
      return { items: page.prompts, next: page.nextCursor };
    });
  }

  /** Fills in a prompt with arguments; the messages come back as the server wrote them. */
  async getPrompt(
    name: string,
    args: Readonly<Record<string, string>> = {},
    options: { signal?: AbortSignal } = {},
  ): Promise<GetPromptResult> {
    return this.withSession(options.signal, "getPrompt", (client, o) =>
      client.getPrompt({ name, arguments: { ...args } }, o),
    );
  }

  /** The server's resources (all pages). */
  async listResources(options: { signal?: AbortSignal } = {}): Promise<Resource[]> {
    return this.paged(options.signal, "listResources", async (client, cursor, o) => {
      if (!client.getServerCapabilities()?.resources) return { items: [] };
      const page = await client.listResources(cursor ? { cursor } : undefined, o);
      return { items: page.resources, next: page.nextCursor };
    });
  }

  /** The server's resource templates (all pages). */
  async listResourceTemplates(options: { signal?: AbortSignal } = {}): Promise<ResourceTemplate[]> {
    return this.paged(options.signal, "listResourceTemplates", async (client, cursor, o) => {
      if (!client.getServerCapabilities()?.resources) return { items: [] };
      const page = await client.listResourceTemplates(cursor ? { cursor } : undefined, o);
      return { items: page.resourceTemplates, next: page.nextCursor };
    });
  }

  /** Reads one resource by URI. */
  async readResource(uri: string, options: { signal?: AbortSignal } = {}): Promise<ReadResourceResult> {
    return this.withSession(options.signal, "readResource", (client, o) => client.readResource({ uri }, o));
  }

  /** Replaces the roots offered to the server and tells a connected server that they changed. */
  async setRoots(roots: readonly McpRoot[]): Promise<void> {
    if (this.roots === undefined) {
      throw new ValidationError(
        "setRoots needs a workbench created with `roots` (the capability is fixed at connect)",
        {
          code: "invalid_state",
        },
      );
    }
    this.roots = [...roots];
    const session = this.current;
    if (session && !session.closed) await session.client.sendRootsListChanged().catch(() => {});
  }

  /** Saves the naming config (prefix, overrides, roots) and a redacted copy of the server params. */
  async saveState(): Promise<Record<string, unknown>> {
    const state: McpWorkbenchState = {
      type: "McpWorkbenchState",
      version: 1,
      server: redactServerParams(this.server),
      ...(this.toolNamePrefix ? { toolNamePrefix: this.toolNamePrefix } : {}),
      ...(Object.keys(this.toolOverrides).length > 0
        ? { toolOverrides: structuredClone(this.toolOverrides) }
        : {}),
      ...(Array.isArray(this.roots) ? { roots: this.roots.map((r) => ({ ...r })) } : {}),
    };
    return { ...state };
  }

  /**
   * Restores what {@link saveState} saved: the tool prefix, overrides and a static roots list. The server
   * params are not loaded (they are redacted); build the workbench with the params you want.
   *
   * @throws ValidationError (`invalid_config`) for a state of another type or version, or names that clash.
   */
  async loadState(state: Record<string, unknown>): Promise<void> {
    if (state.type !== "McpWorkbenchState" || state.version !== 1) {
      throw new ValidationError("Not an McpWorkbench state (expected type McpWorkbenchState, version 1)", {
        code: "invalid_config",
      });
    }
    const prefix = state.toolNamePrefix ?? "";
    const overrides = state.toolOverrides ?? {};
    if (typeof prefix !== "string" || typeof overrides !== "object" || overrides === null) {
      throw new ValidationError("McpWorkbench state: bad toolNamePrefix or toolOverrides", {
        code: "invalid_config",
      });
    }
    checkNaming(prefix, overrides as Record<string, ToolOverride>);
    this.toolNamePrefix = prefix;
    this.toolOverrides = structuredClone(overrides as Record<string, ToolOverride>);
    if (Array.isArray(state.roots)) await this.setRoots(state.roots as McpRoot[]).catch(() => {});
  }

  // ---- sessions ----

  private terminateOnClose(): boolean {
    return (
      !("command" in this.server) &&
      (this.server as { terminateOnClose?: boolean }).terminateOnClose !== false
    );
  }

  /** The open session, opening one if there is none or the last one died. Concurrent callers share it. */
  private async session(signal?: AbortSignal): Promise<McpSession> {
    if (this.current && !this.current.closed) return this.current;
    if (!this.opening) {
      const opening = openSession(this.server, {
        clientInfo: this.options.clientInfo ?? CLIENT_INFO,
        clientOptions: clientOptions(this.hooks(undefined)),
        ...(this.options.protocol ? { protocol: this.options.protocol } : {}),
        ...(this.options.auth ? { auth: this.options.auth } : {}),
        configure: (client, session) => configureClient(client, this.hooks(session)),
      });
      this.opening = opening;
      opening.then(
        (session) => {
          if (this.opening === opening) this.current = session;
        },
        () => {
          if (this.opening === opening) this.opening = undefined;
        },
      );
    }
    const session = await raceAbort(this.opening, signal);
    if (session.closed) {
      // It died between opening and now; try once more from scratch.
      if (this.current === session) this.current = undefined;
      this.opening = undefined;
      return this.session(signal);
    }
    return session;
  }

  /** Drops a dead or lost session so that the next call opens a new one. */
  private async discard(session: McpSession): Promise<void> {
    if (this.current === session) {
      this.current = undefined;
      this.opening = undefined;
    }
    if (this.toolCache?.session === session) this.toolCache = undefined;
    await closeSession(session, false);
  }

  /** True when a request that failed for want of authorization (a scope step-up) may now be sent again. */
  private async authorized(session: McpSession, error: unknown, authorizations: number): Promise<boolean> {
    if (authorizations >= MAX_REQUEST_AUTHORIZATIONS) return false;
    return finishAuthorization(session.transport, this.options.auth, error);
  }

  private probing = new WeakSet<McpSession>();

  /** Pings the server after a dropped stream and drops the session when it does not answer. */
  private probe(session: McpSession): void {
    if (session.closed || this.probing.has(session)) return;
    this.probing.add(session);
    session.client
      .ping({ timeout: PROBE_TIMEOUT_MS })
      .then(
        () => undefined,
        (error: unknown) => (isServerAnswer(error) ? undefined : this.discard(session)),
      )
      .finally(() => this.probing.delete(session));
  }

  /** The handlers' view of this workbench. */
  private hooks(session: McpSession | undefined): ClientHooks {
    return {
      serverName: this.serverName,
      modelClient: this.options.modelClient,
      elicitation: this.options.elicitation,
      roots: () => this.roots,
      toolsChanged: () => {
        this.toolsGeneration++;
        if (session !== undefined && this.toolCache?.session === session) this.toolCache = undefined;
        for (const listener of this.toolListeners) {
          try {
            listener();
          } catch {
            // A listener's failure is its own business.
          }
        }
      },
      streamBroke: () => {
        if (session !== undefined) this.probe(session);
      },
    };
  }

  /**
   * Runs one request on the session. A lost session (HTTP 404) or a dropped connection is replaced and
   * the request sent once more: these requests only read, so repeating them is safe.
   */
  private async withSession<T>(
    signal: AbortSignal | undefined,
    what: string,
    run: (
      client: Client,
      options: { timeout: number; signal?: AbortSignal },
      session: McpSession,
    ) => Promise<T>,
  ): Promise<T> {
    const timeout = this.server.timeout ?? DEFAULT_MCP_TIMEOUT_MS;
    let authorizations = 0;
    for (let attempt = 0; ; attempt++) {
      const session = await this.session(signal).catch((error: unknown) => {
        if (signal?.aborted) throw toCancelledError(signal.reason);
        throw error;
      });
      try {
        return await run(session.client, { timeout, ...(signal ? { signal } : {}) }, session);
      } catch (error) {
        if (signal?.aborted) throw toCancelledError(signal.reason);
        if (await this.authorized(session, error, authorizations++)) {
          attempt--;
          continue;
        }
        if (!isServerAnswer(error) && !isRequestTimeout(error)) {
          const stderr = stderrSuffix(session);
          await this.discard(session);
          if (attempt === 0) continue;
          throw new ToolError(`MCP ${what} failed on ${this.serverName}: ${errorText(error)}${stderr}`, {
            cause: error,
          });
        }
        throw new ToolError(`MCP ${what} failed on ${this.serverName}: ${errorText(error)}`, {
          cause: error,
          code: isRequestTimeout(error) ? "timeout" : "tool_error",
        });
      }
    }
  }

  private async paged<T>(
    signal: AbortSignal | undefined,
    what: string,
    page: (
      client: Client,
      cursor: string | undefined,
      options: { timeout: number; signal?: AbortSignal },
      session: McpSession,
    ) => Promise<{ items: T[]; next?: string | undefined }>,
  ): Promise<T[]> {
    return this.withSession(signal, what, async (client, options, session) => {
      const all: T[] = [];
      let cursor: string | undefined;
      do {
        const { items, next } = await page(client, cursor, options, session);
        all.push(...items);
        cursor = next;
      } while (cursor);
      return all;
    });
  }

  // ---- tools ----

  private async serverTools(signal: AbortSignal | undefined, fresh: boolean): Promise<readonly SdkTool[]> {
    const cached = this.toolCache;
    if (!fresh && cached && announcesToolChanges(cached.session) && cached.session === this.current) {
      return cached.tools;
    }
    let owner: McpSession | undefined;
    const generation = this.toolsGeneration;
    const tools = await this.paged(signal, "listTools", async (client, cursor, o, session) => {
      owner = session;
      if (!client.getServerCapabilities()?.tools) return { items: [] };
      // This workbench keeps its own cache, invalidated by change notices; always ask the server.
      const page = await client.listTools(cursor ? { cursor } : undefined, { ...o, cacheMode: "refresh" });
      return { items: page.tools, next: page.nextCursor };
    });
    this.lastListing = tools;
    const canCache = owner !== undefined && announcesToolChanges(owner);
    if (owner && canCache && !owner.closed && generation === this.toolsGeneration)
      this.toolCache = { session: owner, tools };
    return tools;
  }

  /** The server's name of an exposed tool name, looking again at the server once if it is unknown. */
  private async resolveToolName(name: string, signal: AbortSignal | undefined): Promise<string | undefined> {
    const known = this.toolCache?.tools ?? this.lastListing ?? (await this.serverTools(signal, false));
    let named = nameTools(known, this.toolNamePrefix, this.toolOverrides, this.serverName);
    let found = named.toServer.get(name);
    if (found === undefined) {
      named = nameTools(
        await this.serverTools(signal, true),
        this.toolNamePrefix,
        this.toolOverrides,
        this.serverName,
      );
      found = named.toServer.get(name);
    }
    return found;
  }
}
