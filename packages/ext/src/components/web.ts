/**
 * Component definitions of the web and file agents and tools: AutoGen's `MultimodalWebSurfer` and
 * `FileSurfer` (their gallery configs load as they are), and our web search and fetch tools. The browser
 * settings AutoGen has and autogen-ts does not need (`animate_actions`, `use_ocr`, `debug_dir`,
 * `to_save_screenshots`, `browser_channel`, `browser_data_dir`) are accepted and kept for dumps.
 * Loading settings: `chromiumPath` (the browser binary), `allowPrivateAddresses` (for the fetch tool and
 * the web surfer's browser alike: one URL policy).
 */
import type { ChatCompletionClient, ComponentDefinition, JsonSchema, LoadContext } from "@autogen-ts/core";
import { compact, componentSlot } from "@autogen-ts/core";
import { FileSurfer } from "../agents/file-surfer/file-surfer.js";
import { MultimodalWebSurfer } from "../agents/web-surfer/web-surfer.js";
import { FetchTool } from "../tools/fetch/fetch.js";
import { createSearchProvider, type WebSearchProviderName, WebSearchTool } from "../tools/web-search/tool.js";

const PROVIDER_NAMES = ["tavily", "brave", "bing", "google", "searxng"] as const;

const WEB_SURFER_SCHEMA: JsonSchema = {
  type: "object",
  required: ["name", "model_client"],
  properties: {
    name: { type: "string" },
    model_client: componentSlot("model"),
    description: { type: "string" },
    downloads_folder: { type: ["string", "null"] },
    debug_dir: { type: ["string", "null"] },
    headless: { type: "boolean" },
    start_page: { type: ["string", "null"] },
    animate_actions: { type: "boolean" },
    to_save_screenshots: { type: "boolean" },
    use_ocr: { type: "boolean" },
    browser_channel: { type: ["string", "null"] },
    browser_data_dir: { type: ["string", "null"] },
    to_resize_viewport: { type: "boolean" },
    // autogen-ts additions
    search_url: { type: "string" },
    search_provider: { enum: [...PROVIDER_NAMES] },
    search_base_url: { type: "string" },
    max_actions_per_turn: { type: "integer", minimum: 1 },
    use_vision: { type: "boolean" },
  },
};

function searchProvider(config: Readonly<Record<string, unknown>>) {
  const name = config.search_provider as WebSearchProviderName | undefined;
  if (name === undefined) return undefined;
  const base = config.search_base_url as string | undefined;
  return createSearchProvider(
    name,
    base === undefined ? {} : name === "searxng" ? { instanceUrl: base } : { baseUrl: base },
  );
}

const webSurfer: ComponentDefinition<MultimodalWebSurfer> = {
  provider: "autogen_ext.agents.web_surfer.MultimodalWebSurfer",
  ownName: "autogen_ts.ext.agents.web_surfer.MultimodalWebSurfer",
  componentType: "agent",
  componentVersion: 1,
  description: "An agent that solves tasks by browsing the web in headless Chromium.",
  label: "MultimodalWebSurfer",
  schema: WEB_SURFER_SCHEMA,
  classes: [MultimodalWebSurfer],
  async load(config, context: LoadContext) {
    const modelClient = await context.load<ChatCompletionClient>(
      config.model_client,
      "model_client",
      "model",
    );
    const provider = searchProvider(config);
    const chromium = context.setting<string>("chromiumPath");
    const allowPrivate = context.setting<boolean>("allowPrivateAddresses");
    return new MultimodalWebSurfer({
      name: config.name as string,
      modelClient,
      ...(typeof config.description === "string" ? { description: config.description } : {}),
      ...(typeof config.start_page === "string" ? { startPage: config.start_page } : {}),
      ...(typeof config.downloads_folder === "string" ? { downloadsFolder: config.downloads_folder } : {}),
      ...(config.headless === false ? { headful: true } : {}),
      ...(typeof config.search_url === "string" ? { searchUrl: config.search_url } : {}),
      ...(provider ? { searchProvider: provider } : {}),
      ...(typeof config.max_actions_per_turn === "number"
        ? { maxActionsPerTurn: config.max_actions_per_turn }
        : {}),
      ...(typeof config.use_vision === "boolean" ? { useVision: config.use_vision } : {}),
      ...(chromium ? { executablePath: chromium } : {}),
      ...(allowPrivate === true ? { allowPrivateAddresses: true } : {}),
    });
  },
  async dump(agent, context) {
    const o = agent.options;
    const loaded = context.loadedFrom ?? {};
    const passthrough = Object.fromEntries(
      [
        "debug_dir",
        "animate_actions",
        "to_save_screenshots",
        "use_ocr",
        "browser_channel",
        "browser_data_dir",
        "to_resize_viewport",
        "search_provider",
        "search_base_url",
      ]
        .filter((k) => loaded[k] !== undefined)
        .map((k) => [k, loaded[k]]),
    );
    return compact({
      name: agent.name,
      model_client: await context.dump(agent.modelClient),
      description: agent.description,
      downloads_folder: o.downloadsFolder,
      headless: o.headful !== true,
      start_page: o.startPage,
      search_url: o.searchUrl,
      max_actions_per_turn: o.maxActionsPerTurn,
      use_vision: o.useVision,
      ...passthrough,
    });
  },
};

const fileSurfer: ComponentDefinition<FileSurfer> = {
  provider: "autogen_ext.agents.file_surfer.FileSurfer",
  ownName: "autogen_ts.ext.agents.file_surfer.FileSurfer",
  componentType: "agent",
  componentVersion: 1,
  description: "An agent that reads and searches local files.",
  label: "FileSurfer",
  schema: {
    type: "object",
    required: ["name", "model_client"],
    properties: {
      name: { type: "string" },
      model_client: componentSlot("model"),
      description: { type: "string" },
      base_path: { type: "string" },
      allow_write: { type: "boolean" },
    },
  },
  classes: [FileSurfer],
  async load(config, context) {
    const modelClient = await context.load<ChatCompletionClient>(
      config.model_client,
      "model_client",
      "model",
    );
    return new FileSurfer({
      name: config.name as string,
      modelClient,
      ...(typeof config.description === "string" ? { description: config.description } : {}),
      ...(typeof config.base_path === "string" ? { root: config.base_path } : {}),
      ...(config.allow_write === true ? { allowWrite: true } : {}),
    });
  },
  async dump(agent, context) {
    return compact({
      name: agent.name,
      model_client: await context.dump(agent.modelClient),
      description: agent.description,
      base_path: agent.root,
      allow_write: context.loadedFrom?.allow_write,
    });
  },
};

const webSearchTool: ComponentDefinition<WebSearchTool> = {
  provider: "autogen_ts.ext.tools.web_search.WebSearchTool",
  componentType: "tool",
  componentVersion: 1,
  description:
    "Web search through Tavily, Brave, Bing, Google Programmable Search or SearXNG; keys from the environment.",
  label: "WebSearchTool",
  schema: {
    type: "object",
    required: ["provider"],
    properties: {
      provider: { enum: [...PROVIDER_NAMES] },
      name: { type: "string" },
      description: { type: "string" },
      base_url: { type: "string" },
      engine_id: { type: "string" },
      default_results: { type: "integer", minimum: 1 },
    },
  },
  classes: [WebSearchTool],
  load(config) {
    const name = config.provider as WebSearchProviderName;
    const base = config.base_url as string | undefined;
    const provider = createSearchProvider(name, {
      ...(base ? (name === "searxng" ? { instanceUrl: base } : { baseUrl: base }) : {}),
      ...(typeof config.engine_id === "string" ? { engineId: config.engine_id } : {}),
    });
    return new WebSearchTool({
      provider,
      ...(typeof config.name === "string" ? { name: config.name } : {}),
      ...(typeof config.description === "string" ? { description: config.description } : {}),
      ...(typeof config.default_results === "number" ? { defaultResults: config.default_results } : {}),
    });
  },
  dump: (_tool, context) => ({ ...(context.loadedFrom ?? {}) }),
};

const fetchTool: ComponentDefinition<FetchTool> = {
  provider: "autogen_ts.ext.tools.fetch.FetchTool",
  componentType: "tool",
  componentVersion: 1,
  description: "Fetches a URL as Markdown (main content), refusing private and loopback addresses.",
  label: "FetchTool",
  schema: {
    type: "object",
    properties: {
      name: { type: "string" },
      max_length: { type: "integer", minimum: 100 },
      max_bytes: { type: "integer", minimum: 1 },
      timeout_seconds: { type: "number", exclusiveMinimum: 0 },
      max_redirects: { type: "integer", minimum: 0 },
    },
  },
  classes: [FetchTool],
  // Private addresses are never allowed by a document, only by the loader's settings.
  load: (config, context) =>
    new FetchTool({
      ...(typeof config.name === "string" ? { name: config.name } : {}),
      ...(typeof config.max_length === "number" ? { maxLength: config.max_length } : {}),
      ...(typeof config.max_bytes === "number" ? { maxBytes: config.max_bytes } : {}),
      ...(typeof config.timeout_seconds === "number" ? { timeoutMs: config.timeout_seconds * 1000 } : {}),
      ...(typeof config.max_redirects === "number" ? { maxRedirects: config.max_redirects } : {}),
      ...(context.setting<boolean>("allowPrivateAddresses") === true ? { allowPrivateAddresses: true } : {}),
    }),
  dump: (_tool, context) => ({ ...(context.loadedFrom ?? {}) }),
};

/** The web and file definitions. */
export const definitions: readonly ComponentDefinition<unknown>[] = [
  webSurfer,
  fileSurfer,
  webSearchTool,
  fetchTool,
];
