/**
 * The MagenticOne helper team on one scripted replay model: the orchestrator plans and directs the web
 * surfer (real headless Chromium on a loopback site), the coder and the executor (real code, through the
 * approval gate), then answers; without an approvalFunc the gate refuses code; close() ends the browser.
 */
import type { ApprovalRequest } from "@autogen-ts/core";
import { ReplayChatCompletionClient } from "@autogen-ts/core/testing";
import { MagenticOne } from "@autogen-ts/ext/teams/magentic-one";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSite } from "./site.js";
import { CHROMIUM_PATH, chromiumAvailable, type LoopbackServer } from "./support.js";

function ledger(next: string, instruction: string, satisfied = false): string {
  const a = <T>(answer: T) => ({ reason: "because", answer });
  return JSON.stringify({
    is_request_satisfied: a(satisfied),
    is_in_loop: a(false),
    is_progress_being_made: a(true),
    next_speaker: a(next),
    instruction_or_question: a(instruction),
  });
}

const available = chromiumAvailable();
let site: LoopbackServer;

describe.skipIf(!available)("MagenticOne", () => {
  beforeAll(async () => {
    site = await startSite();
  });
  afterAll(() => site.close());

  it("browses, writes code, runs it after approval, and answers", async () => {
    const model = new ReplayChatCompletionClient({
      modelInfo: { vision: false, functionCalling: true },
      responses: [
        "FACTS: the otter article says how much an otter eats.",
        "PLAN: WebSurfer reads the article; Coder computes; ComputerTerminal runs it.",
        ledger("WebSurfer", "Open the otter article and tell me how much an adult eats."),
        { content: [{ id: "w1", name: "click", arguments: '{"target_id":1}' }] },
        "An adult otter eats about a quarter of its weight each day.",
        ledger("Coder", "Compute a quarter of 30 kg."),
        "```python\nprint(30 / 4)\n```",
        ledger("ComputerTerminal", "Run the code."),
        ledger("", "", true),
        "A 30 kg otter eats about 7.5 kg a day.",
      ],
    });
    const approvals: ApprovalRequest[] = [];
    const team = new MagenticOne({
      modelClient: model,
      approvalFunc: (request) => {
        approvals.push(request);
        return { approved: true, reason: "looks safe" };
      },
      webSurfer: {
        allowPrivateAddresses: true,
        startPage: `${site.url}/`,
        executablePath: CHROMIUM_PATH,
        viewport: { width: 800, height: 600 },
      },
    });
    try {
      expect(team.participants.map((p) => p.name)).toEqual([
        "FileSurfer",
        "WebSurfer",
        "Coder",
        "ComputerTerminal",
      ]);
      const result = await team.run({ task: "How much does a 30 kg sea otter eat per day?" });
      const said = result.messages.filter((m) => m.kind === "chat").map((m) => `${m.source}:${m.toText()}`);
      expect(said.find((s) => s.startsWith("WebSurfer:"))).toBe(
        `WebSurfer:An adult otter eats about a quarter of its weight each day.\n\nCurrent page: Otters (${site.url}/article)`,
      );
      expect(approvals.map((a) => a.blocks[0]?.code)).toEqual(["print(30 / 4)"]);
      expect(said.find((s) => s.startsWith("ComputerTerminal:"))).toContain("7.5");
      expect(said.at(-1)).toMatch(/7\.5 kg a day/);
      expect(team.webSurfer.browser.started).toBe(true);
    } finally {
      await team.close();
    }
    expect(team.webSurfer.browser.started).toBe(false);
  });

  it("refuses code when made without an approvalFunc", async () => {
    const model = new ReplayChatCompletionClient({
      modelInfo: { vision: false, functionCalling: true },
      responses: [
        "FACTS: none.",
        "PLAN: Coder writes; ComputerTerminal runs.",
        ledger("Coder", "Print hello."),
        "```sh\necho hello > pwned.txt\n```",
        ledger("ComputerTerminal", "Run it."),
        ledger("", "", true),
        "Code execution is off.",
      ],
    });
    const team = new MagenticOne({ modelClient: model });
    try {
      const result = await team.run({ task: "Say hello." });
      const terminal = result.messages.find((m) => m.source === "ComputerTerminal");
      expect(terminal?.toText()).toMatch(/made without an approvalFunc/);
      expect(team.webSurfer.browser.started).toBe(false);
    } finally {
      await team.close();
    }
  });
});
