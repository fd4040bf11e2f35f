/** The command line as a real child process: run against the scripted model server, validate, convert, demo. */
import { spawn } from "node:child_process";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ModelServer, startModelServer } from "../../ext/test/support/model-server.js";
import { chatReply } from "../../ext/test/support/openai-wire.js";
import { cli } from "./support.js";

// CI and developers have shared/ beside the repository.
const GALLERY = new URL(
  "../../../../shared/conformance/autogen-studio/studio_default_gallery.json",
  import.meta.url,
).pathname;

let dir: string;
let server: ModelServer;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "autogen-cli-"));
  server = await startModelServer();
});
afterAll(() => server.close());

describe("autogen-ts run", () => {
  it("runs the gallery's RoundRobin Team with --base-url, the calculator as real Python", async () => {
    server.enqueue(
      chatReply({
        toolCalls: [{ id: "c1", name: "calculator", arguments: '{"a": 12, "b": 3.5, "operator": "*"}' }],
      }),
      chatReply({ content: "12 × 3.5 = 42.0. TERMINATE" }),
    );
    const output = join(dir, "result.json");
    const run = await cli([
      "run",
      GALLERY,
      "--component",
      "RoundRobin Team",
      "--task",
      "What is 12 * 3.5?",
      "--base-url",
      `${server.url}/v1`,
      "--model",
      "gpt-4o",
      "--allow-code",
      "--output",
      output,
    ]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("calculator: 42.0");
    expect(run.stdout).toContain("TERMINATE");
    const body = server.requests.at(-2)!.body as { model: string };
    expect(body.model).toBe("gpt-4o");
    const result = JSON.parse(await readFile(output, "utf8"));
    expect(result.stop_reason).toContain("TERMINATE");
    expect(result.messages.length).toBeGreaterThanOrEqual(4);
  });

  it("runs the gallery's Selector Team with --base-url: the model picks, the calculator runs as Python", async () => {
    const before = server.requests.length;
    server.enqueue(
      chatReply({ content: "assistant_agent" }),
      chatReply({
        toolCalls: [{ id: "c1", name: "calculator", arguments: '{"a": 9, "b": 4, "operator": "-"}' }],
      }),
      chatReply({ content: "9 - 4 = 5 checks out. TERMINATE" }),
    );
    const output = join(dir, "selector.json");
    const run = await cli([
      "run",
      GALLERY,
      "--component",
      "Selector Team",
      "--task",
      "What is 9 - 4?",
      "--base-url",
      `${server.url}/v1`,
      "--allow-code",
      "--output",
      output,
    ]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("calculator: 5");
    expect(run.stdout).toContain("9 - 4 = 5 checks out. TERMINATE");
    const requests = server.requests.slice(before).map((r) => r.body as { messages: { content: string }[] });
    // Three model calls: the selector's, the assistant's, the critic's (then the only candidate left).
    expect(requests).toHaveLength(3);
    expect(requests[0]!.messages[0]!.content).toContain(
      "select the next role from [assistant_agent, critic_agent]",
    );
    const result = JSON.parse(await readFile(output, "utf8"));
    expect(result.stop_reason).toContain("TERMINATE");
    expect(result.messages.map((m: { source: string }) => m.source)).toContain("critic_agent");
  });

  it("gives a one-line error naming the JSON path of a mistake, exit code 2", async () => {
    const doc = JSON.parse(await readFile(GALLERY, "utf8")).components.teams[0];
    doc.config.participants[0].config.model_client.provider = "x.Y";
    const file = join(dir, "broken.json");
    await writeFile(file, JSON.stringify(doc));
    const run = await cli(["run", file, "--task", "hi", "--allow-code"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      'autogen-ts: config.participants[0].config.model_client: unknown provider "x.Y"\n',
    );
  });

  it("refuses source code without --allow-code", async () => {
    const run = await cli([
      "run",
      GALLERY,
      "--component",
      "RoundRobin Team",
      "--task",
      "hi",
      "--base-url",
      server.url,
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split("\n")).toHaveLength(1);
    expect(run.stderr).toMatch(
      /workbench\[0\]\.config\.tools\[0\]: autogen_core\.tools\.FunctionTool carries code/,
    );
  });

  it("exits 1 when the run fails, and 2 on usage errors", async () => {
    server.enqueue({
      kind: "json",
      status: 400,
      body: { error: { message: "bad request", type: "invalid_request_error" } },
    });
    const failed = await cli([
      "run",
      GALLERY,
      "--component",
      "RoundRobin Team",
      "--task",
      "hi",
      "--base-url",
      `${server.url}/v1`,
      "--allow-code",
    ]);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/^autogen-ts: the run failed: /);
    expect((await cli(["run", GALLERY])).code).toBe(2);
    expect((await cli(["frobnicate"])).code).toBe(2);
  });
});

describe("autogen-ts validate and convert", () => {
  it("validates the whole gallery, and names what is not supported", async () => {
    const run = await cli(["validate", GALLERY, "--allow-code"], {
      OPENAI_API_KEY: "sk-test",
      AZURE_OPENAI_API_KEY: "az",
    });
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    for (const label of [
      "RoundRobin Team",
      "Selector Team",
      "Web Agent Team (Operator)",
      "Deep Research Team",
    ]) {
      expect(run.stdout).toContain(`ok      ${label}`);
    }
    const file = join(dir, "docker.json");
    await writeFile(
      file,
      JSON.stringify({
        provider: "autogen_ext.code_executors.docker.DockerCommandLineCodeExecutor",
        component_type: "code_executor",
        config: {},
      }),
    );
    const unsupported = await cli(["validate", file]);
    expect(unsupported.code).toBe(2);
    expect(unsupported.stderr).toContain(
      'provider "autogen_ext.code_executors.docker.DockerCommandLineCodeExecutor" is not supported yet',
    );
  });

  it("converts JSON to YAML and back to the same document", async () => {
    const doc = JSON.parse(await readFile(GALLERY, "utf8")).components.teams[0];
    const json = join(dir, "team.json");
    const yaml = join(dir, "team.yaml");
    await writeFile(json, JSON.stringify(doc));
    expect((await cli(["convert", json, "--output", yaml])).code).toBe(0);
    expect(await readFile(yaml, "utf8")).toContain("provider: autogen_agentchat.teams.RoundRobinGroupChat");
    const back = await cli(["convert", yaml, "--to", "json"]);
    expect(JSON.parse(back.stdout)).toEqual(doc);
    const valid = await cli(["validate", yaml, "--allow-code"], { OPENAI_API_KEY: "sk-test" });
    expect(valid.stdout).toContain("valid");
    expect(valid.code).toBe(0);
  });
});

describe("autogen-ts demo", () => {
  it("runs the team on the replay script with no key and no network", async () => {
    const run = await cli(["demo"]);
    expect(run.code).toBe(0);
    expect(run.stdout.split("\n")[0]).toMatch(/replaying a bundled script/);
    expect(run.stdout).toContain("convert_currency: 580 EUR = 626.40 USD");
    expect(run.stdout).toContain("Stop reason: Text 'TERMINATE' mentioned");
  });

  it("runs as the installed command (npm's bin link to the committed shim, on the built package)", async () => {
    // `npm ci` links the bin and its prepare step builds dist/; this is what `npx autogen-ts demo` runs.
    const bin = new URL("../../../node_modules/.bin/autogen-ts", import.meta.url).pathname;
    const run = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(bin, ["demo"], { env: { ...process.env, NO_COLOR: "1", OPENAI_API_KEY: "" } });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (d) => (stdout += d));
      child.stderr.on("data", (d) => (stderr += d));
      child.on("error", (error) => resolve({ code: -1, stdout, stderr: String(error) }));
      child.on("close", (code) => resolve({ code, stdout, stderr }));
    });
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("Stop reason: Text 'TERMINATE' mentioned");
  });
});
