/**
 * W3C trace context across processes: a producer span around each send and publish, its `traceparent`
 * (and `tracestate`) in the message headers, and the handler run inside a consumer span that is its child
 * on the receiving worker, so one run across several processes is one trace tree. Core's
 * `RuntimeTelemetry` makes the spans, as in-process; without a tracer provider nothing is done.
 */
import type { TopicId } from "@autogen-ts/core";
import {
  contextFromTraceHeaders,
  type RuntimeTelemetry,
  recordError,
  traceContextHeaders,
} from "@autogen-ts/core/runtime-kit";
import type { MsgHdrs } from "@nats-io/transport-node";
import { H } from "./wire.js";

/** Puts a finished producer span's context into `h` (publish: the span ends at once). */
export function tracePublish(
  telemetry: RuntimeTelemetry,
  h: MsgHdrs,
  topic: TopicId,
  messageId: string,
): void {
  if (!telemetry.enabled) return;
  const span = telemetry.startProducer("publish", topic.type, {
    "autogen.topic": topic.toString(),
    "autogen.message.id": messageId,
  });
  inject(h, telemetry.withSpan(telemetry.active(), span));
  span.end();
}

/** Puts a send's producer span into `h` and ends it when `reply` settles. */
export function traceSend<T>(
  telemetry: RuntimeTelemetry,
  h: MsgHdrs,
  recipient: string,
  type: string,
  send: () => Promise<T>,
): Promise<T> {
  if (!telemetry.enabled) return send();
  const span = telemetry.startProducer("send", type, { "autogen.agent.recipient": recipient });
  inject(h, telemetry.withSpan(telemetry.active(), span));
  return send().then(
    (value) => {
      span.end();
      return value;
    },
    (error: unknown) => {
      recordError(span, error);
      span.end();
      throw error;
    },
  );
}

/** Runs a handler inside a consumer span under the sender's span, when the headers carry one. */
export function traceHandler<T>(
  telemetry: RuntimeTelemetry,
  h: MsgHdrs,
  type: string,
  key: string,
  run: () => Promise<T>,
): Promise<T> {
  if (!telemetry.enabled) return run();
  const parent = contextFromTraceHeaders(h.get(H.traceparent) || undefined);
  if (parent === undefined) return run();
  return telemetry.process(parent, type, { "autogen.agent": `${type}/${key}` }, run);
}

function inject(h: MsgHdrs, ctx: Parameters<typeof traceContextHeaders>[0]): void {
  const headers = traceContextHeaders(ctx);
  if (headers === undefined) return;
  h.set(H.traceparent, headers.traceparent);
  if (headers.tracestate !== undefined) h.set(H.tracestate, headers.tracestate);
}
