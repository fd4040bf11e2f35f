/**
 * `ChatCompletionCache`: a `ChatCompletionClient` that answers repeated requests from a store instead of
 * the provider (for tests, demos and re-runs of expensive pipelines). The key is a SHA-256 hash of a
 * canonical JSON form of the request: messages, tools, tool choice, output format and extra arguments,
 * plus a namespace (by default the model name) so two models never share answers.
 */
import {
  type ChatCompletionClient,
  type CreateOptions,
  type CreateResult,
  isCreateResult,
  isZodSchema,
  type LLMMessage,
  type ModelInfo,
  type RequestUsage,
  type ToolSchema,
  zodToJsonSchema,
} from "@autogen-ts/core";
import { type CacheStore, InMemoryCacheStore } from "./store.js";

/** Options of {@link ChatCompletionCache}. */
export interface ChatCompletionCacheOptions {
  /** The client that answers on a miss. */
  readonly client: ChatCompletionClient;
  /** Where entries live (default: a new {@link InMemoryCacheStore}). */
  readonly store?: CacheStore;
  /** Separates entries of different models or settings (default: the wrapped client's `model`, if any). */
  readonly namespace?: string;
}

/** What the cache stores for one request. */
interface Entry {
  readonly result: CreateResult;
  /** The text chunks of a streamed answer, to replay the stream as it came. */
  readonly chunks?: readonly string[];
}

function isEntry(value: unknown): value is Entry {
  return (
    typeof value === "object" && value !== null && isCreateResult((value as { result?: unknown }).result)
  );
}

/** JSON with object keys sorted, so that equal requests give equal text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v === null || typeof v !== "object" || Array.isArray(v)) return v;
    const sorted: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) sorted[k] = (v as Record<string, unknown>)[k];
    return sorted;
  });
}

/** The hex SHA-256 of `text` (Web Crypto, so it runs anywhere). */
async function sha256(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * Wraps a client with a response cache. A hit returns the stored result with `cached: true` (its
 * `usage` is the original call's, for reference); `actualUsage`/`totalUsage` report the wrapped
 * client's real spending, so hits cost nothing there. Streams are cached too, and a hit replays the
 * original chunks. Failed calls are not cached.
 */
export class ChatCompletionCache implements ChatCompletionClient {
  readonly #client: ChatCompletionClient;
  readonly #store: CacheStore;
  readonly #namespace: string;

  constructor(options: ChatCompletionCacheOptions) {
    this.#client = options.client;
    this.#store = options.store ?? new InMemoryCacheStore();
    const model = (options.client as { model?: unknown }).model;
    this.#namespace = options.namespace ?? (typeof model === "string" ? model : "");
  }

  /** The wrapped client's capabilities. */
  get modelInfo(): ModelInfo {
    return this.#client.modelInfo;
  }

  /** The cache key of a request (exposed for tools that inspect or pre-fill a store). */
  async key(messages: readonly LLMMessage[], options: CreateOptions = {}): Promise<string> {
    const json = options.jsonOutput;
    const format =
      json === undefined || typeof json === "boolean"
        ? (json ?? false)
        : isZodSchema(json)
          ? zodToJsonSchema(json)
          : "schema";
    return sha256(
      canonicalJson({
        namespace: this.#namespace,
        messages,
        tools: options.tools ?? [],
        toolChoice: options.toolChoice ?? null,
        jsonOutput: format,
        extra: options.extraCreateArgs ?? {},
      }),
    );
  }

  async #lookup(key: string): Promise<Entry | undefined> {
    const value = await this.#store.get(key);
    return isEntry(value) ? value : undefined;
  }

  /** A cached result, or the wrapped client's (then stored). */
  async create(messages: readonly LLMMessage[], options: CreateOptions = {}): Promise<CreateResult> {
    const key = await this.key(messages, options);
    const hit = await this.#lookup(key);
    if (hit) return { ...hit.result, cached: true };
    const result = await this.#client.create(messages, options);
    await this.#store.set(key, { result: { ...result, cached: false } });
    return result;
  }

  /** A cached stream replayed chunk by chunk, or the wrapped client's stream (then stored). */
  async *createStream(
    messages: readonly LLMMessage[],
    options: CreateOptions = {},
  ): AsyncGenerator<string | CreateResult> {
    const key = await this.key(messages, options);
    const hit = await this.#lookup(key);
    if (hit) {
      const chunks =
        hit.chunks ??
        (typeof hit.result.content === "string" && hit.result.content ? [hit.result.content] : []);
      for (const chunk of chunks) yield chunk;
      yield { ...hit.result, cached: true };
      return;
    }
    const chunks: string[] = [];
    for await (const item of this.#client.createStream(messages, options)) {
      if (isCreateResult(item)) {
        await this.#store.set(key, { result: { ...item, cached: false }, chunks });
        yield item;
      } else {
        chunks.push(item);
        yield item;
      }
    }
  }

  /** The wrapped client's last real call. */
  actualUsage(): RequestUsage {
    return this.#client.actualUsage();
  }

  /** The wrapped client's real spending (cache hits add nothing). */
  totalUsage(): RequestUsage {
    return this.#client.totalUsage();
  }

  countTokens(messages: readonly LLMMessage[], options: { tools?: readonly ToolSchema[] } = {}): number {
    return this.#client.countTokens(messages, options);
  }

  remainingTokens(messages: readonly LLMMessage[], options: { tools?: readonly ToolSchema[] } = {}): number {
    return this.#client.remainingTokens(messages, options);
  }

  /** Closes the wrapped client. */
  close(): Promise<void> {
    return this.#client.close();
  }
}
