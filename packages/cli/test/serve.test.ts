/** `autogen-ts serve` as a real child process: the pinned flags and stderr line, HTTP, SIGTERM. */
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  AssistantAgent,
  RoundRobinGroupChat,
  TextMentionTermination,
  UserProxyAgent,
} from "@autogen-ts/agentchat";
import { dumpComponent } from "@autogen-ts/ext/components";
import { OpenAIChatCompletionClient } from "@autogen-ts/ext/models/openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeOpenAI, startFakeOpenAI } from "../../server/test/support/fake-openai.js";
import { exited, startServe } from "./serve-process.js";

let dir: string;
let model: FakeOpenAI;
let reviewFile: string;
let plainFile: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "autogen-cli-serve-"));
  model = await startFakeOpenAI();
  const client = new OpenAIChatCompletionClient({
    model: "gpt-4o",
    apiKey: "sk-from-file",
    baseURL: model.url,
  });
  const review = new RoundRobinGroupChat({
    participants: [
      new AssistantAgent({ name: "writer", modelClient: client }),
      new UserProxyAgent({ name: "person" }),
    ],
    terminationCondition: new TextMentionTermination("APPROVE"),
  });
  const doc = { ...(await dumpComponent(review)), label: "Review Team" };
  reviewFile = join(dir, "review.json");
  await writeFile(reviewFile, JSON.stringify(doc));
  const plain = { ...(await dumpComponent(new AssistantAgent({ name: "helper", modelClient: client }))) };
  delete (plain as { label?: string }).label;
  plainFile = join(dir, "helper.json");
  await writeFile(plainFile, JSON.stringify(plain));
});
afterAll(() => model?.close());

const start = (...args: string[]) => startServe(args);

describe("autogen-ts serve", () => {
  it("serves the files' teams (label, else file name), runs one with human input, and stops on SIGTERM", async () => {
    const {
      child,
      url: pending,
      stderr,
    } = start(
      reviewFile,
      plainFile,
      "--port",
      "0",
      "--store",
      "memory",
      "--api-key",
      "k1",
      "--api-key",
      "k2",
    );
    const url = await pending;
    const auth = { authorization: "Bearer k1", "content-type": "application/json" };
    try {
      const teams = (await (await fetch(`${url}/teams`, { headers: auth })).json()) as {
        items: { name: string }[];
      };
      expect(teams.items.map((t) => t.name)).toEqual(["Review Team", "helper"]);
      const { threadId } = (await (
        await fetch(`${url}/threads`, { method: "POST", headers: auth, body: "{}" })
      ).json()) as { threadId: string };
      const started = await fetch(`${url}/threads/${threadId}/runs`, {
        method: "POST",
        headers: auth,
        body: JSON.stringify({ team: "Review Team", task: "draft it", mode: "wait" }),
      });
      const waiting = (await started.json()) as {
        run: { runId: string; status: string; pendingInput: { requestId: string }[] };
      };
      expect(waiting.run.status).toBe("interrupted");
      const requestId = waiting.run.pendingInput[0]!.requestId;
      const answered = await fetch(`${url}/runs/${waiting.run.runId}/input`, {
        method: "POST",
        headers: auth,
        body: JSON.stringify({ requestId, value: "APPROVE" }),
      });
      expect(answered.status).toBe(202);
      const again = await fetch(`${url}/runs/${waiting.run.runId}/input`, {
        method: "POST",
        headers: auth,
        body: JSON.stringify({ requestId, value: "APPROVE" }),
      });
      expect(again.status).toBe(409);
      expect((await fetch(`${url}/teams`, { headers: { authorization: "Bearer k3" } })).status).toBe(401);
    } finally {
      child.kill("SIGTERM");
    }
    expect(await exited(child)).toBe(0);
    expect(stderr()).not.toContain("k1");
    expect(stderr()).not.toContain("sk-");
  });

  it("refuses a non-loopback address without --api-key (exit 2)", async () => {
    const { child, url } = start(plainFile, "--port", "0", "--host", "0.0.0.0");
    await expect(url).rejects.toThrow(/exited 2: .*without authentication/s);
    expect(child.exitCode).toBe(2);
  });

  it("names a bad --store", async () => {
    const { url } = start(plainFile, "--port", "0", "--store", "sqlite:");
    await expect(url).rejects.toThrow(/--store sqlite: needs a file/);
  });
});
