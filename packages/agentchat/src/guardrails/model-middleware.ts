/**
 * Middleware around model calls, in the manner of the AI SDK's `wrapLanguageModel`: a middleware can
 * change the request (`transformRequest`), wrap the call (`wrapCreate`, `wrapStream`) or stop it by
 * throwing a {@link GuardrailError}. `wrapChatCompletionClient(client, [a, b])` runs `a` outermost.
 * The wrapped client is a `ChatCompletionClient` like any other, so agents need no change.
 */
import type {
  ChatCompletionClient,
  CreateOptions,
  CreateResult,
  LLMMessage,
  ModelInfo,
  RequestUsage,
  ToolSchema,
} from "@autogen-ts/core";

/** One model call as middleware sees it. */
export interface ModelRequest {
  readonly messages: readonly LLMMessage[];
  readonly options: CreateOptions;
}

/** Middleware around a model client's calls. Every hook is optional. */
export interface ModelMiddleware {
  /** Its name, in errors and dumps. */
  readonly name: string;
  /** Changes the request before it is sent (redaction, extra instructions, fewer tools). */
  transformRequest?(request: ModelRequest): ModelRequest | Promise<ModelRequest>;
  /** Wraps a `create` call: call `next` (or not) and return its result (or another). */
  wrapCreate?(
    request: ModelRequest,
    next: (request: ModelRequest) => Promise<CreateResult>,
  ): Promise<CreateResult>;
  /** Wraps a `createStream` call: iterate `next`'s items, passing them on (or not). */
  wrapStream?(
    request: ModelRequest,
    next: (request: ModelRequest) => AsyncIterable<string | CreateResult>,
  ): AsyncIterable<string | CreateResult>;
}

/** A model client with middleware around its calls; usage, token counts and `close` are the inner one's. */
export class MiddlewareChatCompletionClient implements ChatCompletionClient {
  constructor(
    /** The client the calls go to. */
    readonly inner: ChatCompletionClient,
    /** Outermost first. */
    readonly middleware: readonly ModelMiddleware[],
  ) {}

  get modelInfo(): ModelInfo {
    return this.inner.modelInfo;
  }

  /** The inner client's model name (spans and usage per model name the model, not the wrapper). */
  get model(): unknown {
    return (this.inner as { model?: unknown }).model;
  }

  create(messages: readonly LLMMessage[], options: CreateOptions = {}): Promise<CreateResult> {
    const call = (i: number, request: ModelRequest): Promise<CreateResult> => {
      const m = this.middleware[i];
      if (m === undefined) return this.inner.create(request.messages, request.options);
      const go = async (r: ModelRequest) => {
        const next = (x: ModelRequest) => call(i + 1, x);
        return m.wrapCreate === undefined ? next(r) : m.wrapCreate(r, next);
      };
      return m.transformRequest === undefined
        ? go(request)
        : Promise.resolve(m.transformRequest(request)).then(go);
    };
    return call(0, { messages, options });
  }

  createStream(
    messages: readonly LLMMessage[],
    options: CreateOptions = {},
  ): AsyncIterable<string | CreateResult> {
    const call = (i: number, request: ModelRequest): AsyncIterable<string | CreateResult> => {
      const m = this.middleware[i];
      if (m === undefined) return this.inner.createStream(request.messages, request.options);
      return (async function* () {
        const r = m.transformRequest === undefined ? request : await m.transformRequest(request);
        const next = (x: ModelRequest) => call(i + 1, x);
        yield* m.wrapStream === undefined ? next(r) : m.wrapStream(r, next);
      })();
    };
    return call(0, { messages, options });
  }

  actualUsage(): RequestUsage {
    return this.inner.actualUsage();
  }

  totalUsage(): RequestUsage {
    return this.inner.totalUsage();
  }

  countTokens(messages: readonly LLMMessage[], options?: { tools?: readonly ToolSchema[] }): number {
    return this.inner.countTokens(messages, options);
  }

  remainingTokens(messages: readonly LLMMessage[], options?: { tools?: readonly ToolSchema[] }): number {
    return this.inner.remainingTokens(messages, options);
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}

/**
 * Wraps a model client with middleware (the first runs outermost).
 *
 * @example
 * ```ts
 * const model = wrapChatCompletionClient(openai, [tokenBudget({ maxTokens: 20_000 }), piiRedaction()]);
 * ```
 */
export function wrapChatCompletionClient(
  client: ChatCompletionClient,
  middleware: readonly ModelMiddleware[],
): MiddlewareChatCompletionClient {
  return new MiddlewareChatCompletionClient(client, middleware);
}

/** Every text of a request mapped through `fn` (system, user, assistant text, tool results). */
export function mapRequestText(messages: readonly LLMMessage[], fn: (text: string) => string): LLMMessage[] {
  return messages.map((m): LLMMessage => {
    switch (m.type) {
      case "SystemMessage":
        return { ...m, content: fn(m.content) };
      case "UserMessage":
        return {
          ...m,
          content:
            typeof m.content === "string"
              ? fn(m.content)
              : m.content.map((p) => (typeof p === "string" ? fn(p) : p)),
        };
      case "AssistantMessage":
        return typeof m.content === "string"
          ? { ...m, content: fn(m.content) }
          : { ...m, content: m.content.map((c) => ({ ...c, arguments: fn(c.arguments) })) };
      default:
        return { ...m, content: m.content.map((r) => ({ ...r, content: fn(r.content) })) };
    }
  });
}
