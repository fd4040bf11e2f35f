/**
 * `OpenAIEmbeddingClient`: embeddings from OpenAI or any OpenAI-compatible `/embeddings` endpoint
 * (vLLM, LM Studio, llama.cpp, Ollama's `/v1`, a gateway), on the official `openai` SDK. It shares the
 * chat clients' kit: the key and endpoint from the options or `OPENAI_API_KEY` / `OPENAI_BASE_URL`, one
 * retry policy, typed errors that name the endpoint and never the key.
 */
import { ModelError, toCancelledError, ValidationError } from "@autogen-ts/core";
import type OpenAI from "openai";
import type { EmbeddingClient, EmbedOptions } from "../../memory/embedding.js";
import { redactUrl } from "../_shared/index.js";
import { buildSdk, createOpenAISdk, type OpenAIBaseOptions, openAIKit } from "./common.js";

/** Options of {@link OpenAIEmbeddingClient}. */
export interface OpenAIEmbeddingClientOptions
  extends Pick<
    OpenAIBaseOptions,
    | "apiKey"
    | "baseURL"
    | "organization"
    | "project"
    | "headers"
    | "maxRetries"
    | "timeoutMs"
    | "initialDelayMs"
    | "maxDelayMs"
    | "logger"
  > {
  /** The embedding model, such as `text-embedding-3-small`. */
  readonly model: string;
  /** Ask for vectors of this length (models that support shortening, such as `text-embedding-3-*`). */
  readonly dimensions?: number;
  /**
   * How the vectors travel: `base64` (the SDK's default, a quarter of the bytes) or `float` (JSON
   * numbers, for a compatible server that does not speak base64).
   */
  readonly encodingFormat?: "base64" | "float";
  /** The most texts sent in one request; more are split into several (default 512). */
  readonly batchSize?: number;
}

// The four capability flags, all off: an embedding model is not a chat model, and saying so keeps the
// kit from warning that it does not know the model.
const NOT_A_CHAT_MODEL = {
  vision: false,
  functionCalling: false,
  jsonOutput: false,
  structuredOutput: false,
} as const;

/**
 * An {@link EmbeddingClient} on an OpenAI-compatible `/embeddings` endpoint.
 *
 * @example
 * ```ts
 * const embeddings = new OpenAIEmbeddingClient({ model: "text-embedding-3-small" }); // OPENAI_API_KEY
 * const local = new OpenAIEmbeddingClient({ model: "nomic-embed-text", baseURL: "http://localhost:11434/v1" });
 * const memory = new VectorMemory({ embeddingClient: embeddings });
 * ```
 */
export class OpenAIEmbeddingClient implements EmbeddingClient {
  /** The embedding model. */
  readonly model: string;
  readonly #sdk: OpenAI;
  readonly #kit: ReturnType<typeof openAIKit>;
  readonly #dimensions: number | undefined;
  readonly #encodingFormat: "base64" | "float" | undefined;
  readonly #batchSize: number;

  constructor(options: OpenAIEmbeddingClientOptions) {
    const { dimensions, batchSize = 512 } = options;
    if (dimensions !== undefined && (!Number.isInteger(dimensions) || dimensions <= 0)) {
      throw new ValidationError("OpenAIEmbeddingClient: dimensions should be a positive integer", {
        code: "invalid_config",
      });
    }
    if (!Number.isInteger(batchSize) || batchSize <= 0) {
      throw new ValidationError("OpenAIEmbeddingClient: batchSize should be a positive integer", {
        code: "invalid_config",
      });
    }
    let sdk: OpenAI | undefined;
    const kitOptions = { ...options, modelInfo: NOT_A_CHAT_MODEL };
    this.#kit = openAIKit(kitOptions, "OpenAIEmbeddingClient", () => sdk);
    sdk = buildSdk(this.#kit, () => createOpenAISdk(this.#kit, kitOptions));
    this.#sdk = sdk;
    this.model = options.model;
    this.#dimensions = dimensions;
    this.#encodingFormat = options.encodingFormat;
    this.#batchSize = batchSize;
  }

  /** The endpoint, without credentials. */
  get baseURL(): string {
    return redactUrl(this.#sdk.baseURL);
  }

  /**
   * One vector per text, in order (several requests when there are more than `batchSize` texts).
   *
   * @throws {@link ModelError} when the provider fails or answers with the wrong number of vectors;
   *   {@link CancelledError} when `signal` aborts.
   */
  async embed(texts: readonly string[], options: EmbedOptions = {}): Promise<number[][]> {
    if (options.signal?.aborted) throw toCancelledError(options.signal.reason);
    if (!Array.isArray(texts) || texts.some((t) => typeof t !== "string")) {
      throw new ValidationError("OpenAIEmbeddingClient.embed takes an array of strings");
    }
    const vectors: number[][] = [];
    for (let start = 0; start < texts.length; start += this.#batchSize) {
      vectors.push(...(await this.#batch(texts.slice(start, start + this.#batchSize), options.signal)));
    }
    return vectors;
  }

  async #batch(input: string[], signal: AbortSignal | undefined): Promise<number[][]> {
    const { value } = await this.#kit.request(
      (attempt) =>
        this.#sdk.embeddings.create(
          {
            model: this.model,
            input,
            ...(this.#dimensions !== undefined ? { dimensions: this.#dimensions } : {}),
            ...(this.#encodingFormat !== undefined ? { encoding_format: this.#encodingFormat } : {}),
          },
          { signal: attempt },
        ),
      signal,
    );
    const data = Array.isArray(value?.data) ? value.data : [];
    const vectors: (number[] | undefined)[] = new Array(input.length);
    for (const item of data) {
      const index = item?.index;
      const embedding = decode(item?.embedding);
      if (typeof index === "number" && index >= 0 && index < input.length && embedding) {
        vectors[index] = embedding;
      }
    }
    if (vectors.some((v) => v === undefined) || data.length !== input.length) {
      throw new ModelError(
        "model_output",
        `OpenAI at ${this.baseURL} answered ${data.length} embeddings for ${input.length} inputs`,
      );
    }
    return vectors as number[][];
  }
}

/** A vector from the wire: numbers as they are, a base64 string as little-endian float32s. */
function decode(embedding: unknown): number[] | undefined {
  if (Array.isArray(embedding)) {
    return embedding.every((x) => typeof x === "number" && Number.isFinite(x)) ? embedding : undefined;
  }
  if (typeof embedding === "string") {
    // The SDK decodes base64 itself when it chose the format; this covers an explicit `base64`.
    const bytes = Uint8Array.from(atob(embedding), (c) => c.charCodeAt(0));
    if (bytes.byteLength % 4 !== 0) return undefined;
    return Array.from(new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4));
  }
  return undefined;
}
