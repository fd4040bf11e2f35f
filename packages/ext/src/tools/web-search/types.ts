/**
 * The interface every web search provider implements, and the result shape the tools return.
 */

/** One search hit. */
export interface WebSearchResult {
  readonly title: string;
  readonly url: string;
  /** A short excerpt of the page, as the provider gives it (may be empty). */
  readonly snippet: string;
}

/** Options of one search. */
export interface WebSearchOptions {
  /** How many results to ask for (providers cap it: Google at 10, Brave at 20). Default 5. */
  readonly numResults?: number;
  /** Cancels the request. */
  readonly signal?: AbortSignal;
}

/**
 * A search engine reached over its HTTP API. `search` throws a `ToolError` (`provider_error`,
 * `rate_limited` or `timeout`) whose message is safe to show to a model: it never contains the key.
 */
export interface WebSearchProvider {
  /** A short name for messages ("Brave Search", "SearXNG"). */
  readonly name: string;
  search(query: string, options?: WebSearchOptions): Promise<WebSearchResult[]>;
}

/** Options every provider takes. */
export interface WebSearchProviderOptions {
  /** The API's base URL (tests point it at a loopback server). */
  readonly baseUrl?: string;
  /** Per-request time limit in milliseconds. Default 15 000. */
  readonly timeoutMs?: number;
  /** The environment to read the key from. Default `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}
