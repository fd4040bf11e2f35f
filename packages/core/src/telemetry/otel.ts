/**
 * OpenTelemetry without loading `@opentelemetry/api`. The API keeps what an application registers (its
 * tracer provider, its context manager) in one global object, `globalThis[Symbol.for(
 * "opentelemetry.js.api.1")]`, and keys span contexts by `Symbol.for` strings; both are the API's stable,
 * cross-copy contract (two copies of the API in one process share them). Reading them directly means
 * importing autogen-ts costs nothing for tracing (the API was most of a cold import), while spans still
 * start the moment an application registers a provider, with whatever copy of the API it uses.
 */
import type {
  Context,
  ContextManager,
  Exception,
  Link,
  Span,
  SpanAttributes,
  SpanAttributeValue,
  SpanContext,
  SpanStatus,
  TimeInput,
  TracerProvider,
} from "@opentelemetry/api";

/** What the API keeps in its global registry (the parts read here). */
interface Registry {
  readonly version?: string;
  readonly trace?: TracerProvider;
  readonly context?: ContextManager;
}

const REGISTRY = Symbol.for("opentelemetry.js.api.1");
/** The API's context key of the active span (`createContextKey` is `Symbol.for` of this text). */
const SPAN_KEY = Symbol.for("OpenTelemetry Context Key SPAN");

function registry(): Registry | undefined {
  return (globalThis as { [REGISTRY]?: Registry })[REGISTRY];
}

/** An immutable context, as the API's own: what `active()` is while no context manager is registered. */
class BaseContext implements Context {
  readonly #values: Map<symbol, unknown>;
  constructor(values?: Map<symbol, unknown>) {
    this.#values = values ?? new Map();
  }
  getValue(key: symbol): unknown {
    return this.#values.get(key);
  }
  setValue(key: symbol, value: unknown): Context {
    const values = new Map(this.#values);
    values.set(key, value);
    return new BaseContext(values);
  }
  deleteValue(key: symbol): Context {
    const values = new Map(this.#values);
    values.delete(key);
    return new BaseContext(values);
  }
}

const ROOT_CONTEXT: Context = new BaseContext();

/** A span that only carries a span context (a remote parent): what the API's `wrapSpanContext` makes. */
class NonRecordingSpan implements Span {
  readonly #context: SpanContext;
  constructor(context: SpanContext) {
    this.#context = context;
  }
  spanContext(): SpanContext {
    return this.#context;
  }
  setAttribute(_key: string, _value: SpanAttributeValue): this {
    return this;
  }
  setAttributes(_attributes: SpanAttributes): this {
    return this;
  }
  addEvent(_name: string, _attributes?: SpanAttributes | TimeInput, _time?: TimeInput): this {
    return this;
  }
  addLink(_link: Link): this {
    return this;
  }
  addLinks(_links: Link[]): this {
    return this;
  }
  setStatus(_status: SpanStatus): this {
    return this;
  }
  updateName(_name: string): this {
    return this;
  }
  end(_endTime?: TimeInput): void {}
  isRecording(): boolean {
    return false;
  }
  recordException(_exception: Exception, _time?: TimeInput): void {}
}

const INVALID_SPAN_CONTEXT: SpanContext = Object.freeze({
  traceId: "00000000000000000000000000000000",
  spanId: "0000000000000000",
  traceFlags: 0,
});
const HEX_ID = /^[0-9a-f]+$/i;

/**
 * The few OpenTelemetry API calls autogen-ts makes, over the API's global registry. Values of
 * `SpanKind` and `SpanStatusCode` are the API's (stable numbers).
 */
export const otel = Object.freeze({
  /** `SpanKind` of the API. */
  SpanKind: Object.freeze({ INTERNAL: 0, SERVER: 1, CLIENT: 2, PRODUCER: 3, CONSUMER: 4 } as const),
  /** `SpanStatusCode.ERROR` of the API. */
  STATUS_ERROR: 2 as const,
  /** The globally registered tracer provider, or undefined while none is (then nothing would record). */
  tracerProvider(): TracerProvider | undefined {
    return registry()?.trace;
  },
  /** The active context (the root context while no context manager is registered). */
  active(): Context {
    return registry()?.context?.active() ?? ROOT_CONTEXT;
  },
  /** Runs `fn` with `ctx` active (just runs it while no context manager is registered). */
  with<T>(ctx: Context, fn: () => T): T {
    const manager = registry()?.context;
    return manager === undefined ? fn() : manager.with(ctx, fn);
  },
  /** `ctx` with `span` as its active span. */
  setSpan(ctx: Context, span: Span): Context {
    return ctx.setValue(SPAN_KEY, span);
  },
  /** The active span of `ctx`. */
  getSpan(ctx: Context): Span | undefined {
    return (ctx.getValue(SPAN_KEY) as Span | undefined) ?? undefined;
  },
  /** The span context of `ctx`'s active span. */
  getSpanContext(ctx: Context): SpanContext | undefined {
    return otel.getSpan(ctx)?.spanContext();
  },
  /** `ctx` with a non-recording span for `spanContext` (a parent received from another process). */
  setSpanContext(ctx: Context, spanContext: SpanContext): Context {
    return ctx.setValue(SPAN_KEY, new NonRecordingSpan(spanContext));
  },
  /** A span standing for `spanContext` that records nothing. */
  wrapSpanContext(spanContext: SpanContext): Span {
    return new NonRecordingSpan(spanContext);
  },
  /** The API's invalid span context (all-zero ids). */
  INVALID_SPAN_CONTEXT,
  /** True when both ids are well-formed and not all zeros, as the API's `isSpanContextValid`. */
  isSpanContextValid(spanContext: SpanContext): boolean {
    const { traceId, spanId } = spanContext;
    return (
      typeof traceId === "string" &&
      traceId.length === 32 &&
      HEX_ID.test(traceId) &&
      traceId !== INVALID_SPAN_CONTEXT.traceId &&
      typeof spanId === "string" &&
      spanId.length === 16 &&
      HEX_ID.test(spanId) &&
      spanId !== INVALID_SPAN_CONTEXT.spanId
    );
  },
});
