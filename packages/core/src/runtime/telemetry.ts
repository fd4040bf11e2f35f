/**
 * OpenTelemetry spans for the runtime's operations (send, publish, process), made through the provider
 * the application registers (read from the API's global registry, see `../telemetry/otel.ts`, so that
 * importing core does not load `@opentelemetry/api`). Without a provider the runtime skips span creation
 * entirely, which keeps the message path lean.
 */
import type { Context, Span, Tracer, TracerProvider } from "@opentelemetry/api";
import { otel } from "../telemetry/otel.js";

const TRACER_NAME = "@autogen-ts/core";

/** Stands in when tracing was switched off between the check and the span (the provider went away). */
const NO_TRACER: Tracer = {
  startSpan: () => otel.wrapSpanContext(otel.INVALID_SPAN_CONTEXT),
  startActiveSpan: ((_name: string, ...args: unknown[]) =>
    (args[args.length - 1] as (span: Span) => unknown)(
      otel.wrapSpanContext(otel.INVALID_SPAN_CONTEXT),
    )) as Tracer["startActiveSpan"],
};

/** Decides per operation whether to trace, and makes the spans. */
export class RuntimeTelemetry {
  readonly #explicit: TracerProvider | undefined;
  #tracer: Tracer | undefined;

  /**
   * True when a tracer provider is configured: explicitly, or registered globally by the time the
   * runtime was made or last started (checked then, not per message, to keep the hot path lean).
   */
  enabled = false;

  constructor(provider?: TracerProvider) {
    this.#explicit = provider;
    this.refresh();
  }

  /** Re-reads whether a global tracer provider is registered. */
  refresh(): void {
    if (this.#explicit !== undefined) {
      this.enabled = true;
      return;
    }
    this.enabled = otel.tracerProvider() !== undefined;
    // A provider registered since the last refresh (or a new one) is asked for its tracer afresh.
    if (!this.enabled) this.#tracer = undefined;
  }

  get #t(): Tracer {
    if (this.#tracer === undefined) {
      const provider = this.#explicit ?? otel.tracerProvider();
      if (provider === undefined) return NO_TRACER;
      this.#tracer = provider.getTracer(TRACER_NAME);
    }
    return this.#tracer;
  }

  /** The caller's context, carried with an envelope so processing nests under it. */
  active(): Context {
    return otel.active();
  }

  /** A producer span for a send or publish, started in the caller's context. */
  startProducer(
    operation: "send" | "publish",
    destination: string,
    attributes: Record<string, string>,
  ): Span {
    return this.#t.startSpan(`autogen ${operation} ${destination}`, {
      kind: otel.SpanKind.PRODUCER,
      attributes: { "messaging.operation": operation, "messaging.destination": destination, ...attributes },
    });
  }

  /** Runs `fn` inside a consumer span that is a child of `parent` (the producer's context). */
  process<T>(
    parent: Context,
    destination: string,
    attributes: Record<string, string>,
    fn: () => Promise<T>,
  ): Promise<T> {
    const span = this.#t.startSpan(
      `autogen process ${destination}`,
      {
        kind: otel.SpanKind.CONSUMER,
        attributes: { "messaging.operation": "process", "messaging.destination": destination, ...attributes },
      },
      parent,
    );
    return otel.with(otel.setSpan(parent, span), async () => {
      try {
        return await fn();
      } catch (error) {
        recordError(span, error);
        throw error;
      } finally {
        span.end();
      }
    });
  }

  /** The context with `span` active, for carrying to the processing side. */
  withSpan(parent: Context, span: Span): Context {
    return otel.setSpan(parent, span);
  }
}

/** Marks a span as failed with the error's type and message. */
export function recordError(span: Span, error: unknown): void {
  const err = error instanceof Error ? error : new Error(String(error));
  span.recordException(err);
  span.setAttribute("error.type", (err as { code?: string }).code ?? err.name);
  span.setStatus({ code: otel.STATUS_ERROR, message: err.message });
}

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/**
 * The W3C trace context (`traceparent`, and `tracestate` when there is one) of the span active in
 * `ctx`, for carrying in message headers across processes; undefined when no valid span is active.
 */
export function traceContextHeaders(ctx: Context): { traceparent: string; tracestate?: string } | undefined {
  const span = otel.getSpanContext(ctx);
  if (span === undefined || !otel.isSpanContextValid(span)) return undefined;
  const flags = (span.traceFlags & 0xff).toString(16).padStart(2, "0");
  const state = span.traceState?.serialize();
  return {
    traceparent: `00-${span.traceId}-${span.spanId}-${flags}`,
    ...(state ? { tracestate: state } : {}),
  };
}

/** The remote parent context that `traceparent` names (undefined when absent or malformed). */
export function contextFromTraceHeaders(traceparent: string | undefined): Context | undefined {
  const match = traceparent === undefined ? null : TRACEPARENT.exec(traceparent);
  if (match === null) return undefined;
  const [, traceId, spanId, flags] = match as unknown as [string, string, string, string];
  return otel.setSpanContext(otel.active(), {
    traceId,
    spanId,
    traceFlags: Number.parseInt(flags, 16),
    isRemote: true,
  });
}
