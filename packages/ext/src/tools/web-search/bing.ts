/** Bing Web Search v7 (`GET /v7.0/search`, `Ocp-Apim-Subscription-Key`), or any service speaking its format. */
import { asArray, asRecord, asString, clampCount, processEnv, requestJson, requireEnv } from "./http.js";
import type {
  WebSearchOptions,
  WebSearchProvider,
  WebSearchProviderOptions,
  WebSearchResult,
} from "./types.js";

/** Options of {@link BingSearch}. */
export interface BingSearchOptions extends WebSearchProviderOptions {
  /** A market code such as `en-US`. */
  readonly market?: string;
}

/**
 * Bing's two error shapes: `{"_type": "ErrorResponse", "errors": [{"code", "message"}]}` from the API, and
 * `{"error": {"code", "message"}}` from the gateway (bad key, rate limit).
 */
function describeError(body: unknown): string | undefined {
  const record = asRecord(body);
  const first = asRecord(asArray(record.errors)[0]);
  const message = asString(first.message) || asString(asRecord(record.error).message);
  const code = asString(first.code) || asString(asRecord(record.error).code);
  if (message === "") return code || undefined;
  return code ? `${code}: ${message}` : message;
}

/**
 * Searches with the Bing Web Search v7 API. The key comes from `BING_SEARCH_KEY` (or `BING_API_KEY`).
 */
export class BingSearch implements WebSearchProvider {
  readonly name = "Bing";
  readonly #options: BingSearchOptions;

  constructor(options: BingSearchOptions = {}) {
    this.#options = options;
  }

  async search(query: string, options: WebSearchOptions = {}): Promise<WebSearchResult[]> {
    const key = requireEnv(this.#options.env ?? processEnv(), ["BING_SEARCH_KEY", "BING_API_KEY"], this.name);
    const url = new URL("/v7.0/search", this.#options.baseUrl ?? "https://api.bing.microsoft.com");
    url.searchParams.set("q", query);
    url.searchParams.set("count", String(clampCount(options.numResults, 50)));
    url.searchParams.set("responseFilter", "Webpages");
    if (this.#options.market) url.searchParams.set("mkt", this.#options.market);
    const body = await requestJson({
      provider: this.name,
      url,
      init: { headers: { "ocp-apim-subscription-key": key } },
      timeoutMs: this.#options.timeoutMs ?? 15_000,
      signal: options.signal,
      secrets: [key],
      describeError,
    });
    return asArray(asRecord(asRecord(body).webPages).value).map((item) => {
      const r = asRecord(item);
      return { title: asString(r.name), url: asString(r.url), snippet: asString(r.snippet) };
    });
  }
}
