/** Tavily (`POST /search`, bearer key): search built for LLM agents. */
import { asArray, asRecord, asString, clampCount, processEnv, requestJson, requireEnv } from "./http.js";
import type {
  WebSearchOptions,
  WebSearchProvider,
  WebSearchProviderOptions,
  WebSearchResult,
} from "./types.js";

/** Options of {@link TavilySearch}. */
export interface TavilySearchOptions extends WebSearchProviderOptions {
  /** `basic` (default) or `advanced` search depth. */
  readonly searchDepth?: "basic" | "advanced";
  /** `general` (default) or `news`. */
  readonly topic?: "general" | "news";
}

/** Tavily's error bodies: `{"detail": {"error": "..."}}` (or a plain `detail` string). */
function describeError(body: unknown): string | undefined {
  const detail = asRecord(body).detail;
  if (typeof detail === "string") return detail;
  const error = asRecord(detail).error;
  return typeof error === "string" ? error : undefined;
}

/**
 * Searches with Tavily. The key comes from `TAVILY_API_KEY`.
 *
 * @example
 * ```ts
 * const results = await new TavilySearch().search("autogen agents", { numResults: 3 });
 * ```
 */
export class TavilySearch implements WebSearchProvider {
  readonly name = "Tavily";
  readonly #options: TavilySearchOptions;

  constructor(options: TavilySearchOptions = {}) {
    this.#options = options;
  }

  async search(query: string, options: WebSearchOptions = {}): Promise<WebSearchResult[]> {
    const key = requireEnv(this.#options.env ?? processEnv(), ["TAVILY_API_KEY"], this.name);
    const url = new URL("/search", this.#options.baseUrl ?? "https://api.tavily.com");
    const body = await requestJson({
      provider: this.name,
      url,
      init: {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
        body: JSON.stringify({
          query,
          max_results: clampCount(options.numResults, 20),
          search_depth: this.#options.searchDepth ?? "basic",
          topic: this.#options.topic ?? "general",
          include_answer: false,
        }),
      },
      timeoutMs: this.#options.timeoutMs ?? 15_000,
      signal: options.signal,
      secrets: [key],
      describeError,
    });
    return asArray(asRecord(body).results).map((item) => {
      const r = asRecord(item);
      return { title: asString(r.title), url: asString(r.url), snippet: asString(r.content) };
    });
  }
}
