/**
 * Documents to Markdown: HTML (main content through Readability on a linkedom DOM, then turndown), PDF
 * (text through pdfjs-dist) and DOCX (mammoth to HTML, then turndown). The libraries are imported on
 * first use, so a caller that reads only text files never loads them.
 */
import { ToolError } from "@autogen-ts/core";

/** Options of {@link htmlToMarkdown}. */
export interface HtmlToMarkdownOptions {
  /** The page's URL: relative links and images become absolute against it. */
  readonly url?: string;
  /** Keep only the main content (Readability); default true. Falls back to the whole body when it finds none. */
  readonly mainContent?: boolean;
  /** Keep image references; default true. */
  readonly includeImages?: boolean;
}

/** What {@link htmlToMarkdown} returns. */
export interface MarkdownDocument {
  readonly title: string;
  readonly markdown: string;
}

type TurndownCtor = typeof import("turndown");

let turndownModule: Promise<TurndownCtor> | undefined;
function loadTurndown(): Promise<TurndownCtor> {
  turndownModule ??= import("turndown").then((m) => (m as unknown as { default: TurndownCtor }).default ?? m);
  return turndownModule;
}

/** Tightens turndown's output: one space after list markers, at most one blank line in a row. */
function tidy(markdown: string): string {
  return markdown
    .replace(/^(\s*)(-|\d+\.) {2,}/gm, "$1$2 ")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

function absolutize(document: Document, base: string | undefined): void {
  if (base === undefined) return;
  for (const [selector, attribute] of [
    ["a[href]", "href"],
    ["img[src]", "src"],
  ] as const) {
    for (const element of document.querySelectorAll(selector)) {
      const value = element.getAttribute(attribute);
      if (value === null || value.startsWith("#") || value.startsWith("javascript:")) continue;
      try {
        element.setAttribute(attribute, new URL(value, base).href);
      } catch {
        // Leave a link that does not parse as it is.
      }
    }
  }
}

/** Converts an HTML document to Markdown, keeping the main content by default. */
export async function htmlToMarkdown(
  html: string,
  options: HtmlToMarkdownOptions = {},
): Promise<MarkdownDocument> {
  const [{ parseHTML }, { Readability }, Turndown] = await Promise.all([
    import("linkedom"),
    import("@mozilla/readability"),
    loadTurndown(),
  ]);
  const { document } = parseHTML(html) as unknown as { document: Document };
  for (const element of document.querySelectorAll("script, style, noscript, template")) element.remove();
  absolutize(document, options.url);
  const pageTitle = document.querySelector("title")?.textContent?.trim() ?? "";
  let title = pageTitle;
  let content: string | undefined;
  if (options.mainContent !== false) {
    // Readability changes the DOM it reads, so it gets its own copy.
    const { document: copy } = parseHTML(document.toString()) as unknown as { document: Document };
    const article = new Readability(copy, { charThreshold: 100 }).parse();
    if (article?.content && (article.textContent ?? "").trim().length > 0) {
      content = article.content;
      title = article.title?.trim() || pageTitle;
    }
  }
  content ??= document.body?.innerHTML ?? html;
  const turndown = new Turndown({ headingStyle: "atx", codeBlockStyle: "fenced", bulletListMarker: "-" });
  if (options.includeImages === false) turndown.remove("img");
  const markdown = tidy(turndown.turndown(content));
  return { title, markdown };
}

/** Extracts the text of a PDF as Markdown, one `## Page N` section per page. */
export async function pdfToMarkdown(data: Uint8Array): Promise<string> {
  const pdfjs = await import("pdfjs-dist/legacy/build/pdf.mjs");
  let doc: Awaited<ReturnType<typeof pdfjs.getDocument>["promise"]>;
  try {
    doc = await pdfjs.getDocument({
      // pdfjs takes ownership of the buffer it gets, so it gets a copy.
      data: new Uint8Array(data),
      isEvalSupported: false,
      disableFontFace: true,
      useSystemFonts: false,
      verbosity: 0,
    }).promise;
  } catch (cause) {
    throw new ToolError(`Not a readable PDF: ${(cause as Error).message}`, { cause });
  }
  try {
    const pages: string[] = [];
    for (let n = 1; n <= doc.numPages; n++) {
      const page = await doc.getPage(n);
      const content = await page.getTextContent();
      let text = "";
      for (const item of content.items) {
        if (!("str" in item)) continue;
        text += item.str;
        if (item.hasEOL) text += "\n";
      }
      const body = text
        .replace(/[ \t]+\n/g, "\n")
        .replace(/\n{3,}/g, "\n\n")
        .trim();
      pages.push(doc.numPages > 1 ? `## Page ${n}\n\n${body}` : body);
    }
    return pages.join("\n\n").trim();
  } finally {
    await doc.destroy();
  }
}

/** Converts a Word document (.docx) to Markdown through mammoth's HTML. */
export async function docxToMarkdown(data: Uint8Array): Promise<string> {
  const [mammoth, Turndown] = await Promise.all([import("mammoth"), loadTurndown()]);
  let html: string;
  try {
    const convert =
      (mammoth as unknown as { default?: typeof mammoth }).default?.convertToHtml ?? mammoth.convertToHtml;
    html = (await convert({ buffer: Buffer.from(data.buffer, data.byteOffset, data.byteLength) })).value;
  } catch (cause) {
    throw new ToolError(`Not a readable DOCX file: ${(cause as Error).message}`, { cause });
  }
  const turndown = new Turndown({ headingStyle: "atx", codeBlockStyle: "fenced", bulletListMarker: "-" });
  return tidy(turndown.turndown(html));
}
