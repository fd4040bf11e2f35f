/**
 * Web search tools: Tavily, Brave Search, Bing (Web Search v7), Google Programmable Search and SearXNG
 * behind one {@link WebSearchProvider} interface, and {@link WebSearchTool} to offer any of them to a model.
 *
 * @module
 */
export type { BingSearchOptions } from "./bing.js";
export { BingSearch } from "./bing.js";
export type { BraveSearchOptions } from "./brave.js";
export { BraveSearch } from "./brave.js";
export type { GoogleSearchOptions } from "./google.js";
export { GoogleSearch } from "./google.js";
export type { SearxngSearchOptions } from "./searxng.js";
export { SearxngSearch } from "./searxng.js";
export type { TavilySearchOptions } from "./tavily.js";
export { TavilySearch } from "./tavily.js";
export type { CreateSearchProviderOptions, WebSearchProviderName, WebSearchToolOptions } from "./tool.js";
export { createSearchProvider, formatSearchResults, WebSearchTool } from "./tool.js";
export type {
  WebSearchOptions,
  WebSearchProvider,
  WebSearchProviderOptions,
  WebSearchResult,
} from "./types.js";
