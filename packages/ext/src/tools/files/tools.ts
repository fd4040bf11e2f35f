/**
 * File tools for models, confined to a root directory: list, read (text, and Markdown from PDF, DOCX and
 * HTML), search, and, when enabled, write and edit. Every failure (a path outside the root, a missing
 * file, an edit whose text is not found) is an error result the model reads.
 */

import type { FileHandle } from "node:fs/promises";
import { lstat, readdir, stat } from "node:fs/promises";
import { extname, join } from "node:path";
import type { Tool } from "@autogen-ts/core";
import { FunctionTool, ToolError } from "@autogen-ts/core";
import { RE2JS } from "re2js";
import { docxToMarkdown, htmlToMarkdown, pdfToMarkdown } from "./documents.js";
import { FileRoot } from "./root.js";

/** Options of {@link createFileTools}. */
export interface FileToolsOptions {
  /** The directory the tools are limited to. */
  readonly root: string;
  /** Offer `write_file` and `edit_file` too (default false: read-only). */
  readonly allowWrite?: boolean;
  /** Largest file read, in bytes. Default 10 MiB. */
  readonly maxFileBytes?: number;
  /** Longest text returned by one read, in characters (the model pages with `offset`). Default 20 000. */
  readonly maxReadChars?: number;
  /** Most entries listed or matches returned. Default 500. */
  readonly maxEntries?: number;
}

/** Reads a file into text: Markdown for PDF, DOCX and HTML; UTF-8 text otherwise; binary refused. */
export async function readDocument(path: string, data: Buffer): Promise<string> {
  const ext = extname(path).toLowerCase();
  if (ext === ".pdf") return pdfToMarkdown(data);
  if (ext === ".docx") return docxToMarkdown(data);
  if (ext === ".html" || ext === ".htm" || ext === ".xhtml") {
    const doc = await htmlToMarkdown(data.toString("utf8"), { mainContent: false });
    return doc.title ? `# ${doc.title}\n\n${doc.markdown}` : doc.markdown;
  }
  if (data.subarray(0, 8000).includes(0)) {
    throw new ToolError(`${path} is a binary file; only text, PDF, DOCX and HTML files can be read`);
  }
  return data.toString("utf8");
}

/** The longest search query (a regex's cost is linear in it and in the text, but not free). */
const MAX_QUERY_CHARS = 1_000;

/**
 * A case-insensitive matcher for a model's query. Regular expressions run on RE2 (re2js): matching takes
 * time linear in the text, so a pattern such as `(a+)+$` cannot backtrack for ever and freeze the process.
 */
function searchPattern(query: string, regex: boolean): { test(text: string): boolean } {
  if (query.length > MAX_QUERY_CHARS) {
    throw new ToolError(`The query is longer than ${MAX_QUERY_CHARS} characters`);
  }
  if (!regex) {
    const needle = query.toLowerCase();
    return { test: (text) => text.toLowerCase().includes(needle) };
  }
  try {
    const compiled = RE2JS.compile(query, RE2JS.CASE_INSENSITIVE);
    return { test: (text) => compiled.test(text) };
  } catch (error) {
    throw new ToolError(
      `Not a valid regular expression (RE2 syntax: no lookaround or backreferences): ${(error as Error).message}`,
    );
  }
}

function notFound(error: unknown, shown: string): never {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "ENOENT") throw new ToolError(`No such file or directory: ${shown}`);
  if (code === "EISDIR") throw new ToolError(`${shown} is a directory; use list_directory`);
  if (code === "ENOTDIR") throw new ToolError(`${shown} is not a directory`);
  throw error;
}

/** Walks a directory (depth-first, sorted), yielding real paths; skips symbolic links that leave the root. */
async function* walk(
  root: FileRoot,
  dir: string,
  recursive: boolean,
): AsyncGenerator<{ path: string; isDir: boolean; size: number }> {
  const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name));
  for (const entry of entries) {
    const full = join(dir, entry.name);
    let real: string;
    try {
      real = await root.resolve(full);
    } catch {
      continue; // a link that points outside the root is not shown
    }
    const info = await stat(real).catch(() => undefined);
    if (info === undefined) continue;
    yield { path: full, isDir: info.isDirectory(), size: info.size };
    if (recursive && info.isDirectory() && !(await lstat(full)).isSymbolicLink())
      yield* walk(root, full, true);
  }
}

interface ListArgs {
  readonly path?: string;
  readonly recursive?: boolean;
}
interface ReadArgs {
  readonly path: string;
  readonly offset?: number;
}
interface SearchArgs {
  readonly query: string;
  readonly path?: string;
  readonly regex?: boolean;
}
interface WriteArgs {
  readonly path: string;
  readonly content: string;
}
interface EditArgs {
  readonly path: string;
  readonly old_text: string;
  readonly new_text: string;
}

/**
 * The file tools on one root: `list_directory`, `read_file`, `search_files`, and with `allowWrite`
 * `write_file` and `edit_file`.
 *
 * @example
 * ```ts
 * const tools = createFileTools({ root: "./docs" });
 * const agent = new AssistantAgent({ name: "reader", modelClient, tools });
 * ```
 */
export function createFileTools(options: FileToolsOptions): Tool[] {
  const root = new FileRoot(options.root);
  const maxBytes = options.maxFileBytes ?? 10 * 1024 * 1024;
  const maxChars = options.maxReadChars ?? 20_000;
  const maxEntries = options.maxEntries ?? 500;

  /** Opens a file once (no link followed, checked by fstat) and reads it through the handle. */
  async function load(
    path: string,
    mode: "read" | "update" = "read",
  ): Promise<{ real: string; shown: string; data: Buffer; handle: FileHandle }> {
    const real = await root.resolve(path);
    const shown = await root.display(real);
    const { handle, stats } = await root.open(path, { mode }).catch((e: unknown) => notFound(e, shown));
    try {
      if (stats.size > maxBytes)
        throw new ToolError(`${shown} is ${stats.size} bytes, over the ${maxBytes}-byte limit`);
      // Read at most one byte past the limit: the file may grow after the fstat.
      const buffer = Buffer.alloc(Math.min(stats.size, maxBytes) + 1);
      let size = 0;
      while (size < buffer.length) {
        const { bytesRead } = await handle.read(buffer, size, buffer.length - size, size);
        if (bytesRead === 0) break;
        size += bytesRead;
      }
      if (size > maxBytes) throw new ToolError(`${shown} grew over the ${maxBytes}-byte limit`);
      return { real, shown, data: buffer.subarray(0, size), handle };
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  async function read(path: string): Promise<{ real: string; shown: string; data: Buffer }> {
    const loaded = await load(path);
    await loaded.handle.close();
    return loaded;
  }

  const tools: Tool[] = [
    new FunctionTool<ListArgs>({
      name: "list_directory",
      description:
        "List the files and folders in a directory under the root (sizes in bytes; folders end in /).",
      parameters: {
        type: "object",
        properties: {
          path: { type: "string", description: "Directory relative to the root (default: the root)" },
          recursive: { type: "boolean", description: "Include everything below it (default false)" },
        },
        additionalProperties: false,
      },
      run: async ({ path, recursive }) => {
        const dir = await root.resolve(path ?? ".");
        const shown = await root.display(dir);
        const lines: string[] = [];
        try {
          for await (const entry of walk(root, dir, recursive === true)) {
            if (lines.length >= maxEntries) {
              lines.push(`… (more than ${maxEntries} entries)`);
              break;
            }
            const name = await root.display(entry.path);
            lines.push(entry.isDir ? `${name}/` : `${name} (${entry.size} bytes)`);
          }
        } catch (error) {
          notFound(error, shown);
        }
        return lines.length === 0 ? `${shown}/ is empty.` : lines.join("\n");
      },
    }),
    new FunctionTool<ReadArgs>({
      name: "read_file",
      description:
        "Read a file under the root. Text comes as it is; PDF, DOCX and HTML come as Markdown. Long files come in pages: pass the offset the previous page ended at.",
      parameters: {
        type: "object",
        properties: {
          path: { type: "string", description: "File path relative to the root" },
          offset: { type: "integer", minimum: 0, description: "Character to start at (default 0)" },
        },
        required: ["path"],
        additionalProperties: false,
      },
      run: async ({ path, offset }) => {
        const { real, data } = await read(path);
        const text = await readDocument(real, data);
        const start = offset ?? 0;
        const page = text.slice(start, start + maxChars);
        const end = start + page.length;
        return end < text.length
          ? `${page}\n\n…(${text.length - end} more characters; read on with offset ${end})`
          : page;
      },
    }),
    new FunctionTool<SearchArgs>({
      name: "search_files",
      description:
        "Search the text files under a directory for a string (or a regular expression); returns path:line: text for each match, and files whose name matches.",
      parameters: {
        type: "object",
        properties: {
          query: { type: "string", minLength: 1, description: "Text to look for (case-insensitive)" },
          path: { type: "string", description: "Directory to search (default: the root)" },
          regex: { type: "boolean", description: "Treat the query as a regular expression (default false)" },
        },
        required: ["query"],
        additionalProperties: false,
      },
      run: async ({ query, path, regex }) => {
        const pattern = searchPattern(query, regex === true);
        const dir = await root.resolve(path ?? ".");
        const matches: string[] = [];
        try {
          for await (const entry of walk(root, dir, true)) {
            if (matches.length >= maxEntries) break;
            const name = await root.display(entry.path);
            if (pattern.test(name.split("/").pop() ?? ""))
              matches.push(`${name}${entry.isDir ? "/" : ""} (name matches)`);
            if (entry.isDir || entry.size > maxBytes) continue;
            // Through the same no-follow open as read_file; a file it refuses is not searched.
            const data = await read(entry.path).then(
              (r) => r.data,
              () => undefined,
            );
            if (data === undefined) continue;
            if (data.subarray(0, 8000).includes(0)) continue;
            const lines = data.toString("utf8").split("\n");
            for (let i = 0; i < lines.length && matches.length < maxEntries; i++) {
              if (pattern.test(lines[i]!))
                matches.push(`${name}:${i + 1}: ${lines[i]!.trim().slice(0, 300)}`);
            }
          }
        } catch (error) {
          notFound(error, path ?? ".");
        }
        if (matches.length === 0) return `No matches for "${query}".`;
        return matches.length >= maxEntries
          ? `${matches.join("\n")}\n… (stopped at ${maxEntries} matches)`
          : matches.join("\n");
      },
    }),
  ];

  if (options.allowWrite) {
    tools.push(
      new FunctionTool<WriteArgs>({
        name: "write_file",
        description: "Create or overwrite a text file under the root (folders are created as needed).",
        parameters: {
          type: "object",
          properties: {
            path: { type: "string", description: "File path relative to the root" },
            content: { type: "string", description: "The whole new content" },
          },
          required: ["path", "content"],
          additionalProperties: false,
        },
        run: async ({ path, content }) => {
          // One open, parents made on the way, no link followed; emptied only after fstat's checks.
          const { handle, real } = await root.open(path, { mode: "write", makeParents: true });
          try {
            await handle.writeFile(content, "utf8");
          } finally {
            await handle.close();
          }
          return `Wrote ${Buffer.byteLength(content)} bytes to ${await root.display(real)}.`;
        },
      }),
      new FunctionTool<EditArgs>({
        name: "edit_file",
        description:
          "Replace one exact piece of text in a file under the root. old_text must occur exactly once; include enough context to make it unique.",
        parameters: {
          type: "object",
          properties: {
            path: { type: "string", description: "File path relative to the root" },
            old_text: { type: "string", minLength: 1, description: "The exact text to replace" },
            new_text: { type: "string", description: "What to put in its place" },
          },
          required: ["path", "old_text", "new_text"],
          additionalProperties: false,
        },
        run: async ({ path, old_text, new_text }) => {
          const { shown, data, handle } = await load(path, "update");
          try {
            const text = data.toString("utf8");
            const first = text.indexOf(old_text);
            if (first === -1)
              throw new ToolError(
                `old_text was not found in ${shown}; read the file and copy the text exactly`,
              );
            if (text.indexOf(old_text, first + 1) !== -1) {
              throw new ToolError(
                `old_text occurs more than once in ${shown}; include more context to make it unique`,
              );
            }
            // The same handle that was read is written: nothing can be swapped in between.
            const updated = Buffer.from(
              text.slice(0, first) + new_text + text.slice(first + old_text.length),
            );
            await handle.write(updated, 0, updated.length, 0);
            await handle.truncate(updated.length);
          } finally {
            await handle.close();
          }
          return `Edited ${shown}: replaced ${old_text.length} characters with ${new_text.length}.`;
        },
      }),
    );
  }
  return tools;
}
