/**
 * `onMessagesStream` of an `AssistantAgent`: the turn runs as a plain async function (the fast path
 * `onMessages` uses too) and hands its events to the consumer through an {@link AsyncQueue}.
 */

import { CancelledError, throwIfAborted } from "@autogen-ts/core";
import { AsyncQueue } from "../../base/async-queue.js";
import type { CallOptions, Response } from "../../base/types.js";
import type { BaseAgentMessage, BaseChatMessage } from "../../messages/base.js";
import type { TurnRunner } from "./turn.js";

/**
 * Yields the turn's events as they happen, then its {@link Response}. Cancelling through
 * `options.signal` rejects with a `CancelledError`; a consumer that stops reading early cancels the turn.
 */
export async function* streamTurn(
  runner: TurnRunner,
  messages: readonly BaseChatMessage[],
  options: CallOptions,
): AsyncGenerator<BaseAgentMessage | Response> {
  // One signal for the turn: aborted by the caller's, or when the consumer stops reading. (A listener
  // rather than AbortSignal.any, which costs a WeakRef and a registry entry per turn in Node.)
  // An agent runs one turn at a time, so the controller of a turn that ended unaborted is kept for the
  // next (making one costs ~1 us in Node, a noticeable part of a team's turn).
  const spare = runner.spareController;
  runner.spareController = undefined;
  const leave = spare !== undefined && !spare.signal.aborted ? spare : new AbortController();
  const outer = options.signal;
  const forward = (): void => leave.abort(outer?.reason);
  if (outer?.aborted) forward();
  else outer?.addEventListener("abort", forward, { once: true });
  const queue = new AsyncQueue<BaseAgentMessage | Response>();
  let settled = false;
  const turn = runner
    .handle(messages, leave.signal, (event) => queue.push(event), options.journal)
    .then(
      (response) => {
        settled = true;
        queue.push(response);
        queue.close();
      },
      (error: unknown) => {
        settled = true;
        queue.fail(error);
      },
    );
  try {
    // Once cancelled, deliver nothing more of what the turn queued (the turn itself is settled in finally).
    try {
      for await (const item of queue) {
        throwIfAborted(outer);
        yield item;
      }
    } catch (error) {
      throwIfAborted(outer);
      throw error;
    }
    throwIfAborted(outer);
  } finally {
    outer?.removeEventListener("abort", forward);
    if (!settled) {
      leave.abort(new CancelledError("The consumer of the agent's stream stopped reading"));
      await turn;
    }
    if (!leave.signal.aborted) runner.spareController = leave;
  }
}
