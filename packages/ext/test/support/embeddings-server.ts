/**
 * A loopback HTTP server speaking OpenAI's `/embeddings` wire format, for the embedding client and the
 * vector memory. Its vectors are a deterministic bag of words: each word (lower-cased, short stop
 * words dropped) adds 1 to a few hashed dimensions, and the vector is normalised, so two texts that share
 * words point the same way and texts with no word in common are (almost) orthogonal. That is enough
 * meaning for ranking tests, with no model. Answers in `float` or `base64` as asked; scripted failures
 * (a status for the next N requests) and every request are recorded for assertions.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** One request the server received. */
export interface EmbeddingsRequest {
  readonly path: string;
  readonly authorization: string | undefined;
  readonly body: {
    readonly model?: string;
    readonly input?: string | string[];
    readonly encoding_format?: string;
    readonly dimensions?: number;
  };
}

const STOP = new Set(["the", "a", "an", "of", "to", "in", "and", "or", "is", "are", "be", "for", "on", "at"]);

/** The vector the server gives `text` (exported so tests can compute expected scores). */
export function bagOfWords(text: string, dimensions = 64): number[] {
  const vector = new Array<number>(dimensions).fill(0);
  for (const word of text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []) {
    if (STOP.has(word)) continue;
    // Two dimensions per word (FNV-1a with two seeds), so collisions rarely make unrelated words equal.
    for (const seed of [2166136261, 16777619]) {
      let h = seed;
      for (const ch of word) h = Math.imul(h ^ (ch.codePointAt(0) ?? 0), 16777619) >>> 0;
      vector[h % dimensions] = (vector[h % dimensions] ?? 0) + 1;
    }
  }
  const norm = Math.hypot(...vector);
  // A text with no words gets a fixed unit vector rather than zeros (which have no direction).
  if (norm === 0) return vector.map((_, i) => (i === 0 ? 1 : 0));
  return vector.map((x) => x / norm);
}

function base64(vector: number[]): string {
  return Buffer.from(new Float32Array(vector).buffer).toString("base64");
}

/** The server; `url` is its `/v1` base URL. */
export class EmbeddingsServer {
  readonly requests: EmbeddingsRequest[] = [];
  readonly #server: Server;
  readonly #failures: { status: number; body: unknown }[] = [];
  /** The vector length when a request does not ask for one. */
  dimensions = 64;
  /** When set, answers with one vector too few (a broken server). */
  dropOne = false;

  private constructor(server: Server) {
    this.#server = server;
  }

  /** Starts a server on 127.0.0.1 at a free port. */
  static async start(): Promise<EmbeddingsServer> {
    let self: EmbeddingsServer | undefined;
    const server = createServer((req, res) => void self?.handle(req, res));
    self = new EmbeddingsServer(server);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return self;
  }

  /** The OpenAI-style base URL (`http://127.0.0.1:<port>/v1`). */
  get url(): string {
    const { port } = this.#server.address() as AddressInfo;
    return `http://127.0.0.1:${port}/v1`;
  }

  /** The next `times` requests answer `status` with an OpenAI error body. */
  failNext(status: number, times = 1, message = "scripted failure"): void {
    for (let i = 0; i < times; i++) {
      this.#failures.push({ status, body: { error: { message, type: "server_error", code: null } } });
    }
  }

  /** How many texts were embedded in all. */
  get embeddedTexts(): number {
    return this.requests.reduce((n, r) => n + [r.body.input ?? []].flat().length, 0);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}") as EmbeddingsRequest["body"];
    this.requests.push({ path: req.url ?? "", authorization: req.headers.authorization, body });
    const reply = (status: number, payload: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(payload));
    };
    const failure = this.#failures.shift();
    if (failure) return reply(failure.status, failure.body);
    if (req.method !== "POST" || !req.url?.endsWith("/embeddings")) {
      return reply(404, { error: { message: `no route ${req.method} ${req.url}` } });
    }
    const inputs = [body.input ?? []].flat();
    if (inputs.length === 0 || inputs.some((t) => typeof t !== "string")) {
      return reply(400, { error: { message: "input should be a string or an array of strings" } });
    }
    const dimensions = body.dimensions ?? this.dimensions;
    const data = inputs.map((text, index) => {
      const vector = bagOfWords(text, dimensions);
      return {
        object: "embedding",
        index,
        embedding: body.encoding_format === "base64" ? base64(vector) : vector,
      };
    });
    const tokens = inputs.reduce((n, t) => n + t.split(/\s+/).length, 0);
    reply(200, {
      object: "list",
      data: this.dropOne ? data.slice(1) : data,
      model: body.model ?? "bag-of-words",
      usage: { prompt_tokens: tokens, total_tokens: tokens },
    });
  }

  /** Stops the server. */
  close(): Promise<void> {
    this.#server.closeAllConnections();
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }
}
