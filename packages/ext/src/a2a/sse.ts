/**
 * One Server-Sent Events writer for both A2A bindings: JSON-RPC wraps each event in its envelope, REST
 * sends the bare event. An error before the first event is an ordinary response (the caller's
 * `before`), a later one an `event: error`. A client that hangs up stops the stream; the task goes on
 * (CancelTask stops it).
 */
import { formatSSEErrorEvent, formatSSEEvent } from "@a2a-js/sdk";

/** How one binding writes a stream's events and errors. */
export interface SseEncoding {
  /** The data of one event. */
  event(value: unknown): unknown;
  /** The data of the error event that ends a stream that failed after its first event. */
  error(error: unknown): unknown;
  /** The whole response when the stream fails before its first event. */
  before(error: unknown): Response;
}

/** Streams `events` as `text/event-stream` in the binding's encoding. */
export async function sseResponse(events: AsyncIterable<unknown>, encoding: SseEncoding): Promise<Response> {
  const iterator = events[Symbol.asyncIterator]();
  let step: IteratorResult<unknown>;
  try {
    step = await iterator.next();
  } catch (error) {
    return encoding.before(error);
  }
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        if (step.done) {
          controller.close();
          return;
        }
        controller.enqueue(encoder.encode(formatSSEEvent(encoding.event(step.value))));
        step = await iterator.next();
      } catch (error) {
        controller.enqueue(encoder.encode(formatSSEErrorEvent(encoding.error(error) as never)));
        controller.close();
      }
    },
    async cancel() {
      await iterator.return?.(undefined);
    },
  });
  return new Response(body, {
    headers: {
      "content-type": "text/event-stream",
      "cache-control": "no-cache",
      connection: "keep-alive",
      "x-accel-buffering": "no",
    },
  });
}
