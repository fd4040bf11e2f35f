/** Google Programmable Search (Custom Search JSON API, `GET /customsearch/v1?key=&cx=`). */
import { asArray, asRecord, asString, clampCount, processEnv, requestJson, requireEnv } from "./http.js";
import type {
  WebSearchOptions,
  WebSearchProvider,
  WebSearchProviderOptions,
  WebSearchResult,
} from "./types.js";

/** Options of {@link GoogleSearch}. */
export interface GoogleSearchOptions extends WebSearchProviderOptions {
  /** The search engine id; default `GOOGLE_CSE_ID` from the environment. */
  readonly engineId?: string;
  /** Interface language (`hl`), such as `en`. */
  readonly language?: string;
  /** Safe search on (default) or off. */
  readonly safeSearch?: boolean;
}

/** Google's error body: `{"error": {"code", "message", "status", "errors": [{"reason"}]}}`. */
function describeError(body: unknown): string | undefined {
  const error = asRecord(asRecord(body).error);
  const message = asString(error.message);
  const status = asString(error.status);
  if (message === "") return status || undefined;
  return status ? `${status}: ${message}` : message;
}

/**
 * Searches with Google's Custom Search JSON API. The key comes from `GOOGLE_API_KEY`, the engine id
 * from `GOOGLE_CSE_ID` (or the `engineId` option). The key travels in the query string, so error
 * messages name only the endpoint's path.
 */
export class GoogleSearch implements WebSearchProvider {
  readonly name = "Google Programmable Search";
  readonly #options: GoogleSearchOptions;

  constructor(options: GoogleSearchOptions = {}) {
    this.#options = options;
  }

  async search(query: string, options: WebSearchOptions = {}): Promise<WebSearchResult[]> {
    const env = this.#options.env ?? processEnv();
    const key = requireEnv(env, ["GOOGLE_API_KEY"], this.name);
    const cx = this.#options.engineId ?? requireEnv(env, ["GOOGLE_CSE_ID"], this.name);
    const url = new URL("/customsearch/v1", this.#options.baseUrl ?? "https://www.googleapis.com");
    url.searchParams.set("key", key);
    url.searchParams.set("cx", cx);
    url.searchParams.set("q", query);
    url.searchParams.set("num", String(clampCount(options.numResults, 10)));
    url.searchParams.set("safe", this.#options.safeSearch === false ? "off" : "active");
    if (this.#options.language) url.searchParams.set("hl", this.#options.language);
    const body = await requestJson({
      provider: this.name,
      url,
      init: { headers: { accept: "application/json" } },
      timeoutMs: this.#options.timeoutMs ?? 15_000,
      signal: options.signal,
      secrets: [key],
      describeError,
    });
    return asArray(asRecord(body).items).map((item) => {
      const r = asRecord(item);
      return { title: asString(r.title), url: asString(r.link), snippet: asString(r.snippet) };
    });
  }
}
