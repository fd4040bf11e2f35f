/**
 * AutoGen Studio's stock web tools, run natively. The gallery ships `google_search`, `bing_search` and
 * `fetch_webpage` as Python `FunctionTool`s that import httpx, BeautifulSoup and html2text and call
 * hard-coded endpoints. With the load setting `nativeWebTools: true` (the CLI's default), a FunctionTool
 * recognised as one of them, by its name and the shape of its source (its signature's parameters and the
 * endpoint or HTML-to-Markdown calls in its body, not its exact text), loads as a {@link GalleryWebTool}:
 * the same tool name, description and parameters, served by our Google or Bing search provider and our
 * fetcher (SSRF guard, size and time limits). It dumps back as the Python document it came from, so a
 * round trip never changes anyone's Python. A tool whose signature has a parameter we do not implement is
 * not recognised and stays Python.
 *
 * Settings: `googleSearchBaseUrl` / `bingSearchBaseUrl` (else `GOOGLE_SEARCH_BASE_URL` /
 * `BING_SEARCH_BASE_URL` from the environment) point the searches at another host, such as a loopback
 * server in tests or a self-hosted proxy; `allowPrivateAddresses` lets fetches reach private and loopback
 * addresses. Keys come from the environment as the Python tools read them: `GOOGLE_API_KEY` and
 * `GOOGLE_CSE_ID`, `BING_SEARCH_KEY`.
 */
import type {
  JsonSchema,
  LoadContext,
  Tool,
  ToolCallOptions,
  ToolResult,
  ToolSchema,
} from "@autogen-ts/core";
import { FunctionTool, ToolError } from "@autogen-ts/core";
import type { FetchUrlOptions } from "../tools/fetch/fetch.js";
import type { WebSearchProvider, WebSearchResult } from "../tools/web-search/types.js";

/** The stock gallery web tools that load natively. */
export type GalleryWebToolKind = "google_search" | "bing_search" | "fetch_webpage";

/** A parameter of a Python signature: its name and, when it is a plain literal, its default. */
interface PythonParameter {
  readonly name: string;
  readonly hasDefault: boolean;
  /** The default when it is a string, number, boolean or None literal; undefined otherwise. */
  readonly literal?: string | number | boolean | null;
}

const SEARCH_PARAMETERS: Readonly<Record<string, JsonSchema>> = {
  query: { type: "string" },
  num_results: { type: "integer" },
  include_snippets: { type: "boolean" },
  include_content: { type: "boolean" },
  content_max_length: { anyOf: [{ type: "integer" }, { type: "null" }] },
  language: { type: "string" },
  country: { anyOf: [{ type: "string" }, { type: "null" }] },
};

/** Each tool's parameters (as the Python signature reads), the required ones, and its source's marks. */
const KINDS: Readonly<
  Record<
    GalleryWebToolKind,
    { parameters: Readonly<Record<string, JsonSchema>>; required: readonly string[]; body: readonly RegExp[] }
  >
> = {
  google_search: {
    parameters: { ...SEARCH_PARAMETERS, safe_search: { type: "boolean" } },
    required: ["query"],
    body: [/googleapis\.com\/customsearch\/v1/],
  },
  bing_search: {
    parameters: {
      ...SEARCH_PARAMETERS,
      safe_search: { type: "string" },
      response_filter: { type: "string" },
    },
    required: ["query"],
    body: [/api\.bing\.microsoft\.com\/v7\.0\/search/],
  },
  fetch_webpage: {
    parameters: {
      url: { type: "string" },
      include_images: { type: "boolean" },
      max_length: { anyOf: [{ type: "integer" }, { type: "null" }] },
      headers: { anyOf: [{ type: "object", additionalProperties: { type: "string" } }, { type: "null" }] },
    },
    required: ["url"],
    body: [/\.get\(\s*url\b/, /html2text|BeautifulSoup|markdownify/],
  },
};

/** The defaults of the stock tools, used when a signature's default is not a plain literal. */
const DEFAULTS: Readonly<Record<string, string | number | boolean | null>> = {
  num_results: 3,
  include_snippets: true,
  include_content: true,
  content_max_length: 10_000,
  language: "en",
  country: null,
  include_images: true,
  max_length: null,
  headers: null,
};

/** Splits `text` at top-level commas (not inside brackets, parentheses, braces or quotes). */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote: string | undefined;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote !== undefined) {
      if (c === "\\") i++;
      else if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === "[" || c === "(" || c === "{") depth++;
    else if (c === "]" || c === ")" || c === "}") depth--;
    else if (c === "," && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts.map((p) => p.trim()).filter((p) => p !== "");
}

function pythonLiteral(text: string): string | number | boolean | null | undefined {
  if (text === "None") return null;
  if (text === "True") return true;
  if (text === "False") return false;
  if (/^-?\d+(\.\d+)?$/.test(text.replace(/_/g, ""))) return Number(text.replace(/_/g, ""));
  const quoted = /^(["'])(.*)\1$/.exec(text);
  if (quoted && !quoted[2]!.includes("\\")) return quoted[2]!;
  return undefined;
}

/** The parameters of `def name(...)` in Python source, read without running Python; undefined if absent. */
export function pythonSignature(source: string, name: string): PythonParameter[] | undefined {
  const head = new RegExp(`^[ \\t]*(?:async[ \\t]+)?def[ \\t]+${name}[ \\t]*\\(`, "m").exec(source);
  if (head === null) return undefined;
  let depth = 1;
  let end = head.index + head[0].length;
  for (; end < source.length && depth > 0; end++) {
    const c = source[end];
    if (c === "(" || c === "[" || c === "{") depth++;
    else if (c === ")" || c === "]" || c === "}") depth--;
  }
  if (depth !== 0) return undefined;
  const inside = source.slice(head.index + head[0].length, end - 1);
  return splitTopLevel(inside)
    .filter((p) => p !== "*" && p !== "/")
    .map((p) => {
      const eq = p.indexOf("=");
      const left = eq === -1 ? p : p.slice(0, eq);
      const paramName = left.split(":")[0]!.trim();
      if (eq === -1) return { name: paramName, hasDefault: false };
      const literal = pythonLiteral(p.slice(eq + 1).trim());
      return literal === undefined
        ? { name: paramName, hasDefault: true }
        : { name: paramName, hasDefault: true, literal };
    });
}

/**
 * Which stock gallery web tool a Python `FunctionTool` config is, or undefined. It must be named as the
 * stock tool, define that function, take only parameters the native tool implements (the required ones
 * without defaults), and call the stock tool's endpoint (search) or fetch-and-convert libraries (fetch).
 */
export function recognizeGalleryWebTool(
  config: Readonly<Record<string, unknown>>,
): GalleryWebToolKind | undefined {
  const { name, source_code: source } = config;
  if (typeof name !== "string" || typeof source !== "string" || !Object.hasOwn(KINDS, name)) return undefined;
  const kind = name as GalleryWebToolKind;
  const shape = KINDS[kind];
  const signature = pythonSignature(source, name);
  if (signature === undefined) return undefined;
  const names = signature.map((p) => p.name);
  if (names.some((n) => !Object.hasOwn(shape.parameters, n))) return undefined;
  for (const required of shape.required) {
    const param = signature.find((p) => p.name === required);
    if (param === undefined || param.hasDefault) return undefined;
  }
  if (!shape.body.every((mark) => mark.test(source))) return undefined;
  return kind;
}

/** Options of {@link GalleryWebTool}. */
export interface GalleryWebToolOptions {
  /** The Python `FunctionTool` config it stands for (dumped back as it is). */
  readonly config: Readonly<Record<string, unknown>>;
  /** The search API's base URL (default Google's or Bing's own). */
  readonly searchBaseUrl?: string;
  /** Let fetches reach private and loopback addresses (default false: refused). */
  readonly allowPrivateAddresses?: boolean;
  /** Where the keys are read (default `process.env`). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Time limit of each HTTP request, in milliseconds (default 10 000, as the Python tools have). */
  readonly timeoutMs?: number;
}

type Args = Record<string, unknown>;

const TRUNCATED = "\n...(truncated)";

function cut(text: string, max: unknown): string {
  return typeof max === "number" && max > 0 && text.length > max ? `${text.slice(0, max)}${TRUNCATED}` : text;
}

/**
 * A stock gallery web tool (`google_search`, `bing_search`, `fetch_webpage`) served natively: the Python
 * tool's name, description and parameters, our search providers and fetcher behind them. Search returns
 * the Python tool's JSON list of `{title, link, snippet, content}`; fetch returns the page as Markdown.
 * Failures are error results the model reads.
 */
export class GalleryWebTool implements Tool {
  readonly name: string;
  readonly description: string;
  readonly schema: ToolSchema;
  /** Which stock tool it is. */
  readonly kind: GalleryWebToolKind;
  /** The Python `FunctionTool` config it stands for. */
  readonly config: Readonly<Record<string, unknown>>;
  readonly #options: GalleryWebToolOptions;
  readonly #defaults: Readonly<Record<string, unknown>>;
  readonly #tool: FunctionTool<Args>;

  /** @throws {@link ToolError} when `options.config` is not a stock gallery web tool. */
  constructor(options: GalleryWebToolOptions) {
    const kind = recognizeGalleryWebTool(options.config);
    if (kind === undefined) {
      throw new ToolError(
        `${String(options.config.name)} is not one of the gallery's google_search, bing_search or fetch_webpage tools`,
        { code: "invalid_config" },
      );
    }
    this.kind = kind;
    this.config = options.config;
    this.#options = options;
    const signature = pythonSignature(options.config.source_code as string, kind)!;
    const defaults: Record<string, unknown> = {};
    const properties: Record<string, JsonSchema> = {};
    const required: string[] = [];
    for (const p of signature) {
      const schema = { ...KINDS[kind].parameters[p.name]! };
      if (p.hasDefault) {
        const value = p.literal !== undefined ? p.literal : DEFAULTS[p.name];
        defaults[p.name] = value;
        if (value !== undefined) schema.default = value;
      } else required.push(p.name);
      properties[p.name] = schema;
    }
    this.#defaults = defaults;
    const description = options.config.description;
    this.#tool = new FunctionTool<Args>({
      name: kind,
      description: typeof description === "string" && description.trim() !== "" ? description : kind,
      parameters: { type: "object", properties, required },
      run: (args, { signal }) =>
        kind === "fetch_webpage" ? this.#fetchWebpage(args, signal) : this.#search(kind, args, signal),
    });
    this.name = this.#tool.name;
    this.description = this.#tool.description;
    this.schema = this.#tool.schema;
  }

  /** Runs the tool; failures come back as results with `isError: true`. */
  call(args: string | Readonly<Record<string, unknown>>, options?: ToolCallOptions): Promise<ToolResult> {
    return this.#tool.call(args, options);
  }

  #arg<T>(args: Args, key: string): T {
    return (args[key] !== undefined ? args[key] : this.#defaults[key]) as T;
  }

  #fetchOptions(signal: AbortSignal): FetchUrlOptions {
    return {
      timeoutMs: this.#options.timeoutMs ?? 10_000,
      signal,
      ...(this.#options.allowPrivateAddresses === true ? { allowPrivateAddresses: true } : {}),
    };
  }

  async #provider(kind: "google_search" | "bing_search", args: Args): Promise<WebSearchProvider> {
    const common = {
      ...(this.#options.searchBaseUrl ? { baseUrl: this.#options.searchBaseUrl } : {}),
      ...(this.#options.env ? { env: this.#options.env } : {}),
      timeoutMs: this.#options.timeoutMs ?? 10_000,
    };
    const language = this.#arg<string | undefined>(args, "language");
    if (kind === "google_search") {
      const { GoogleSearch } = await import("../tools/web-search/google.js");
      return new GoogleSearch({
        ...common,
        ...(language ? { language } : {}),
        safeSearch: this.#arg<boolean | undefined>(args, "safe_search") !== false,
      });
    }
    const filter = String(this.#arg<string | undefined>(args, "response_filter") ?? "webpages");
    if (filter.toLowerCase() !== "webpages") {
      throw new ToolError(`response_filter "${filter}" is not available here; use "webpages"`);
    }
    const country = this.#arg<string | null | undefined>(args, "country");
    const { BingSearch } = await import("../tools/web-search/bing.js");
    const market = country ? `${language ?? "en"}-${country.toUpperCase()}` : language;
    return new BingSearch({ ...common, ...(market ? { market } : {}) });
  }

  async #search(kind: "google_search" | "bing_search", args: Args, signal: AbortSignal): Promise<unknown> {
    const query = args.query as string;
    const max = kind === "google_search" ? 10 : 50;
    const wanted = Math.min(Math.max(1, Math.trunc(Number(this.#arg(args, "num_results")) || 3)), max);
    const provider = await this.#provider(kind, args);
    const results: WebSearchResult[] = (await provider.search(query, { numResults: wanted, signal })).slice(
      0,
      wanted,
    );
    const snippets = this.#arg<boolean>(args, "include_snippets") !== false;
    const content = this.#arg<boolean>(args, "include_content") !== false;
    const maxLength = this.#arg<number | null>(args, "content_max_length");
    const { fetchUrl } = await import("../tools/fetch/fetch.js");
    // The pages are fetched together; one that fails says so in its own entry.
    return Promise.all(
      results.map(async (r) => {
        const item: Record<string, string> = { title: r.title, link: r.url };
        if (snippets) item.snippet = r.snippet;
        if (content) {
          try {
            const doc = await fetchUrl(r.url, this.#fetchOptions(signal));
            item.content = cut(doc.markdown.trim(), maxLength);
          } catch (error) {
            if (signal.aborted) throw error;
            item.content = `Error fetching content: ${error instanceof Error ? error.message : String(error)}`;
          }
        }
        return item;
      }),
    );
  }

  async #fetchWebpage(args: Args, signal: AbortSignal): Promise<string> {
    const headers = this.#arg<Record<string, string> | null>(args, "headers") ?? {};
    const userAgent = Object.entries(headers).find(([k]) => k.toLowerCase() === "user-agent")?.[1];
    const { fetchUrl } = await import("../tools/fetch/fetch.js");
    const doc = await fetchUrl(args.url as string, {
      ...this.#fetchOptions(signal),
      ...(userAgent ? { userAgent } : {}),
    });
    let markdown = doc.markdown.trim();
    if (this.#arg<boolean>(args, "include_images") === false) {
      markdown = markdown.replace(/!\[[^\]]*\]\([^)]*\)/g, "").replace(/\n{3,}/g, "\n\n");
    }
    const title = doc.title && !markdown.startsWith(`# ${doc.title}`) ? `# ${doc.title}\n\n` : "";
    return cut(`${title}${markdown}`, this.#arg(args, "max_length"));
  }
}

/**
 * The {@link GalleryWebTool} for a Python `FunctionTool` config when the load setting `nativeWebTools`
 * is on and the config is a stock gallery web tool; undefined otherwise (the tool stays Python).
 */
export function loadGalleryWebTool(
  config: Readonly<Record<string, unknown>>,
  context: LoadContext,
): GalleryWebTool | undefined {
  if (context.setting<boolean>("nativeWebTools") !== true) return undefined;
  const kind = recognizeGalleryWebTool(config);
  if (kind === undefined) return undefined;
  const env =
    context.options.env ??
    (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env ??
    {};
  const searchBaseUrl =
    kind === "google_search"
      ? (context.setting<string>("googleSearchBaseUrl") ?? env.GOOGLE_SEARCH_BASE_URL)
      : kind === "bing_search"
        ? (context.setting<string>("bingSearchBaseUrl") ?? env.BING_SEARCH_BASE_URL)
        : undefined;
  if (searchBaseUrl !== undefined && searchBaseUrl !== "" && !URL.canParse(searchBaseUrl)) {
    throw context.error(undefined, `the ${kind} base URL is not a URL: ${searchBaseUrl}`);
  }
  return new GalleryWebTool({
    config,
    env,
    ...(searchBaseUrl ? { searchBaseUrl } : {}),
    ...(context.setting<boolean>("allowPrivateAddresses") === true ? { allowPrivateAddresses: true } : {}),
  });
}
