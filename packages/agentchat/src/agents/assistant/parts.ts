/**
 * What the parts of an `AssistantAgent` turn (model call, tool execution, replies) read: the agent's
 * fixed parts, and the scope of the turn in progress.
 */

import type { ChatCompletionClient, ChatCompletionContext, RequestUsage } from "@autogen-ts/core";
import type { Context } from "@opentelemetry/api";
import type { RunJournal } from "../../durable/journal.js";
import type { BaseAgentMessage } from "../../messages/base.js";
import type { Settings } from "./settings.js";

/** The fixed parts of one agent. */
export interface AgentParts<Out = unknown> {
  readonly name: string;
  readonly modelClient: ChatCompletionClient;
  readonly modelContext: ChatCompletionContext;
  readonly settings: Settings<Out>;
}

/** The turn in progress. */
export interface TurnScope {
  readonly signal: AbortSignal | undefined;
  /** The context holding the turn's `invoke_agent` span: the parent of its model and tool spans. */
  readonly parent: Context;
  /** Each model call's usage, summed on the agent span when the turn ends. */
  readonly usages: RequestUsage[];
  /** Receives each event as it happens (streaming); undefined when no one listens. */
  readonly sink: ((event: BaseAgentMessage) => void) | undefined;
  /** The run's journal in a durable run: calls made before a resume are not made again. */
  readonly journal: RunJournal | undefined;
}
