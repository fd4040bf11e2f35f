/** FileSurfer on a scripted replay model: a multi-step look through a folder, and a refused escape. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ToolCallExecutionEvent } from "@autogen-ts/agentchat";
import { ReplayChatCompletionClient } from "@autogen-ts/core/testing";
import { FileSurfer } from "@autogen-ts/ext/agents/file-surfer";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makePdf } from "./fixtures.js";

let root: string;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), "file-surfer-"));
  mkdirSync(join(root, "reports"));
  writeFileSync(join(root, "reports", "q3.pdf"), makePdf([["Q3 report", "Revenue: 4.2 million"]]));
  writeFileSync(join(root, "readme.txt"), "Reports live in reports/.");
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("FileSurfer", () => {
  it("lists, searches and reads a PDF, then answers", async () => {
    const model = new ReplayChatCompletionClient({
      responses: [
        { content: [{ id: "1", name: "list_directory", arguments: '{"recursive":true}' }] },
        { content: [{ id: "2", name: "read_file", arguments: '{"path":"reports/q3.pdf"}' }] },
        { content: [{ id: "3", name: "read_file", arguments: '{"path":"../../etc/passwd"}' }] },
        "Q3 revenue was 4.2 million (reports/q3.pdf).",
      ],
    });
    const surfer = new FileSurfer({ name: "file_surfer", modelClient: model, root });
    expect(model.requests).toHaveLength(0);
    const result = await surfer.run({ task: "What was Q3 revenue?" });
    const results = result.messages
      .filter((m): m is ToolCallExecutionEvent => m instanceof ToolCallExecutionEvent)
      .map((e) => e.content[0]!);
    expect(results[0]!.content).toContain("reports/q3.pdf");
    expect(results[1]!.content).toBe("Q3 report\nRevenue: 4.2 million");
    expect(results[2]!.isError).toBe(true);
    expect(results[2]!.content).toMatch(/Refused: "\.\.\/\.\.\/etc\/passwd" climbs out/);
    expect(result.messages.at(-1)!.toText()).toBe("Q3 revenue was 4.2 million (reports/q3.pdf).");
    // Read-only by default: the model was offered no write tools.
    expect(model.requests[0]!.options.tools?.map((t) => t.name)).toEqual([
      "list_directory",
      "read_file",
      "search_files",
    ]);
    await surfer.close();
  });
});
