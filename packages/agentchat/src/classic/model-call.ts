/**
 * One model call of a classic agent: the config list's clients tried in order (a provider error moves on
 * to the next, as AG2's config list does), each inside a `chat {model}` span.
 */
import type { ChatCompletionClient, LLMMessage, ToolSchema } from "@autogen-ts/core";
import { CancelledError, ModelError, otel } from "@autogen-ts/core";
import type { TracerProvider } from "@opentelemetry/api";
import { modelName, recordChatResult, recordError, runInContext, startChatSpan } from "../tracing/index.js";
import { replyFromResult } from "./model-messages.js";
import type { MessageInput } from "./types.js";
import type { UsageRecord } from "./usage.js";

/** What {@link callModels} needs besides the clients and messages. */
export interface ModelCallOptions {
  readonly agentName: string;
  readonly tools: readonly ToolSchema[];
  /** Provider arguments (temperature, ...). */
  readonly settings: Readonly<Record<string, unknown>>;
  readonly signal?: AbortSignal;
  readonly tracerProvider?: TracerProvider;
}

/** Calls the first client that answers; the reply and its usage record. */
export async function callModels(
  clients: readonly ChatCompletionClient[],
  messages: readonly LLMMessage[],
  options: ModelCallOptions,
): Promise<{ reply: MessageInput; record: UsageRecord }> {
  let lastError: unknown;
  for (const client of clients) {
    const scope = startChatSpan(
      client,
      options.agentName,
      otel.active(),
      { stream: false },
      options.tracerProvider,
    );
    try {
      const result = await runInContext(scope.context, () =>
        client.create(messages, {
          ...(options.tools.length > 0 ? { tools: options.tools } : {}),
          ...(Object.keys(options.settings).length > 0 ? { extraCreateArgs: options.settings } : {}),
          signal: options.signal,
        }),
      );
      recordChatResult(scope.span, result);
      return {
        reply: replyFromResult(result),
        record: { model: modelName(client), usage: result.usage, cached: result.cached },
      };
    } catch (error) {
      recordError(scope.span, error);
      if (!ModelError.isInstance(error) || CancelledError.isInstance(error)) throw error;
      lastError = error;
    } finally {
      scope.span.end();
    }
  }
  throw lastError;
}
