/**
 * Splitting a conversation into units that a window may not cut: an assistant message asking for function
 * calls together with the result messages that follow it; every other message is a unit of its own.
 */
import type { LLMMessage } from "../models/types.js";

/**
 * The start index of every unit of `messages`, in order (the first is always 0 when there are messages).
 *
 * @internal
 */
export function unitStarts(messages: readonly LLMMessage[]): number[] {
  const starts: number[] = [];
  for (let i = 0; i < messages.length; i++) {
    // Results join the current unit when that unit began with the call they answer (the messages between
    // are then that call's earlier results); anything else starts a new unit.
    const current = starts.length > 0 ? messages[starts[starts.length - 1]!]! : undefined;
    const joins =
      messages[i]!.type === "FunctionExecutionResultMessage" &&
      current !== undefined &&
      isFunctionCallMessage(current);
    if (!joins) starts.push(i);
  }
  return starts;
}

/** True for an assistant message that asks for function calls. @internal */
export function isFunctionCallMessage(message: LLMMessage): boolean {
  return message.type === "AssistantMessage" && typeof message.content !== "string";
}

/**
 * Drops function results at the start of a window whose call is not in it, so that a model never
 * sees a result without the call it answers.
 *
 * @internal
 */
export function dropLeadingResults(messages: LLMMessage[]): LLMMessage[] {
  let first = 0;
  while (first < messages.length && messages[first]!.type === "FunctionExecutionResultMessage") first++;
  return first === 0 ? messages : messages.slice(first);
}
