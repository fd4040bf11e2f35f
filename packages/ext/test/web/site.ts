/**
 * A small website served from loopback for the browser tests: links, a form, a page that needs
 * scrolling, a download, and a search page.
 */
import { makePdf } from "./fixtures.js";
import { html, type LoopbackServer, startServer } from "./support.js";

const page = (title: string, body: string) =>
  `<!doctype html><html><head><title>${title}</title><style>body{font:16px sans-serif;margin:20px;background:#fff}a,button,input{display:inline-block;margin:8px}</style></head><body>${body}</body></html>`;

/** Starts the site. */
export async function startSite(): Promise<LoopbackServer> {
  const server = await startServer({
    "/": (_req, res) =>
      html(
        res,
        page(
          "Test home",
          `<h1>Welcome</h1><p>A small site for browser tests.</p>
<nav><a href="/article">Otter article</a><a href="/form">Weather form</a><a href="/long">Long page</a><a href="/report.pdf" download>Download report</a></nav>`,
        ),
      ),
    "/article": (_req, res) =>
      html(
        res,
        page(
          "Otters",
          `<article><h1>Sea otters</h1><p>Sea otters hold hands while they sleep. ${"They live in the North Pacific. ".repeat(10)}</p><p>An adult eats about a quarter of its weight each day.</p></article><a href="/">Home</a>`,
        ),
      ),
    "/form": (_req, res) =>
      html(
        res,
        page(
          "Weather form",
          `<h1>Weather</h1><form action="/result" method="get"><label for="city">City</label><input id="city" name="city" placeholder="City name"><button type="submit">Look up</button></form>`,
        ),
      ),
    "/result": (req, res) => {
      const city = new URL(req.url ?? "/", "http://x").searchParams.get("city") ?? "";
      const safe = city.replace(/[<>&"]/g, "");
      html(
        res,
        page("Weather result", `<h1>Weather in ${safe}: sunny, 21 °C</h1><a href="/form">Another city</a>`),
      );
    },
    "/long": (_req, res) =>
      html(
        res,
        page(
          "Long page",
          `<h1>Scroll down</h1>${Array.from({ length: 40 }, (_, i) => `<p>Filler paragraph ${i + 1}.</p>`).join("")}<a href="/treasure">Hidden treasure</a>`,
        ),
      ),
    "/treasure": (_req, res) =>
      html(res, page("Treasure", `<h1>You found it</h1><p>The treasure code is 4242.</p>`)),
    "/report.pdf": (_req, res) =>
      res
        .writeHead(200, {
          "content-type": "application/pdf",
          "content-disposition": 'attachment; filename="report.pdf"',
        })
        .end(makePdf([["Quarterly report", "Revenue grew 12 percent"]])),
    "/search": (req, res) => {
      const q = new URL(req.url ?? "/", "http://x").searchParams.get("q") ?? "";
      html(
        res,
        page(
          `Search: ${q.replace(/[<>&"]/g, "")}`,
          `<h1>Results</h1><a href="/article">Sea otters - article</a>`,
        ),
      );
    },
  });
  return server;
}
