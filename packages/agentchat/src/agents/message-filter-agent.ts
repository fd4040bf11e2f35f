/**
 * `MessageFilterAgent`: wraps an agent and shows it only some of the new messages (the first or last few
 * from each chosen source), so that an agent in a long team conversation sees what it needs.
 */
import { ValidationError } from "@autogen-ts/core";
import { checkAgentState } from "../base/state.js";
import type { AgentState, CallOptions, ChatAgent, Response } from "../base/types.js";
import type { BaseAgentMessage, BaseChatMessage } from "../messages/base.js";
import { BaseChatAgent } from "./base-chat-agent.js";

/** Which messages of one source to keep. */
export interface PerSourceFilter {
  /** The source (agent name, or `"user"`). */
  readonly source: string;
  /** Keep the first or the last `count` messages of that source; all of them when omitted. */
  readonly position?: "first" | "last";
  /** How many to keep (with `position`); a non-negative integer. */
  readonly count?: number;
}

/** The filter of a {@link MessageFilterAgent}: messages from sources not listed are dropped. */
export interface MessageFilterConfig {
  readonly perSource: readonly PerSourceFilter[];
}

/** Options of {@link MessageFilterAgent}. */
export interface MessageFilterAgentOptions {
  /** The name of this agent in a team. */
  readonly name: string;
  /** The agent that receives the filtered messages and answers. */
  readonly wrappedAgent: ChatAgent;
  /** Which messages to pass on. */
  readonly filter: MessageFilterConfig;
  /** Defaults to the wrapped agent's description. */
  readonly description?: string;
}

/** The saved form of a {@link MessageFilterAgent}. */
export interface MessageFilterAgentState extends AgentState {
  readonly type: "MessageFilterAgentState";
  readonly version: 1;
  readonly wrappedAgentState: AgentState;
}

/**
 * Applies a {@link MessageFilterConfig} to a list of messages, keeping their order.
 */
export function filterMessages(
  messages: readonly BaseChatMessage[],
  filter: MessageFilterConfig,
): BaseChatMessage[] {
  const keep = new Set<BaseChatMessage>();
  for (const rule of filter.perSource) {
    const fromSource = messages.filter((m) => m.source === rule.source);
    let chosen = fromSource;
    if (rule.position !== undefined && rule.count !== undefined) {
      chosen =
        rule.position === "first"
          ? fromSource.slice(0, rule.count)
          : fromSource.slice(Math.max(0, fromSource.length - rule.count));
    }
    for (const m of chosen) keep.add(m);
  }
  return messages.filter((m) => keep.has(m));
}

function checkFilter(filter: MessageFilterConfig | undefined): MessageFilterConfig {
  if (!Array.isArray(filter?.perSource)) {
    throw new ValidationError("MessageFilterAgent needs 'filter: { perSource: [...] }'");
  }
  for (const [i, rule] of filter.perSource.entries()) {
    if (typeof rule?.source !== "string")
      throw new ValidationError(`filter.perSource[${i}] needs a 'source'`);
    if (rule.position !== undefined && rule.position !== "first" && rule.position !== "last") {
      throw new ValidationError(`filter.perSource[${i}].position must be "first" or "last"`);
    }
    if (rule.count !== undefined && (!Number.isInteger(rule.count) || rule.count < 0)) {
      throw new ValidationError(`filter.perSource[${i}].count must be a non-negative integer`);
    }
    if ((rule.position === undefined) !== (rule.count === undefined)) {
      throw new ValidationError(`filter.perSource[${i}]: give 'position' and 'count' together, or neither`);
    }
  }
  return filter;
}

/**
 * An agent that passes only some of the new messages on to the agent it wraps.
 *
 * @example
 * ```ts
 * const reviewer = new MessageFilterAgent({
 *   name: "reviewer",
 *   wrappedAgent: critic,
 *   filter: { perSource: [{ source: "user", position: "first", count: 1 }, { source: "writer", position: "last", count: 1 }] },
 * });
 * ```
 */
export class MessageFilterAgent extends BaseChatAgent {
  /** The agent that answers. */
  readonly wrappedAgent: ChatAgent;
  /** The filter applied to each batch of new messages. */
  readonly filter: MessageFilterConfig;

  constructor(options: MessageFilterAgentOptions) {
    if (options?.wrappedAgent === undefined || typeof options.wrappedAgent.onMessagesStream !== "function") {
      throw new ValidationError("MessageFilterAgent needs a 'wrappedAgent'");
    }
    super({ name: options.name, description: options.description ?? options.wrappedAgent.description });
    this.wrappedAgent = options.wrappedAgent;
    this.filter = checkFilter(options.filter);
  }

  /** The wrapped agent's. */
  get producedMessageTypes(): readonly string[] {
    return this.wrappedAgent.producedMessageTypes;
  }

  /** Filters the messages and lets the wrapped agent answer. */
  async onMessages(messages: readonly BaseChatMessage[], options: CallOptions = {}): Promise<Response> {
    return this.wrappedAgent.onMessages(filterMessages(messages, this.filter), options);
  }

  /** Filters the messages and streams the wrapped agent's turn. */
  override async *onMessagesStream(
    messages: readonly BaseChatMessage[],
    options: CallOptions = {},
  ): AsyncGenerator<BaseAgentMessage | Response> {
    yield* this.wrappedAgent.onMessagesStream(filterMessages(messages, this.filter), options);
  }

  /** Resets the wrapped agent. */
  async onReset(options: CallOptions = {}): Promise<void> {
    await this.wrappedAgent.onReset(options);
  }

  /** Passed on to the wrapped agent. */
  override async onPause(options: CallOptions = {}): Promise<void> {
    await this.wrappedAgent.onPause(options);
  }

  /** Passed on to the wrapped agent. */
  override async onResume(options: CallOptions = {}): Promise<void> {
    await this.wrappedAgent.onResume(options);
  }

  /** Closes the wrapped agent. */
  override async close(): Promise<void> {
    await this.wrappedAgent.close();
  }

  /** The wrapped agent's state, inside a versioned document. */
  override async saveState(): Promise<MessageFilterAgentState> {
    return {
      type: "MessageFilterAgentState",
      version: 1,
      wrappedAgentState: await this.wrappedAgent.saveState(),
    };
  }

  /** Restores the wrapped agent's state. */
  override async loadState(state: unknown): Promise<void> {
    const doc = checkAgentState(state, "MessageFilterAgentState", 1, `MessageFilterAgent '${this.name}'`);
    await this.wrappedAgent.loadState(doc.wrappedAgentState);
  }
}
