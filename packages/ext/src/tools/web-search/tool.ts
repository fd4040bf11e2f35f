/**
 * `WebSearchTool`: one tool for a model over any {@link WebSearchProvider}. Provider failures (a bad key,
 * a rate limit, a timeout) come back as error results the model reads, never as exceptions.
 */
import type { Tool, ToolCallOptions, ToolResult, ToolSchema } from "@autogen-ts/core";
import { FunctionTool } from "@autogen-ts/core";
import { BingSearch } from "./bing.js";
import { BraveSearch } from "./brave.js";
import { GoogleSearch } from "./google.js";
import { SearxngSearch } from "./searxng.js";
import { TavilySearch } from "./tavily.js";
import type { WebSearchProvider, WebSearchProviderOptions, WebSearchResult } from "./types.js";

/** The providers {@link createSearchProvider} knows by name. */
export type WebSearchProviderName = "tavily" | "brave" | "bing" | "google" | "searxng";

/** Options of {@link createSearchProvider}. */
export interface CreateSearchProviderOptions extends WebSearchProviderOptions {
  /** The SearXNG instance (default `SEARXNG_URL`). */
  readonly instanceUrl?: string;
  /** The Google search engine id (default `GOOGLE_CSE_ID`). */
  readonly engineId?: string;
}

/** Makes a provider by name. */
export function createSearchProvider(
  name: WebSearchProviderName,
  options: CreateSearchProviderOptions = {},
): WebSearchProvider {
  switch (name) {
    case "tavily":
      return new TavilySearch(options);
    case "brave":
      return new BraveSearch(options);
    case "bing":
      return new BingSearch(options);
    case "google":
      return new GoogleSearch(options);
    case "searxng":
      return new SearxngSearch(options);
  }
}

/** Writes results as a numbered Markdown list: title, URL, snippet. */
export function formatSearchResults(query: string, results: readonly WebSearchResult[]): string {
  if (results.length === 0) return `No results for "${query}".`;
  const lines = results.map(
    (r, i) =>
      `${i + 1}. [${r.title || r.url}](${r.url})${r.snippet ? `\n   ${r.snippet.replace(/\s+/g, " ").trim()}` : ""}`,
  );
  return `Results for "${query}":\n\n${lines.join("\n")}`;
}

/** Options of {@link WebSearchTool}. */
export interface WebSearchToolOptions {
  /** The search engine. */
  readonly provider: WebSearchProvider;
  /** The tool's name. Default `web_search`. */
  readonly name?: string;
  /** What the model reads about it. */
  readonly description?: string;
  /** Results when the model does not say. Default 5. */
  readonly defaultResults?: number;
}

const PARAMETERS = {
  type: "object",
  properties: {
    query: { type: "string", minLength: 1, description: "What to search for" },
    num_results: { type: "integer", minimum: 1, maximum: 20, description: "How many results (default 5)" },
  },
  required: ["query"],
  additionalProperties: false,
} as const;

interface SearchArgs {
  readonly query: string;
  readonly num_results?: number;
}

/**
 * A search tool for models: `{query, num_results?}` in, a numbered list of title, URL and snippet out.
 *
 * @example
 * ```ts
 * const search = new WebSearchTool({ provider: new BraveSearch() });
 * const agent = new AssistantAgent({ name: "researcher", modelClient, tools: [search] });
 * ```
 */
export class WebSearchTool implements Tool {
  readonly name: string;
  readonly description: string;
  readonly schema: ToolSchema;
  /** The search engine behind the tool. */
  readonly provider: WebSearchProvider;
  readonly #tool: FunctionTool<SearchArgs>;

  constructor(options: WebSearchToolOptions) {
    this.provider = options.provider;
    const defaultResults = options.defaultResults ?? 5;
    this.#tool = new FunctionTool<SearchArgs>({
      name: options.name ?? "web_search",
      description:
        options.description ??
        `Search the web (${options.provider.name}). Returns titles, URLs and snippets of the top results.`,
      parameters: PARAMETERS,
      run: async ({ query, num_results }, { signal }) => {
        const results = await this.provider.search(query, {
          numResults: num_results ?? defaultResults,
          signal,
        });
        return formatSearchResults(query, results);
      },
    });
    this.name = this.#tool.name;
    this.description = this.#tool.description;
    this.schema = this.#tool.schema;
  }

  /** Runs a search; provider errors become results with `isError: true`. */
  call(args: string | Readonly<Record<string, unknown>>, options?: ToolCallOptions): Promise<ToolResult> {
    return this.#tool.call(args, options);
  }
}
