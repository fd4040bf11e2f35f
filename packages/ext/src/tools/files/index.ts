/**
 * File tools confined to a root directory (list, read with PDF/DOCX/HTML to Markdown, search, and opt-in
 * write and edit), and the document converters they use.
 *
 * @module
 */
export type { HtmlToMarkdownOptions, MarkdownDocument } from "./documents.js";
export { docxToMarkdown, htmlToMarkdown, pdfToMarkdown } from "./documents.js";
export { FileRoot, isInside } from "./root.js";
export type { FileToolsOptions } from "./tools.js";
export { createFileTools, readDocument } from "./tools.js";
