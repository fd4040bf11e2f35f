/**
 * The studio end to end: `autogen-ts studio` as a child process (its pinned flags and stderr line), a
 * loopback fake OpenAI server behind `--base-url`, and Debian's Chromium driven by playwright-core through
 * the page's pinned accessible names. Screenshots for docs/studio.md are taken here, and axe-core scans
 * each view for serious violations.
 */
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { AxeBuilder } from "@axe-core/playwright";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHROMIUM_PATH, chromiumAvailable } from "../../ext/test/web/support.js";
import { WEB_ROOT } from "../src/http/static.js";
import { type FakeOpenAI, startFakeOpenAI } from "./support/fake-openai.js";

const BIN = new URL("../../cli/src/bin.ts", import.meta.url).pathname;
const DOCS = new URL("../../../docs/studio/", import.meta.url).pathname;
const FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** The page is built by the repo's `npm run build`; without it there is nothing to drive. */
function webBuilt(): boolean {
  if (existsSync(join(WEB_ROOT, "index.html"))) return true;
  const reason = `${WEB_ROOT}index.html is missing: run npm run build first`;
  if (process.env.CI === "true") throw new Error(reason);
  console.warn(`skipping the studio's browser tests: ${reason}`);
  return false;
}

const available = chromiumAvailable() && webBuilt();

let fake: FakeOpenAI;
let appDir: string;
let studio: ChildProcess;
let url: string;
let browser: Browser;
let page: Page;
const axe: Record<string, string[]> = {};

function startStudio(): Promise<string> {
  studio = spawn(
    process.execPath,
    [
      "--conditions",
      "@autogen-ts/source",
      "--import",
      "tsx",
      BIN,
      "studio",
      "--port",
      "0",
      "--appdir",
      appDir,
      "--base-url",
      fake.url,
      "--allow-code",
    ],
    { env: { ...process.env, OPENAI_API_KEY: "sk-test-not-secret" } },
  );
  let stderr = "";
  return new Promise<string>((resolve, reject) => {
    studio.stderr!.on("data", (d) => {
      stderr += d;
      const match = /^listening on (http:\/\/127\.0\.0\.1:\d+)$/m.exec(stderr);
      if (match) resolve(match[1]!);
    });
    studio.once("exit", (code) => reject(new Error(`studio exited ${code}: ${stderr}`)));
  });
}

async function scan(name: string): Promise<void> {
  const result = await new AxeBuilder({ page }).analyze();
  const serious = result.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  axe[name] = serious.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`);
  expect(axe[name], `axe on ${name}`).toEqual([]);
}

async function shoot(name: string): Promise<void> {
  await mkdir(DOCS, { recursive: true });
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(DOCS, `${name}.png`), fullPage: false });
}

/** Replaces the text of the CodeMirror editor labelled `label`. */
async function typeJson(label: string, text: string): Promise<void> {
  const editor = page.getByRole("textbox", { name: label });
  await editor.click();
  await page.keyboard.press("Control+A");
  await page.keyboard.press("Delete");
  await editor.evaluate((el, value) => {
    // CodeMirror reads the DOM's input events; inserting text this way skips its bracket auto-closing.
    el.ownerDocument.execCommand("insertText", false, value);
  }, text);
}

async function buildTeam(label: string, adds: string[]): Promise<void> {
  await page.getByRole("link", { name: "Builder" }).click();
  await page.getByRole("button", { name: "New team" }).click();
  for (const add of adds) await page.getByRole("button", { name: `Add ${add}`, exact: true }).click();
  await page.getByLabel("Label", { exact: true }).fill(label);
  await page.getByRole("button", { name: "Save" }).click();
  await expect
    .poll(
      () =>
        page
          .getByRole("status")
          .filter({ hasText: `Saved ${label}.` })
          .count(),
      { timeout: 30_000 },
    )
    .toBe(1);
}

async function newRun(team: string, task: string): Promise<void> {
  await page.getByRole("link", { name: "Playground" }).click();
  await page.getByRole("combobox", { name: "Team", exact: true }).selectOption({ label: team });
  await page.getByRole("button", { name: "New session" }).click();
  await page.waitForURL(/#\/playground\/[0-9a-f-]+/);
  await page.getByLabel("Task").fill(task);
  await page.getByRole("button", { name: "Run" }).click();
}

const stopText = () => page.locator("p.stop").textContent({ timeout: 60_000 });

describe.skipIf(!available)("the studio in Chromium", () => {
  beforeAll(async () => {
    fake = await startFakeOpenAI();
    appDir = await mkdtemp(join(tmpdir(), "autogen-studio-"));
    url = await startStudio();
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: FLAGS });
    // axe-core's builder needs a page of an explicit context.
    const context = await browser.newContext({
      viewport: { width: 1400, height: 900 },
      acceptDownloads: true,
    });
    page = await context.newPage();
    page.setDefaultTimeout(30_000);
    await page.goto(url);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    studio?.kill("SIGTERM");
    await fake?.close();
    if (Object.keys(axe).length > 0)
      console.log(`axe-core serious/critical violations: ${JSON.stringify(axe)}`);
  });

  it("lists all 24 gallery components by label, type and description", async () => {
    await page.getByRole("link", { name: "Gallery" }).click();
    const cards = page.getByTestId("gallery-item");
    await expect.poll(() => cards.count(), { timeout: 30_000 }).toBe(24);
    const gallery = JSON.parse(
      await readFile(new URL("../gallery/default.json", import.meta.url), "utf8"),
    ) as { components: Record<string, { label: string; description: string; component_type: string }[]> };
    for (const c of Object.values(gallery.components).flat()) {
      const card = page.getByRole("listitem", { name: c.label, exact: true });
      await expect(card.locator("h3").textContent()).resolves.toBe(c.label);
      await expect(card.locator(".badge").textContent()).resolves.toBe(c.component_type);
    }
    await shoot("gallery");
    await scan("gallery");
  }, 60_000);

  it("shows a broken import's error on its field, and names a provider outside the allowlist", async () => {
    await page.getByRole("link", { name: "Gallery" }).click();
    const typo = {
      provider: "autogen_agentchat.agents.AssistantAgent",
      component_type: "agent",
      label: "Typo Agent",
      config: {
        name: "typo",
        model_client: {
          provider: "autogen_ext.models.openai.OpenAIChatCompletionClient",
          component_type: "model",
          config: { model: "gpt-4o-mini", temprature: 0.2 },
        },
      },
    };
    await typeJson("Component JSON", JSON.stringify(typo, null, 2));
    await page.getByRole("button", { name: "Import" }).click();
    const alert = page.getByRole("alert").filter({ hasText: "Import failed" });
    await expect(alert.textContent()).resolves.toContain("/config/model_client/config/temprature");
    await expect(alert.textContent()).resolves.toContain('did you mean "temperature"');
    // The editor marks that very field.
    await expect(page.locator(".cm-lintRange-error").first().textContent()).resolves.toBe('"temprature"');

    const foreign = {
      ...typo,
      config: {
        ...typo.config,
        model_client: { provider: "evil.ShellModel", component_type: "model", config: {} },
      },
    };
    await typeJson("Component JSON", JSON.stringify(foreign, null, 2));
    await page.getByRole("button", { name: "Import" }).click();
    await expect
      .poll(() => alert.textContent(), { timeout: 30_000 })
      .toContain('/config/model_client: unknown provider "evil.ShellModel"');
    await expect(page.getByTestId("gallery-item").count()).resolves.toBe(24);
  }, 60_000);

  it("builds a two-agent round-robin team by clicks and runs it; a reload mid-run reattaches", async () => {
    await buildTeam("Duo Team", ["AssistantAgent", "AssistantAgent", "MaxMessageTermination"]);
    // The graph has the team, its two agents (names made unique) and the termination.
    // Polled: React Flow lays the nodes out after the click's render.
    await expect.poll(() => page.locator(".react-flow__node").count()).toBeGreaterThanOrEqual(4);
    await expect.poll(() => page.getByRole("group", { name: "agent assistant_agent_2" }).count()).toBe(1);
    await shoot("builder");
    await scan("builder");

    fake.hold();
    const before = fake.calls;
    await newRun("Duo Team", "Say hello");
    await fake.callsReached(before + 1);
    fake.release();
    await fake.callsReached(before + 2);
    fake.hold();
    const first = page.getByRole("article", { name: "assistant_agent: TextMessage" });
    await expect(first.locator(".text").textContent()).resolves.toBe("reply 1 to: Say hello");
    await shoot("playground-live-run");
    await scan("playground");

    // Reload while the second agent's call is held: the page reattaches and replays what ran.
    await page.reload();
    await expect(first.locator(".text").textContent()).resolves.toBe("reply 1 to: Say hello");
    expect(await page.locator("p.stop").count()).toBe(0);
    fake.release();
    await expect.poll(stopText, { timeout: 60_000 }).toContain("Run completed");
    await expect(
      page.getByRole("article", { name: "assistant_agent_2: TextMessage" }).count(),
    ).resolves.toBeGreaterThan(0);
    await expect(page.locator(".usage").first().textContent()).resolves.toContain("11 in / 7 out tokens");
  }, 120_000);

  it("cancels a running run", async () => {
    fake.hold();
    const before = fake.calls;
    await newRun("Duo Team", "Count to ten");
    await fake.callsReached(before + 1);
    await page.getByRole("button", { name: "Cancel" }).click();
    await expect.poll(stopText, { timeout: 60_000 }).toContain("Run cancelled");
    fake.release();
  }, 60_000);

  it("shows a run that fails mid-way with its error, and keeps what it said before", async () => {
    await newRun("Duo Team", "please fail midway");
    await expect.poll(stopText, { timeout: 60_000 }).toContain("Run failed");
    await expect(page.locator("p.stop").textContent()).resolves.toMatch(/400|refuses/);
    const first = page.getByRole("article", { name: "assistant_agent: TextMessage" });
    await expect(first.locator(".text").textContent()).resolves.toBe("reply 1 to: please fail midway");
  }, 60_000);

  it("asks for a person's input in a form and goes on with the answer", async () => {
    await buildTeam("Review Team", ["AssistantAgent", "UserProxyAgent", "TextMentionTermination"]);
    await newRun("Review Team", "Write a haiku");
    const form = page.getByRole("form", { name: "Input requested" });
    await form.getByLabel("Your answer").fill("Lovely. TERMINATE");
    await form.getByRole("button", { name: "Send" }).click();
    await expect.poll(stopText, { timeout: 60_000 }).toContain("Run completed");
    const answer = page.getByRole("article", { name: "user_proxy: TextMessage" });
    await expect(answer.locator(".text").textContent()).resolves.toBe("Lovely. TERMINATE");
  }, 60_000);

  it("exports a team, imports it again and gets the same JSON, which autogen-ts validate loads", async () => {
    await page.getByRole("link", { name: "Gallery" }).click();
    const card = page.getByRole("listitem", { name: "Duo Team", exact: true });
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      card.getByRole("link", { name: "Export" }).click(),
    ]);
    const exported = await readFile((await download.path()) as string, "utf8");
    expect(exported).not.toContain("sk-test-not-secret");
    await typeJson("Component JSON", exported);
    await page.getByRole("button", { name: "Import" }).click();
    await expect
      .poll(() => page.getByRole("status").textContent(), { timeout: 30_000 })
      .toContain("Imported Duo Team");
    const again = await (await fetch(`${url}/studio/api/gallery/duo-team-2/export`)).text();
    expect(JSON.parse(again)).toEqual(JSON.parse(exported));
    const file = join(appDir, "duo.json");
    await writeFile(file, exported);
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ["--conditions", "@autogen-ts/source", "--import", "tsx", BIN, "validate", file, "--allow-code"],
      { env: { ...process.env, OPENAI_API_KEY: "" } },
    );
    expect(stdout).toContain("valid");
  }, 60_000);

  it("runs AutoGen Studio's RoundRobin Team from the gallery, its Python calculator executing", async () => {
    await newRun("RoundRobin Team", "calculate 6 * 7");
    const result = page.getByRole("article", { name: "assistant_agent: ToolCallExecutionEvent" });
    await expect(result.textContent({ timeout: 60_000 })).resolves.toContain("calculator returned 42");
    await expect.poll(stopText, { timeout: 60_000 }).toContain("Run completed");
  }, 120_000);

  it("inspects that run: checkpoints in order, a diff, and a fork that runs on as a new session", async () => {
    await page.getByRole("link", { name: "Inspect run" }).click();
    const boxes = page.getByRole("checkbox");
    await expect.poll(() => boxes.count(), { timeout: 30_000 }).toBeGreaterThanOrEqual(2);
    await boxes.first().check();
    await boxes.last().check();
    await expect(page.locator("table.diff tbody tr").first().textContent()).resolves.toMatch(/add|replace/);
    await expect(page.locator(".waterfall li").count()).resolves.toBeGreaterThan(2);
    await page.getByRole("button", { name: "Fork from here" }).first().click();
    await page.waitForURL(/#\/playground\/[0-9a-f-]+\?team=roundrobin-team/);
    await page.getByLabel("Task").fill("calculate 2 + 3");
    await page.getByRole("button", { name: "Run" }).click();
    await expect.poll(stopText, { timeout: 60_000 }).toContain("Run completed");
    await expect(
      page.getByRole("article", { name: "assistant_agent: ToolCallExecutionEvent" }).last().textContent(),
    ).resolves.toContain("calculator returned 5");
  }, 120_000);

  it("round-trips form and JSON edits in the builder losslessly", async () => {
    const exported = async () => (await fetch(`${url}/studio/api/gallery/duo-team/export`)).json();
    await page.getByRole("link", { name: "Gallery" }).click();
    await page.getByRole("button", { name: "Edit Duo Team" }).first().click();
    // A form edit: the termination's max_messages, through the form generated from its schema.
    await page.getByRole("group", { name: /^termination / }).click();
    await page.getByRole("region", { name: "Selected component" }).getByLabel("max_messages *").fill("6");
    await page.getByRole("button", { name: "Save" }).click();
    await expect
      .poll(async () => (await exported()).config.termination_condition.config.max_messages, {
        timeout: 30_000,
      })
      .toBe(6);
    // A JSON edit: rename the second agent in the editor; the graph follows, and the save keeps every byte.
    const edited = JSON.parse(JSON.stringify(await exported()).replaceAll("assistant_agent_2", "critic"));
    await typeJson("Component JSON", JSON.stringify(edited, null, 2));
    await expect
      .poll(() => page.getByRole("group", { name: "agent critic" }).count(), { timeout: 30_000 })
      .toBe(1);
    await page.getByRole("button", { name: "Save" }).click();
    await expect.poll(exported, { timeout: 30_000 }).toEqual(edited);
  }, 60_000);

  it("tests a tool with arguments from its schema, and a termination on a sample transcript", async () => {
    await page.getByRole("link", { name: "Gallery" }).click();
    await page.getByRole("button", { name: "Edit Calculator Tool" }).click();
    await page.getByRole("group", { name: /^tool / }).click();
    const panel = page.getByRole("region", { name: "Test" });
    // The argument form comes from the tool's schema (required fields are starred).
    await panel.getByLabel("a *", { exact: true }).fill("3");
    await panel.getByLabel("b *", { exact: true }).fill("4");
    await panel.getByLabel("operator *", { exact: true }).fill("+");
    await panel.getByRole("button", { name: "Test" }).click();
    await expect(panel.locator(".test-outcome").textContent({ timeout: 60_000 })).resolves.toContain(
      "result: 7",
    );

    await page.getByRole("link", { name: "Gallery" }).click();
    await page.getByRole("button", { name: "Edit TextMentionTermination" }).click();
    await page.getByRole("group", { name: /^termination / }).click();
    await page.getByRole("region", { name: "Test" }).getByRole("button", { name: "Test" }).click();
    await expect(page.locator(".test-outcome").textContent()).resolves.toContain("stopped after message 2");
  }, 60_000);
});
