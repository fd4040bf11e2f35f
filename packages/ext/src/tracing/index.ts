/**
 * `@autogen-ts/ext/tracing`: send autogen-ts's spans (GenAI agent, model and tool spans, runtime send and
 * process spans, a root span per run) to an OpenTelemetry collector over OTLP, configured by the standard
 * `OTEL_*` variables. The SDK and exporters are optional peers, loaded only here:
 * `@opentelemetry/sdk-trace-base`, `@opentelemetry/context-async-hooks`, `@opentelemetry/resources`, and
 * `@opentelemetry/exporter-trace-otlp-proto` (http/protobuf) or `-http` (http/json).
 *
 * | variable | meaning |
 * | --- | --- |
 * | `OTEL_TRACES_EXPORTER` | `otlp` (default when an endpoint is set), `console`, or `none` |
 * | `OTEL_EXPORTER_OTLP_ENDPOINT`, `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` | the collector (`/v1/traces` is added to the first) |
 * | `OTEL_EXPORTER_OTLP_PROTOCOL`, `OTEL_EXPORTER_OTLP_TRACES_PROTOCOL` | `http/protobuf` (default) or `http/json`; `grpc` is refused |
 * | `OTEL_EXPORTER_OTLP_HEADERS`, `OTEL_EXPORTER_OTLP_TRACES_HEADERS` | headers (read by the exporter; never logged) |
 * | `OTEL_SERVICE_NAME`, `OTEL_RESOURCE_ATTRIBUTES` | the resource |
 *
 * @packageDocumentation
 */
import { ValidationError } from "@autogen-ts/core";
import { context, type TracerProvider, trace } from "@opentelemetry/api";
import type { SpanProcessor } from "@opentelemetry/sdk-trace-base";

/** Options of {@link startTracing}; each overrides its `OTEL_*` variable. */
export interface StartTracingOptions {
  /** The environment read (default `process.env`). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly exporter?: "otlp" | "console" | "none";
  readonly protocol?: "http/protobuf" | "http/json";
  /** The full traces URL (`http://host:4318/v1/traces`). */
  readonly url?: string;
  readonly serviceName?: string;
  /** Export each span as it ends instead of in batches (tests, short CLI runs that must not lose spans). */
  readonly simple?: boolean;
  /** Register the provider and a context manager globally (default true). */
  readonly register?: boolean;
}

/** A started tracing setup. */
export interface Tracing {
  readonly provider: TracerProvider;
  /** Where spans go, for a log line: `otlp http/protobuf http://...`, `console`. */
  readonly description: string;
  /** Sends what is pending. */
  forceFlush(): Promise<void>;
  /** Sends what is pending and stops (call before the process exits). */
  shutdown(): Promise<void>;
}

/** True when the environment asks for traces (an OTLP endpoint, or `OTEL_TRACES_EXPORTER` other than none). */
export function tracingRequested(env: Readonly<Record<string, string | undefined>> = process.env): boolean {
  const exporter = env.OTEL_TRACES_EXPORTER?.trim();
  if (exporter !== undefined && exporter !== "") return exporter !== "none";
  return Boolean(env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT || env.OTEL_EXPORTER_OTLP_ENDPOINT);
}

function tracesUrl(env: Readonly<Record<string, string | undefined>>): string | undefined {
  const own = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim();
  if (own) return own;
  const base = env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim();
  return base ? `${base.replace(/\/+$/, "")}/v1/traces` : undefined;
}

async function peer<T>(name: string, load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (error) {
    throw new ValidationError(`tracing needs the optional package ${name}: npm install ${name}`, {
      cause: error,
    });
  }
}

/**
 * Starts an OpenTelemetry tracer provider exporting as the `OTEL_*` variables (or the options) say, and
 * registers it (with an `AsyncLocalStorage` context manager, so spans nest across awaits).
 *
 * @throws {@link ValidationError} for an unknown exporter or protocol, or a missing optional package.
 */
export async function startTracing(options: StartTracingOptions = {}): Promise<Tracing> {
  const env = options.env ?? process.env;
  const kind =
    options.exporter ?? ((env.OTEL_TRACES_EXPORTER?.trim() || "otlp") as StartTracingOptions["exporter"]);
  if (kind !== "otlp" && kind !== "console" && kind !== "none")
    throw new ValidationError(`OTEL_TRACES_EXPORTER=${String(kind)} is not supported (otlp, console, none)`);
  const protocol =
    options.protocol ??
    ((env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL?.trim() ||
      env.OTEL_EXPORTER_OTLP_PROTOCOL?.trim() ||
      "http/protobuf") as StartTracingOptions["protocol"]);
  if (protocol !== "http/protobuf" && protocol !== "http/json")
    throw new ValidationError(
      `OTLP protocol ${String(protocol)} is not supported (http/protobuf, http/json)`,
    );
  const sdk = await peer("@opentelemetry/sdk-trace-base", () => import("@opentelemetry/sdk-trace-base"));
  const { resourceFromAttributes, defaultResource } = await peer(
    "@opentelemetry/resources",
    () => import("@opentelemetry/resources"),
  );
  let description: string = kind;
  const processors: SpanProcessor[] = [];
  if (kind !== "none") {
    let exporter: ConstructorParameters<typeof sdk.SimpleSpanProcessor>[0];
    if (kind === "console") exporter = new sdk.ConsoleSpanExporter();
    else {
      const url = options.url ?? tracesUrl(env);
      const config = url === undefined ? {} : { url };
      if (protocol === "http/json") {
        const { OTLPTraceExporter } = await peer(
          "@opentelemetry/exporter-trace-otlp-http",
          () => import("@opentelemetry/exporter-trace-otlp-http"),
        );
        exporter = new OTLPTraceExporter(config);
      } else {
        const { OTLPTraceExporter } = await peer(
          "@opentelemetry/exporter-trace-otlp-proto",
          () => import("@opentelemetry/exporter-trace-otlp-proto"),
        );
        exporter = new OTLPTraceExporter(config);
      }
      // The URL only: headers may carry keys.
      description = `otlp ${protocol} ${url ?? "(the exporter's default endpoint)"}`;
    }
    processors.push(
      options.simple ? new sdk.SimpleSpanProcessor(exporter) : new sdk.BatchSpanProcessor(exporter),
    );
  }
  const serviceName = options.serviceName ?? env.OTEL_SERVICE_NAME?.trim();
  const resource = defaultResource().merge(
    resourceFromAttributes(serviceName ? { "service.name": serviceName } : {}),
  );
  const provider = new sdk.BasicTracerProvider({ resource, spanProcessors: processors });
  if (options.register !== false) {
    const { AsyncLocalStorageContextManager } = await peer(
      "@opentelemetry/context-async-hooks",
      () => import("@opentelemetry/context-async-hooks"),
    );
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    trace.setGlobalTracerProvider(provider);
  }
  return {
    provider,
    description,
    forceFlush: () => provider.forceFlush(),
    shutdown: () => provider.shutdown(),
  };
}
