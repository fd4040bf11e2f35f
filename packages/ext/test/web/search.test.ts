/**
 * The web search providers against loopback servers answering in each provider's own format: results,
 * the request each provider sends (path, query, auth header), errors and rate limits as readable error
 * results with the key nowhere in them.
 */
import { ToolError, toolResultText } from "@autogen-ts/core";
import {
  BingSearch,
  BraveSearch,
  GoogleSearch,
  SearxngSearch,
  TavilySearch,
  type WebSearchProvider,
  WebSearchTool,
} from "@autogen-ts/ext/tools/web-search";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { json, type LoopbackServer, startServer } from "./support.js";

const KEY = "sk-test-SECRET-0123456789";
const env = {
  TAVILY_API_KEY: KEY,
  BRAVE_API_KEY: KEY,
  BING_SEARCH_KEY: KEY,
  GOOGLE_API_KEY: KEY,
  GOOGLE_CSE_ID: "cse-42",
  SEARXNG_API_KEY: KEY,
};

let server: LoopbackServer;
/** What the next request answers: "ok", "rate", "auth" or "bad". */
let mode: "ok" | "rate" | "auth" | "bad" = "ok";

beforeAll(async () => {
  server = await startServer({
    "/search": (req, res, body) => {
      if (req.method === "POST") {
        // Tavily
        if (mode === "rate")
          return json(res, 429, { detail: { error: "Rate limit exceeded. Please slow down." } });
        if (mode === "auth")
          return json(res, 401, { detail: { error: "Unauthorized: missing or invalid API key." } });
        const { query, max_results } = JSON.parse(body) as { query: string; max_results: number };
        return json(res, 200, {
          query,
          answer: null,
          images: [],
          results: Array.from({ length: max_results }, (_, i) => ({
            title: `Tavily hit ${i + 1}`,
            url: `https://example.org/t${i + 1}`,
            content: `About ${query}, part ${i + 1}.`,
            score: 0.9 - i * 0.1,
            raw_content: null,
          })),
          response_time: 0.42,
        });
      }
      // SearXNG
      if (mode === "rate")
        return res.writeHead(429, { "content-type": "text/plain" }).end("Too Many Requests");
      if (mode === "auth")
        return res.writeHead(403, { "content-type": "text/html" }).end("<h1>403 Forbidden</h1>");
      const q = new URL(req.url ?? "/", "http://x").searchParams.get("q");
      return json(res, 200, {
        query: q,
        number_of_results: 0,
        results: [
          {
            url: "https://searx.example/a",
            title: "Searx A",
            content: `First about ${q}`,
            engine: "duckduckgo",
            engines: ["duckduckgo"],
            score: 2,
            category: "general",
          },
          {
            url: "https://searx.example/b",
            title: "Searx B",
            content: "Second",
            engine: "brave",
            engines: ["brave"],
            score: 1,
            category: "general",
          },
        ],
        answers: [],
        corrections: [],
        infoboxes: [],
        suggestions: [],
        unresponsive_engines: [],
      });
    },
    "/res/v1/web/search": (req, res) => {
      if (mode === "rate") {
        return json(
          res,
          429,
          {
            type: "ErrorResponse",
            error: {
              id: "e1",
              status: 429,
              code: "RATE_LIMITED",
              detail: "Request rate limit exceeded for plan.",
              meta: { plan: "Free", rate_limit: 1 },
            },
            time: 1700000000,
          },
          { "retry-after": "1" },
        );
      }
      if (mode === "auth") {
        return json(res, 422, {
          type: "ErrorResponse",
          error: {
            id: "e2",
            status: 422,
            code: "SUBSCRIPTION_TOKEN_INVALID",
            detail: `The provided subscription token ${req.headers["x-subscription-token"]} is invalid.`,
          },
          time: 1700000000,
        });
      }
      const q = new URL(req.url ?? "/", "http://x").searchParams.get("q");
      return json(res, 200, {
        type: "search",
        query: { original: q, more_results_available: true },
        mixed: { type: "mixed", main: [{ type: "web", index: 0, all: false }] },
        web: {
          type: "search",
          results: [
            {
              title: "Brave <strong>one</strong>",
              url: "https://brave.example/1",
              description: `All about <strong>${q}</strong> &amp; more`,
              type: "search_result",
              language: "en",
              family_friendly: true,
            },
          ],
          family_friendly: true,
        },
      });
    },
    "/v7.0/search": (req, res) => {
      if (mode === "rate")
        return json(res, 429, {
          error: { code: "429", message: "Rate limit is exceeded. Try again in 1 seconds." },
        });
      if (mode === "auth") {
        return json(res, 401, {
          error: {
            code: "401",
            message:
              "Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource.",
          },
        });
      }
      if (mode === "bad") {
        return json(res, 400, {
          _type: "ErrorResponse",
          errors: [
            {
              code: "InvalidRequest",
              subCode: "ParameterMissing",
              message: "Required parameter is missing.",
              parameter: "q",
            },
          ],
        });
      }
      const q = new URL(req.url ?? "/", "http://x").searchParams.get("q");
      return json(res, 200, {
        _type: "SearchResponse",
        queryContext: { originalQuery: q },
        webPages: {
          webSearchUrl: `https://www.bing.com/search?q=${q}`,
          totalEstimatedMatches: 2,
          value: [
            {
              id: "https://api.bing.microsoft.com/api/v7/#WebPages.0",
              name: "Bing first",
              url: "https://bing.example/1",
              isFamilyFriendly: true,
              displayUrl: "bing.example/1",
              snippet: `Snippet about ${q}.`,
              language: "en",
            },
            {
              id: "https://api.bing.microsoft.com/api/v7/#WebPages.1",
              name: "Bing second",
              url: "https://bing.example/2",
              displayUrl: "bing.example/2",
              snippet: "Another.",
            },
          ],
        },
        rankingResponse: {
          mainline: {
            items: [
              {
                answerType: "WebPages",
                resultIndex: 0,
                value: { id: "https://api.bing.microsoft.com/api/v7/#WebPages.0" },
              },
            ],
          },
        },
      });
    },
    "/customsearch/v1": (req, res) => {
      const params = new URL(req.url ?? "/", "http://x").searchParams;
      if (mode === "rate") {
        return json(res, 429, {
          error: {
            code: 429,
            message:
              "Quota exceeded for quota metric 'Queries' and limit 'Queries per day' of service 'customsearch.googleapis.com' for consumer 'project_number:1'.",
            errors: [{ message: "Quota exceeded", domain: "global", reason: "rateLimitExceeded" }],
            status: "RESOURCE_EXHAUSTED",
          },
        });
      }
      if (mode === "auth") {
        return json(res, 400, {
          error: {
            code: 400,
            message: `API key not valid. Please pass a valid API key. (key=${params.get("key")})`,
            errors: [{ message: "API key not valid.", domain: "global", reason: "badRequest" }],
            status: "INVALID_ARGUMENT",
          },
        });
      }
      return json(res, 200, {
        kind: "customsearch#search",
        queries: {
          request: [{ title: "Google Custom Search", searchTerms: params.get("q"), count: 1, startIndex: 1 }],
        },
        searchInformation: {
          searchTime: 0.2,
          formattedSearchTime: "0.20",
          totalResults: "1",
          formattedTotalResults: "1",
        },
        items: [
          {
            kind: "customsearch#result",
            title: "Google hit",
            htmlTitle: "<b>Google</b> hit",
            link: "https://google.example/x",
            displayLink: "google.example",
            snippet: `Google snippet for ${params.get("q")}`,
            htmlSnippet: "...",
          },
        ],
      });
    },
  });
});

afterAll(async () => {
  await server.close();
});

function providers(): Record<string, WebSearchProvider> {
  return {
    tavily: new TavilySearch({ baseUrl: server.url, env }),
    brave: new BraveSearch({ baseUrl: server.url, env }),
    bing: new BingSearch({ baseUrl: server.url, env }),
    google: new GoogleSearch({ baseUrl: server.url, env }),
    searxng: new SearxngSearch({ instanceUrl: server.url, env }),
  };
}

describe("web search providers", () => {
  it("Tavily posts the query with a bearer key and reads results", async () => {
    mode = "ok";
    const results = await providers().tavily!.search("typescript agents", { numResults: 2 });
    expect(results).toEqual([
      { title: "Tavily hit 1", url: "https://example.org/t1", snippet: "About typescript agents, part 1." },
      { title: "Tavily hit 2", url: "https://example.org/t2", snippet: "About typescript agents, part 2." },
    ]);
    const req = server.requests.at(-1)!;
    expect(req.method).toBe("POST");
    expect(req.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(JSON.parse(req.body)).toMatchObject({
      query: "typescript agents",
      max_results: 2,
      search_depth: "basic",
    });
  });

  it("Brave sends X-Subscription-Token and strips the highlight tags", async () => {
    mode = "ok";
    const results = await providers().brave!.search("nodejs", { numResults: 3 });
    expect(results).toEqual([
      { title: "Brave one", url: "https://brave.example/1", snippet: "All about nodejs & more" },
    ]);
    const req = server.requests.at(-1)!;
    expect(req.headers["x-subscription-token"]).toBe(KEY);
    expect(req.url.searchParams.get("count")).toBe("3");
  });

  it("Bing sends Ocp-Apim-Subscription-Key and reads webPages.value", async () => {
    mode = "ok";
    const results = await providers().bing!.search("vitest");
    expect(results.map((r) => r.title)).toEqual(["Bing first", "Bing second"]);
    expect(results[0]!.snippet).toBe("Snippet about vitest.");
    const req = server.requests.at(-1)!;
    expect(req.headers["ocp-apim-subscription-key"]).toBe(KEY);
    expect(req.url.searchParams.get("q")).toBe("vitest");
  });

  it("Google passes key and cx in the query and caps num at 10", async () => {
    mode = "ok";
    const results = await providers().google!.search("zod", { numResults: 50 });
    expect(results).toEqual([
      { title: "Google hit", url: "https://google.example/x", snippet: "Google snippet for zod" },
    ]);
    const params = server.requests.at(-1)!.url.searchParams;
    expect(params.get("key")).toBe(KEY);
    expect(params.get("cx")).toBe("cse-42");
    expect(params.get("num")).toBe("10");
  });

  it("SearXNG asks for format=json and keeps the requested count", async () => {
    mode = "ok";
    const results = await providers().searxng!.search("linux", { numResults: 1 });
    expect(results).toEqual([
      { title: "Searx A", url: "https://searx.example/a", snippet: "First about linux" },
    ]);
    const req = server.requests.at(-1)!;
    expect(req.url.searchParams.get("format")).toBe("json");
    expect(req.headers.authorization).toBe(`Bearer ${KEY}`);
  });

  for (const name of ["tavily", "brave", "bing", "google", "searxng"]) {
    it(`${name}: a rate limit is a rate_limited ToolError without the key`, async () => {
      mode = "rate";
      const error = await providers()
        [name]!.search("q")
        .catch((e: unknown) => e);
      expect(ToolError.isInstance(error)).toBe(true);
      expect((error as ToolError).code).toBe("rate_limited");
      expect((error as Error).message).toMatch(/rate limit/i);
      expect((error as Error).message).not.toContain(KEY);
    });

    it(`${name}: a rejected key is a provider_error naming the provider, without the key`, async () => {
      mode = "auth";
      const error = await providers()
        [name]!.search("q")
        .catch((e: unknown) => e);
      expect(ToolError.isInstance(error)).toBe(true);
      expect((error as ToolError).code).toBe("provider_error");
      expect((error as Error).message).toMatch(/HTTP 4\d\d/);
      expect((error as Error).message).not.toContain(KEY);
      expect(JSON.stringify(error)).not.toContain(KEY);
    });
  }

  it("Google's error text echoing the key is redacted", async () => {
    mode = "auth";
    const error = (await providers()
      .google!.search("q")
      .catch((e: unknown) => e)) as Error;
    expect(error.message).toContain("API key not valid");
    expect(error.message).toContain("key=***");
  });

  it("Bing's API error body is read into the message", async () => {
    mode = "bad";
    const error = (await providers()
      .bing!.search("q")
      .catch((e: unknown) => e)) as Error;
    expect(error.message).toBe("Bing answered HTTP 400: InvalidRequest: Required parameter is missing.");
  });

  it("a missing key names the variable", async () => {
    const error = (await new BraveSearch({ baseUrl: server.url, env: {} })
      .search("q")
      .catch((e: unknown) => e)) as ToolError;
    expect(ToolError.isInstance(error)).toBe(true);
    expect(error.message).toMatch(/BRAVE_API_KEY/);
    const searx = (await new SearxngSearch({ env: {} }).search("q").catch((e: unknown) => e)) as Error;
    expect(searx.message).toMatch(/SEARXNG_URL/);
  });

  it("an unreachable server is a readable provider_error", async () => {
    const closed = await startServer();
    const url = closed.url;
    await closed.close();
    const error = (await new TavilySearch({ baseUrl: url, env })
      .search("q")
      .catch((e: unknown) => e)) as ToolError;
    expect(error.code).toBe("provider_error");
    expect(error.message).toMatch(/could not be reached/);
  });

  it("a server that never answers hits the time limit", async () => {
    server.route("/slow/search", () => {
      // never answers
    });
    const error = (await new SearxngSearch({ instanceUrl: `${server.url}/slow/`, env, timeoutMs: 200 })
      .search("q")
      .catch((e: unknown) => e)) as ToolError;
    expect(error.code).toBe("timeout");
  });
});

describe("WebSearchTool", () => {
  it("returns a numbered list for the model", async () => {
    mode = "ok";
    const tool = new WebSearchTool({ provider: providers().bing! });
    expect(tool.schema.name).toBe("web_search");
    const result = await tool.call({ query: "vitest", num_results: 2 });
    expect(result.isError).toBe(false);
    expect(toolResultText(result)).toBe(
      'Results for "vitest":\n\n1. [Bing first](https://bing.example/1)\n   Snippet about vitest.\n2. [Bing second](https://bing.example/2)\n   Another.',
    );
  });

  it("turns a rate limit into an error result the model reads", async () => {
    mode = "rate";
    const result = await new WebSearchTool({ provider: providers().brave! }).call('{"query":"x"}');
    expect(result.isError).toBe(true);
    expect(toolResultText(result)).toMatch(
      /Brave Search rate limit reached \(HTTP 429\).*RATE_LIMITED.*retry after 1 s/,
    );
    expect(toolResultText(result)).not.toContain(KEY);
  });

  it("rejects a call without a query as an error result", async () => {
    const result = await new WebSearchTool({ provider: providers().bing! }).call({});
    expect(result.isError).toBe(true);
    expect(toolResultText(result)).toMatch(/query/);
  });
});
