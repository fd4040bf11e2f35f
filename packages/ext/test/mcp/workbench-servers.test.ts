/**
 * McpWorkbench against server-filesystem on a temporary folder (command-line folders and roots), a
 * server whose tool list changes, and a server that speaks only an older protocol revision.
 */
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { McpWorkbench } from "@autogen-ts/ext/tools/mcp";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { bin, tempDir } from "./support.js";

const FIXTURES = join(import.meta.dirname, "fixtures");

function text(result: { result: readonly { type: string; text?: string }[] }): string {
  return result.result.map((p) => (p.type === "text" ? p.text : `[${p.type}]`)).join("\n");
}

describe("McpWorkbench with server-filesystem", () => {
  let dir: { path: string; remove: () => Promise<void> };
  let outside: { path: string; remove: () => Promise<void> };
  beforeAll(async () => {
    dir = await tempDir();
    outside = await tempDir();
    await writeFile(join(dir.path, "notes.txt"), "line one\nline two\n");
    await writeFile(join(outside.path, "secret.txt"), "keep out");
  });
  afterAll(async () => {
    await dir.remove();
    await outside.remove();
  });

  it("reads, writes and lists files in the allowed folder", async () => {
    const workbench = new McpWorkbench({
      server: { command: bin("mcp-server-filesystem"), args: [dir.path] },
      toolNamePrefix: "fs_",
    });
    try {
      const names = (await workbench.listTools()).map((t) => t.name);
      expect(names).toEqual(
        expect.arrayContaining(["fs_read_text_file", "fs_write_file", "fs_list_directory"]),
      );

      const read = await workbench.callTool("fs_read_text_file", { path: join(dir.path, "notes.txt") });
      expect(text(read)).toContain("line two");

      const written = await workbench.callTool("fs_write_file", {
        path: join(dir.path, "out.md"),
        content: "# Written over MCP\n",
      });
      expect(written.isError).toBe(false);
      expect(await readFile(join(dir.path, "out.md"), "utf8")).toBe("# Written over MCP\n");

      const listing = await workbench.callTool("fs_list_directory", { path: dir.path });
      expect(text(listing)).toMatch(/\[FILE\] notes\.txt/);
      expect(text(listing)).toMatch(/\[FILE\] out\.md/);
    } finally {
      await workbench.stop();
    }
  });

  it("reports access outside the allowed folder and missing files as error results", async () => {
    const workbench = new McpWorkbench({
      server: { command: bin("mcp-server-filesystem"), args: [dir.path] },
    });
    try {
      const denied = await workbench.callTool("read_text_file", { path: join(outside.path, "secret.txt") });
      expect(denied.isError).toBe(true);
      expect(text(denied)).toMatch(/denied|outside/i);
      expect(text(denied)).not.toContain("keep out");
      const missing = await workbench.callTool("read_text_file", { path: join(dir.path, "nope.txt") });
      expect(missing.isError).toBe(true);
      expect(text(missing)).toMatch(/ENOENT|no such file/i);
    } finally {
      await workbench.stop();
    }
  });

  it("works in the folders given as roots, and follows a change of roots", async () => {
    const workbench = new McpWorkbench({
      server: { command: bin("mcp-server-filesystem") },
      roots: [{ uri: pathToFileURL(dir.path).href, name: "work" }],
    });
    try {
      // The server asks for the roots on its own after the handshake.
      await vi.waitFor(
        async () =>
          expect(text(await workbench.callTool("list_allowed_directories", {}))).toContain(dir.path),
        { timeout: 10_000, interval: 100 },
      );
      expect(
        (await workbench.callTool("read_text_file", { path: join(outside.path, "secret.txt") })).isError,
      ).toBe(true);
      await workbench.setRoots([{ uri: pathToFileURL(outside.path).href, name: "other" }]);
      await vi.waitFor(
        async () => {
          const read = await workbench.callTool("read_text_file", { path: join(outside.path, "secret.txt") });
          expect(text(read)).toBe("keep out");
        },
        { timeout: 10_000, interval: 100 },
      );
    } finally {
      await workbench.stop();
    }
  });
});

describe("McpWorkbench and a changing tool list", () => {
  it("refreshes the cached tool list on notifications/tools/list_changed", async () => {
    const workbench = new McpWorkbench({
      server: { command: process.execPath, args: [join(FIXTURES, "changing-server.mjs")] },
    });
    let changes = 0;
    const unsubscribe = workbench.onToolsChanged(() => changes++);
    try {
      const before = (await workbench.listTools()).map((t) => t.name);
      expect(before).not.toContain("weather");
      // Listed once; a second listTools is served from the cache.
      await workbench.listTools();
      expect(text(await workbench.callTool("list-calls", {}))).toBe("1");

      expect(text(await workbench.callTool("add-tool", { name: "weather" }))).toBe("added weather");
      expect(changes).toBe(1);
      const after = await workbench.listTools();
      expect(after.find((t) => t.name === "weather")?.description).toBe("The weather tool.");
      expect(text(await workbench.callTool("weather", {}))).toBe("I am weather");

      await workbench.callTool("remove-tool", { name: "weather" });
      expect((await workbench.listTools()).map((t) => t.name)).not.toContain("weather");
      const gone = await workbench.callTool("weather", {});
      expect(gone.isError).toBe(true);
      expect(text(gone)).toMatch(/Unknown tool "weather"/);
      unsubscribe();
      await workbench.callTool("add-tool", { name: "other" });
      expect(changes).toBe(2);
    } finally {
      await workbench.stop();
    }
  });

  it("finds a tool added since the last listing without being asked to list again", async () => {
    const workbench = new McpWorkbench({
      server: { command: process.execPath, args: [join(FIXTURES, "changing-server.mjs")] },
    });
    try {
      await workbench.listTools();
      await workbench.callTool("add-tool", { name: "late" });
      expect(text(await workbench.callTool("late", {}))).toBe("I am late");
    } finally {
      await workbench.stop();
    }
  });
});

describe("McpWorkbench and an older server", () => {
  it("falls back to the revision the server speaks (2024-11-05) and lists afresh when it promises no change notices", async () => {
    const workbench = new McpWorkbench({
      server: { command: process.execPath, args: [join(FIXTURES, "old-server.mjs")] },
    });
    try {
      expect((await workbench.serverInfo()).protocolVersion).toBe("2024-11-05");
      expect((await workbench.listTools()).map((t) => t.name)).toEqual(["shout"]);
      expect(text(await workbench.callTool("shout", { text: "quiet" }))).toBe("QUIET");
      expect((await workbench.serverInfo()).era).toBe("legacy");
      // The server offers no prompts: none to list, and asking for one is a JSON-RPC error, reported as a
      // ToolError, after which the session survives.
      expect(await workbench.listPrompts()).toEqual([]);
      await expect(workbench.getPrompt("any")).rejects.toThrow(/Method not found/);
      expect(text(await workbench.callTool("shout", { text: "still" }))).toBe("STILL");
    } finally {
      await workbench.stop();
    }
  });
});
