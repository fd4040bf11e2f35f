/**
 * The HTML to Markdown conversion itself, as one self-contained function: it runs in a worker thread (see
 * html-worker.ts), which receives its source text, so it may use nothing but its arguments: no imports,
 * no module-level helpers.
 */

/** The libraries the conversion uses, loaded by the worker. */
export interface ConvertLibraries {
  readonly parseHTML: (html: string) => unknown;
  readonly Readability: new (
    document: unknown,
    options: { charThreshold: number },
  ) => {
    parse(): { content?: string | null; textContent?: string | null; title?: string | null } | null;
  };
  readonly Turndown: new (
    options: Record<string, string>,
  ) => {
    remove(filter: string): void;
    turndown(html: string): string;
  };
}

/** What one conversion is asked to do. */
export interface ConvertRequest {
  readonly html: string;
  readonly url?: string | undefined;
  readonly mainContent?: boolean | undefined;
  readonly includeImages?: boolean | undefined;
}

/** Converts an HTML document to Markdown (main content by default); runs inside the worker. */
export function convertHtml(
  libs: ConvertLibraries,
  request: ConvertRequest,
): { title: string; markdown: string } {
  type Element = {
    remove(): void;
    getAttribute(name: string): string | null;
    setAttribute(name: string, value: string): void;
  };
  type Doc = {
    querySelectorAll(selector: string): Iterable<Element>;
    querySelector(selector: string): { textContent?: string | null } | null;
    body?: { innerHTML: string } | null;
    toString(): string;
  };
  const { document } = libs.parseHTML(request.html) as { document: Doc };
  for (const element of document.querySelectorAll("script, style, noscript, template")) element.remove();
  if (request.url !== undefined) {
    for (const [selector, attribute] of [
      ["a[href]", "href"],
      ["img[src]", "src"],
    ] as const) {
      for (const element of document.querySelectorAll(selector)) {
        const value = element.getAttribute(attribute);
        if (value === null || value.startsWith("#") || value.startsWith("javascript:")) continue;
        try {
          element.setAttribute(attribute, new URL(value, request.url).href);
        } catch {
          // Leave a link that does not parse as it is.
        }
      }
    }
  }
  const pageTitle = document.querySelector("title")?.textContent?.trim() ?? "";
  let title = pageTitle;
  let content: string | undefined;
  if (request.mainContent !== false) {
    // Readability changes the DOM it reads, so it gets its own copy.
    const { document: copy } = libs.parseHTML(document.toString()) as { document: Doc };
    const article = new libs.Readability(copy, { charThreshold: 100 }).parse();
    if (article?.content && (article.textContent ?? "").trim().length > 0) {
      content = article.content;
      title = article.title?.trim() || pageTitle;
    }
  }
  content ??= document.body?.innerHTML ?? request.html;
  const turndown = new libs.Turndown({
    headingStyle: "atx",
    codeBlockStyle: "fenced",
    bulletListMarker: "-",
  });
  if (request.includeImages === false) turndown.remove("img");
  // One space after list markers, at most one blank line in a row.
  const markdown = turndown
    .turndown(content)
    .replace(/^(\s*)(-|\d+\.) {2,}/gm, "$1$2 ")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
  return { title, markdown };
}
