/**
 * `A2AAgent`: a remote A2A agent as a local chat agent. It sends the new messages in its own A2A
 * context, streams the remote's status updates as `ThoughtEvent`s, and replies with the remote's answer.
 */

import { type AgentCard, type Message, type Task, TaskState } from "@a2a-js/sdk";
import {
  type Client,
  ClientFactory,
  DefaultAgentCardResolver,
  JsonRpcTransportFactory,
  RestTransportFactory,
} from "@a2a-js/sdk/client";
import {
  type AgentState,
  type BaseAgentMessage,
  BaseChatAgent,
  type BaseChatMessage,
  type CallOptions,
  drainResponse,
  type Response,
  TextMessage,
  ThoughtEvent,
} from "@autogen-ts/agentchat";
import { AutogenError, CancelledError, DeliveryError, ValidationError } from "@autogen-ts/core";
import { messageToParts, partsText, userMessage } from "./parts.js";

/** Options of {@link A2AAgent}. */
export interface A2AAgentOptions {
  /** The agent's local name (letters, digits, `_` and `-`). */
  readonly name: string;
  /** What the agent does, for other agents and selectors (default: the remote card's description once fetched, else a generic line). */
  readonly description?: string;
  /**
   * The remote agent's base URL: its card is read from `<url>/.well-known/agent-card.json`. Give `card`
   * instead to skip the fetch.
   */
  readonly url?: string;
  /** The remote agent's card, already in hand. */
  readonly card?: AgentCard;
  /**
   * The SDK client factory to use (for authentication interceptors, custom transports or fetch); default
   * a plain `ClientFactory`.
   */
  readonly clientFactory?: ClientFactory;
  /**
   * Credentials for a server whose card declares authentication: called before every request, its
   * headers are added to it (`{ authorization: "Bearer …" }`, `{ "x-api-key": … }`), so a token can be
   * refreshed between calls. Not used with `clientFactory`. Never logged or kept in the state.
   */
  readonly credentials?: () => Record<string, string> | Promise<Record<string, string>>;
  /** Stream status updates (default true); false sends blocking requests and emits no inner events. */
  readonly streaming?: boolean;
}

/** The saved form of an {@link A2AAgent}. */
export interface A2AAgentState extends AgentState {
  readonly type: "A2AAgentState";
  readonly version: 1;
  /** The A2A context the conversation continues in, if one has started. */
  readonly contextId?: string;
  /** A task waiting for input from this side (`input-required`), answered by the next message. */
  readonly pendingTaskId?: string;
}

const TERMINAL_FAILURES = new Set([TaskState.TASK_STATE_FAILED, TaskState.TASK_STATE_REJECTED]);

/**
 * A chat agent whose turns run on a remote A2A agent, through the official `@a2a-js/sdk` client. Each turn
 * sends the messages it has not sent yet as one A2A message (text, images as file parts, structured
 * content as a data part, each part tagged with its speaker) in the agent's context, so the remote sees
 * one continuing conversation. Works in any team, and as a tool through agentchat's `AgentTool`.
 *
 * Inner events: every `working` status update carrying a message becomes a `ThoughtEvent` from this agent
 * whose `metadata` holds the remote speaker (`a2aSource`), the remote message type (`a2aType`) and the
 * task id. The reply is a `TextMessage` with the remote's answer (the final status message, else the
 * task's artifacts). A task that asks for input (`input-required`) replies with its question, and the
 * next turn answers that same task.
 *
 * Errors: an unreachable remote is a `DeliveryError` (`undeliverable`); a remote task that fails or is
 * rejected is a `DeliveryError` (`handler_failed`) with `details.messages` holding the inner events so
 * far and `details.taskId`; cancelling the turn's signal cancels the remote task and rejects with a
 * `CancelledError` carrying the same details.
 *
 * @example
 * ```ts
 * const remote = new A2AAgent({ name: "weather", url: "http://127.0.0.1:41241" });
 * const result = await remote.run({ task: "Weather in Paris?" });
 * ```
 */
export class A2AAgent extends BaseChatAgent {
  readonly #url: string | undefined;
  readonly #card: AgentCard | undefined;
  readonly #factory: ClientFactory;
  readonly #streaming: boolean;
  #client: Promise<Client> | undefined;
  #contextId: string | undefined;
  #pendingTaskId: string | undefined;

  constructor(options: A2AAgentOptions) {
    super({
      name: options?.name,
      description: options?.description ?? options?.card?.description ?? "A remote agent reached over A2A.",
    });
    if (options.url === undefined && options.card === undefined) {
      throw new ValidationError(`A2AAgent '${options.name}' needs a 'url' or a 'card'`);
    }
    if (options.url !== undefined) {
      try {
        new URL(options.url);
      } catch (cause) {
        throw new ValidationError(`A2AAgent '${options.name}': 'url' is not a URL: ${options.url}`, {
          cause,
        });
      }
    }
    this.#url = options.url;
    this.#card = options.card;
    this.#factory = options.clientFactory ?? credentialedFactory(options.credentials);
    this.#streaming = options.streaming ?? true;
  }

  /** The agent replies with text. */
  get producedMessageTypes(): readonly string[] {
    return ["TextMessage"];
  }

  /** The A2A context of the conversation, once the remote has assigned one. */
  get contextId(): string | undefined {
    return this.#contextId;
  }

  /** Sends the messages and returns the remote's answer, with its status updates as inner messages. */
  async onMessages(messages: readonly BaseChatMessage[], options: CallOptions = {}): Promise<Response> {
    return drainResponse(
      this.onMessagesStream(messages, options),
      () => new DeliveryError("handler_failed", `A2AAgent '${this.name}': the turn ended without an answer`),
    );
  }

  /** Sends the messages, yielding the remote's status updates as they come, then the {@link Response}. */
  override async *onMessagesStream(
    messages: readonly BaseChatMessage[],
    options: CallOptions = {},
  ): AsyncGenerator<BaseAgentMessage | Response> {
    const signal = options.signal;
    if (signal?.aborted)
      throw new CancelledError(`A2AAgent '${this.name}' was cancelled`, { cause: signal.reason });
    const client = await this.#connect(signal);
    const parts = messages.flatMap((m) => messageToParts(m));
    const message = userMessage(parts, {
      ...(this.#contextId !== undefined ? { contextId: this.#contextId } : {}),
      ...(this.#pendingTaskId !== undefined ? { taskId: this.#pendingTaskId } : {}),
    });
    const inner: BaseAgentMessage[] = [];
    const turn = new AbortController();
    let taskId: string | undefined;
    const onAbort = () => {
      // Until the remote has named the task there is nothing to cancel: the stream's first event names it
      // (streaming) and the loop comes back here; a blocking request is simply abandoned.
      if (taskId === undefined && this.#streaming) return;
      turn.abort(signal?.reason);
      // Best effort: the remote task stops too (the turn rejects either way).
      if (taskId !== undefined)
        client.cancelTask({ tenant: "", id: taskId, metadata: undefined }).catch(() => {});
    };
    signal?.addEventListener("abort", onAbort, { once: true });
    const request = {
      tenant: "",
      message,
      configuration: {
        acceptedOutputModes: ["text/plain", "application/json"],
        taskPushNotificationConfig: undefined,
        returnImmediately: false,
      },
      metadata: undefined,
    };
    try {
      let final: Task | Message | undefined;
      let task: Task | undefined;
      if (this.#streaming) {
        for await (const event of client.sendMessageStream(request, { signal: turn.signal })) {
          const payload = event.payload;
          if (payload === undefined) continue;
          if (payload.$case === "message") {
            final = payload.value;
            break;
          }
          if (payload.$case === "task") {
            task = payload.value;
            taskId = task.id;
            this.#contextId = task.contextId || this.#contextId;
            if (signal?.aborted) onAbort();
            continue;
          }
          if (task === undefined) continue;
          if (payload.$case === "artifactUpdate") {
            const artifact = payload.value.artifact;
            if (artifact === undefined) continue;
            const at = task.artifacts.findIndex((a) => a.artifactId === artifact.artifactId);
            if (at < 0) task.artifacts.push(artifact);
            else if (payload.value.append) task.artifacts[at]?.parts.push(...artifact.parts);
            else task.artifacts[at] = artifact;
            continue;
          }
          const status = payload.value.status;
          if (status === undefined) continue;
          task.status = status;
          if (status.state === TaskState.TASK_STATE_WORKING && status.message !== undefined) {
            const event = this.#thought(status.message, task.id);
            if (event) {
              inner.push(event);
              yield event;
            }
          }
        }
        final ??= task;
      } else {
        final = await client.sendMessage(request, { signal: turn.signal });
      }
      if (final === undefined) {
        throw new DeliveryError(
          "handler_failed",
          `A2A agent '${this.name}': the remote sent no task or message`,
          {
            details: { messages: inner },
          },
        );
      }
      const reply = this.#reply(final, inner);
      yield { chatMessage: reply };
    } catch (error) {
      if (signal?.aborted) {
        throw new CancelledError(`A2AAgent '${this.name}' was cancelled`, {
          cause: signal.reason,
          details: { messages: inner, ...(taskId !== undefined ? { taskId } : {}) },
        });
      }
      if (AutogenError.isInstance(error)) throw error;
      const text = error instanceof Error ? error.message : String(error);
      // No task yet means the request never got an answer: the remote is down or refused it.
      throw new DeliveryError(
        taskId === undefined ? "undeliverable" : "handler_failed",
        `A2A agent '${this.name}' at ${this.#where()}: ${text}`,
        { cause: error, details: { messages: inner, ...(taskId !== undefined ? { taskId } : {}) } },
      );
    } finally {
      signal?.removeEventListener("abort", onAbort);
    }
  }

  /** Forgets the conversation: the next message starts a new A2A context. */
  async onReset(_options?: CallOptions): Promise<void> {
    this.#contextId = undefined;
    this.#pendingTaskId = undefined;
  }

  /** The context id (and a task waiting for input), so a restored agent continues the same conversation. */
  override async saveState(): Promise<A2AAgentState> {
    return {
      type: "A2AAgentState",
      version: 1,
      ...(this.#contextId !== undefined ? { contextId: this.#contextId } : {}),
      ...(this.#pendingTaskId !== undefined ? { pendingTaskId: this.#pendingTaskId } : {}),
    };
  }

  /** Restores what {@link saveState} wrote. */
  override async loadState(state: unknown): Promise<void> {
    const s = state as Partial<A2AAgentState> | null;
    if (typeof s !== "object" || s === null || s.type !== "A2AAgentState" || s.version !== 1) {
      throw new ValidationError(`Agent '${this.name}': not an A2AAgentState version 1 document`, {
        code: "invalid_state",
      });
    }
    for (const key of ["contextId", "pendingTaskId"] as const) {
      if (s[key] !== undefined && typeof s[key] !== "string") {
        throw new ValidationError(`Agent '${this.name}': A2AAgentState.${key} must be a string`, {
          code: "invalid_state",
        });
      }
    }
    this.#contextId = s.contextId;
    this.#pendingTaskId = s.pendingTaskId;
  }

  #where(): string {
    return this.#url ?? this.#card?.supportedInterfaces[0]?.url ?? "(card)";
  }

  async #connect(signal: AbortSignal | undefined): Promise<Client> {
    this.#client ??=
      this.#card !== undefined
        ? this.#factory.createFromAgentCard(this.#card)
        : this.#factory.createFromUrl(this.#url as string);
    try {
      return await this.#client;
    } catch (error) {
      // Try again on the next turn: the remote may come up.
      this.#client = undefined;
      if (signal?.aborted)
        throw new CancelledError(`A2AAgent '${this.name}' was cancelled`, { cause: signal.reason });
      const text = error instanceof Error ? error.message : String(error);
      throw new DeliveryError(
        "undeliverable",
        `A2A agent '${this.name}' at ${this.#where()} is unreachable: ${text}`,
        {
          cause: error,
          details: { messages: [] },
        },
      );
    }
  }

  #thought(message: Message, taskId: string): ThoughtEvent | undefined {
    const text = partsText(message.parts);
    if (text === "") return undefined;
    const meta = (message.metadata ?? {}) as Record<string, unknown>;
    const metadata: Record<string, string> = { taskId };
    if (typeof meta.source === "string") metadata.a2aSource = meta.source;
    if (typeof meta.type === "string") metadata.a2aType = meta.type;
    return new ThoughtEvent({ source: this.name, content: text, metadata });
  }

  /** The reply for a finished exchange, or the error for a failed remote task. */
  #reply(final: Task | Message, inner: readonly BaseAgentMessage[]): TextMessage {
    if (!("status" in final)) {
      if (final.contextId) this.#contextId = final.contextId;
      this.#pendingTaskId = undefined;
      return new TextMessage({ source: this.name, content: partsText(final.parts) });
    }
    this.#contextId = final.contextId || this.#contextId;
    const state = final.status?.state;
    const statusText = final.status?.message ? partsText(final.status.message.parts) : "";
    const details = { messages: inner, taskId: final.id, state: TaskState[state ?? 0] };
    if (state !== undefined && TERMINAL_FAILURES.has(state)) {
      this.#pendingTaskId = undefined;
      throw new DeliveryError(
        "handler_failed",
        `The remote A2A task ${final.id} ${state === TaskState.TASK_STATE_REJECTED ? "was rejected" : "failed"}${statusText ? `: ${statusText}` : ""}`,
        { details },
      );
    }
    if (state === TaskState.TASK_STATE_CANCELED) {
      this.#pendingTaskId = undefined;
      throw new CancelledError(`The remote A2A task ${final.id} was cancelled`, { details });
    }
    if (state === TaskState.TASK_STATE_INPUT_REQUIRED || state === TaskState.TASK_STATE_AUTH_REQUIRED) {
      this.#pendingTaskId = final.id;
      return new TextMessage({ source: this.name, content: statusText });
    }
    this.#pendingTaskId = undefined;
    const artifacts = final.artifacts.map((a) => partsText(a.parts)).filter((t) => t !== "");
    const content = statusText !== "" ? statusText : artifacts.join("\n\n");
    return new TextMessage({ source: this.name, content });
  }
}

/**
 * A client factory for JSON-RPC and REST, speaking v1.0 or v0.3 as the remote's card says (the SDK's
 * compatibility layer), whose transports add the provider's headers to every request.
 */
function credentialedFactory(credentials: A2AAgentOptions["credentials"]): ClientFactory {
  const fetchImpl: typeof fetch | undefined = credentials
    ? async (input, init) => {
        const headers = new Headers(init?.headers);
        for (const [name, value] of Object.entries(await credentials())) headers.set(name, value);
        return fetch(input, { ...init, headers });
      }
    : undefined;
  const options = { ...(fetchImpl ? { fetchImpl } : {}), legacyCompat: { enabled: true } };
  return new ClientFactory({
    transports: [new JsonRpcTransportFactory(options), new RestTransportFactory(options)],
    // Reads a v0.3 card (url, preferredTransport) as well as a v1.0 one.
    cardResolver: new DefaultAgentCardResolver(options),
  });
}
