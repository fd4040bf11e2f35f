/**
 * McpWorkbench over stdio starts the server once per connection: the `server/discover` probe runs in
 * place (a 2026-07-28 server answers it on the same process), instead of on a throwaway sibling process.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { McpWorkbench } from "@autogen-ts/ext/tools/mcp";
import { describe, expect, it } from "vitest";
import { ROOT, tempDir } from "./support.js";

describe("McpWorkbench's stdio probe", () => {
  it("spawns a 2026-07-28 server once and speaks the modern revision to it", async () => {
    const dir = await tempDir();
    const log = join(dir.path, "starts.log");
    const workbench = new McpWorkbench({
      server: {
        command: process.execPath,
        args: [
          "--conditions=@autogen-ts/source",
          "--import",
          "tsx",
          join(import.meta.dirname, "fixtures", "counted-server.ts"),
        ],
        cwd: ROOT,
        env: { ...(process.env as Record<string, string>), START_LOG: log },
      },
    });
    try {
      const result = await workbench.callTool("echo", { text: "once" });
      expect(result.result).toEqual([{ type: "text", text: "once" }]);
      expect(await workbench.serverInfo()).toMatchObject({ era: "modern", protocolVersion: "2026-07-28" });
      const starts = (await readFile(log, "utf8")).trim().split("\n");
      expect(starts).toHaveLength(1);
    } finally {
      await workbench.stop();
      await dir.remove();
    }
  });

  it("starts an older server that exits on the probe again, for the 2024-11-05 handshake", async () => {
    const workbench = new McpWorkbench({
      server: {
        command: process.execPath,
        args: [join(import.meta.dirname, "fixtures", "old-server.mjs")],
        env: { ...(process.env as Record<string, string>), EXIT_BEFORE_INIT: "1" },
      },
    });
    try {
      const result = await workbench.callTool("shout", { text: "hi" });
      expect(result.result).toEqual([{ type: "text", text: "HI" }]);
      expect(await workbench.serverInfo()).toMatchObject({ era: "legacy", protocolVersion: "2024-11-05" });
    } finally {
      await workbench.stop();
    }
  });
});
