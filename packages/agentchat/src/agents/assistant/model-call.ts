/**
 * One model call of an `AssistantAgent` turn, inside a `chat` span: `create` once, or `createStream`
 * with a chunk event per text chunk; through the run's journal in a durable run.
 */

import type { CreateOptions, CreateResult, LLMMessage } from "@autogen-ts/core";
import { isCreateResult, ModelError, throwIfAborted } from "@autogen-ts/core";
import { newMessageId } from "../../messages/base.js";
import { ModelClientStreamingChunkEvent } from "../../messages/events.js";
import { recordChatResult, recordError, runInContext, startChatSpan } from "../../tracing/genai.js";
import { removeImages } from "../../utils/remove-images.js";
import type { AgentParts, TurnScope } from "./parts.js";

/** The outcome of one model call. */
export interface ModelCall {
  readonly result: CreateResult;
  /** With streaming: the id the reply gets if it becomes the final chat message (chunks point to it). */
  readonly messageId?: string;
}

/** One model call, streamed or not as configured; in a resumed run, a call the turn made before is not made again. */
export async function callModel(
  parts: AgentParts,
  options: CreateOptions,
  scope: TurnScope,
): Promise<ModelCall> {
  const journal = scope.journal;
  if (journal === undefined) return callOnceOrStream(parts, options, scope);
  let messageId: string | undefined;
  const { result } = await journal.model(async () => {
    const call = await callOnceOrStream(parts, options, scope);
    messageId = call.messageId;
    return call.result;
  });
  return messageId === undefined ? { result } : { result, messageId };
}

function callOnceOrStream(parts: AgentParts, options: CreateOptions, scope: TurnScope): Promise<ModelCall> {
  return parts.settings.stream ? callStream(parts, options, scope) : callOnce(parts, options, scope);
}

/**
 * The context's messages behind the system message (the context itself never holds it), with the output
 * instruction for a model without structured output; for a model without vision, images become `<image>`,
 * as in AutoGen.
 */
async function prompt(parts: AgentParts): Promise<LLMMessage[]> {
  const history = await parts.modelContext.getMessages();
  const system = parts.settings.systemMessage;
  const instruction = parts.settings.outputPlan?.instruction;
  // One system message, not two: some providers take only one.
  if (instruction !== undefined) {
    history.unshift(
      system === undefined
        ? instruction
        : { type: "SystemMessage", content: `${system.content}\n\n${instruction.content}` },
    );
  } else if (system !== undefined) history.unshift(system);
  return parts.modelClient.modelInfo.vision ? history : removeImages(history);
}

/** One `create` call inside a `chat` span (no generator on this hot path). */
async function callOnce(parts: AgentParts, options: CreateOptions, scope: TurnScope): Promise<ModelCall> {
  const messages = await prompt(parts);
  throwIfAborted(scope.signal);
  const client = parts.modelClient;
  const chat = startChatSpan(
    client,
    parts.name,
    scope.parent,
    { stream: false },
    parts.settings.tracerProvider,
  );
  try {
    const result = await runInContext(chat.context, () => client.create(messages, options));
    throwIfAborted(scope.signal);
    scope.usages.push(result.usage);
    recordChatResult(chat.span, result);
    return { result };
  } catch (error) {
    recordError(chat.span, error);
    throw error;
  } finally {
    chat.span.end();
  }
}

/** One `createStream` call inside a `chat` span, handing a chunk event per text chunk to the sink. */
async function callStream(parts: AgentParts, options: CreateOptions, scope: TurnScope): Promise<ModelCall> {
  const messageId = newMessageId();
  const messages = await prompt(parts);
  throwIfAborted(scope.signal);
  const { modelClient: client, name, settings } = parts;
  const sink = scope.sink;
  const chat = startChatSpan(client, name, scope.parent, { stream: true }, settings.tracerProvider);
  let iterator: AsyncIterator<string | CreateResult> | undefined;
  let finished = false;
  try {
    let result: CreateResult | undefined;
    const stream = runInContext(chat.context, () => client.createStream(messages, options));
    iterator = stream[Symbol.asyncIterator]();
    const it = iterator;
    while (true) {
      const step = await runInContext(chat.context, () => it.next());
      if (step.done) break;
      const chunk = step.value;
      if (typeof chunk === "string") {
        sink?.(
          new ModelClientStreamingChunkEvent({ source: name, content: chunk, fullMessageId: messageId }),
        );
      } else if (isCreateResult(chunk)) {
        result = chunk;
      } else {
        throw new ModelError("model_output", `Invalid chunk type: ${typeof chunk}`);
      }
    }
    finished = true;
    if (result === undefined) {
      throw new ModelError("model_output", "No final model result in streaming mode.");
    }
    throwIfAborted(scope.signal);
    scope.usages.push(result.usage);
    recordChatResult(chat.span, result);
    return { result, messageId };
  } catch (error) {
    recordError(chat.span, error);
    throw error;
  } finally {
    // Stopped early (cancelled, or the consumer went away): let the client release its connection.
    if (!finished && iterator?.return !== undefined) await iterator.return().catch(() => undefined);
    chat.span.end();
  }
}
