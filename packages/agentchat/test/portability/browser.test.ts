/**
 * The built core and agentchat bundles run the portability scenario in headless Chromium: on a page
 * served from loopback that imports them through an import map, and on a page that is not a secure
 * context (`page.setContent` on about:blank, as a plain-http LAN address would be), where
 * `crypto.randomUUID` does not exist and core falls back to `crypto.getRandomValues`.
 */
import { readFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join, normalize } from "node:path";
import { CHROMIUM_ARGS } from "@autogen-ts/ext/agents/web-surfer";
import { build } from "esbuild";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requireService } from "../../../core/test/support/services.js";
import { CHROMIUM_PATH } from "../../../ext/test/web/support.js";
import { BUNDLE_URL, bundlesBuilt, expectScenario, ROOT, run, type ScenarioSummary } from "./support.js";

/** Files the static server may send: the bundles and the scenario, nothing else of the tree. */
const SERVED = [
  "packages/core/dist/bundle/",
  "packages/agentchat/dist/bundle/",
  "packages/agentchat/test/portability/",
];

/** The bundles' own dependencies, made into single ES modules as a CDN or a bundler would. */
const VENDORED = {
  "@cfworker/json-schema": "cfworker-json-schema.js",
  "@opentelemetry/api": "opentelemetry-api.js",
};

async function vendor(): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const [pkg, file] of Object.entries(VENDORED)) {
    const out = await build({
      stdin: { contents: `export * from "${pkg}";`, resolveDir: ROOT, loader: "js" },
      bundle: true,
      write: false,
      format: "esm",
      platform: "browser",
      target: "es2022",
      logLevel: "silent",
    });
    files.set(`/vendor/${file}`, out.outputFiles[0]!.text);
  }
  return files;
}

/** A loopback static server with CORS open, so an about:blank page may import from it. */
async function startStatic(vendored: Map<string, string>): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? "/", "http://127.0.0.1").pathname);
    const headers = { "content-type": "text/javascript; charset=utf-8", "access-control-allow-origin": "*" };
    const inMemory = vendored.get(path);
    if (inMemory !== undefined) return void res.writeHead(200, headers).end(inMemory);
    const relative = normalize(path).replace(/^\/+/, "");
    if (path.endsWith("/page.html")) {
      return void res
        .writeHead(200, { ...headers, "content-type": "text/html" })
        .end(pageHtml(`http://${req.headers.host}`));
    }
    if (!SERVED.some((prefix) => relative.startsWith(prefix)) || relative.includes("..")) {
      return void res.writeHead(404).end();
    }
    readFile(join(ROOT, relative)).then(
      (body) => res.writeHead(200, headers).end(body),
      () => res.writeHead(404).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

/** The page: an import map to the bundles, then the scenario; its outcome lands on `window.portability`. */
function pageHtml(base: string): string {
  const imports = {
    "@autogen-ts/core": `${base}/packages/core/dist/bundle/index.js`,
    "@autogen-ts/core/testing": `${base}/packages/core/dist/bundle/testing/index.js`,
    "@autogen-ts/agentchat": `${base}/packages/agentchat/dist/bundle/index.js`,
    ...Object.fromEntries(Object.entries(VENDORED).map(([pkg, file]) => [pkg, `${base}/vendor/${file}`])),
  };
  return `<!doctype html><html><head><title>portability</title>
<script type="importmap">${JSON.stringify({ imports })}</script>
<script type="module">
  const specifiers = ["@autogen-ts/core", "@autogen-ts/core/testing", "@autogen-ts/agentchat"];
  window.portability = import("${base}/packages/agentchat/test/portability/scenario.mjs")
    .then((m) => m.runScenario())
    .then(
      (summary) => ({ summary, resolved: specifiers.map((s) => import.meta.resolve(s)),
        secure: isSecureContext, randomUUID: typeof crypto.randomUUID }),
      (error) => ({ error: String(error && error.stack || error) }),
    );
</script></head><body></body></html>`;
}

interface PageOutcome {
  readonly summary?: ScenarioSummary;
  readonly resolved?: readonly string[];
  readonly secure?: boolean;
  readonly randomUUID?: string;
  readonly error?: string;
}

async function outcome(page: Page): Promise<PageOutcome> {
  await page.waitForFunction(() => "portability" in window);
  return page.evaluate(() => (window as unknown as { portability: Promise<PageOutcome> }).portability);
}

const ready =
  bundlesBuilt() &&
  requireService(
    "Chromium",
    await readFile(CHROMIUM_PATH).then(
      () => true,
      () => false,
    ),
    `${CHROMIUM_PATH} (apt-get install -y chromium)`,
  );

describe.skipIf(!ready)("the built bundles in headless Chromium", () => {
  let browser: Browser;
  let server: Server;
  let base: string;
  let reference: ScenarioSummary;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    const { chromium } = await import("playwright-core");
    const started = await startStatic(await vendor());
    server = started.server;
    base = started.url;
    browser = await chromium.launch({
      executablePath: CHROMIUM_PATH,
      args: [...CHROMIUM_ARGS],
      timeout: 30_000,
    });
    const out = JSON.parse(
      await run(process.execPath, [join(ROOT, "packages/agentchat/test/portability/main.mjs")]),
    );
    reference = out.summary as ScenarioSummary;
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
  });

  async function newPage(): Promise<Page> {
    const page = await browser.newPage();
    page.on("pageerror", (e) => pageErrors.push(e.message));
    return page;
  }

  it("a page that imports the bundles through an import map runs the team", async () => {
    const page = await newPage();
    await page.goto(`${base}/page.html`);
    const got = await outcome(page);
    expect(got.error, pageErrors.join("\n")).toBeUndefined();
    expect(got.secure).toBe(true);
    for (const url of got.resolved ?? []) expect(url).toMatch(BUNDLE_URL);
    expectScenario(got.summary!);
    expect(got.summary).toEqual(reference);
    await page.close();
  });

  it("a page that is not a secure context (no crypto.randomUUID) runs it too", async () => {
    const page = await newPage();
    await page.setContent(pageHtml(base));
    const got = await outcome(page);
    expect(got.error, pageErrors.join("\n")).toBeUndefined();
    expect(page.url()).toBe("about:blank");
    expect(got.secure).toBe(false);
    expect(got.randomUUID).toBe("undefined");
    expectScenario(got.summary!);
    expect(got.summary).toEqual(reference);
    await page.close();
  });
});
