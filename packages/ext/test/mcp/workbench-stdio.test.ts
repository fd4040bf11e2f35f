/**
 * McpWorkbench against the reference server-everything over stdio: tools, images, resources, prompts,
 * errors, sampling, elicitation, roots, a server killed mid-call, a cancelled call, timeouts.
 */
import { join } from "node:path";
import { CancelledError, ToolError, ValidationError } from "@autogen-ts/core";
import { ReplayChatCompletionClient } from "@autogen-ts/core/testing";
import { McpWorkbench, mcpServerTools, type StdioServerParams } from "@autogen-ts/ext/tools/mcp";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { bin, readPid, stdioWithPidFile, tempDir } from "./support.js";

const everything: StdioServerParams = { command: bin("mcp-server-everything"), args: ["stdio"] };

function text(result: { result: readonly { type: string; text?: string }[] }): string {
  return result.result.map((p) => (p.type === "text" ? p.text : `[${p.type}]`)).join("\n");
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe("McpWorkbench over stdio (server-everything)", () => {
  const workbench = new McpWorkbench({ server: everything });
  afterAll(() => workbench.stop());

  it("speaks the newest protocol revision the SDK knows and lists the server's tools", async () => {
    const tools = await workbench.listTools();
    const names = tools.map((t) => t.name);
    expect(names).toEqual(
      expect.arrayContaining(["echo", "get-sum", "get-tiny-image", "get-resource-reference"]),
    );
    const sum = tools.find((t) => t.name === "get-sum");
    expect(sum?.description).toBeTruthy();
    expect(sum?.parameters).toMatchObject({ type: "object", properties: { a: {}, b: {} } });
    const info = await workbench.serverInfo();
    expect(info.protocolVersion).toBe("2025-11-25");
    expect(info.name).toBe("mcp-servers/everything");
    expect(workbench.isConnected).toBe(true);
  });

  it("calls tools with object and JSON-text arguments on one session", async () => {
    const echo = await workbench.callTool("echo", { message: "hello" });
    expect(echo).toEqual({ name: "echo", result: [{ type: "text", text: "Echo: hello" }], isError: false });
    const sum = await workbench.callTool("get-sum", '{"a": 2, "b": 3}');
    expect(text(sum)).toBe("The sum of 2 and 3 is 5.");
  });

  it("maps image content to image parts and embedded resources to text", async () => {
    const image = await workbench.callTool("get-tiny-image", {});
    expect(image.isError).toBe(false);
    const part = image.result.find((p) => p.type === "image");
    expect(part).toMatchObject({ type: "image", mediaType: "image/png" });
    expect(part?.type === "image" && Buffer.from(part.data, "base64").subarray(1, 4).toString()).toBe("PNG");

    const reference = await workbench.callTool("get-resource-reference", {
      resourceType: "Text",
      resourceId: 3,
    });
    expect(reference.isError).toBe(false);
    expect(text(reference)).toContain("Resource 3");
    expect(reference.result.length).toBeGreaterThanOrEqual(3);
  });

  it("reports bad arguments, invalid JSON and unknown tools as error results", async () => {
    const bad = await workbench.callTool("get-sum", { a: "two", b: 3 });
    expect(bad.isError).toBe(true);
    expect(text(bad)).toMatch(/a|number|invalid/i);

    const json = await workbench.callTool("get-sum", "{not json");
    expect(json).toMatchObject({ isError: true });
    expect(text(json)).toMatch(/not valid JSON/);

    const array = await workbench.callTool("get-sum", "[1,2]");
    expect(text(array)).toMatch(/JSON object/);

    const unknown = await workbench.callTool("no-such-tool", {});
    expect(unknown.isError).toBe(true);
    expect(text(unknown)).toMatch(/Unknown tool "no-such-tool".*echo/s);

    const failing = await workbench.callTool("get-resource-reference", {
      resourceType: "Text",
      resourceId: -1,
    });
    expect(failing.isError).toBe(true);
    expect(text(failing)).toMatch(/resourceId/);
  });

  it("lists and fills prompts", async () => {
    const prompts = await workbench.listPrompts();
    expect(prompts.map((p) => p.name)).toEqual(expect.arrayContaining(["simple-prompt", "args-prompt"]));
    const filled = await workbench.getPrompt("args-prompt", { city: "Lisbon" });
    expect(filled.messages[0]?.content).toMatchObject({ type: "text", text: "What's weather in Lisbon?" });
    await expect(workbench.getPrompt("no-such-prompt")).rejects.toSatisfy(
      (e) => ToolError.isInstance(e) && /no-such-prompt/.test(e.message),
    );
  });

  it("lists resources and templates and reads a resource", async () => {
    const resources = await workbench.listResources();
    expect(resources.length).toBeGreaterThan(0);
    const templates = await workbench.listResourceTemplates();
    expect(templates.map((t) => t.uriTemplate)).toEqual(
      expect.arrayContaining(["demo://resource/dynamic/text/{resourceId}"]),
    );
    const read = await workbench.readResource("demo://resource/dynamic/text/2");
    expect(read.contents[0]).toMatchObject({ uri: "demo://resource/dynamic/text/2", mimeType: "text/plain" });
    expect(read.contents[0] && "text" in read.contents[0] && read.contents[0].text).toBeTruthy();
  });

  it("cancels a running call through its signal and keeps the session", async () => {
    const info = await workbench.serverInfo();
    const controller = new AbortController();
    const progress: number[] = [];
    const call = workbench.callTool(
      "trigger-long-running-operation",
      { duration: 20, steps: 20 },
      {
        signal: controller.signal,
        onProgress: (p) => {
          progress.push(p.progress);
          controller.abort();
        },
      },
    );
    await expect(call).rejects.toSatisfy((e) => CancelledError.isInstance(e) && e.code === "cancelled");
    expect(progress).toEqual([1]);
    // The same session answers the next call.
    expect(text(await workbench.callTool("echo", { message: "after" }))).toBe("Echo: after");
    expect((await workbench.serverInfo()).name).toBe(info.name);
    // An already aborted signal rejects at once.
    await expect(
      workbench.callTool("echo", { message: "x" }, { signal: AbortSignal.abort() }),
    ).rejects.toSatisfy(CancelledError.isInstance);
  });

  it("turns a call that outlives its timeout into an error result", async () => {
    const result = await workbench.callTool(
      "trigger-long-running-operation",
      { duration: 5, steps: 1 },
      { timeout: 200 },
    );
    expect(result.isError).toBe(true);
    expect(text(result)).toMatch(/did not answer within 200 ms/);
    expect(text(await workbench.callTool("echo", { message: "still here" }))).toBe("Echo: still here");
  });

  it("closes the session on stop() and opens a new one lazily", async () => {
    await workbench.stop();
    expect(workbench.isConnected).toBe(false);
    await workbench.stop();
    expect(text(await workbench.callTool("echo", { message: "again" }))).toBe("Echo: again");
    expect(workbench.isConnected).toBe(true);
  });
});

describe("McpWorkbench when the server dies", () => {
  let dir: { path: string; remove: () => Promise<void> };
  beforeAll(async () => {
    dir = await tempDir();
  });
  afterAll(() => dir.remove());

  it("reports a server killed mid-call as an error result and restarts it on the next call", async () => {
    const pidFile = join(dir.path, "pid");
    const workbench = new McpWorkbench({ server: stdioWithPidFile(everything.command, ["stdio"], pidFile) });
    try {
      await workbench.start();
      const firstPid = await readPid(pidFile);
      let killed = false;
      const result = await workbench.callTool(
        "trigger-long-running-operation",
        { duration: 20, steps: 20 },
        {
          onProgress: () => {
            if (!killed) process.kill(firstPid, "SIGKILL");
            killed = true;
          },
        },
      );
      expect(killed).toBe(true);
      expect(result.isError).toBe(true);
      expect(text(result)).toMatch(/failed during the call to "trigger-long-running-operation".*restarted/s);
      expect(workbench.isConnected).toBe(false);

      const next = await workbench.callTool("echo", { message: "back" });
      expect(text(next)).toBe("Echo: back");
      const secondPid = await readPid(pidFile);
      expect(secondPid).not.toBe(firstPid);
      expect(isAlive(secondPid)).toBe(true);
      await workbench.stop();
      expect(isAlive(secondPid)).toBe(false);
    } finally {
      await workbench.stop();
    }
  });

  it("restarts a server that exited between calls", async () => {
    const pidFile = join(dir.path, "pid2");
    const workbench = new McpWorkbench({ server: stdioWithPidFile(everything.command, ["stdio"], pidFile) });
    try {
      expect(text(await workbench.callTool("echo", { message: "one" }))).toBe("Echo: one");
      const firstPid = await readPid(pidFile);
      process.kill(firstPid, "SIGKILL");
      await vi.waitFor(() => expect(workbench.isConnected).toBe(false), { timeout: 10_000 });
      expect(text(await workbench.callTool("echo", { message: "two" }))).toBe("Echo: two");
      expect(await readPid(pidFile)).not.toBe(firstPid);
    } finally {
      await workbench.stop();
    }
  });

  it("gives an error result when the server cannot start, and a ToolError from listTools", async () => {
    const workbench = new McpWorkbench({ server: { command: join(dir.path, "no-such-server") } });
    const result = await workbench.callTool("echo", { message: "x" });
    expect(result.isError).toBe(true);
    expect(text(result)).toMatch(/Could not start the MCP server .*no-such-server/);
    await expect(workbench.listTools()).rejects.toSatisfy(ToolError.isInstance);
    await workbench.stop();
  });

  it("includes the server's stderr when it exits during the handshake", async () => {
    const workbench = new McpWorkbench({
      server: { command: "sh", args: ["-c", "echo 'missing API_KEY' >&2; exit 3"] },
    });
    await expect(workbench.start()).rejects.toSatisfy(
      (e) => ToolError.isInstance(e) && /missing API_KEY/.test(e.message),
    );
  });
});

describe("McpWorkbench naming, state and config", () => {
  it("prefixes and overrides tool names so two servers never collide", async () => {
    const a = new McpWorkbench({ server: everything, toolNamePrefix: "a_" });
    const b = new McpWorkbench({
      server: everything,
      toolOverrides: { echo: { name: "shout", description: "Says it back." } },
    });
    try {
      const aNames = (await a.listTools()).map((t) => t.name);
      expect(aNames).toContain("a_echo");
      expect(aNames.every((n) => n.startsWith("a_"))).toBe(true);
      const bTools = await b.listTools();
      expect(bTools.find((t) => t.name === "shout")?.description).toBe("Says it back.");
      expect(bTools.some((t) => t.name === "echo")).toBe(false);
      expect(text(await a.callTool("a_echo", { message: "A" }))).toBe("Echo: A");
      expect(text(await b.callTool("shout", { message: "B" }))).toBe("Echo: B");
      expect((await a.callTool("echo", { message: "A" })).isError).toBe(true);
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
  });

  it("rejects overrides that clash, with each other or with another tool", async () => {
    expect(
      () =>
        new McpWorkbench({
          server: everything,
          toolOverrides: { echo: { name: "x" }, "get-sum": { name: "x" } },
        }),
    ).toThrow(/same name "x"/);
    expect(() => new McpWorkbench({ server: everything, toolNamePrefix: "bad prefix " })).toThrow(
      ValidationError,
    );
    const clash = new McpWorkbench({ server: everything, toolOverrides: { echo: { name: "get-sum" } } });
    try {
      await expect(clash.listTools()).rejects.toSatisfy(
        (e) => ValidationError.isInstance(e) && e.code === "invalid_config",
      );
    } finally {
      await clash.stop();
    }
  });

  it("rejects params that name no server", () => {
    expect(() => new McpWorkbench({ server: { command: "" } })).toThrow(/command/);
    expect(() => new McpWorkbench({ server: { url: "not a url" } })).toThrow(/url/);
    expect(() => new McpWorkbench({ server: { command: "x", timeout: -1 } })).toThrow(/timeout/);
  });

  it("saves and loads its naming config, with env and header values redacted", async () => {
    const workbench = new McpWorkbench({
      server: { ...everything, env: { API_KEY: "sk-secret" } },
      toolNamePrefix: "ev_",
      toolOverrides: { echo: { description: "Repeats." } },
    });
    const state = await workbench.saveState();
    expect(JSON.stringify(state)).not.toContain("sk-secret");
    expect(state).toMatchObject({
      type: "McpWorkbenchState",
      version: 1,
      toolNamePrefix: "ev_",
      server: { type: "StdioServerParams", env: { API_KEY: "<redacted>" } },
    });
    const other = new McpWorkbench({ server: everything });
    try {
      await other.loadState(state);
      const tools = await other.listTools();
      expect(tools.find((t) => t.name === "ev_echo")?.description).toBe("Repeats.");
      await expect(other.loadState({ type: "Other" })).rejects.toSatisfy(ValidationError.isInstance);
      await expect(
        other.loadState({
          type: "McpWorkbenchState",
          version: 1,
          toolOverrides: { a: { name: "x" }, b: { name: "x" } },
        }),
      ).rejects.toThrow(/same name/);
    } finally {
      await other.stop();
    }
    const http = new McpWorkbench({
      server: { url: "http://user:pw@127.0.0.1:1/mcp", headers: { Authorization: "Bearer tok" } },
    });
    const httpState = JSON.stringify(await http.saveState());
    expect(httpState).not.toMatch(/Bearer tok|pw@/);
  });

  it("mcpServerTools gives Tool objects sharing one session", async () => {
    const tools = await mcpServerTools(everything, { toolNamePrefix: "ev_" });
    try {
      const echo = tools.find((t) => t.name === "ev_echo");
      expect(echo?.schema.parameters).toMatchObject({ type: "object" });
      expect(text(await echo!.call('{"message":"tool"}'))).toBe("Echo: tool");
      expect(new Set(tools.map((t) => t.workbench)).size).toBe(1);
    } finally {
      await tools[0]?.workbench.stop();
    }
  });
});

describe("McpWorkbench answering the server (sampling, elicitation, roots)", () => {
  it("answers sampling requests with the given model client", async () => {
    const model = new ReplayChatCompletionClient({ responses: ["Paris is the capital."] });
    const workbench = new McpWorkbench({ server: everything, modelClient: model });
    try {
      const result = await workbench.callTool("trigger-sampling-request", { prompt: "Capital of France?" });
      expect(result.isError).toBe(false);
      expect(text(result)).toContain("Paris is the capital.");
      const request = model.requests[0];
      expect(request?.messages[0]).toEqual({
        type: "SystemMessage",
        content: "You are a helpful test server.",
      });
      expect(request?.messages[1]).toMatchObject({
        type: "UserMessage",
        content: expect.stringContaining("Capital"),
      });
    } finally {
      await workbench.stop();
    }
  });

  it("offers no sampling tool without a model client", async () => {
    const workbench = new McpWorkbench({ server: everything });
    try {
      const names = (await workbench.listTools()).map((t) => t.name);
      expect(names).not.toContain("trigger-sampling-request");
    } finally {
      await workbench.stop();
    }
  });

  it("routes elicitation to the user-input function (accept and decline)", async () => {
    const asked: string[] = [];
    let answer: "accept" | "decline" = "accept";
    const workbench = new McpWorkbench({
      server: everything,
      elicitation: async (request) => {
        asked.push(request.mode === "form" ? JSON.stringify(request.requestedSchema) : request.url);
        return answer === "accept"
          ? { action: "accept", content: { name: "Ada Lovelace" } }
          : { action: "decline" };
      },
    });
    try {
      const accepted = await workbench.callTool("trigger-elicitation-request", {});
      expect(accepted.isError).toBe(false);
      expect(text(accepted)).toContain("Ada Lovelace");
      expect(asked[0]).toContain('"name"');
      answer = "decline";
      const declined = await workbench.callTool("trigger-elicitation-request", {});
      expect(text(declined)).toMatch(/declined/i);
    } finally {
      await workbench.stop();
    }
  });

  it("offers roots and announces changes to them", async () => {
    const workbench = new McpWorkbench({
      server: everything,
      roots: [{ uri: "file:///tmp/project", name: "project" }],
    });
    try {
      const first = await workbench.callTool("get-roots-list", {});
      expect(text(first)).toContain("file:///tmp/project");
      await workbench.setRoots([{ uri: "file:///tmp/other", name: "other" }]);
      await vi.waitFor(
        async () => {
          expect(text(await workbench.callTool("get-roots-list", {}))).toContain("file:///tmp/other");
        },
        { timeout: 10_000, interval: 100 },
      );
    } finally {
      await workbench.stop();
    }
    await expect(new McpWorkbench({ server: everything }).setRoots([])).rejects.toSatisfy(
      ValidationError.isInstance,
    );
  });
});
