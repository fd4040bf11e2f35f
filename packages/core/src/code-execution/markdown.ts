/**
 * Code blocks out of markdown: the fenced blocks a model writes, with the language taken from the fence's
 * info string, and the canonical names executors use for those languages.
 */
import type { LLMMessage } from "../models/types.js";
import type { ApprovalRequest, CodeBlock } from "./types.js";

/** Fence spellings mapped to the canonical language names executors use. */
const LANGUAGE_ALIASES: Readonly<Record<string, string>> = {
  python: "python",
  python3: "python",
  py: "python",
  sh: "sh",
  shell: "sh",
  bash: "bash",
  console: "sh",
  javascript: "javascript",
  js: "javascript",
  mjs: "javascript",
  node: "javascript",
  typescript: "typescript",
  ts: "typescript",
  mts: "typescript",
};

/**
 * The canonical name of a fence's language (`py` -> `python`, `js` -> `javascript`, `ts` -> `typescript`,
 * `shell` -> `sh`); an unknown name comes back lower-cased as it is.
 */
export function canonicalLanguage(language: string): string {
  const name = language.trim().toLowerCase();
  return LANGUAGE_ALIASES[name] ?? name;
}

/** Options of {@link extractMarkdownCodeBlocks}. */
export interface ExtractCodeBlocksOptions {
  /**
   * Keep only blocks in these languages (compared by {@link canonicalLanguage}). A block whose fence names
   * no language is kept with language `""` only when no filter is given.
   */
  readonly languages?: readonly string[];
}

const FENCE = /^( {0,3})(`{3,}|~{3,})[ \t]*([^\s`{]*)?.*$/;

/**
 * The fenced code blocks of a markdown text, in order. The language is the first word of the fence's info
 * string (```` ```python title="x" ```` gives `python`), as written; compare languages through
 * {@link canonicalLanguage}. Backtick and tilde fences of any length work, and a block closes only at a
 * fence of the same character at least as long, so a block can contain shorter fences. An unclosed block
 * runs to the end of the text, as in CommonMark. A backtick block also closes where a line ends with its
 * fence (`print(x)```), as AutoGen's extraction reads what models write.
 *
 * @example
 * ```ts
 * extractMarkdownCodeBlocks("Run this:\n```py\nprint(1)\n```")
 * // [{ language: "py", code: "print(1)" }]
 * ```
 */
export function extractMarkdownCodeBlocks(
  markdown: string,
  options: ExtractCodeBlocksOptions = {},
): CodeBlock[] {
  const wanted = options.languages?.map(canonicalLanguage);
  const lines = markdown.split(/\r?\n/);
  const blocks: CodeBlock[] = [];
  let open: { fence: string; indent: number; language: string; body: string[] } | undefined;
  for (const line of lines) {
    if (open === undefined) {
      const match = FENCE.exec(line);
      if (match === null) continue;
      const fence = match[2] ?? "```";
      // A backtick fence's info string may not contain backticks (that is inline code, not a fence).
      if (fence.startsWith("`") && line.slice(line.indexOf(fence) + fence.length).includes("`")) continue;
      open = { fence, indent: (match[1] ?? "").length, language: match[3] ?? "", body: [] };
      continue;
    }
    const trimmed = line.trim();
    const closes =
      trimmed.length >= open.fence.length &&
      trimmed[0] === open.fence[0] &&
      /^(`+|~+)$/.test(trimmed) &&
      line.length - line.trimStart().length <= 3;
    if (closes) {
      blocks.push({ language: open.language, code: open.body.join("\n") });
      open = undefined;
      continue;
    }
    // Models often close a block on its last line (`print(x)```); AutoGen's extraction ends the block there,
    // and so does this one (the fence must be exactly the opening one, after a character that is no backtick).
    if (
      open.fence[0] === "`" &&
      line.endsWith(open.fence) &&
      line.length > open.fence.length &&
      line[line.length - open.fence.length - 1] !== "`"
    ) {
      open.body.push(line.slice(0, line.length - open.fence.length));
      blocks.push({ language: open.language, code: open.body.join("\n") });
      open = undefined;
      continue;
    }
    // Content indented like its fence loses that indentation (CommonMark's rule for indented fences).
    let content = line;
    for (let i = 0; i < open.indent && content.startsWith(" "); i++) content = content.slice(1);
    open.body.push(content);
  }
  if (open !== undefined) blocks.push({ language: open.language, code: open.body.join("\n") });
  if (wanted === undefined) return blocks;
  return blocks.filter(
    (block) => block.language !== "" && wanted.includes(canonicalLanguage(block.language)),
  );
}

/** Joins code blocks back into markdown fences, as shown to an approval gate or a person. */
export function codeBlocksToMarkdown(blocks: readonly CodeBlock[]): string {
  return blocks
    .map((block) => {
      // A fence longer than any backtick run inside the code, so the code cannot close it early.
      const longest = Math.max(2, ...[...block.code.matchAll(/`+/g)].map((m) => m[0].length));
      const fence = "`".repeat(longest + 1);
      return `${fence}${block.language}\n${block.code}\n${fence}`;
    })
    .join("\n\n");
}

/** The {@link ApprovalRequest} for some blocks, with the conversation that led to them when there is one. */
export function approvalRequestFor(
  blocks: readonly CodeBlock[],
  context?: readonly LLMMessage[],
): ApprovalRequest {
  const code = codeBlocksToMarkdown(blocks);
  return context === undefined ? { blocks, code } : { blocks, code, context };
}
