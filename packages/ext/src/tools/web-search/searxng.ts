/** SearXNG: a self-hosted metasearch instance (`GET /search?format=json`). */
import { ToolError } from "@autogen-ts/core";
import { asArray, asRecord, asString, clampCount, processEnv, requestJson } from "./http.js";
import type {
  WebSearchOptions,
  WebSearchProvider,
  WebSearchProviderOptions,
  WebSearchResult,
} from "./types.js";

/** Options of {@link SearxngSearch}. */
export interface SearxngSearchOptions extends WebSearchProviderOptions {
  /** The instance URL, such as `https://searx.example.org`; default `SEARXNG_URL` from the environment. */
  readonly instanceUrl?: string;
  /** Categories to search (`general`, `news`, ...). */
  readonly categories?: readonly string[];
  /** Result language, such as `en`. */
  readonly language?: string;
}

/**
 * Searches a SearXNG instance through its JSON API (the instance must list `json` in
 * `search.formats`; otherwise it answers 403, reported as such). An instance behind authentication can
 * take a bearer token from `SEARXNG_API_KEY`.
 */
export class SearxngSearch implements WebSearchProvider {
  readonly name = "SearXNG";
  readonly #options: SearxngSearchOptions;

  constructor(options: SearxngSearchOptions = {}) {
    this.#options = options;
  }

  async search(query: string, options: WebSearchOptions = {}): Promise<WebSearchResult[]> {
    const env = this.#options.env ?? processEnv();
    const base = this.#options.instanceUrl ?? this.#options.baseUrl ?? env.SEARXNG_URL;
    if (base === undefined || base === "") {
      throw new ToolError("SearXNG is not configured: give instanceUrl or set SEARXNG_URL", {
        code: "invalid_config",
      });
    }
    const url = new URL("search", base.endsWith("/") ? base : `${base}/`);
    url.searchParams.set("q", query);
    url.searchParams.set("format", "json");
    if (this.#options.categories?.length)
      url.searchParams.set("categories", this.#options.categories.join(","));
    if (this.#options.language) url.searchParams.set("language", this.#options.language);
    const token = env.SEARXNG_API_KEY;
    const body = await requestJson({
      provider: this.name,
      url,
      init: {
        headers: { accept: "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
      },
      timeoutMs: this.#options.timeoutMs ?? 15_000,
      signal: options.signal,
      secrets: [token],
      describeError: (b) => asString(asRecord(b).error) || undefined,
    });
    const results = asArray(asRecord(body).results).map((item) => {
      const r = asRecord(item);
      return { title: asString(r.title), url: asString(r.url), snippet: asString(r.content) };
    });
    return results.slice(0, clampCount(options.numResults, 50));
  }
}
