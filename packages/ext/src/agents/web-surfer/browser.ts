/**
 * `BrowserSession`: one headless Chromium (Debian's, through playwright-core; no browser download),
 * started on first use, with one page the agent drives: visit, click, type, scroll, go back, read the
 * page, screenshots with set-of-mark, and downloads saved into a work directory. Every request the browser
 * makes goes through the fetch tool's URL policy (tools/fetch/proxy.ts): private, loopback and reserved
 * addresses, and `file:` URLs, are refused unless allowed, for the page asked for, each redirect and each
 * subresource alike.
 */
import { mkdir } from "node:fs/promises";
import { basename, join } from "node:path";
import { ToolError } from "@autogen-ts/core";
import type { Browser, BrowserContext, Download, Page } from "playwright-core";
import type { PrivateAddressPolicy } from "../../tools/fetch/guard.js";
import { type GuardProxy, REFUSED_HEADER, startGuardProxy } from "../../tools/fetch/proxy.js";
import { htmlToMarkdown } from "../../tools/files/documents.js";
import { MARK_ATTRIBUTE, MARK_SCRIPT, type MarkedElement, UNMARK_SCRIPT } from "./set-of-mark.js";

/** How long after a click on a link to a file a download may take to start. */
const DOWNLOAD_WAIT_MS = 3_000;
/** How long after any other click a download may take to start (a script may trigger one). */
const CLICK_GRACE_MS = 100;
/** Paths that name a file rather than a page (evaluated in the page, so a pattern's source). */
const FILE_LINK = String.raw`\.(pdf|zip|gz|tgz|csv|tsv|xlsx?|docx?|pptx?|txt|json|xml|png|jpe?g|gif|svg|mp3|mp4|wav)$`;

/** The flags Chromium is started with: headless, no sandbox (containers), and no background traffic. */
export const CHROMIUM_ARGS: readonly string[] = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** Options of {@link BrowserSession}. */
export interface BrowserSessionOptions {
  /** The Chromium binary. Default `/usr/bin/chromium` (Debian's `chromium` package), or `CHROMIUM_PATH`. */
  readonly executablePath?: string;
  /** Where downloads are saved. Default `./downloads` under the working directory. */
  readonly downloadsFolder?: string;
  /** Viewport size. Default 1280×800 (`to_resize_viewport` keeps this size). */
  readonly viewport?: { readonly width: number; readonly height: number };
  /** Time limit of a navigation or an action, in milliseconds. Default 15 000. */
  readonly actionTimeoutMs?: number;
  /** Run with a visible window (needs a display). Default false. */
  readonly headful?: boolean;
  /**
   * Private, loopback, link-local and reserved addresses the browser may reach: `true` for all, or a
   * function of the address and host name (the fetch tool's policy). Default: none, on every request.
   */
  readonly allowPrivateAddresses?: PrivateAddressPolicy;
  /** Let the browser open `file:` URLs (local files). Default false. */
  readonly allowFileUrls?: boolean;
}

/** The error for a URL the policy refuses; the model reads its message. */
function refusedUrl(url: string, why: string): ToolError {
  return new ToolError(`Refused to open ${url}: ${why}`, {
    code: "tool_error",
    details: { url, reason: "url_policy" },
  });
}

/** What the page looks like now. */
export interface PageState {
  readonly url: string;
  readonly title: string;
  /** Pixels scrolled from the top, the viewport height and the page height. */
  readonly scrollY: number;
  readonly viewportHeight: number;
  readonly pageHeight: number;
  readonly marks: readonly MarkedElement[];
  /** PNG of the viewport with the marks drawn on it. */
  readonly screenshot: Buffer;
}

function url(text: string): URL {
  try {
    return new URL(text);
  } catch {
    return new URL("about:blank");
  }
}

/** One headless browser with one active page. */
export class BrowserSession {
  readonly #options: BrowserSessionOptions;
  #starting: Promise<void> | undefined;
  #browser: Browser | undefined;
  #context: BrowserContext | undefined;
  #page: Page | undefined;
  #proxy: GuardProxy | undefined;
  readonly #downloads: Promise<string>[] = [];
  #lastDownloads: string[] = [];
  readonly #adopted = new WeakSet<Page>();

  constructor(options: BrowserSessionOptions = {}) {
    this.#options = options;
  }

  /** True while a browser process is running. */
  get started(): boolean {
    return this.#browser !== undefined;
  }

  /** Where downloads go. */
  get downloadsFolder(): string {
    return this.#options.downloadsFolder ?? join(process.cwd(), "downloads");
  }

  get #timeout(): number {
    return this.#options.actionTimeoutMs ?? 15_000;
  }

  /** Starts Chromium (once; later calls wait for the same start). */
  start(): Promise<void> {
    this.#starting ??= this.#launch().catch((error: unknown) => {
      this.#starting = undefined;
      throw error;
    });
    return this.#starting;
  }

  async #launch(): Promise<void> {
    const executablePath = this.#options.executablePath ?? process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
    let playwright: typeof import("playwright-core");
    try {
      playwright = await import("playwright-core");
    } catch (cause) {
      throw new ToolError("The web surfer needs playwright-core: npm install playwright-core", { cause });
    }
    // The browser's only way out is the guard proxy; Playwright also routes loopback through it.
    this.#proxy = await startGuardProxy(this.#options.allowPrivateAddresses);
    try {
      this.#browser = await playwright.chromium.launch({
        executablePath,
        proxy: { server: this.#proxy.server, username: this.#proxy.username, password: this.#proxy.password },
        headless: this.#options.headful !== true,
        args: this.#options.headful ? CHROMIUM_ARGS.filter((a) => a !== "--headless") : [...CHROMIUM_ARGS],
        timeout: 30_000,
      });
    } catch (cause) {
      await this.#proxy.close();
      this.#proxy = undefined;
      throw new ToolError(
        `Could not start Chromium at ${executablePath} (on Debian: apt-get install -y chromium): ${(cause as Error).message.split("\n")[0]}`,
        { cause },
      );
    }
    this.#context = await this.#browser.newContext({
      viewport: {
        width: this.#options.viewport?.width ?? 1280,
        height: this.#options.viewport?.height ?? 800,
      },
      acceptDownloads: true,
      // A service worker's requests would bypass the route below.
      serviceWorkers: "block",
    });
    // Schemes the proxy never sees: only http(s), data and blob load, and file only when allowed.
    await this.#context.route(
      (url) => !["http:", "https:", "data:", "blob:"].includes(url.protocol),
      (route) =>
        url(route.request().url()).protocol === "file:" && this.#options.allowFileUrls === true
          ? route.continue()
          : route.abort("blockedbyclient"),
    );
    this.#context.setDefaultTimeout(this.#timeout);
    this.#context.setDefaultNavigationTimeout(this.#timeout);
    // A link that opens a new tab becomes the page the agent works on.
    this.#context.on("page", (page) => this.#adopt(page));
    this.#adopt(await this.#context.newPage());
  }

  #adopt(page: Page): void {
    this.#page = page;
    // The context's "page" event fires for pages the session opens itself too: listen once per page.
    if (this.#adopted.has(page)) return;
    this.#adopted.add(page);
    page.on("download", (download) => this.#downloads.push(this.#save(download)));
  }

  async #save(download: Download): Promise<string> {
    await mkdir(this.downloadsFolder, { recursive: true });
    const target = join(this.downloadsFolder, basename(download.suggestedFilename()) || "download");
    await download.saveAs(target);
    return target;
  }

  /** The active page (starting the browser if needed). */
  async page(): Promise<Page> {
    await this.start();
    return this.#page!;
  }

  async #settle(page: Page): Promise<void> {
    await page.waitForLoadState("load", { timeout: this.#timeout }).catch(() => undefined);
    // However the page got there, a local file it shows unasked is not read.
    if (page.url().startsWith("file:") && this.#options.allowFileUrls !== true) {
      const shown = page.url();
      await page.goto("about:blank").catch(() => undefined);
      throw refusedUrl(shown, "file: URLs are not opened (allow file URLs to open them)");
    }
    // Downloads started by the action finish before the agent looks again.
    const pending = this.#downloads.splice(0);
    this.#lastDownloads = (await Promise.allSettled(pending)).flatMap((r) =>
      r.status === "fulfilled" ? [r.value] : [],
    );
  }

  /** Files saved by the last action. */
  takeDownloads(): string[] {
    const out = this.#lastDownloads;
    this.#lastDownloads = [];
    return out;
  }

  /** Opens a URL (adds `https://` when there is no scheme). */
  async visit(url: string): Promise<void> {
    const page = await this.page();
    const target = /^[a-z][a-z0-9+.-]*:/i.test(url) ? url : `https://${url}`;
    const scheme = target.slice(0, target.indexOf(":") + 1).toLowerCase();
    if (
      scheme === "file:" ? this.#options.allowFileUrls !== true : scheme !== "http:" && scheme !== "https:"
    ) {
      throw refusedUrl(
        target,
        scheme === "file:"
          ? "file: URLs are not opened (allow file URLs to open them)"
          : "only http and https URLs are opened",
      );
    }
    try {
      const response = await page.goto(target, { waitUntil: "load" });
      if (response?.headers()[REFUSED_HEADER] !== undefined) {
        throw refusedUrl(
          target,
          "it is a private, loopback or reserved address (allow private addresses to open it)",
        );
      }
    } catch (error) {
      if (ToolError.isInstance(error)) throw error;
      // A URL that downloads a file "fails" navigation; the download is what the agent gets.
      const message = (error as Error).message;
      if (/ERR_TUNNEL_CONNECTION_FAILED|ERR_BLOCKED_BY_CLIENT|ERR_PROXY/.test(message)) {
        throw refusedUrl(
          target,
          "it is a private, loopback or reserved address (allow private addresses to open it)",
        );
      }
      if (!/Download is starting|net::ERR_ABORTED/.test(message)) {
        throw new ToolError(`Could not open ${target}: ${message.split("\n")[0]}`, { cause: error });
      }
    }
    await this.#settle(page);
  }

  /** Goes back one page in the history. */
  async back(): Promise<boolean> {
    const page = await this.page();
    const response = await page.goBack({ waitUntil: "load" }).catch(() => null);
    await this.#settle(page);
    return response !== null;
  }

  async #marked(id: number) {
    const page = await this.page();
    const locator = page.locator(`[${MARK_ATTRIBUTE}="${id}"]`);
    if ((await locator.count()) === 0) {
      throw new ToolError(
        `There is no element [${id}] on the page now; look at the current list of elements`,
      );
    }
    return { page, locator: locator.first() };
  }

  /** Clicks a marked element. */
  async click(id: number): Promise<void> {
    const { page, locator } = await this.#marked(id);
    await locator.scrollIntoViewIfNeeded().catch(() => undefined);
    // A download begins a moment after the click returns; wait for it to start, briefly after any click
    // and longer after one on a link that looks like a file, so #settle sees it.
    const looksLikeFile = await locator
      .evaluate((el, pattern) => {
        const link = el.closest("a");
        return (
          link !== null && (link.hasAttribute("download") || new RegExp(pattern, "i").test(link.pathname))
        );
      }, FILE_LINK)
      .catch(() => false);
    const started = page
      .waitForEvent("download", { timeout: looksLikeFile ? DOWNLOAD_WAIT_MS : CLICK_GRACE_MS })
      .catch(() => undefined);
    await locator.click({ timeout: this.#timeout });
    await started;
    await this.#settle(this.#page ?? page);
  }

  /** Types into a marked element (replacing its text), then presses Enter when `submit`. */
  async type(id: number, text: string, submit: boolean): Promise<void> {
    const { page, locator } = await this.#marked(id);
    await locator.scrollIntoViewIfNeeded().catch(() => undefined);
    try {
      await locator.fill(text, { timeout: this.#timeout });
    } catch (error) {
      throw new ToolError(`Element [${id}] does not take text: ${(error as Error).message.split("\n")[0]}`, {
        cause: error,
      });
    }
    if (submit) {
      await locator.press("Enter");
      await this.#settle(page);
    }
  }

  /** Scrolls one viewport (less a little overlap) up or down. */
  async scroll(direction: "up" | "down"): Promise<void> {
    const page = await this.page();
    await this.#evaluate(
      page,
      `window.scrollBy(0, ${direction === "down" ? 1 : -1} * Math.round(window.innerHeight * 0.9))`,
    );
  }

  /** The page's main text as Markdown (the whole page, not just the viewport). */
  async readPage(): Promise<{ title: string; url: string; markdown: string }> {
    const page = await this.page();
    await this.#evaluate(page, UNMARK_SCRIPT);
    const html = await page.content();
    // The whole page, not Readability's guess at the article: the agent reads what a person would see.
    const doc = await htmlToMarkdown(html, { url: page.url(), mainContent: false });
    return { title: (await page.title()) || doc.title, url: page.url(), markdown: doc.markdown };
  }

  /** Evaluates a script, waiting out a navigation that replaces the page's context mid-way. */
  async #evaluate<T>(page: Page, script: string): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return (await page.evaluate(script)) as T;
      } catch (error) {
        if (attempt >= 3 || !/Execution context was destroyed|navigat/i.test((error as Error).message))
          throw error;
        await page.waitForLoadState("load", { timeout: this.#timeout }).catch(() => undefined);
      }
    }
  }

  /** Marks the interactive elements, takes a screenshot with the marks drawn, and removes the drawing. */
  async state(): Promise<PageState> {
    const page = await this.page();
    const marks = await this.#evaluate<MarkedElement[]>(page, MARK_SCRIPT);
    let screenshot: Buffer;
    try {
      screenshot = await page.screenshot({ type: "png", timeout: this.#timeout });
    } finally {
      await page.evaluate(UNMARK_SCRIPT).catch(() => undefined);
    }
    const metrics = await this.#evaluate<{ y: number; vh: number; h: number }>(
      page,
      "({ y: Math.round(window.scrollY), vh: window.innerHeight, h: Math.max(document.documentElement.scrollHeight, document.body ? document.body.scrollHeight : 0) })",
    );
    return {
      url: page.url(),
      title: await page.title(),
      scrollY: metrics.y,
      viewportHeight: metrics.vh,
      pageHeight: metrics.h,
      marks,
      screenshot,
    };
  }

  /** Closes the browser (idempotent); the next action starts a new one. */
  async close(): Promise<void> {
    const starting = this.#starting;
    this.#starting = undefined;
    if (starting) await starting.catch(() => undefined);
    const browser = this.#browser;
    this.#browser = undefined;
    this.#context = undefined;
    this.#page = undefined;
    this.#downloads.length = 0;
    if (browser) await browser.close().catch(() => undefined);
    const proxy = this.#proxy;
    this.#proxy = undefined;
    await proxy?.close();
  }
}
