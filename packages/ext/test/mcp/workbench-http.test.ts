/**
 * McpWorkbench against server-everything over Streamable HTTP (and legacy SSE) on loopback: calls,
 * images, a session the server forgot, a server that went away and came back, cancellation.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { CancelledError, ToolError } from "@autogen-ts/core";
import { McpWorkbench } from "@autogen-ts/ext/tools/mcp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort, type HttpServer, startEverythingHttp } from "./support.js";

function text(result: { result: readonly { type: string; text?: string }[] }): string {
  return result.result.map((p) => (p.type === "text" ? p.text : `[${p.type}]`)).join("\n");
}

describe("McpWorkbench over Streamable HTTP (server-everything)", () => {
  let server: HttpServer;
  beforeAll(async () => {
    server = await startEverythingHttp("streamableHttp");
  });
  afterAll(() => server.kill());

  it("lists and calls tools, images included, on the newest protocol revision", async () => {
    const workbench = new McpWorkbench({ server: { url: server.url, headers: { "X-Test": "1" } } });
    try {
      const names = (await workbench.listTools()).map((t) => t.name);
      expect(names).toEqual(expect.arrayContaining(["echo", "get-sum", "get-tiny-image"]));
      expect((await workbench.serverInfo()).protocolVersion).toBe("2025-11-25");
      expect(text(await workbench.callTool("echo", { message: "over http" }))).toBe("Echo: over http");
      const image = await workbench.callTool("get-tiny-image", {});
      expect(image.result.some((p) => p.type === "image" && p.mediaType === "image/png")).toBe(true);
      const prompt = await workbench.getPrompt("simple-prompt");
      expect(prompt.messages.length).toBeGreaterThan(0);
      const read = await workbench.readResource("demo://resource/dynamic/text/1");
      expect(read.contents).toHaveLength(1);
    } finally {
      await workbench.stop();
    }
  });

  it("cancels a call mid-run and keeps the session", async () => {
    const workbench = new McpWorkbench({ server: { url: server.url } });
    try {
      const controller = new AbortController();
      const call = workbench.callTool(
        "trigger-long-running-operation",
        { duration: 20, steps: 20 },
        { signal: controller.signal, onProgress: () => controller.abort() },
      );
      await expect(call).rejects.toSatisfy(CancelledError.isInstance);
      expect(text(await workbench.callTool("echo", { message: "next" }))).toBe("Echo: next");
    } finally {
      await workbench.stop();
    }
  });

  it("re-initialises when the server has forgotten the session, and recovers after an outage", async () => {
    const port = await freePort();
    let own = await startEverythingHttp("streamableHttp", port);
    const workbench = new McpWorkbench({ server: { url: own.url } });
    try {
      expect(text(await workbench.callTool("echo", { message: "first" }))).toBe("Echo: first");

      // The server goes away: the call is an error result the model can read.
      await own.kill();
      const down = await workbench.callTool("echo", { message: "down" });
      expect(down.isError).toBe(true);
      await expect(workbench.listTools()).rejects.toSatisfy(ToolError.isInstance);

      // A new server process on the same port: a new session, transparently.
      own = await startEverythingHttp("streamableHttp", port);
      expect(text(await workbench.callTool("echo", { message: "back" }))).toBe("Echo: back");

      // Restart it again while the workbench holds a live session: the old session id is unknown to the
      // new process, and the workbench re-initialises and sends the call again.
      await own.kill();
      own = await startEverythingHttp("streamableHttp", port);
      expect(text(await workbench.callTool("echo", { message: "re-init" }))).toBe("Echo: re-init");
      expect((await workbench.listTools()).length).toBeGreaterThan(5);
    } finally {
      await workbench.stop();
      await own.kill();
    }
  });

  it("reports a server killed mid-call as an error result and reconnects on the next call", async () => {
    const port = await freePort();
    let own = await startEverythingHttp("streamableHttp", port);
    const workbench = new McpWorkbench({ server: { url: own.url } });
    try {
      let killed: Promise<void> | undefined;
      const result = await workbench.callTool(
        "trigger-long-running-operation",
        { duration: 20, steps: 20 },
        {
          onProgress: () => {
            killed ??= own.kill();
          },
        },
      );
      await killed;
      expect(result.isError).toBe(true);
      expect(text(result)).toMatch(/failed during the call to "trigger-long-running-operation"/);
      own = await startEverythingHttp("streamableHttp", port);
      expect(text(await workbench.callTool("echo", { message: "again" }))).toBe("Echo: again");
    } finally {
      await workbench.stop();
      await own.kill();
    }
  });
});

describe("McpWorkbench and a legacy SSE server that dies", () => {
  // The MCP timeout is far longer than the test's: waiting for it would fail the test.
  it("fails the pending call at once when the server is killed mid-call", { timeout: 30_000 }, async () => {
    const port = await freePort();
    const own = await startEverythingHttp("sse", port);
    const workbench = new McpWorkbench({
      server: { type: "SseServerParams", url: own.url, timeout: 300_000 },
    });
    try {
      let killed: Promise<void> | undefined;
      const result = await workbench.callTool(
        "trigger-long-running-operation",
        { duration: 60, steps: 60 },
        {
          onProgress: () => {
            killed ??= own.kill();
          },
        },
      );
      await killed;
      expect(result.isError).toBe(true);
      expect(text(result)).toMatch(/trigger-long-running-operation/);
    } finally {
      await workbench.stop();
      await own.kill();
    }
  });
});

describe("McpWorkbench headers and HTTP errors", () => {
  it("sends the configured headers and keeps their values out of errors", async () => {
    const seen: (string | undefined)[] = [];
    const http = createServer((req, res) => {
      seen.push(req.headers.authorization);
      res.writeHead(401, { "content-type": "text/plain" }).end("no entry");
    });
    await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
    const { port } = http.address() as AddressInfo;
    const workbench = new McpWorkbench({
      server: { url: `http://127.0.0.1:${port}/mcp`, headers: { Authorization: "Bearer s3cret-token" } },
    });
    try {
      const error = await workbench.start().catch((e: unknown) => e);
      expect(ToolError.isInstance(error)).toBe(true);
      expect(String((error as Error).message)).not.toContain("s3cret-token");
      expect(seen[0]).toBe("Bearer s3cret-token");
      const result = await workbench.callTool("echo", { message: "x" });
      expect(result.isError).toBe(true);
      expect(JSON.stringify(result)).not.toContain("s3cret-token");
    } finally {
      await workbench.stop();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    }
  });
});

describe("McpWorkbench over legacy HTTP+SSE (server-everything)", () => {
  let server: HttpServer;
  beforeAll(async () => {
    server = await startEverythingHttp("sse");
  });
  afterAll(() => server.kill());

  it("lists and calls tools", async () => {
    const workbench = new McpWorkbench({ server: { type: "SseServerParams", url: server.url } });
    try {
      const names = (await workbench.listTools()).map((t) => t.name);
      expect(names).toContain("get-sum");
      expect(text(await workbench.callTool("get-sum", { a: 20, b: 22 }))).toBe("The sum of 20 and 22 is 42.");
    } finally {
      await workbench.stop();
    }
  });
});
