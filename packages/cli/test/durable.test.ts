/**
 * `run --store`, `resume` and `runs` as real child processes against a loopback OpenAI server: the run
 * id comes first on stderr, a person's input parks the run (exit 4) without a terminal, and a second
 * process answers it and finishes the run; `--output` then holds the whole run.
 */
import { spawn } from "node:child_process";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type ConversationServer,
  startConversationServer,
} from "../../ext/test/support/conversation-server.js";

const BIN = new URL("../src/bin.ts", import.meta.url).pathname;

function cli(args: string[]) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(
      process.execPath,
      ["--conditions", "@autogen-ts/source", "--import", "tsx", BIN, ...args],
      {
        env: { ...process.env, NO_COLOR: "1", OPENAI_API_KEY: "test-key" } as NodeJS.ProcessEnv,
        stdio: ["pipe", "pipe", "pipe"],
      },
    );
    child.stdin.end();
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

function agent(name: string) {
  return {
    provider: "autogen_agentchat.agents.AssistantAgent",
    component_type: "agent",
    config: {
      name,
      model_client: {
        provider: "autogen_ext.models.openai.OpenAIChatCompletionClient",
        component_type: "model",
        config: { model: "gpt-4o" },
      },
      system_message: `${name}: you help.`,
    },
  };
}

const TEAM = {
  provider: "autogen_agentchat.teams.RoundRobinGroupChat",
  component_type: "team",
  config: {
    participants: [
      agent("writer"),
      {
        provider: "autogen_agentchat.agents.UserProxyAgent",
        component_type: "agent",
        config: { name: "user", description: "A person." },
      },
      agent("editor"),
    ],
    max_turns: 3,
  },
};

let dir: string;
let server: ConversationServer;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "autogen-cli-durable-"));
  server = await startConversationServer();
  await writeFile(join(dir, "team.json"), JSON.stringify(TEAM));
});
afterAll(async () => {
  await server.close();
});

describe("autogen-ts run --store / resume / runs", () => {
  it("parks a person's input (exit 4), and a second process answers it and finishes the run", async () => {
    const store = `sqlite:${join(dir, "runs.db")}`;
    const first = await cli([
      "run",
      join(dir, "team.json"),
      "--task",
      "Write a line.",
      "--store",
      store,
      "--base-url",
      server.url,
    ]);
    expect(first.code, first.stderr).toBe(4);
    const lines = first.stderr.split("\n");
    const runId = /^run id: (\S+)$/.exec(lines[0] ?? "")?.[1];
    expect(runId).toBeDefined();
    const waiting = lines.map((l) => /^waiting for input: (\S+)$/.exec(l)?.[1]).find(Boolean);
    expect(waiting).toBeDefined();
    expect(first.stdout).toContain("writer says 0");

    const listed = await cli(["runs", "--store", store]);
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toMatch(new RegExp(`^${runId}\\tinterrupted\\t.*\\tWrite a line\\.`, "m"));

    const output = join(dir, "run.json");
    const second = await cli([
      "resume",
      runId as string,
      "--store",
      store,
      "--input",
      "Make it shorter.",
      "--output",
      output,
    ]);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stderr.split("\n")[0]).toBe(`run id: ${runId}`);
    expect(second.stdout).toContain("editor says 0");
    const record = JSON.parse(await readFile(output, "utf8")) as {
      status: string;
      messages: { type: string; source: string; content: unknown }[];
    };
    expect(record.status).toBe("completed");
    // The whole run, from its first message, though this process only resumed it.
    expect(record.messages.map((m) => `${m.source}:${m.type}`)).toEqual([
      "user:TextMessage",
      "writer:TextMessage",
      "user:UserInputRequestedEvent",
      "user:TextMessage",
      "editor:TextMessage",
    ]);
    expect(record.messages[3]?.content).toBe("Make it shorter.");
    // The writer's model call was not made again by the second process.
    expect(server.requests.filter((r) => r.agent === "writer")).toHaveLength(1);
    const after = await cli(["runs", "--store", store, "--status", "completed"]);
    expect(after.stdout).toContain(`${runId}\tcompleted`);
  });

  it("refuses a store it cannot use and a run it does not have, with exit 2 or 1 and one line", async () => {
    const bad = await cli(["runs", "--store", "sqlite:"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--store sqlite: needs a file");
    const missing = await cli(["resume", "nope", "--store", `sqlite:${join(dir, "runs.db")}`]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("no run nope");
  });
});
