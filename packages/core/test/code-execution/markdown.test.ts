import { describe, expect, it } from "vitest";
import {
  approvalRequestFor,
  canonicalLanguage,
  codeBlocksToMarkdown,
  extractMarkdownCodeBlocks,
} from "../../src/code-execution/markdown.js";

describe("extractMarkdownCodeBlocks", () => {
  it("takes the language from the fence and keeps blocks in order", () => {
    const text = [
      "First install nothing, then run:",
      "```python",
      "import sys",
      "print(sys.version)",
      "```",
      "and then",
      "```sh",
      "echo done",
      "```",
    ].join("\n");
    expect(extractMarkdownCodeBlocks(text)).toEqual([
      { language: "python", code: "import sys\nprint(sys.version)" },
      { language: "sh", code: "echo done" },
    ]);
  });

  it("reads only the first word of the info string, and CRLF text", () => {
    const text = '```py title="hello.py"\r\nprint(1)\r\n```\r\n';
    expect(extractMarkdownCodeBlocks(text)).toEqual([{ language: "py", code: "print(1)" }]);
  });

  it("keeps a block without a language, with language ''", () => {
    expect(extractMarkdownCodeBlocks("```\nls\n```")).toEqual([{ language: "", code: "ls" }]);
  });

  it("lets a longer fence hold a shorter one, and supports tilde fences", () => {
    const text = "````markdown\n```js\nx\n```\n````\n~~~bash\necho ~\n~~~";
    expect(extractMarkdownCodeBlocks(text)).toEqual([
      { language: "markdown", code: "```js\nx\n```" },
      { language: "bash", code: "echo ~" },
    ]);
  });

  it("ignores inline code and text with no fences", () => {
    expect(extractMarkdownCodeBlocks("Use ```print(1)``` here")).toEqual([]);
    expect(extractMarkdownCodeBlocks("no code at all")).toEqual([]);
  });

  it("closes a block where a line ends with its fence, as AutoGen reads models' replies", () => {
    expect(
      extractMarkdownCodeBlocks("Here:\n```python\nx = 1\nprint(x)```\nDone.\n```sh\necho hi\n```"),
    ).toEqual([
      { language: "python", code: "x = 1\nprint(x)" },
      { language: "sh", code: "echo hi" },
    ]);
    // Only the opening fence closes it: a longer run of backticks at the end of a line is code.
    expect(extractMarkdownCodeBlocks("```sh\necho ````\n```")).toEqual([
      { language: "sh", code: "echo ````" },
    ]);
  });

  it("runs an unclosed block to the end of the text", () => {
    expect(extractMarkdownCodeBlocks("```js\nconsole.log(1)\n")).toEqual([
      { language: "js", code: "console.log(1)\n" },
    ]);
  });

  it("strips the fence's own indentation from the content", () => {
    expect(extractMarkdownCodeBlocks("  ```py\n  if x:\n      y()\n  ```")).toEqual([
      { language: "py", code: "if x:\n    y()" },
    ]);
  });

  it("filters by language through the canonical names", () => {
    const text = "```py\na\n```\n```ts\nb\n```\n```\nc\n```\n```rust\nd\n```";
    expect(extractMarkdownCodeBlocks(text, { languages: ["python", "typescript"] })).toEqual([
      { language: "py", code: "a" },
      { language: "ts", code: "b" },
    ]);
  });
});

describe("canonicalLanguage", () => {
  it("maps the usual spellings", () => {
    expect(canonicalLanguage("Python3")).toBe("python");
    expect(canonicalLanguage("js")).toBe("javascript");
    expect(canonicalLanguage("TS")).toBe("typescript");
    expect(canonicalLanguage("shell")).toBe("sh");
    expect(canonicalLanguage("bash")).toBe("bash");
    expect(canonicalLanguage("Rust")).toBe("rust");
  });
});

describe("codeBlocksToMarkdown", () => {
  it("round-trips through extraction, even with backticks in the code", () => {
    const blocks = [
      { language: "python", code: 'print("```")' },
      { language: "sh", code: "echo hi" },
    ];
    const markdown = codeBlocksToMarkdown(blocks);
    expect(extractMarkdownCodeBlocks(markdown)).toEqual(blocks);
    expect(approvalRequestFor(blocks)).toEqual({ blocks, code: markdown });
  });
});
