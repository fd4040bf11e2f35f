/**
 * The fetch tool against a loopback site: HTML to Markdown with the main content only, redirects (capped,
 * each hop checked), text/JSON/PDF, size and time limits, and the SSRF guard refusing loopback, private
 * and link-local addresses by IP literal, by host name (resolved), and behind a redirect.
 */
import { gzipSync } from "node:zlib";
import { ToolError, toolResultText } from "@autogen-ts/core";
import { FetchTool, fetchUrl, isPrivateAddress } from "@autogen-ts/ext/tools/fetch";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makePdf } from "./fixtures.js";
import { html, json, type LoopbackServer, startServer } from "./support.js";

const ARTICLE = `<!doctype html><html><head><title>Otters | Wildlife</title><script>var tracking = 1;</script></head>
<body><nav><a href="/">Home</a> <a href="/about">About</a> menu menu menu</nav>
<main><article><h1>Sea otters</h1>
<p>Sea otters hold hands while they sleep so that they do not drift apart. ${"They live along the coasts of the North Pacific. ".repeat(8)}</p>
<h2>Food</h2><ul><li>Sea urchins</li><li>Crabs</li></ul>
<p>Read <a href="/more">more about otters</a>.</p></article></main>
<footer>Copyright footer text</footer></body></html>`;

let server: LoopbackServer;
/** Allows only the loopback IP literal 127.0.0.1, as the tests' site is there; nothing else private. */
const onlyTestServer = (address: string, host: string) => address === "127.0.0.1" && host === "127.0.0.1";

beforeAll(async () => {
  server = await startServer({
    "/article": (_req, res) => html(res, ARTICLE),
    "/gzip": (_req, res) => {
      res.writeHead(200, { "content-type": "text/html", "content-encoding": "gzip" }).end(gzipSync(ARTICLE));
    },
    "/redirect": (_req, res) => res.writeHead(302, { location: "/article" }).end(),
    "/loop": (_req, res) => res.writeHead(301, { location: "/loop" }).end(),
    "/notes.txt": (_req, res) =>
      res.writeHead(200, { "content-type": "text/plain; charset=utf-8" }).end("plain notes ✓"),
    "/data.json": (_req, res) => json(res, 200, { otters: 3, names: ["a", "b"] }),
    "/report.pdf": (_req, res) =>
      res
        .writeHead(200, { "content-type": "application/pdf" })
        .end(makePdf([["Otter census 2024", "Total: 3,000"]])),
    "/image.png": (_req, res) => res.writeHead(200, { "content-type": "image/png" }).end(Buffer.alloc(64)),
    "/big.txt": (_req, res) => res.writeHead(200, { "content-type": "text/plain" }).end("x".repeat(100_000)),
    "/missing": (_req, res) => res.writeHead(404, { "content-type": "text/html" }).end("<h1>Not found</h1>"),
    "/slow": () => {
      // never answers
    },
  });
  server.route("/to-localhost", (_req, res) =>
    res.writeHead(302, { location: `http://localhost:${server.port}/article` }).end(),
  );
  server.route("/to-other-loopback", (_req, res) =>
    res.writeHead(307, { location: `http://127.0.0.2:${server.port}/article` }).end(),
  );
  server.route("/to-metadata", (_req, res) =>
    res.writeHead(302, { location: "http://169.254.169.254/latest/meta-data/" }).end(),
  );
  server.route("/to-file", (_req, res) => res.writeHead(302, { location: "file:///etc/passwd" }).end());
});

afterAll(async () => {
  await server.close();
});

describe("fetchUrl", () => {
  it("turns a page into Markdown of its main content with absolute links", async () => {
    const doc = await fetchUrl(`${server.url}/article`, { allowPrivateAddresses: true });
    expect(doc.status).toBe(200);
    expect(doc.contentType).toBe("text/html");
    expect(doc.title).toContain("Otters");
    expect(doc.markdown).toContain("Sea otters hold hands");
    expect(doc.markdown).toMatch(/^## Food$/m);
    expect(doc.markdown).toContain("- Sea urchins");
    expect(doc.markdown).toContain(`[more about otters](${server.url}/more)`);
    expect(doc.markdown).not.toContain("Copyright footer");
    expect(doc.markdown).not.toContain("tracking");
  });

  it("reads a gzip-encoded body", async () => {
    const doc = await fetchUrl(`${server.url}/gzip`, { allowPrivateAddresses: true });
    expect(doc.markdown).toContain("Sea otters hold hands");
  });

  it("follows redirects and reports the final URL", async () => {
    const doc = await fetchUrl(`${server.url}/redirect`, { allowPrivateAddresses: true });
    expect(doc.url).toBe(`${server.url}/article`);
    expect(doc.markdown).toContain("Sea otters");
  });

  it("caps redirects", async () => {
    const error = (await fetchUrl(`${server.url}/loop`, {
      allowPrivateAddresses: true,
      maxRedirects: 3,
    }).catch((e: unknown) => e)) as ToolError;
    expect(ToolError.isInstance(error)).toBe(true);
    expect(error.message).toMatch(/Too many redirects \(more than 3\)/);
  });

  it("passes text through, pretty-prints JSON and extracts PDF text", async () => {
    expect((await fetchUrl(`${server.url}/notes.txt`, { allowPrivateAddresses: true })).markdown).toBe(
      "plain notes ✓",
    );
    expect((await fetchUrl(`${server.url}/data.json`, { allowPrivateAddresses: true })).markdown).toBe(
      '```json\n{\n  "otters": 3,\n  "names": [\n    "a",\n    "b"\n  ]\n}\n```',
    );
    const pdf = await fetchUrl(`${server.url}/report.pdf`, { allowPrivateAddresses: true });
    expect(pdf.contentType).toBe("application/pdf");
    expect(pdf.markdown).toBe("Otter census 2024\nTotal: 3,000");
  });

  it("refuses a type it cannot read", async () => {
    const error = (await fetchUrl(`${server.url}/image.png`, { allowPrivateAddresses: true }).catch(
      (e: unknown) => e,
    )) as Error;
    expect(error.message).toMatch(/content type image\/png is neither text, HTML, JSON nor PDF/);
  });

  it("cuts a body at maxBytes and says so", async () => {
    const doc = await fetchUrl(`${server.url}/big.txt`, { allowPrivateAddresses: true, maxBytes: 1000 });
    expect(doc.truncated).toBe(true);
    expect(doc.markdown.length).toBe(1000);
  });

  it("reports an HTTP error status", async () => {
    const error = (await fetchUrl(`${server.url}/missing`, { allowPrivateAddresses: true }).catch(
      (e: unknown) => e,
    )) as Error;
    expect(error.message).toBe(`Fetching ${server.url}/missing failed with HTTP 404`);
  });

  it("gives up at the time limit", async () => {
    const error = (await fetchUrl(`${server.url}/slow`, {
      allowPrivateAddresses: true,
      timeoutMs: 300,
    }).catch((e: unknown) => e)) as ToolError;
    expect(error.code).toBe("timeout");
  });

  it("stops when cancelled", async () => {
    const controller = new AbortController();
    const pending = fetchUrl(`${server.url}/slow`, {
      allowPrivateAddresses: true,
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(), 50);
    const error = (await pending.catch((e: unknown) => e)) as ToolError;
    expect(error.code).toBe("cancelled");
  });

  it("refuses other schemes", async () => {
    const error = (await fetchUrl("file:///etc/passwd").catch((e: unknown) => e)) as Error;
    expect(error.message).toMatch(/Only http and https/);
  });
});

describe("SSRF guard", () => {
  it("classifies addresses", () => {
    for (const a of [
      "127.0.0.1",
      "10.0.0.5",
      "172.16.3.4",
      "192.168.1.1",
      "169.254.169.254",
      "100.64.0.1",
      "0.0.0.0",
      "::1",
      "::",
      "fd12::1",
      "fe80::1",
      "::ffff:127.0.0.1",
      "::ffff:a9fe:a9fe",
    ]) {
      expect(isPrivateAddress(a), a).toBe(true);
    }
    for (const a of ["8.8.8.8", "1.1.1.1", "172.32.0.1", "2606:4700:4700::1111", "::ffff:8.8.8.8"]) {
      expect(isPrivateAddress(a), a).toBe(false);
    }
  });

  it("refuses loopback by default, however the address is written", async () => {
    for (const target of [
      `${server.url}/article`,
      `http://localhost:${server.port}/article`,
      `http://[::1]:${server.port}/`,
      `http://[::ffff:127.0.0.1]:${server.port}/`,
      `http://2130706433:${server.port}/`,
      `http://0x7f.0.0.1:${server.port}/`,
      "http://169.254.169.254/latest/meta-data/",
      "http://10.0.0.1/",
    ]) {
      const error = (await fetchUrl(target, { timeoutMs: 5000 }).catch((e: unknown) => e)) as ToolError;
      expect(ToolError.isInstance(error), target).toBe(true);
      expect(error.message, target).toMatch(/^Refused to fetch .*private, loopback or reserved address/);
    }
    // Nothing reached the server.
    expect(
      server.requests.filter((r) => r.url.pathname === "/article" && r.headers.host?.startsWith("localhost")),
    ).toEqual([]);
  });

  it("checks the resolved address of a host name, not only the name", async () => {
    const error = (await fetchUrl(`http://localhost:${server.port}/article`, {
      allowPrivateAddresses: onlyTestServer,
    }).catch((e: unknown) => e)) as Error;
    expect(error.message).toMatch(/^Refused to fetch localhost \((127\.0\.0\.1|::1)\)/);
  });

  it("checks every redirect hop", async () => {
    const before = server.requests.length;
    for (const path of ["/to-localhost", "/to-other-loopback", "/to-metadata"]) {
      const error = (await fetchUrl(`${server.url}${path}`, { allowPrivateAddresses: onlyTestServer }).catch(
        (e: unknown) => e,
      )) as Error;
      expect(error.message, path).toMatch(/^Refused to fetch /);
    }
    // Only the first hop of each reached the server.
    expect(server.requests.slice(before).map((r) => r.url.pathname)).toEqual([
      "/to-localhost",
      "/to-other-loopback",
      "/to-metadata",
    ]);
    const file = (await fetchUrl(`${server.url}/to-file`, { allowPrivateAddresses: onlyTestServer }).catch(
      (e: unknown) => e,
    )) as Error;
    expect(file.message).toMatch(/Only http and https/);
  });

  it("lets the allowed server through under the same policy", async () => {
    const doc = await fetchUrl(`${server.url}/redirect`, { allowPrivateAddresses: onlyTestServer });
    expect(doc.markdown).toContain("Sea otters");
  });
});

describe("FetchTool", () => {
  it("returns the title, URL and Markdown to the model", async () => {
    const tool = new FetchTool({ allowPrivateAddresses: true });
    const result = await tool.call({ url: `${server.url}/article`, max_length: 200 });
    expect(result.isError).toBe(false);
    const text = toolResultText(result);
    expect(text).toMatch(/^# Otters/);
    expect(text).toContain(`URL: ${server.url}/article`);
    expect(text).toMatch(/…\(truncated\)$/);
  });

  it("shows a refused address as an error result", async () => {
    const result = await new FetchTool().call({ url: `${server.url}/article` });
    expect(result.isError).toBe(true);
    expect(toolResultText(result)).toMatch(/Refused to fetch 127\.0\.0\.1/);
  });
});
