/**
 * Documents to Markdown: HTML (main content through Readability on a linkedom DOM, then turndown, in a
 * worker thread with a deadline), PDF (text through pdfjs-dist) and DOCX (mammoth to HTML, then the same
 * HTML conversion). The libraries are loaded on first use, so a caller that reads only text files never
 * loads them.
 */
import { ToolError } from "@autogen-ts/core";
import { convertInWorker } from "./html-worker.js";

/** Options of {@link htmlToMarkdown}. */
export interface HtmlToMarkdownOptions {
  /** The page's URL: relative links and images become absolute against it. */
  readonly url?: string;
  /** Keep only the main content (Readability); default true. Falls back to the whole body when it finds none. */
  readonly mainContent?: boolean;
  /** Keep image references; default true. */
  readonly includeImages?: boolean;
  /** Time budget of the conversion in milliseconds (default 10 000). */
  readonly timeoutMs?: number;
  /** Cancels the conversion. */
  readonly signal?: AbortSignal;
}

/** What {@link htmlToMarkdown} returns. */
export interface MarkdownDocument {
  readonly title: string;
  readonly markdown: string;
}

/**
 * Converts an HTML document to Markdown, keeping the main content by default. The work runs in a worker
 * thread under a time budget (see html-worker.ts), so hostile HTML cannot freeze the process.
 *
 * @throws {@link ToolError} (code `timeout`) when the conversion takes longer than `timeoutMs`.
 */
export function htmlToMarkdown(html: string, options: HtmlToMarkdownOptions = {}): Promise<MarkdownDocument> {
  return convertInWorker(
    { html, url: options.url, mainContent: options.mainContent, includeImages: options.includeImages },
    {
      ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    },
  );
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
  const mammoth = await import("mammoth");
  let html: string;
  try {
    const convert =
      (mammoth as unknown as { default?: typeof mammoth }).default?.convertToHtml ?? mammoth.convertToHtml;
    html = (await convert({ buffer: Buffer.from(data.buffer, data.byteOffset, data.byteLength) })).value;
  } catch (cause) {
    throw new ToolError(`Not a readable DOCX file: ${(cause as Error).message}`, { cause });
  }
  // mammoth writes a fragment; a DOM gives a fragment no body, so it gets one.
  return (await htmlToMarkdown(`<html><body>${html}</body></html>`, { mainContent: false })).markdown;
}
