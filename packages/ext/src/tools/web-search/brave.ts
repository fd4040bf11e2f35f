/** Brave Search (`GET /res/v1/web/search`, `X-Subscription-Token`). */
import {
  asArray,
  asRecord,
  asString,
  clampCount,
  processEnv,
  requestJson,
  requireEnv,
  stripTags,
} from "./http.js";
import type {
  WebSearchOptions,
  WebSearchProvider,
  WebSearchProviderOptions,
  WebSearchResult,
} from "./types.js";

/** Options of {@link BraveSearch}. */
export interface BraveSearchOptions extends WebSearchProviderOptions {
  /** `off`, `moderate` (default) or `strict`. */
  readonly safeSearch?: "off" | "moderate" | "strict";
  /** A two-letter country code for the results. */
  readonly country?: string;
}

/** Brave's error bodies: `{"type": "ErrorResponse", "error": {"code": "...", "detail": "..."}}`. */
function describeError(body: unknown): string | undefined {
  const error = asRecord(asRecord(body).error);
  const detail = asString(error.detail);
  const code = asString(error.code);
  if (detail === "" && code === "") return undefined;
  return code && detail ? `${code}: ${detail}` : detail || code;
}

/**
 * Searches with the Brave Search API. The key comes from `BRAVE_API_KEY` (or `BRAVE_SEARCH_API_KEY`).
 */
export class BraveSearch implements WebSearchProvider {
  readonly name = "Brave Search";
  readonly #options: BraveSearchOptions;

  constructor(options: BraveSearchOptions = {}) {
    this.#options = options;
  }

  async search(query: string, options: WebSearchOptions = {}): Promise<WebSearchResult[]> {
    const key = requireEnv(
      this.#options.env ?? processEnv(),
      ["BRAVE_API_KEY", "BRAVE_SEARCH_API_KEY"],
      this.name,
    );
    const url = new URL("/res/v1/web/search", this.#options.baseUrl ?? "https://api.search.brave.com");
    url.searchParams.set("q", query);
    url.searchParams.set("count", String(clampCount(options.numResults, 20)));
    url.searchParams.set("safesearch", this.#options.safeSearch ?? "moderate");
    if (this.#options.country) url.searchParams.set("country", this.#options.country);
    const body = await requestJson({
      provider: this.name,
      url,
      init: { headers: { accept: "application/json", "x-subscription-token": key } },
      timeoutMs: this.#options.timeoutMs ?? 15_000,
      signal: options.signal,
      secrets: [key],
      describeError,
    });
    return asArray(asRecord(asRecord(body).web).results).map((item) => {
      const r = asRecord(item);
      return {
        title: stripTags(asString(r.title)),
        url: asString(r.url),
        snippet: stripTags(asString(r.description)),
      };
    });
  }
}
