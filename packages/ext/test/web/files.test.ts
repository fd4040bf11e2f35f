/**
 * The file tools on a temporary root: listing, reading text/PDF/DOCX/HTML, searching, opt-in writing and
 * editing, and every way out of the root refused: `..`, absolute paths, symbolic links to files and
 * folders outside, a dangling link a write would follow.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Tool, toolResultText } from "@autogen-ts/core";
import { createFileTools } from "@autogen-ts/ext/tools/files";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeDocx, makePdf } from "./fixtures.js";

let base: string;
let root: string;
let outside: string;
let tools: Record<string, Tool>;

async function call(name: string, args: Record<string, unknown>) {
  const result = await tools[name]!.call(args);
  return { isError: result.isError, text: toolResultText(result) };
}

beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), "file-tools-"));
  root = join(base, "root");
  outside = join(base, "outside");
  mkdirSync(join(root, "notes"), { recursive: true });
  mkdirSync(outside);
  writeFileSync(join(outside, "secret.txt"), "TOP SECRET");
  writeFileSync(join(root, "readme.md"), "# Project\n\nThe launch code word is PELICAN.\n");
  writeFileSync(join(root, "notes", "todo.txt"), "buy milk\ncall Pelican Inc\n");
  writeFileSync(join(root, "report.pdf"), makePdf([["Annual report", "Profit rose"]]));
  writeFileSync(join(root, "memo.docx"), makeDocx("Memo", ["Meeting moved to Friday."]));
  writeFileSync(
    join(root, "page.html"),
    "<html><head><title>Page</title></head><body><h2>Hi</h2><p>An <b>HTML</b> file.</p></body></html>",
  );
  writeFileSync(join(root, "blob.bin"), Buffer.from([1, 0, 2, 0, 3]));
  symlinkSync(join(outside, "secret.txt"), join(root, "link-to-secret.txt"));
  symlinkSync(outside, join(root, "link-to-outside"));
  symlinkSync(join(outside, "new.txt"), join(root, "dangling.txt"));
  symlinkSync(join(root, "readme.md"), join(root, "inner-link.md"));
  tools = Object.fromEntries(
    createFileTools({ root, allowWrite: true, maxReadChars: 1000 }).map((t) => [t.name, t]),
  );
});

afterAll(() => {
  rmSync(base, { recursive: true, force: true });
});

describe("file tools", () => {
  it("offers write and edit only when asked", () => {
    expect(createFileTools({ root }).map((t) => t.name)).toEqual([
      "list_directory",
      "read_file",
      "search_files",
    ]);
    expect(Object.keys(tools)).toEqual([
      "list_directory",
      "read_file",
      "search_files",
      "write_file",
      "edit_file",
    ]);
  });

  it("lists a directory, hiding links that leave the root", async () => {
    const { isError, text } = await call("list_directory", { recursive: true });
    expect(isError).toBe(false);
    expect(text.split("\n")).toEqual([
      "blob.bin (5 bytes)",
      "inner-link.md (44 bytes)",
      "memo.docx (" + readFileSync(join(root, "memo.docx")).length + " bytes)",
      "notes/",
      "notes/todo.txt (26 bytes)",
      "page.html (" + readFileSync(join(root, "page.html")).length + " bytes)",
      "readme.md (44 bytes)",
      "report.pdf (" + readFileSync(join(root, "report.pdf")).length + " bytes)",
    ]);
  });

  it("reads text, PDF, DOCX and HTML", async () => {
    expect((await call("read_file", { path: "readme.md" })).text).toBe(
      "# Project\n\nThe launch code word is PELICAN.\n",
    );
    expect((await call("read_file", { path: "report.pdf" })).text).toBe("Annual report\nProfit rose");
    expect((await call("read_file", { path: "memo.docx" })).text).toBe("# Memo\n\nMeeting moved to Friday.");
    expect((await call("read_file", { path: "page.html" })).text).toBe(
      "# Page\n\n## Hi\n\nAn **HTML** file.",
    );
    expect((await call("read_file", { path: "inner-link.md" })).text).toContain("PELICAN");
  });

  it("pages through a long file", async () => {
    writeFileSync(join(root, "long.txt"), "a".repeat(1500));
    const first = await call("read_file", { path: "long.txt" });
    expect(first.text).toMatch(/…\(500 more characters; read on with offset 1000\)$/);
    expect((await call("read_file", { path: "long.txt", offset: 1000 })).text).toBe("a".repeat(500));
    rmSync(join(root, "long.txt"));
  });

  it("reports missing files, folders and binary files as errors", async () => {
    expect(await call("read_file", { path: "nope.txt" })).toEqual({
      isError: true,
      text: "Error: ToolError: No such file or directory: nope.txt",
    });
    expect((await call("read_file", { path: "notes" })).text).toMatch(/is a directory/);
    expect((await call("read_file", { path: "blob.bin" })).text).toMatch(/binary file/);
    expect((await call("list_directory", { path: "missing" })).text).toMatch(/No such file or directory/);
  });

  it("searches contents and names", async () => {
    const { text } = await call("search_files", { query: "pelican" });
    expect(text.split("\n")).toEqual([
      "inner-link.md:3: The launch code word is PELICAN.",
      "notes/todo.txt:2: call Pelican Inc",
      "readme.md:3: The launch code word is PELICAN.",
    ]);
    expect((await call("search_files", { query: "^buy", regex: true })).text).toBe(
      "notes/todo.txt:1: buy milk",
    );
    expect((await call("search_files", { query: "todo" })).text).toBe("notes/todo.txt (name matches)");
    expect((await call("search_files", { query: "(", regex: true })).isError).toBe(true);
    expect((await call("search_files", { query: "SECRET" })).text).toBe('No matches for "SECRET".');
  });

  it("writes and edits files", async () => {
    expect((await call("write_file", { path: "out/new.txt", content: "alpha beta" })).text).toBe(
      "Wrote 10 bytes to out/new.txt.",
    );
    expect(
      (await call("edit_file", { path: "out/new.txt", old_text: "beta", new_text: "gamma" })).isError,
    ).toBe(false);
    expect(readFileSync(join(root, "out", "new.txt"), "utf8")).toBe("alpha gamma");
    expect((await call("edit_file", { path: "out/new.txt", old_text: "delta", new_text: "x" })).text).toMatch(
      /not found/,
    );
    writeFileSync(join(root, "out", "twice.txt"), "x x");
    expect((await call("edit_file", { path: "out/twice.txt", old_text: "x", new_text: "y" })).text).toMatch(
      /more than once/,
    );
  });
});

describe("file tools refuse paths that leave the root", () => {
  const escapes: [string, Record<string, unknown>, RegExp][] = [
    ["read_file", { path: "../outside/secret.txt" }, /climbs out with '\.\.'/],
    ["read_file", { path: "notes/../../outside/secret.txt" }, /climbs out/],
    ["read_file", { path: "/etc/passwd" }, /is an absolute path/],
    ["read_file", { path: "link-to-secret.txt" }, /symbolic link/],
    ["read_file", { path: "link-to-outside/secret.txt" }, /symbolic link/],
    ["list_directory", { path: ".." }, /climbs out/],
    ["list_directory", { path: "link-to-outside" }, /symbolic link/],
    ["search_files", { query: "SECRET", path: "link-to-outside" }, /symbolic link/],
    ["write_file", { path: "../escaped.txt", content: "x" }, /climbs out/],
    ["write_file", { path: "link-to-outside/planted.txt", content: "x" }, /symbolic link/],
    ["write_file", { path: "dangling.txt", content: "x" }, /symbolic link/],
    ["edit_file", { path: "link-to-secret.txt", old_text: "TOP", new_text: "NOT" }, /symbolic link/],
  ];
  for (const [tool, args, reason] of escapes) {
    it(`${tool} ${JSON.stringify(args)}`, async () => {
      const { isError, text } = await call(tool, args);
      expect(isError).toBe(true);
      expect(text).toMatch(/Refused: .* outside the root directory/);
      expect(text).toMatch(reason);
      expect(text).not.toContain("TOP SECRET");
    });
  }

  it("left everything outside untouched", () => {
    expect(readFileSync(join(outside, "secret.txt"), "utf8")).toBe("TOP SECRET");
    expect(() => readFileSync(join(outside, "new.txt"))).toThrow();
    expect(() => readFileSync(join(outside, "planted.txt"))).toThrow();
    expect(() => readFileSync(join(base, "escaped.txt"))).toThrow();
  });

  it("accepts an absolute path inside the root", async () => {
    expect((await call("read_file", { path: join(root, "readme.md") })).text).toContain("PELICAN");
  });
});
