/** `autogen-ts mcp` as a real child process, driven by the official MCP SDK client over stdio and HTTP. */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { ProgressNotificationSchema } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ModelServer, startModelServer } from "../../ext/test/support/model-server.js";
import { chatReply } from "../../ext/test/support/openai-wire.js";

const BIN = new URL("../src/bin.ts", import.meta.url).pathname;
const GALLERY = new URL(
  "../../../../shared/conformance/autogen-studio/studio_default_gallery.json",
  import.meta.url,
).pathname;

let dir: string;
let teamFile: string;
let server: ModelServer;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "autogen-cli-mcp-"));
  server = await startModelServer();
  const gallery = JSON.parse(await readFile(GALLERY, "utf8"));
  const team = gallery.components.teams.find((t: { label: string }) => t.label === "RoundRobin Team");
  teamFile = join(dir, "team.json");
  await writeFile(teamFile, JSON.stringify(team));
});
afterAll(() => server.close());

const serveArgs = (...extra: string[]) => [
  "--conditions",
  "@autogen-ts/source",
  "--import",
  "tsx",
  BIN,
  "mcp",
  teamFile,
  "--base-url",
  `${server.url}/v1`,
  "--model",
  "gpt-4o",
  "--allow-code",
  ...extra,
];

async function callTeam(client: Client, task: string) {
  // Collected by a notification handler: the v1 SDK client's `onprogress` can miss a notification that
  // arrives in the same read as the response.
  const progress: string[] = [];
  client.setNotificationHandler(ProgressNotificationSchema, (n) => {
    if (n.params.message) progress.push(n.params.message);
  });
  const [tool] = (await client.listTools()).tools;
  const result = await client.callTool({ name: tool!.name, arguments: { task } }, undefined, {
    onprogress: () => {},
  });
  return { tool: tool!, result, progress };
}

describe("autogen-ts mcp", () => {
  it("serves a gallery team over stdio: list, call, progress, answer", async () => {
    server.enqueue(chatReply({ content: "Paris is the capital of France. TERMINATE" }));
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: serveArgs(),
      env: { ...process.env, OPENAI_API_KEY: "sk-test" } as Record<string, string>,
      stderr: "pipe",
    });
    const client = new Client({ name: "test-host", version: "1.0.0" });
    await client.connect(transport);
    try {
      const { tool, result, progress } = await callTeam(client, "What is the capital of France?");
      // Progress notifications carry the run's messages as they happen.
      expect(progress.join("\n")).toContain("Paris is the capital of France.");
      expect(tool.inputSchema.required).toEqual(["task"]);
      const text = (result.content as { type: string; text: string }[]).map((c) => c.text).join("\n");
      expect(text).toContain("Paris is the capital of France.");
      expect(result.isError).toBeFalsy();
      const request = server.requests.at(-1)!.body as { model: string; messages: { content: string }[] };
      expect(request.model).toBe("gpt-4o");
      expect(JSON.stringify(request.messages)).toContain("What is the capital of France?");
    } finally {
      await client.close();
    }
  });

  it("serves over HTTP on loopback, printing the endpoint", async () => {
    server.enqueue(chatReply({ content: "Forty-two. TERMINATE" }));
    const child: ChildProcess = spawn(process.execPath, serveArgs("--transport", "http"), {
      env: { ...process.env, OPENAI_API_KEY: "sk-test" },
    });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let stderr = "";
        child.stderr!.on("data", (d) => {
          stderr += d;
          const match = /at (http:\/\/127\.0\.0\.1:\d+\/mcp)/.exec(stderr);
          if (match) resolve(match[1]!);
        });
        child.once("exit", (code) => reject(new Error(`exited ${code}: ${stderr}`)));
      });
      const client = new Client({ name: "test-host", version: "1.0.0" });
      await client.connect(new StreamableHTTPClientTransport(new URL(url)));
      try {
        const { result } = await callTeam(client, "What is six times seven?");
        expect(JSON.stringify(result.content)).toContain("Forty-two.");
      } finally {
        await client.close();
      }
    } finally {
      child.kill("SIGTERM");
    }
  });

  it("refuses a public address without --api-key, and with one accepts only that bearer token", async () => {
    const refused = spawn(process.execPath, serveArgs("--transport", "http", "--host", "0.0.0.0"), {
      env: { ...process.env, OPENAI_API_KEY: "sk-test" },
    });
    let refusal = "";
    refused.stderr.on("data", (d) => (refusal += d));
    expect(await new Promise((r) => refused.once("exit", r))).toBe(2);
    expect(refusal).toMatch(/auth/i);

    server.enqueue(chatReply({ content: "Forty-two. TERMINATE" }));
    const child: ChildProcess = spawn(
      process.execPath,
      serveArgs("--transport", "http", "--host", "0.0.0.0", "--api-key", "k-secret-1"),
      { env: { ...process.env, OPENAI_API_KEY: "sk-test" } },
    );
    try {
      const port = await new Promise<string>((resolve, reject) => {
        let stderr = "";
        child.stderr!.on("data", (d) => {
          stderr += d;
          const match = /at http:\/\/[^:]+:(\d+)\/mcp/.exec(stderr);
          if (match) resolve(match[1]!);
        });
        child.once("exit", (code) => reject(new Error(`exited ${code}: ${stderr}`)));
      });
      const url = new URL(`http://127.0.0.1:${port}/mcp`);
      const anonymous = new Client({ name: "test-host", version: "1.0.0" });
      await expect(anonymous.connect(new StreamableHTTPClientTransport(url))).rejects.toThrow();
      const client = new Client({ name: "test-host", version: "1.0.0" });
      await client.connect(
        new StreamableHTTPClientTransport(url, {
          requestInit: { headers: { authorization: "Bearer k-secret-1" } },
        }),
      );
      try {
        const { result } = await callTeam(client, "What is six times seven?");
        expect(JSON.stringify(result.content)).toContain("Forty-two.");
      } finally {
        await client.close();
      }
    } finally {
      child.kill("SIGTERM");
    }
  });

  it("fails at start, with the file's error and exit code 2, on a broken file", async () => {
    const broken = join(dir, "broken.json");
    await writeFile(broken, JSON.stringify({ provider: "x.Y", component_type: "team", config: {} }));
    const child = spawn(process.execPath, [...serveArgs().slice(0, 6), broken]);
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += d));
    const code = await new Promise((r) => child.once("exit", r));
    expect(code).toBe(2);
    expect(stderr).toMatch(/^autogen-ts: .*x\.Y/);
  });
});
