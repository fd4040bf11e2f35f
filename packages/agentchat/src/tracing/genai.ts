/**
 * OpenTelemetry spans following the GenAI semantic conventions: `invoke_agent {agent}` around an agent's
 * turn, `chat {model}` around each model call and `execute_tool {tool}` around each tool call, with
 * `gen_ai.*` attributes. They go to the tracer provider the application registers, read from the
 * OpenTelemetry API's global registry through core's `otel` (so importing agentchat does not load the API);
 * until one is registered they cost next to nothing and record nothing.
 *
 * Parents are passed explicitly (an async generator cannot keep an active context across its yields);
 * model and tool calls run inside their span's context, so spans made by providers and nested agents
 * land under them.
 */

import type { ChatCompletionClient, CreateResult, RequestUsage } from "@autogen-ts/core";
import { AutogenError, otel } from "@autogen-ts/core";
import type { Attributes, Context, Span, SpanKind, Tracer, TracerProvider } from "@opentelemetry/api";

/** The instrumentation scope name of the spans made here. */
export const TRACER_NAME = "@autogen-ts/agentchat";

function tracer(provider: TracerProvider): Tracer {
  return provider.getTracer(TRACER_NAME);
}

/** A started span together with the context that has it active, for children and nested calls. */
export interface SpanScope {
  readonly span: Span;
  readonly context: Context;
}

// One span standing for all spans while no provider is registered.
const NOOP_SPAN: Span = otel.wrapSpanContext(otel.INVALID_SPAN_CONTEXT);

/**
 * The provider spans go to: the given one, else the globally registered one; undefined while none is
 * registered (spans would record nothing, so none are made, and an agent turn then allocates nothing for
 * tracing). Looked up per span, so a provider registered later takes effect at once.
 */
function providerOf(provider: TracerProvider | undefined): TracerProvider | undefined {
  return provider ?? otel.tracerProvider();
}

function start(
  name: string,
  kind: SpanKind,
  attributes: Attributes,
  parent: Context,
  provider: TracerProvider,
): SpanScope {
  const span = tracer(provider).startSpan(name, { kind, attributes }, parent);
  // Without an SDK the span is a no-op stand-in for the parent: keep the parent context rather than
  // allocate an equivalent one on every call.
  if (!span.isRecording() && span.spanContext().spanId === otel.getSpanContext(parent)?.spanId) {
    return { span, context: parent };
  }
  if (!span.isRecording() && !otel.isSpanContextValid(span.spanContext())) return { span, context: parent };
  return { span, context: otel.setSpan(parent, span) };
}

/**
 * Starts `invoke_agent {name}` under `parent` (the active context when omitted). Every `start*` function
 * takes an optional `provider`; without one, spans go to the globally registered provider.
 */
export function startAgentSpan(
  agent: { readonly name: string; readonly description?: string },
  parent: Context = otel.active(),
  provider?: TracerProvider,
): SpanScope {
  const to = providerOf(provider);
  if (to === undefined) return { span: NOOP_SPAN, context: parent };
  const attributes: Attributes = {
    "gen_ai.operation.name": "invoke_agent",
    "gen_ai.agent.name": agent.name,
  };
  if (agent.description !== undefined) attributes["gen_ai.agent.description"] = agent.description;
  return start(`invoke_agent ${agent.name}`, otel.SpanKind.INTERNAL, attributes, parent, to);
}

/**
 * The model name a client reports: its `model` property (or that object's `modelId`) where it has one,
 * as provider clients do; otherwise its model family.
 */
export function modelName(client: ChatCompletionClient): string {
  const model = (client as { readonly model?: unknown }).model;
  if (typeof model === "string" && model !== "") return model;
  // Clients wrapping a model object (the AI SDK's) name it by `modelId`.
  const id = (model as { readonly modelId?: unknown } | undefined)?.modelId;
  return typeof id === "string" && id !== "" ? id : client.modelInfo.family;
}

/** Starts `chat {model}` under `parent`. */
export function startChatSpan(
  client: ChatCompletionClient,
  agentName: string,
  parent: Context,
  options: { readonly stream: boolean },
  provider?: TracerProvider,
): SpanScope {
  const to = providerOf(provider);
  if (to === undefined) return { span: NOOP_SPAN, context: parent };
  const model = modelName(client);
  return start(
    `chat ${model}`,
    otel.SpanKind.CLIENT,
    {
      "gen_ai.operation.name": "chat",
      "gen_ai.request.model": model,
      "gen_ai.agent.name": agentName,
      "gen_ai.request.stream": options.stream,
    },
    parent,
    to,
  );
}

/** Records a model call's outcome on its `chat` span. */
export function recordChatResult(span: Span, result: CreateResult): void {
  span.setAttribute("gen_ai.response.finish_reasons", [result.finishReason]);
  setUsage(span, result.usage);
}

/** Sets the `gen_ai.usage.*` attributes. */
export function setUsage(span: Span, usage: RequestUsage): void {
  span.setAttribute("gen_ai.usage.input_tokens", usage.promptTokens);
  span.setAttribute("gen_ai.usage.output_tokens", usage.completionTokens);
  if (usage.cachedPromptTokens !== undefined) {
    span.setAttribute("gen_ai.usage.cache_read.input_tokens", usage.cachedPromptTokens);
  }
  if (usage.cacheCreationTokens !== undefined) {
    span.setAttribute("gen_ai.usage.cache_creation.input_tokens", usage.cacheCreationTokens);
  }
  if (usage.reasoningTokens !== undefined) {
    span.setAttribute("gen_ai.usage.reasoning.output_tokens", usage.reasoningTokens);
  }
}

/** Starts `execute_tool {tool}` under `parent`. */
export function startToolSpan(
  name: string,
  callId: string,
  description: string | undefined,
  parent: Context,
  provider?: TracerProvider,
): SpanScope {
  const to = providerOf(provider);
  if (to === undefined) return { span: NOOP_SPAN, context: parent };
  const attributes: Attributes = {
    "gen_ai.operation.name": "execute_tool",
    "gen_ai.tool.name": name,
    "gen_ai.tool.call.id": callId,
    "gen_ai.tool.type": "function",
  };
  if (description !== undefined) attributes["gen_ai.tool.description"] = description;
  return start(`execute_tool ${name}`, otel.SpanKind.INTERNAL, attributes, parent, to);
}

/** Marks a span failed: `error.type` is the autogen-ts error code, or the error's class name. */
export function recordError(span: Span, error: unknown): void {
  const type = AutogenError.isInstance(error) ? error.code : error instanceof Error ? error.name : "_OTHER";
  span.setAttribute("error.type", type);
  if (error instanceof Error) span.recordException(error);
  span.setStatus({
    code: otel.STATUS_ERROR,
    message: error instanceof Error ? error.message : String(error),
  });
}

/** Marks a span failed with an error type but no exception (a tool's error result, say). */
export function recordErrorType(span: Span, type: string, message: string): void {
  span.setAttribute("error.type", type);
  span.setStatus({ code: otel.STATUS_ERROR, message });
}

/** Runs `fn` with `ctx` active, so spans started inside (by providers, tools, nested agents) nest under it. */
export function runInContext<T>(ctx: Context, fn: () => T): T {
  return ctx === otel.active() ? fn() : otel.with(ctx, fn);
}

/**
 * Runs a task runner's stream under one root span, `run {name}`, so that the whole run (its agents, model
 * and tool calls, and the runtime's sends, in this process and, through trace headers, in others) is one
 * trace. Each step of the stream runs with the span active; the span ends with the run and carries its
 * total usage.
 */
export async function* traceRun<T>(
  name: string,
  stream: () => AsyncIterable<T>,
  provider?: TracerProvider,
): AsyncGenerator<T> {
  const to = providerOf(provider);
  if (to === undefined) {
    yield* stream();
    return;
  }
  const scope = start(
    `run ${name}`,
    otel.SpanKind.INTERNAL,
    { "gen_ai.operation.name": "invoke_agent", "gen_ai.agent.name": name, "autogen.run": true },
    otel.active(),
    to,
  );
  const iterator = otel.with(scope.context, () => stream()[Symbol.asyncIterator]());
  let prompt = 0;
  let completion = 0;
  try {
    for (;;) {
      const step = await otel.with(scope.context, () => iterator.next());
      if (step.done) break;
      const usage = (step.value as { modelsUsage?: RequestUsage } | undefined)?.modelsUsage;
      if (usage !== undefined) {
        prompt += usage.promptTokens;
        completion += usage.completionTokens;
      }
      yield step.value;
    }
    setUsage(scope.span, { promptTokens: prompt, completionTokens: completion });
  } catch (error) {
    recordError(scope.span, error);
    throw error;
  } finally {
    scope.span.end();
  }
}
