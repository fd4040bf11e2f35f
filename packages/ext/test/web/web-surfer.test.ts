/**
 * MultimodalWebSurfer in real headless Chromium (Debian's), on a loopback site and scripted replay models:
 * set-of-mark screenshots checked pixel by pixel, multi-step tasks (a form, a page that needs scrolling,
 * following links, a download), text-only and vision modes, error results, and the browser's lifecycle.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  MultiModalMessage,
  RoundRobinGroupChat,
  TextMessage,
  ToolCallExecutionEvent,
} from "@autogen-ts/agentchat";
import type { FunctionCall, LLMMessage, UserContentPart } from "@autogen-ts/core";
import { ReplayChatCompletionClient } from "@autogen-ts/core/testing";
import {
  BrowserSession,
  MARK_COLOR,
  MultimodalWebSurfer,
  OVERLAY_ID,
} from "@autogen-ts/ext/agents/web-surfer";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodePng } from "./png.js";
import { startSite } from "./site.js";
import { CHROMIUM_PATH, chromiumAvailable, type LoopbackServer } from "./support.js";

const VIEWPORT = { width: 800, height: 600 };
let site: LoopbackServer;
let work: string;

let callCounter = 0;
function call(name: string, args: Record<string, unknown> = {}): { content: FunctionCall[] } {
  callCounter += 1;
  return { content: [{ id: `call_${callCounter}`, name, arguments: JSON.stringify(args) }] };
}

function isMarkColor(p: { r: number; g: number; b: number }): boolean {
  return (
    Math.abs(p.r - MARK_COLOR.r) < 12 &&
    Math.abs(p.g - MARK_COLOR.g) < 12 &&
    Math.abs(p.b - MARK_COLOR.b) < 12
  );
}

function countMarkPixels(png: Buffer): number {
  const img = decodePng(png);
  let n = 0;
  for (let y = 0; y < img.height; y += 1)
    for (let x = 0; x < img.width; x += 1) if (isMarkColor(img.pixel(x, y))) n++;
  return n;
}

/** The text of the last browser-state message the model was shown in request `i`. */
function stateText(client: ReplayChatCompletionClient, i: number): string {
  const messages = client.requests[i]!.messages;
  const last = messages.at(-1) as Extract<LLMMessage, { type: "UserMessage" }>;
  return typeof last.content === "string"
    ? last.content
    : last.content.filter((p): p is string => typeof p === "string").join("\n");
}

function imagesIn(client: ReplayChatCompletionClient, i: number): UserContentPart[] {
  const last = client.requests[i]!.messages.at(-1) as Extract<LLMMessage, { type: "UserMessage" }>;
  return typeof last.content === "string" ? [] : last.content.filter((p) => typeof p !== "string");
}

const available = chromiumAvailable();

describe.skipIf(!available)("MultimodalWebSurfer in headless Chromium", () => {
  beforeAll(async () => {
    site = await startSite();
    work = mkdtempSync(join(tmpdir(), "web-surfer-"));
  });

  afterAll(async () => {
    await site.close();
    rmSync(work, { recursive: true, force: true });
  });

  it("draws numbered marks on the interactive elements of a screenshot", async () => {
    const session = new BrowserSession({
      executablePath: CHROMIUM_PATH,
      viewport: VIEWPORT,
      allowPrivateAddresses: true,
    });
    try {
      await session.visit(`${site.url}/`);
      const state = await session.state();
      expect(state.title).toBe("Test home");
      expect(state.marks.map((m) => [m.id, m.role, m.name])).toEqual([
        [1, "link", "Otter article"],
        [2, "link", "Weather form"],
        [3, "link", "Long page"],
        [4, "link", "Download report"],
      ]);
      const img = decodePng(state.screenshot);
      expect([img.width, img.height]).toEqual([VIEWPORT.width, VIEWPORT.height]);
      // Each mark's box border is drawn in the mark colour, on the element's left edge.
      for (const mark of state.marks) {
        const edge = img.pixel(mark.rect.x, mark.rect.y + Math.floor(mark.rect.height / 2));
        expect(isMarkColor(edge), `mark ${mark.id}`).toBe(true);
      }
      expect(countMarkPixels(state.screenshot)).toBeGreaterThan(200);
      // The overlay is gone after the capture, the numbers stay for clicking.
      const page = await session.page();
      expect(await page.evaluate(`document.getElementById(${JSON.stringify(OVERLAY_ID)}) === null`)).toBe(
        true,
      );
      expect(await page.locator("[data-autogen-mark='3']").textContent()).toBe("Long page");
      const plain = await page.screenshot({ type: "png" });
      expect(countMarkPixels(plain)).toBe(0);
    } finally {
      await session.close();
    }
    expect(session.started).toBe(false);
  });

  it("fills in a form and reads the result (text-only model)", async () => {
    const model = new ReplayChatCompletionClient({
      modelInfo: { vision: false, functionCalling: true },
      responses: [
        call("visit_url", { url: `${site.url}/form` }),
        call("input_text", { target_id: 1, text: "Paris" }),
        call("read_page"),
        "The weather in Paris is sunny, 21 °C.",
      ],
    });
    const surfer = new MultimodalWebSurfer({
      // The test site is on loopback, which the URL guard refuses by default.
      allowPrivateAddresses: true,
      name: "surfer",
      modelClient: model,
      viewport: VIEWPORT,
      downloadsFolder: work,
    });
    try {
      const result = await surfer.run({ task: "What is the weather in Paris? Use the weather form." });
      const reply = result.messages.at(-1)!;
      expect(reply).toBeInstanceOf(TextMessage);
      expect((reply as TextMessage).content).toBe(
        `The weather in Paris is sunny, 21 °C.\n\nCurrent page: Weather result (${site.url}/result?city=Paris)`,
      );
      // The model saw the form's elements as text, and no images.
      expect(stateText(model, 1)).toContain('[1] textbox "City" (editable)');
      expect(stateText(model, 1)).toContain('[2] button "Look up"');
      expect(imagesIn(model, 1)).toEqual([]);
      const executions = result.messages.filter(
        (m): m is ToolCallExecutionEvent => m instanceof ToolCallExecutionEvent,
      );
      expect(executions.map((e) => e.content[0]!.content.split("\n")[0])).toEqual([
        `Opened ${site.url}/form. Now at: Weather form (${site.url}/form)`,
        `Typed "Paris" into [1] and pressed Enter. Now at: Weather result (${site.url}/result?city=Paris)`,
        "# Weather result",
      ]);
      expect(executions[2]!.content[0]!.content).toContain("Weather in Paris: sunny, 21 °C");
      expect(
        site.requests.some((r) => r.url.pathname === "/result" && r.url.searchParams.get("city") === "Paris"),
      ).toBe(true);
    } finally {
      await surfer.close();
    }
  });

  it("scrolls to a link below the fold, follows it and answers about the page (vision model)", async () => {
    const model = new ReplayChatCompletionClient({
      modelInfo: { vision: true, functionCalling: true },
      responses: [
        call("click", { target_id: 3 }),
        call("scroll_down"),
        call("scroll_down"),
        call("click", { target_id: 1 }),
        call("answer_question", { question: "What is the treasure code?" }),
        "4242", // the answer_question call's own model call
        "The treasure code is 4242.",
      ],
    });
    const surfer = new MultimodalWebSurfer({
      // The test site is on loopback, which the URL guard refuses by default.
      allowPrivateAddresses: true,
      name: "surfer",
      modelClient: model,
      startPage: `${site.url}/`,
      viewport: VIEWPORT,
      downloadsFolder: work,
    });
    try {
      const result = await surfer.run({ task: "Find the treasure code on the long page." });
      const reply = result.messages.at(-1) as MultiModalMessage;
      expect(reply).toBeInstanceOf(MultiModalMessage);
      expect(reply.content[0]).toBe(
        `The treasure code is 4242.\n\nCurrent page: Treasure (${site.url}/treasure)`,
      );
      const image = reply.content[1] as { data: string; mediaType: string };
      expect(image.mediaType).toBe("image/png");
      expect(decodePng(Buffer.from(image.data, "base64")).width).toBe(VIEWPORT.width);
      // Every state the model saw came with a marked screenshot.
      const shots = [0, 1, 2, 3, 4].map((i) => imagesIn(model, i));
      for (const parts of shots) expect(parts).toHaveLength(1);
      const first = Buffer.from((shots[0]![0] as { data: string }).data, "base64");
      expect(countMarkPixels(first)).toBeGreaterThan(200);
      // On the long page the link starts below the view and comes into it after scrolling.
      expect(stateText(model, 1)).toMatch(
        /\[1\] link "Hidden treasure" -> .*\/treasure \(below the viewport\)/,
      );
      expect(stateText(model, 3)).toMatch(/Elements in view:\n\[1\] link "Hidden treasure"/);
      // The page question went to the model with the page text and no tools.
      const question = model.requests[5]!;
      expect(question.options.tools).toBeUndefined();
      expect(JSON.stringify(question.messages)).toContain("The treasure code is 4242.");
      const executions = result.messages.filter(
        (m): m is ToolCallExecutionEvent => m instanceof ToolCallExecutionEvent,
      );
      expect(executions.at(-1)!.content[0]!.content).toBe("4242");
    } finally {
      await surfer.close();
    }
  });

  it("downloads a file into the work dir and goes back", async () => {
    const downloads = join(work, "dl");
    const model = new ReplayChatCompletionClient({
      modelInfo: { vision: false, functionCalling: true },
      responses: [
        call("click", { target_id: 1 }),
        call("go_back"),
        call("click", { target_id: 4 }),
        "Downloaded the report.",
      ],
    });
    const surfer = new MultimodalWebSurfer({
      // The test site is on loopback, which the URL guard refuses by default.
      allowPrivateAddresses: true,
      name: "surfer",
      modelClient: model,
      startPage: `${site.url}/`,
      viewport: VIEWPORT,
      downloadsFolder: downloads,
    });
    try {
      const result = await surfer.run({ task: "Download the report." });
      const executions = result.messages.filter(
        (m): m is ToolCallExecutionEvent => m instanceof ToolCallExecutionEvent,
      );
      expect(executions[0]!.content[0]!.content).toBe(`Clicked [1]. Now at: Otters (${site.url}/article)`);
      expect(executions[1]!.content[0]!.content).toBe(`Went back. Now at: Test home (${site.url}/)`);
      expect(executions[2]!.content[0]!.content).toBe(
        `Clicked [4]. Now at: Test home (${site.url}/)\nDownloaded: ${join(downloads, "report.pdf")}`,
      );
      expect(readFileSync(join(downloads, "report.pdf")).subarray(0, 5).toString()).toBe("%PDF-");
    } finally {
      await surfer.close();
    }
  });

  it("searches through a search page and through a search provider", async () => {
    const model = new ReplayChatCompletionClient({
      modelInfo: { vision: false, functionCalling: true },
      responses: [call("web_search", { query: "sea otters" }), "Found it."],
    });
    const surfer = new MultimodalWebSurfer({
      // The test site is on loopback, which the URL guard refuses by default.
      allowPrivateAddresses: true,
      name: "surfer",
      modelClient: model,
      viewport: VIEWPORT,
      searchUrl: `${site.url}/search?q={query}`,
    });
    try {
      const result = await surfer.run({ task: "Search for sea otters." });
      const exec = result.messages.find(
        (m): m is ToolCallExecutionEvent => m instanceof ToolCallExecutionEvent,
      )!;
      expect(exec.content[0]!.content).toBe(
        `Searched for "sea otters". Now at: Search: sea otters (${site.url}/search?q=sea%20otters)`,
      );
      expect(stateText(model, 1)).toContain('[1] link "Sea otters - article"');
    } finally {
      await surfer.close();
    }
    const withProvider = new MultimodalWebSurfer({
      // The test site is on loopback, which the URL guard refuses by default.
      allowPrivateAddresses: true,
      name: "surfer",
      modelClient: new ReplayChatCompletionClient({
        modelInfo: { vision: false, functionCalling: true },
        responses: [call("web_search", { query: "otters" }), "ok"],
      }),
      viewport: VIEWPORT,
      searchProvider: {
        name: "Fixed",
        search: async (q) => [{ title: `About ${q}`, url: `${site.url}/article`, snippet: "s" }],
      },
    });
    try {
      const result = await withProvider.run({ task: "Search." });
      const exec = result.messages.find(
        (m): m is ToolCallExecutionEvent => m instanceof ToolCallExecutionEvent,
      )!;
      expect(exec.content[0]!.content).toBe(
        `Results for "otters":\n\n1. [About otters](${site.url}/article)\n   s`,
      );
    } finally {
      await withProvider.close();
    }
  });

  it("turns bad actions into error results and keeps going", async () => {
    const model = new ReplayChatCompletionClient({
      modelInfo: { vision: false, functionCalling: true },
      responses: [
        call("click", { target_id: 99 }),
        call("input_text", { target_id: 1, text: "x" }),
        call("fly_away"),
        { content: [{ id: "bad", name: "visit_url", arguments: "{not json" }] },
        call("visit_url", { url: "http://127.0.0.1:1/" }),
        "Giving up.",
      ],
    });
    const surfer = new MultimodalWebSurfer({
      // The test site is on loopback, which the URL guard refuses by default.
      allowPrivateAddresses: true,
      name: "surfer",
      modelClient: model,
      startPage: `${site.url}/`,
      viewport: VIEWPORT,
    });
    try {
      const result = await surfer.run({ task: "Do odd things." });
      const errors = result.messages
        .filter((m): m is ToolCallExecutionEvent => m instanceof ToolCallExecutionEvent)
        .map((e) => e.content[0]!);
      expect(errors.every((e) => e.isError)).toBe(true);
      expect(errors.map((e) => e.content)).toEqual([
        "Error: There is no element [99] on the page now; look at the current list of elements",
        expect.stringMatching(/^Error: Element \[1\] does not take text/),
        expect.stringMatching(/^Error: Unknown action "fly_away"/),
        "Error: The arguments of visit_url are not valid JSON",
        expect.stringMatching(/^Error: Could not open http:\/\/127\.0\.0\.1:1\/: page\.goto: net::ERR_/),
      ]);
      expect((result.messages.at(-1) as TextMessage).content).toMatch(/^Giving up\./);
    } finally {
      await surfer.close();
    }
  });

  it("stops after maxActionsPerTurn and asks the model for an answer without tools", async () => {
    const model = new ReplayChatCompletionClient({
      modelInfo: { vision: false, functionCalling: true },
      responses: [call("scroll_down"), call("scroll_down"), "Out of actions; nothing found."],
    });
    const surfer = new MultimodalWebSurfer({
      // The test site is on loopback, which the URL guard refuses by default.
      allowPrivateAddresses: true,
      name: "surfer",
      modelClient: model,
      startPage: `${site.url}/long`,
      viewport: VIEWPORT,
      maxActionsPerTurn: 2,
    });
    try {
      const result = await surfer.run({ task: "Keep scrolling." });
      expect(model.requests[2]!.options.tools).toBeUndefined();
      expect(stateText(model, 2)).toContain("You have used every browser action of this turn");
      expect((result.messages.at(-1) as TextMessage).content).toMatch(/^Out of actions/);
    } finally {
      await surfer.close();
    }
  });

  it("starts one browser lazily, closes it on reset and when its team is closed", async () => {
    const model = new ReplayChatCompletionClient({
      modelInfo: { vision: false, functionCalling: true },
      responses: ["Nothing to do.", "Still nothing.", "Third."],
    });
    const surfer = new MultimodalWebSurfer({
      // The test site is on loopback, which the URL guard refuses by default.
      allowPrivateAddresses: true,
      name: "surfer",
      modelClient: model,
      startPage: `${site.url}/`,
      viewport: VIEWPORT,
    });
    expect(surfer.browser.started).toBe(false);
    await surfer.run({ task: "Look." });
    expect(surfer.browser.started).toBe(true);
    const state = await surfer.saveState();
    expect(state).toMatchObject({ type: "MultimodalWebSurferState", url: `${site.url}/` });
    await surfer.onReset();
    expect(surfer.browser.started).toBe(false);

    const team = new RoundRobinGroupChat({ participants: [surfer], maxTurns: 1 });
    await team.run({ task: "Look again." });
    expect(surfer.browser.started).toBe(true);
    await team.close();
    expect(surfer.browser.started).toBe(false);
  });

  it("reports a missing Chromium binary readably", async () => {
    const session = new BrowserSession({ executablePath: "/nonexistent/chromium" });
    const error = (await session.start().catch((e: unknown) => e)) as Error;
    expect(error.message).toMatch(
      /^Could not start Chromium at \/nonexistent\/chromium \(on Debian: apt-get install -y chromium\)/,
    );
    expect(existsSync("/nonexistent/chromium")).toBe(false);
  });
});
