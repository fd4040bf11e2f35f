/**
 * Loopback fixtures for the gallery team tests: a small research site whose pages carry facts generated
 * for each run (so an answer that carries one can only have read it from the page), and a search server
 * answering in Google's Custom Search JSON format and in Bing's Web Search v7 format, with links to the
 * site's pages.
 */
import { randomBytes } from "node:crypto";
import { html, json, type LoopbackServer, startServer } from "./support.js";

/** Facts the site serves, fresh for each run. */
export interface SiteFacts {
  /** The number of otters in the fictional Kelp Bay census, only on /otters. */
  readonly census: string;
  /** The name of the census's lead researcher, only on /kelp. */
  readonly researcher: string;
}

/** Makes facts nobody can guess. */
export function freshFacts(): SiteFacts {
  const n = 1000 + (randomBytes(2).readUInt16BE(0) % 9000);
  return { census: String(n), researcher: `Dr. Ada ${randomBytes(3).toString("hex").toUpperCase()}` };
}

const page = (title: string, body: string) =>
  `<!doctype html><html><head><title>${title}</title><style>body{font:16px sans-serif;margin:20px}a{display:inline-block;margin:8px}</style><script>window.ignored = "script text is not content";</script></head><body>${body}</body></html>`;

/** Starts the research site: `/` (links), `/otters` (the census), `/kelp` (the researcher). */
export function startResearchSite(facts: SiteFacts): Promise<LoopbackServer> {
  return startServer({
    "/": (_req, res) =>
      html(
        res,
        page(
          "Kelp Bay Institute",
          `<h1>Kelp Bay Institute</h1><p>Field notes from the bay.</p><nav><a href="/otters">Otter census</a><a href="/kelp">Kelp forest survey</a></nav>`,
        ),
      ),
    "/otters": (_req, res) =>
      html(
        res,
        page(
          "Kelp Bay otter census",
          `<article><h1>Kelp Bay otter census</h1><p>The spring census counted ${facts.census} sea otters in Kelp Bay.</p><p>${"Otters rest in rafts among the kelp. ".repeat(8)}</p><p>Counts are made from the cliffs at dawn.</p></article><a href="/">Home</a>`,
        ),
      ),
    "/kelp": (_req, res) =>
      html(
        res,
        page(
          "Kelp forest survey",
          `<article><h1>Kelp forest survey</h1><p>The census was led by ${facts.researcher}, who has studied the bay for ten years.</p><p>${"The kelp canopy grew this year. ".repeat(8)}</p><img src="/canopy.png" alt="Kelp canopy"></article>`,
        ),
      ),
  });
}

/**
 * Starts a search server: `GET /customsearch/v1` in Google's format (it checks `key` and `cx`) and
 * `GET /v7.0/search` in Bing's (it checks `Ocp-Apim-Subscription-Key`). Both return the site's two pages.
 */
export function startSearchServer(siteUrl: string, keys: { google: string; bing: string }) {
  const hits = [
    {
      title: "Kelp Bay otter census",
      url: `${siteUrl}/otters`,
      snippet: "The spring census of sea otters in Kelp Bay.",
    },
    { title: "Kelp forest survey", url: `${siteUrl}/kelp`, snippet: "Who led the census, and the kelp." },
  ];
  return startServer({
    "/customsearch/v1": (req, res) => {
      const q = new URL(req.url ?? "/", "http://x").searchParams;
      if (q.get("key") !== keys.google) {
        json(res, 400, { error: { code: 400, message: "API key not valid.", status: "INVALID_ARGUMENT" } });
        return;
      }
      const num = Number(q.get("num") ?? "10");
      json(res, 200, {
        kind: "customsearch#search",
        queries: { request: [{ searchTerms: q.get("q"), count: num }] },
        items: hits.slice(0, num).map((h) => ({
          kind: "customsearch#result",
          title: h.title,
          link: h.url,
          displayLink: new URL(h.url).host,
          snippet: h.snippet,
        })),
      });
    },
    "/v7.0/search": (req, res) => {
      if (req.headers["ocp-apim-subscription-key"] !== keys.bing) {
        json(res, 401, { error: { code: "401", message: "Access denied due to invalid subscription key." } });
        return;
      }
      const q = new URL(req.url ?? "/", "http://x").searchParams;
      const count = Number(q.get("count") ?? "10");
      json(res, 200, {
        _type: "SearchResponse",
        queryContext: { originalQuery: q.get("q") },
        webPages: {
          totalEstimatedMatches: hits.length,
          value: hits.slice(0, count).map((h, i) => ({
            id: `https://api.bing.microsoft.com/api/v7/#WebPages.${i}`,
            name: h.title,
            url: h.url,
            snippet: h.snippet,
          })),
        },
      });
    },
  });
}
