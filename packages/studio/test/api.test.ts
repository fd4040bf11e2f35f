/**
 * The studio's own endpoints in process (`app.fetch`, no browser): the preloaded gallery, imports that
 * fail on the right field, URL imports through the fetch guard, secrets dropped, export round trips,
 * component tests with a time limit, and a run's checkpoints, diff and fork.
 */

import { mkdtemp } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { InMemoryRunStore, type LoadComponentOptions } from "@autogen-ts/core";
import { SqliteRunStore } from "@autogen-ts/ext/stores/sqlite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createStudio, GalleryStore } from "../src/index.js";
import { type FakeOpenAI, startFakeOpenAI } from "./support/fake-openai.js";

let fake: FakeOpenAI;
let studio: Awaited<ReturnType<typeof createStudio>>;
let appDir: string;
let studioLoad: LoadComponentOptions;

const request = async (method: string, path: string, body?: unknown) => {
  const response = await studio.server.app.fetch(
    new Request(`http://127.0.0.1${path}`, {
      method,
      // A Request made in process has no Host header; the server's guard wants a loopback one.
      headers: { host: "127.0.0.1", ...(body === undefined ? {} : { "content-type": "application/json" }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    }),
  );
  const text = await response.text();
  return { status: response.status, body: text === "" ? undefined : JSON.parse(text) };
};

const agent = (
  modelConfig: Record<string, unknown>,
  provider = "autogen_ext.models.openai.OpenAIChatCompletionClient",
) => ({
  provider: "autogen_agentchat.agents.AssistantAgent",
  component_type: "agent",
  label: "Helper",
  config: { name: "helper", model_client: { provider, component_type: "model", config: modelConfig } },
});

beforeAll(async () => {
  fake = await startFakeOpenAI();
  appDir = await mkdtemp(join(tmpdir(), "autogen-studio-api-"));
  studioLoad = {
    transform: (c) =>
      c.component_type === "model" ? { ...c, config: { ...c.config, base_url: fake.url } } : c,
    settings: {},
  };
  studio = await createStudio({ store: new InMemoryRunStore(), appDir, loadOptions: studioLoad });
  process.env.OPENAI_API_KEY ??= "sk-test-not-secret";
});
afterAll(() => fake?.close());

describe("the studio API", () => {
  it("preloads AutoGen Studio's 24 components and keeps imports across a restart", async () => {
    const { body } = await request("GET", "/studio/api/gallery");
    expect(body.items).toHaveLength(24);
    expect(body.items.find((i: { id: string }) => i.id === "roundrobin-team")).toMatchObject({
      label: "RoundRobin Team",
      type: "team",
    });
    const created = await request("POST", "/studio/api/gallery", {
      component: agent({ model: "gpt-4o-mini" }),
    });
    expect(created.status).toBe(201);
    const reopened = await GalleryStore.open({ appDir });
    expect(reopened.list().map((i) => i.id)).toContain(created.body.items[0].id);
  });

  it("refuses a typo, a missing key, an unknown provider and bad JSON, each at its JSON pointer", async () => {
    const typo = await request("POST", "/studio/api/gallery", {
      component: agent({ model: "m", temprature: 1 }),
    });
    expect(typo.status).toBe(400);
    expect(typo.body.error).toMatchObject({
      code: "invalid_config",
      pointer: "/config/model_client/config/temprature",
    });
    expect(typo.body.error.message).toContain('did you mean "temperature"');
    const missing = await request("POST", "/studio/api/gallery", { component: agent({}) });
    expect(missing.body.error.pointer).toBe("/config/model_client/config/model");
    const foreign = await request("POST", "/studio/api/gallery", { component: agent({}, "evil.Provider") });
    expect(foreign.body.error).toMatchObject({ pointer: "/config/model_client" });
    expect(foreign.body.error.message).toContain('"evil.Provider"');
    const broken = await request("POST", "/studio/api/gallery", { text: '{"provider": ' });
    expect(broken.body.error.message).toMatch(/^not valid JSON/);
    // Nothing of a failed import is kept.
    expect((await request("GET", "/studio/api/gallery")).body.items).toHaveLength(25);
  });

  it("drops literal secrets on import, keeps env references, and exports what it keeps", async () => {
    const doc = agent({ model: "gpt-4o-mini", api_key: "sk-literal-secret" });
    doc.label = "Secret Helper";
    const created = await request("POST", "/studio/api/gallery", { component: doc });
    expect(created.body.droppedSecrets).toEqual(["/config/model_client/config/api_key"]);
    const id = created.body.items[0].id;
    const exported = await studio.server.app.fetch(
      new Request(`http://127.0.0.1/studio/api/gallery/${id}/export`, { headers: { host: "127.0.0.1" } }),
    );
    const text = await exported.text();
    expect(text).not.toContain("sk-literal-secret");
    const ref = agent({ model: "gpt-4o-mini", api_key: { $env: "OPENAI_API_KEY" } });
    const again = await request("POST", "/studio/api/gallery", { text });
    expect(again.status).toBe(201);
    expect(again.body.items[0].component).toEqual(JSON.parse(text));
    const withRef = await request("POST", "/studio/api/gallery", { component: ref });
    expect(withRef.body.items[0].component.config.model_client.config.api_key).toEqual({
      $env: "OPENAI_API_KEY",
    });
  });

  it("imports from a URL through the fetch guard: loopback is refused unless allowed", async () => {
    const server = createServer((_, res) => {
      res
        .writeHead(200, { "content-type": "application/json" })
        .end(JSON.stringify(agent({ model: "gpt-4o-mini" })));
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/agent.json`;
    try {
      const refused = await request("POST", "/studio/api/gallery", { url });
      expect(refused.status).toBe(400);
      expect(refused.body.error.message).toMatch(/private|loopback|refus/i);
      const open = await createStudio({
        store: new InMemoryRunStore(),
        preloadGallery: false,
        loadOptions: { settings: { allowPrivateAddresses: true } },
      });
      const response = await open.server.app.fetch(
        new Request("http://127.0.0.1/studio/api/gallery", {
          method: "POST",
          headers: { host: "127.0.0.1", "content-type": "application/json" },
          body: JSON.stringify({ url }),
        }),
      );
      expect(response.status).toBe(201);
    } finally {
      server.close();
    }
  });

  it("tests a model client, a termination, and stops a test at its time limit", async () => {
    const model = await request("POST", "/studio/api/test", {
      component: {
        provider: "autogen_ext.models.openai.OpenAIChatCompletionClient",
        component_type: "model",
        config: { model: "gpt-4o-mini" },
      },
      input: { task: "ping" },
    });
    expect(model.body).toMatchObject({ ok: true, result: { content: "reply 1 to: ping" } });
    const termination = await request("POST", "/studio/api/test", { id: "maxmessagetermination", input: {} });
    expect(termination.body.ok).toBe(true);
    fake.hold();
    try {
      const slow = await request("POST", "/studio/api/test", {
        component: {
          provider: "autogen_ext.models.openai.OpenAIChatCompletionClient",
          component_type: "model",
          config: { model: "gpt-4o-mini" },
        },
        input: { task: "ping", timeoutMs: 200 },
      });
      expect(slow.body).toMatchObject({ ok: false, error: { code: "timeout" } });
    } finally {
      fake.release();
    }
  });

  it("lists a run's checkpoints, diffs two, and forks a new thread from one", async () => {
    const team = await request("POST", "/studio/api/gallery", {
      component: {
        provider: "autogen_agentchat.teams.RoundRobinGroupChat",
        component_type: "team",
        label: "Fork Team",
        config: {
          participants: [agent({ model: "gpt-4o-mini" })],
          termination_condition: {
            provider: "autogen_agentchat.conditions.MaxMessageTermination",
            component_type: "termination",
            config: { max_messages: 3 },
          },
        },
      },
    });
    const teamId = team.body.items[0].id;
    const thread = await request("POST", "/threads", {});
    const run = await request("POST", `/threads/${thread.body.threadId}/runs`, {
      team: teamId,
      task: "hi",
      mode: "wait",
    });
    expect(run.body.run.status).toBe("completed");
    const runId = run.body.run.runId;
    const cps = await request("GET", `/studio/api/runs/${runId}/checkpoints`);
    expect(cps.body.items.length).toBeGreaterThanOrEqual(2);
    const seqs = cps.body.items.map((c: { seq: number }) => c.seq);
    expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
    const [first, , last] = [cps.body.items[0], null, cps.body.items.at(-1)];
    const diff = await request(
      "GET",
      `/studio/api/checkpoints/diff?from=${first.checkpointId}&to=${last.checkpointId}`,
    );
    expect(diff.body.changes.length).toBeGreaterThan(0);
    const fork = await request("POST", `/studio/api/checkpoints/${first.checkpointId}/fork`, {
      team: teamId,
    });
    expect(fork.status).toBe(201);
    const next = await request("POST", `/threads/${fork.body.threadId}/runs`, {
      team: teamId,
      task: "again",
      mode: "wait",
    });
    expect(next.body.run.status).toBe("completed");
    const timeline = await request("GET", `/studio/api/runs/${runId}/timeline`);
    expect(timeline.body.items.map((t: { seq: number }) => t.seq)).toEqual(
      timeline.body.items.map((_: unknown, i: number) => i + 1),
    );
    const missing = await request("GET", "/studio/api/runs/nope/checkpoints");
    expect(missing.status).toBe(404);
  });

  it("keeps a person's pending input across a studio restart, and goes on when it is answered", async () => {
    const dir = await mkdtemp(join(tmpdir(), "autogen-studio-restart-"));
    const open = async () => {
      const store = await SqliteRunStore.open({ path: join(dir, "studio.db") });
      const s = await createStudio({ store, appDir: dir, loadOptions: studioLoad });
      await s.server.manager.recover();
      return { store, s };
    };
    const call = async (s: typeof studio, method: string, path: string, body?: unknown) => {
      const r = await s.server.app.fetch(
        new Request(`http://127.0.0.1${path}`, {
          method,
          headers: { host: "127.0.0.1", "content-type": "application/json" },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        }),
      );
      return { status: r.status, body: await r.json() };
    };
    const first = await open();
    const team = await call(first.s, "POST", "/studio/api/gallery", {
      component: {
        provider: "autogen_agentchat.teams.RoundRobinGroupChat",
        component_type: "team",
        label: "Ask Team",
        config: {
          participants: [
            agent({ model: "gpt-4o-mini" }),
            {
              provider: "autogen_agentchat.agents.UserProxyAgent",
              component_type: "agent",
              config: { name: "person" },
            },
          ],
          termination_condition: {
            provider: "autogen_agentchat.conditions.TextMentionTermination",
            component_type: "termination",
            config: { text: "APPROVE" },
          },
        },
      },
    });
    const thread = await call(first.s, "POST", "/threads", {});
    const run = await call(first.s, "POST", `/threads/${thread.body.threadId}/runs`, {
      team: team.body.items[0].id,
      task: "draft it",
      mode: "wait",
    });
    expect(run.body.run, JSON.stringify(run.body.run.error)).toMatchObject({ status: "interrupted" });
    const [request] = run.body.run.pendingInput;
    await first.s.server.shutdown();
    await first.store.close();

    const second = await open();
    try {
      const answered = await call(second.s, "POST", `/runs/${run.body.run.runId}/input`, {
        requestId: request.requestId,
        value: "APPROVE",
      });
      expect(answered.status).toBe(202);
      await second.s.server.manager.settled(run.body.run.runId);
      const done = await call(second.s, "GET", `/runs/${run.body.run.runId}`);
      expect(done.body).toMatchObject({ status: "completed" });
    } finally {
      await second.s.server.shutdown();
      await second.store.close();
    }
  });

  it("refuses what a page of another site could send: a foreign Origin, or a body that is not JSON", async () => {
    const post = (headers: Record<string, string>) =>
      studio.server.app.fetch(
        new Request("http://127.0.0.1/studio/api/test", {
          method: "POST",
          headers: { host: "127.0.0.1", ...headers },
          body: JSON.stringify({ id: "maxmessagetermination" }),
        }),
      );
    expect((await post({ "content-type": "text/plain" })).status).toBe(415);
    expect((await post({ "content-type": "application/json", origin: "https://evil.example" })).status).toBe(
      403,
    );
    expect((await post({ "content-type": "application/json", origin: "null" })).status).toBe(403);
    expect((await post({ "content-type": "application/json", origin: "http://127.0.0.1" })).status).toBe(200);
  });
});
