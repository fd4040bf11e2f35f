/**
 * AutoGen Studio's gallery "Web Agent Team (Operator)" and "Deep Research Team", loaded from the gallery
 * file as AutoGen wrote it and run against loopback pages, a loopback search server (Google's and Bing's
 * formats) and the scripted OpenAI-format model server: the web surfer in real headless Chromium, the
 * research tools natively (`nativeWebTools`), and the Deep Research Team through `autogen-ts run` as a
 * child process. Also: which Python tools are recognised as the stock web tools and which are not, their
 * dumps, and every error path (no key, a bad key, the SSRF guard, an unsupported filter, a bad base URL).
 */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TaskResult, TaskRunner } from "@autogen-ts/agentchat";
import type { ComponentModel, LoadComponentOptions, Tool } from "@autogen-ts/core";
import { toolResultText, ValidationError } from "@autogen-ts/core";
import {
  dumpComponent,
  GalleryWebTool,
  introspectPythonFunction,
  loadComponent,
  PythonFunctionTool,
  recognizeGalleryWebTool,
} from "@autogen-ts/ext/components";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ModelServer, startModelServer } from "../support/model-server.js";
import { chatReply } from "../support/openai-wire.js";
import { freshFacts, type SiteFacts, startResearchSite, startSearchServer } from "./gallery-sites.js";
import { CHROMIUM_PATH, chromiumAvailable, type LoopbackServer } from "./support.js";

// CI and developers have shared/ beside the repository.
const GALLERY_PATH = new URL(
  "../../../../../shared/conformance/autogen-studio/studio_default_gallery.json",
  import.meta.url,
).pathname;
const CLI_BIN = new URL("../../../cli/src/bin.ts", import.meta.url).pathname;
const gallery = JSON.parse(readFileSync(GALLERY_PATH, "utf8")) as {
  components: Record<string, ComponentModel[]>;
};
const team = (label: string) => gallery.components.teams!.find((t) => t.label === label)!;
const tool = (name: string) => gallery.components.tools!.find((t) => t.config.name === name)!;

const KEYS = { google: "g-test-key", bing: "b-test-key" };
const available = chromiumAvailable();

let facts: SiteFacts;
let site: LoopbackServer;
let search: LoopbackServer;
let models: ModelServer;

beforeAll(async () => {
  // The gallery's OpenAI clients read their key from the environment, as AutoGen's do.
  process.env.OPENAI_API_KEY ??= "sk-test";
  facts = freshFacts();
  site = await startResearchSite(facts);
  search = await startSearchServer(site.url, KEYS);
  models = await startModelServer();
});
afterAll(async () => {
  await Promise.all([site.close(), search.close(), models.close()]);
});

/** The environment the loaded components read: model and search keys, the search server. */
function env(): Record<string, string> {
  return {
    OPENAI_API_KEY: "sk-test",
    GOOGLE_API_KEY: KEYS.google,
    GOOGLE_CSE_ID: "cse-test",
    BING_SEARCH_KEY: KEYS.bing,
    GOOGLE_SEARCH_BASE_URL: search.url,
    BING_SEARCH_BASE_URL: search.url,
  };
}

/** Loading options of the tests: every model client on the scripted server, native web tools. */
function options(extra: Partial<LoadComponentOptions> = {}): LoadComponentOptions {
  return {
    allowCode: true,
    env: env(),
    settings: { nativeWebTools: true, allowPrivateAddresses: true, chromiumPath: CHROMIUM_PATH },
    transform: (c) =>
      c.component_type === "model" ? { ...c, config: { ...c.config, base_url: `${models.url}/v1` } } : c,
    ...extra,
  };
}

function loadTool(doc: ComponentModel, extra: Partial<LoadComponentOptions> = {}): Promise<Tool> {
  return loadComponent<Tool>(doc, options(extra));
}

const text = async (t: Tool, args: Record<string, unknown>) => toolResultText(await t.call(args));

describe("the gallery's stock web tools, loaded natively", () => {
  it("recognises google_search, bing_search and fetch_webpage, here and inside the Deep Research Team", () => {
    for (const name of ["google_search", "bing_search", "fetch_webpage"]) {
      expect(recognizeGalleryWebTool(tool(name).config)).toBe(name);
    }
    const workbench = (team("Deep Research Team").config.participants as ComponentModel[])[0]!.config
      .workbench as ComponentModel[];
    const inTeam = (workbench[0]!.config.tools as ComponentModel[]).map((t) =>
      recognizeGalleryWebTool(t.config),
    );
    expect(inTeam).toEqual(["google_search", "fetch_webpage"]);
    expect(recognizeGalleryWebTool(tool("calculator").config)).toBeUndefined();
  });

  it("offers the model the same name, description and parameters the Python signature gives", async () => {
    for (const name of ["google_search", "bing_search", "fetch_webpage"]) {
      const doc = tool(name);
      const native = await loadTool(doc);
      expect(native).toBeInstanceOf(GalleryWebTool);
      expect(native.name).toBe(name);
      expect(native.description).toBe(doc.config.description);
      const python = await introspectPythonFunction(doc.config.source_code as string, name);
      expect(native.schema.parameters).toEqual(python.parameters);
    }
  });

  it("recognises by shape, not exact text: reformatted source and changed defaults still load natively", async () => {
    const doc = tool("google_search");
    const source = (doc.config.source_code as string)
      .replace("num_results: int = 3", "num_results: int = 2")
      .replace(/\n {4}"""[\s\S]*?"""\n/, "\n    # docs removed\n")
      .replace("async def google_search(\n    query: str,", "async def google_search(query: str,");
    const changed = { ...doc, config: { ...doc.config, source_code: source } };
    const native = await loadTool(changed);
    expect(native).toBeInstanceOf(GalleryWebTool);
    expect(
      (native.schema.parameters as { properties: Record<string, unknown> }).properties.num_results,
    ).toEqual({ type: "integer", default: 2 });
  });

  it("leaves a tool Python when its name, its parameters or its endpoint differ", async () => {
    const doc = tool("google_search");
    const source = doc.config.source_code as string;
    const variants: Record<string, unknown>[] = [
      { ...doc.config, name: "my_search", source_code: source.replace("def google_search", "def my_search") },
      {
        ...doc.config,
        source_code: source.replace("safe_search: bool = True,", "safe_search: bool = True, page: int = 1,"),
      },
      { ...doc.config, source_code: source.replace("query: str,", "query: str = 'otters',") },
      {
        ...doc.config,
        source_code: source.replace(
          "https://www.googleapis.com/customsearch/v1",
          "https://search.example/api",
        ),
      },
    ];
    for (const config of variants) {
      expect(recognizeGalleryWebTool(config)).toBeUndefined();
      const loaded = await loadTool({ ...doc, config });
      expect(loaded).toBeInstanceOf(PythonFunctionTool);
      await (loaded as PythonFunctionTool).close();
    }
    // Named google_search but defining another function: not recognised, and Python's loader says why.
    const renamed = {
      ...doc.config,
      source_code: source.replace("def google_search", "def google_search_v2"),
    };
    expect(recognizeGalleryWebTool(renamed)).toBeUndefined();
    const error = await loadTool({ ...doc, config: renamed }).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/no function named google_search in source_code/);
  });

  it("is off unless asked for: without nativeWebTools the tools stay Python", async () => {
    const python = await loadComponent<Tool>(tool("fetch_webpage"), { allowCode: true });
    expect(python).toBeInstanceOf(PythonFunctionTool);
    await (python as PythonFunctionTool).close();
  });

  it("still needs allowCode: the document carries code", async () => {
    const error = await loadComponent(tool("google_search"), { settings: { nativeWebTools: true } }).catch(
      (e: unknown) => e,
    );
    expect(ValidationError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/carries code/);
  });

  it("dumps back as the Python document it came from, inside a team too", async () => {
    for (const name of ["google_search", "bing_search", "fetch_webpage"]) {
      const doc = tool(name);
      expect(await dumpComponent(await loadTool(doc))).toEqual(doc);
    }
    const doc = team("Deep Research Team");
    const loaded = await loadComponent<TaskRunner & { close(): Promise<void> }>(doc, {
      allowCode: true,
      env: env(),
      settings: { nativeWebTools: true },
    });
    expect(await dumpComponent(loaded)).toEqual(doc);
    await loaded.close();
  });

  it("google_search asks the search server and fetches each result's page", async () => {
    const before = search.requests.length;
    const google = await loadTool(tool("google_search"));
    const results = JSON.parse(await text(google, { query: "kelp bay otters", num_results: 2 })) as {
      title: string;
      link: string;
      snippet: string;
      content: string;
    }[];
    const request = search.requests.slice(before).at(-1)!;
    expect(request.url.pathname).toBe("/customsearch/v1");
    expect(Object.fromEntries(request.url.searchParams)).toMatchObject({
      q: "kelp bay otters",
      num: "2",
      key: KEYS.google,
      cx: "cse-test",
      safe: "active",
      hl: "en",
    });
    expect(results.map((r) => [r.title, r.link])).toEqual([
      ["Kelp Bay otter census", `${site.url}/otters`],
      ["Kelp forest survey", `${site.url}/kelp`],
    ]);
    expect(results[0]!.snippet).toBe("The spring census of sea otters in Kelp Bay.");
    expect(results[0]!.content).toContain(`counted ${facts.census} sea otters`);
    expect(results[0]!.content).not.toContain("script text");
    expect(results[1]!.content).toContain(facts.researcher);
    // Without snippets and content, and with a length cap.
    const bare = JSON.parse(
      await text(google, {
        query: "otters",
        num_results: 1,
        include_snippets: false,
        include_content: false,
      }),
    );
    expect(bare).toEqual([{ title: "Kelp Bay otter census", link: `${site.url}/otters` }]);
    const capped = JSON.parse(
      await text(google, { query: "otters", num_results: 1, content_max_length: 40 }),
    );
    expect(capped[0].content).toMatch(/^[\s\S]{40}\n\.\.\.\(truncated\)$/);
  });

  it("bing_search speaks Bing's format, with the market from language and country", async () => {
    const before = search.requests.length;
    const bing = await loadTool(tool("bing_search"));
    const results = JSON.parse(
      await text(bing, { query: "kelp survey", num_results: 1, country: "us", include_content: false }),
    );
    expect(results).toEqual([
      {
        title: "Kelp Bay otter census",
        link: `${site.url}/otters`,
        snippet: "The spring census of sea otters in Kelp Bay.",
      },
    ]);
    const request = search.requests.slice(before).at(-1)!;
    expect(request.url.pathname).toBe("/v7.0/search");
    expect(request.headers["ocp-apim-subscription-key"]).toBe(KEYS.bing);
    expect(Object.fromEntries(request.url.searchParams)).toMatchObject({
      q: "kelp survey",
      count: "1",
      mkt: "en-US",
    });
    const news = await bing.call({ query: "kelp", response_filter: "news" });
    expect(news.isError).toBe(true);
    expect(toolResultText(news)).toMatch(/response_filter "news" is not available here/);
  });

  it("fetch_webpage returns the page as Markdown, with images optional and a length cap", async () => {
    const fetchTool = await loadTool(tool("fetch_webpage"));
    const page = await text(fetchTool, { url: `${site.url}/kelp` });
    expect(page).toMatch(/^# Kelp forest survey/);
    expect(page).toContain(`led by ${facts.researcher}`);
    expect(page).toContain(`![Kelp canopy](${site.url}/canopy.png)`);
    const noImages = await text(fetchTool, { url: `${site.url}/kelp`, include_images: false });
    expect(noImages).not.toContain("![");
    expect(noImages).toContain(facts.researcher);
    const short = await text(fetchTool, { url: `${site.url}/kelp`, max_length: 30 });
    expect(short).toBe(`${page.slice(0, 30)}\n...(truncated)`);
    const agent = await text(fetchTool, { url: `${site.url}/kelp`, headers: { "User-Agent": "kelp-bot/1" } });
    expect(agent).toContain(facts.researcher);
    expect(site.requests.at(-1)!.headers["user-agent"]).toBe("kelp-bot/1");
    const missing = await fetchTool.call({ url: `${site.url}/nowhere` });
    expect(missing.isError).toBe(true);
    expect(toolResultText(missing)).toMatch(/HTTP 404/);
  });

  it("the SSRF guard refuses loopback pages unless the loader allows them", async () => {
    const strict = options();
    const guarded = { ...strict, settings: { nativeWebTools: true } };
    const fetchTool = await loadComponent<Tool>(tool("fetch_webpage"), guarded);
    const refused = await fetchTool.call({ url: `${site.url}/kelp` });
    expect(refused.isError).toBe(true);
    expect(toolResultText(refused)).toMatch(/127\.0\.0\.1/);
    expect(toolResultText(refused)).not.toContain(facts.researcher);
    // A search still reaches its configured API, but the result pages on loopback are refused.
    const google = await loadComponent<Tool>(tool("google_search"), guarded);
    const results = JSON.parse(await text(google, { query: "otters", num_results: 1 }));
    expect(results[0].content).toMatch(/^Error fetching content: .*127\.0\.0\.1/);
  });

  it("gives readable errors for a missing key and a rejected key, never the key itself", async () => {
    const noKey = await loadTool(tool("google_search"), {
      env: { GOOGLE_SEARCH_BASE_URL: search.url },
    });
    const missing = await noKey.call({ query: "otters" });
    expect(missing.isError).toBe(true);
    expect(toolResultText(missing)).toMatch(/set GOOGLE_API_KEY in the environment/);
    const badKey = await loadTool(tool("google_search"), {
      env: { ...env(), GOOGLE_API_KEY: "wrong-key-123" },
    });
    const rejected = await badKey.call({ query: "otters" });
    expect(rejected.isError).toBe(true);
    expect(toolResultText(rejected)).toMatch(/API key not valid/);
    expect(toolResultText(rejected)).not.toContain("wrong-key-123");
    const badBing = await loadTool(tool("bing_search"), { env: { ...env(), BING_SEARCH_KEY: "nope-456" } });
    const denied = await badBing.call({ query: "otters" });
    expect(denied.isError).toBe(true);
    expect(toolResultText(denied)).toMatch(/invalid subscription key/);
    expect(toolResultText(denied)).not.toContain("nope-456");
  });

  it("a search base URL that is not a URL fails loading with the component's path", async () => {
    const error = await loadComponent(team("Deep Research Team"), {
      ...options(),
      env: { ...env(), GOOGLE_SEARCH_BASE_URL: "not a url" },
    }).catch((e: unknown) => e);
    expect(ValidationError.isInstance(error)).toBe(true);
    expect((error as Error).message).toBe(
      "config.participants[0].config.workbench[0].config.tools[0]: the google_search base URL is not a URL: not a url",
    );
  });
});

/** The replies that take the Deep Research Team from the task to its report. */
function deepResearchScript(siteUrl: string, census: string, researcher: string) {
  return [
    chatReply({ content: "research_assistant" }),
    chatReply({
      toolCalls: [
        {
          id: "s1",
          name: "google_search",
          arguments: JSON.stringify({ query: "Kelp Bay otter census", num_results: 1 }),
        },
        { id: "f1", name: "fetch_webpage", arguments: JSON.stringify({ url: `${siteUrl}/kelp` }) },
      ],
    }),
    chatReply({ content: "verifier" }),
    chatReply({
      content: "Progress Assessment: the count and the lead researcher are both sourced. APPROVED",
    }),
    chatReply({ content: "summary_agent" }),
    chatReply({
      content: `# Kelp Bay otter census\n\nThe spring census counted ${census} sea otters; it was led by ${researcher}.\n\n## References\n- ${siteUrl}/otters\n- ${siteUrl}/kelp\n\nTERMINATE`,
    }),
  ];
}

type Body = { messages: { role: string; content: unknown }[] };

describe("Deep Research Team on loopback", () => {
  it("searches through the loopback search server, fetches the pages, and reports their facts", async () => {
    const beforeModel = models.requests.length;
    const beforeSearch = search.requests.length;
    const beforeSite = site.requests.length;
    models.enqueue(...deepResearchScript(site.url, facts.census, facts.researcher));
    const research = await loadComponent<TaskRunner & { close(): Promise<void> }>(
      team("Deep Research Team"),
      options(),
    );
    let result: TaskResult;
    try {
      result = await research.run({
        task: "How many sea otters did the Kelp Bay census count, and who led it?",
      });
    } finally {
      await research.close();
    }
    expect(result.stopReason).toMatch(/TERMINATE/);
    expect(models.pending()).toBe(0);
    // The search reached the loopback search server, in Google's format, with the model's query.
    const searches = search.requests.slice(beforeSearch);
    expect(searches.map((r) => [r.url.pathname, r.url.searchParams.get("q")])).toEqual([
      ["/customsearch/v1", "Kelp Bay otter census"],
    ]);
    // The result page (for the search's content) and the fetched page were read from the site.
    expect(
      site.requests
        .slice(beforeSite)
        .map((r) => r.url.pathname)
        .sort(),
    ).toEqual(["/kelp", "/otters"]);
    const said = result.messages.filter((m) => m.type !== "SelectSpeakerEvent");
    const summary = said.find((m) => m.type === "ToolCallSummaryMessage")!;
    expect(summary.source).toBe("research_assistant");
    expect(summary.toText()).toContain(`counted ${facts.census} sea otters`);
    expect(summary.toText()).toContain(`led by ${facts.researcher}`);
    // The summary agent's model was shown the facts from the pages, and its report carries them.
    const requests = models.requests.slice(beforeModel).map((r) => r.body as Body);
    expect(requests).toHaveLength(6);
    const shown = JSON.stringify(requests[5]!.messages);
    expect(shown).toContain(`counted ${facts.census} sea otters`);
    expect(shown).toContain(facts.researcher);
    const last = said.at(-1)!;
    expect(last.source).toBe("summary_agent");
    expect(last.toText()).toContain(`counted ${facts.census} sea otters`);
    expect(last.toText()).toContain(facts.researcher);
    // The selector read the gallery's own prompt, and the research assistant was offered the tools.
    expect(JSON.stringify(requests[0]!.messages)).toContain("You are coordinating a research team");
    const offered = (models.requests[beforeModel + 1]!.body as { tools: { function: { name: string } }[] })
      .tools;
    expect(offered.map((t) => t.function.name)).toEqual(["google_search", "fetch_webpage"]);
  });

  it("runs through autogen-ts run as a child process, the search base URL from the environment", async () => {
    const dir = await mkdtemp(join(tmpdir(), "gallery-teams-"));
    const beforeSearch = search.requests.length;
    models.enqueue(...deepResearchScript(site.url, facts.census, facts.researcher));
    try {
      const output = join(dir, "result.json");
      const run = await cli(
        [
          "run",
          GALLERY_PATH,
          "--component",
          "Deep Research Team",
          "--task",
          "How many sea otters did the Kelp Bay census count?",
          "--base-url",
          `${models.url}/v1`,
          "--allow-code",
          "--allow-private-addresses",
          "--output",
          output,
        ],
        env(),
      );
      expect(run.stderr).toBe("");
      expect(run.code).toBe(0);
      expect(run.stdout).toContain(`counted ${facts.census} sea otters`);
      expect(models.pending()).toBe(0);
      const searches = search.requests.slice(beforeSearch);
      expect(searches.map((r) => r.url.searchParams.get("q"))).toEqual(["Kelp Bay otter census"]);
      const record = JSON.parse(await readFile(output, "utf8")) as {
        stop_reason: string;
        messages: { source: string; content: unknown }[];
      };
      expect(record.stop_reason).toMatch(/TERMINATE/);
      expect(record.messages.at(-1)!.source).toBe("summary_agent");
      expect(JSON.stringify(record.messages)).toContain(`led by ${facts.researcher}`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("through the CLI, loopback pages stay refused without --allow-private-addresses", async () => {
    models.enqueue(...deepResearchScript(site.url, facts.census, facts.researcher));
    const dir = await mkdtemp(join(tmpdir(), "gallery-teams-"));
    try {
      const output = join(dir, "result.json");
      const run = await cli(
        [
          "run",
          GALLERY_PATH,
          "--component",
          "Deep Research Team",
          "--task",
          "How many sea otters?",
          "--base-url",
          `${models.url}/v1`,
          "--allow-code",
          "--output",
          output,
        ],
        env(),
      );
      expect(run.code).toBe(0);
      expect(models.pending()).toBe(0);
      const record = JSON.parse(await readFile(output, "utf8")) as {
        messages: { type: string; source: string; content: unknown }[];
      };
      const summary = record.messages.find((m) => m.type === "ToolCallSummaryMessage")!;
      expect(String(summary.content)).toMatch(/Error fetching content: .*127\.0\.0\.1/);
      expect(String(summary.content)).not.toContain(facts.researcher);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("autogen-ts run --python-web-tools", () => {
  it("keeps the gallery's Python: the search runs in Python, and never reaches the search server", async () => {
    const beforeSearch = search.requests.length;
    models.enqueue(
      chatReply({ content: "research_assistant" }),
      chatReply({
        toolCalls: [{ id: "s1", name: "google_search", arguments: JSON.stringify({ query: "otters" }) }],
      }),
      chatReply({ content: "summary_agent" }),
      chatReply({ content: "The search failed. TERMINATE" }),
    );
    const dir = await mkdtemp(join(tmpdir(), "gallery-teams-"));
    try {
      const output = join(dir, "result.json");
      // No Google key: the Python tool stops before any request whether or not httpx is installed.
      const run = await cli(
        [
          "run",
          GALLERY_PATH,
          "--component",
          "Deep Research Team",
          "--task",
          "How many sea otters?",
          "--base-url",
          `${models.url}/v1`,
          "--allow-code",
          "--python-web-tools",
          "--output",
          output,
        ],
        { ...env(), GOOGLE_API_KEY: "" },
      );
      expect(run.code).toBe(0);
      expect(models.pending()).toBe(0);
      expect(search.requests.length).toBe(beforeSearch);
      const record = JSON.parse(await readFile(output, "utf8")) as {
        messages: { type: string; content: unknown }[];
      };
      const summary = String(record.messages.find((m) => m.type === "ToolCallSummaryMessage")!.content);
      expect(summary).toMatch(
        /ModuleNotFoundError: No module named 'httpx'|ValueError: Missing required environment variables/,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

function cli(args: string[], extraEnv: Record<string, string>) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(
      process.execPath,
      ["--conditions", "@autogen-ts/source", "--import", "tsx", CLI_BIN, ...args],
      {
        env: { ...process.env, NO_COLOR: "1", ...extraEnv } as NodeJS.ProcessEnv,
      },
    );
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

describe.skipIf(!available)("Web Agent Team (Operator) in headless Chromium", () => {
  it("the web surfer opens and reads a loopback page; the assistant answers with its fact and TERMINATE", async () => {
    const doc = team("Web Agent Team (Operator)");
    const beforeModel = models.requests.length;
    const beforeSite = site.requests.length;
    models.enqueue(
      chatReply({ content: "websurfer_agent" }),
      chatReply({
        toolCalls: [
          { id: "v1", name: "visit_url", arguments: JSON.stringify({ url: `${site.url}/otters` }) },
        ],
      }),
      chatReply({ toolCalls: [{ id: "r1", name: "read_page", arguments: "{}" }] }),
      chatReply({ content: `The Kelp Bay census counted ${facts.census} sea otters.` }),
      chatReply({ content: "assistant_agent" }),
      chatReply({
        content: `Verified on the census page: ${facts.census} sea otters were counted in Kelp Bay. TERMINATE`,
      }),
    );
    const operator = await loadComponent<TaskRunner & { close(): Promise<void> }>(
      doc,
      options({
        // Every model client on the scripted server, and the surfer starting on the loopback site instead of Bing.
        transform: (c) =>
          c.component_type === "model"
            ? { ...c, config: { ...c.config, base_url: `${models.url}/v1` } }
            : c.provider === "autogen_ext.agents.web_surfer.MultimodalWebSurfer"
              ? { ...c, config: { ...c.config, start_page: `${site.url}/` } }
              : c,
      }),
    );
    let result: TaskResult;
    try {
      result = await operator.run({ task: "How many sea otters did the Kelp Bay census count?" });
    } finally {
      await operator.close();
    }
    expect(result.stopReason).toMatch(/TERMINATE/);
    expect(models.pending()).toBe(0);
    // Chromium loaded the start page and then the census page.
    expect(site.requests.slice(beforeSite).map((r) => r.url.pathname)).toEqual(
      expect.arrayContaining(["/", "/otters"]),
    );
    // read_page ran in the browser and its text, with the fact, went to the surfer's model.
    const execution = result.messages
      .filter((m) => m.type === "ToolCallExecutionEvent")
      .map((m) => m.toText());
    expect(execution).toHaveLength(2);
    expect(execution[0]).toContain(`Opened ${site.url}/otters`);
    expect(execution[1]).toContain(`counted ${facts.census} sea otters`);
    const requests = models.requests.slice(beforeModel).map((r) => r.body as Body);
    expect(requests).toHaveLength(6);
    const toolMessages = requests[3]!.messages.filter((m) => m.role === "tool");
    expect(JSON.stringify(toolMessages)).toContain(`counted ${facts.census} sea otters`);
    // The surfer's answer names the page it is on; the assistant's model saw it, and closed the run.
    const said = result.messages.filter((m) => m.type !== "SelectSpeakerEvent");
    expect(said.map((m) => m.source)).toEqual([
      "user",
      "websurfer_agent",
      "websurfer_agent",
      "websurfer_agent",
      "websurfer_agent",
      "websurfer_agent",
      "assistant_agent",
    ]);
    expect(said[5]!.toText()).toContain(`Current page: Kelp Bay otter census (${site.url}/otters)`);
    expect(JSON.stringify(requests[5]!.messages)).toContain(`counted ${facts.census} sea otters`);
    expect(said.at(-1)!.toText()).toContain(`${facts.census} sea otters`);
    // The selector read the gallery's prompt; the second time the surfer was no candidate (no repeats).
    expect(JSON.stringify(requests[0]!.messages)).toContain("You are the cordinator of role play game.");
    expect(JSON.stringify(requests[4]!.messages)).toContain("[assistant_agent, user_proxy]");
  });
});
