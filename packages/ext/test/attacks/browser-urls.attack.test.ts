/**
 * Attacks on the web surfer's browser: a model (or a prompt injection on a page) that opens local files,
 * loopback-only services and private addresses, directly, through a redirect, or from a page's own
 * images, scripts and fetches. The "secret" server listens on 127.0.0.2, which the policy under test
 * refuses; the "public" attacker page is on 127.0.0.1, which the policy allows (standing in for a public
 * site). The secret server must never see a request.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { ReplayChatCompletionClient } from "@autogen-ts/core/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BrowserSession } from "../../src/agents/web-surfer/browser.js";
import { MultimodalWebSurfer } from "../../src/agents/web-surfer/web-surfer.js";
import { CHROMIUM_PATH, chromiumAvailable } from "../web/support.js";

let secret: Server;
let secretUrl: string;
let secretHits = 0;
let attacker: Server;
let attackerUrl: string;

function listen(server: Server, host: string): Promise<string> {
  return new Promise((resolve) =>
    server.listen(0, host, () => resolve(`http://${host}:${(server.address() as AddressInfo).port}`)),
  );
}

beforeAll(async () => {
  secret = createServer((_req, res) => {
    secretHits++;
    res
      .writeHead(200, { "content-type": "text/html" })
      .end("<html><body><h1>INTERNAL SECRET</h1></body></html>");
  });
  secretUrl = await listen(secret, "127.0.0.2");
  attacker = createServer((req, res) => {
    const path = req.url ?? "/";
    if (path === "/redirect") {
      res.writeHead(302, { location: `${secretUrl}/admin` }).end();
      return;
    }
    if (path === "/file-redirect") {
      res.writeHead(302, { location: "file:///etc/passwd" }).end();
      return;
    }
    const body =
      path === "/subresources"
        ? `<img src="${secretUrl}/pixel.png"><script src="${secretUrl}/x.js"></script><iframe src="${secretUrl}/frame"></iframe>
<script>fetch("${secretUrl}/api").then(r => r.text()).then(t => { document.body.append(t); }, () => { document.body.append("blocked"); });</script>`
        : `<a href="${secretUrl}/admin">admin</a>`;
    res
      .writeHead(200, { "content-type": "text/html" })
      .end(`<html><head><title>Attacker</title></head><body>${body}</body></html>`);
  });
  attackerUrl = await listen(attacker, "127.0.0.1");
});

afterAll(async () => {
  await new Promise((resolve) => secret.close(resolve));
  await new Promise((resolve) => attacker.close(resolve));
});

/** The page's HTML once it stops navigating (an error page may still be replacing it). */
async function settledContent(page: import("playwright-core").Page): Promise<string> {
  for (let attempt = 0; ; attempt++) {
    await page.waitForLoadState("load").catch(() => undefined);
    try {
      return await page.content();
    } catch (error) {
      if (attempt >= 20) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/** The policy of these tests: 127.0.0.1 plays a public site; every other private address is refused. */
const onlyAttackerHost = (address: string) => address === "127.0.0.1";

describe.skipIf(!chromiumAvailable())("the web surfer's URL guard", () => {
  it("file-url: file:///etc/passwd is refused", async () => {
    const session = new BrowserSession({ executablePath: CHROMIUM_PATH });
    try {
      await expect(session.visit("file:///etc/passwd")).rejects.toThrow(
        /Refused to open file:\/\/\/etc\/passwd/,
      );
      const page = await session.page();
      expect(await page.content()).not.toContain("root:");
    } finally {
      await session.close();
    }
  });

  it("loopback-by-default: a loopback-only page is refused with the default policy", async () => {
    const session = new BrowserSession({ executablePath: CHROMIUM_PATH });
    const before = secretHits;
    try {
      await expect(session.visit(`${secretUrl}/admin`)).rejects.toThrow(/Refused to open/);
      expect(await (await session.page()).content()).not.toContain("INTERNAL SECRET");
    } finally {
      await session.close();
    }
    expect(secretHits).toBe(before);
  });

  it("redirect-to-private: a redirect from an allowed page to a private address is refused", async () => {
    const session = new BrowserSession({
      executablePath: CHROMIUM_PATH,
      allowPrivateAddresses: onlyAttackerHost,
    });
    const before = secretHits;
    try {
      await session.visit(`${attackerUrl}/redirect`).catch(() => undefined);
      expect(await (await session.page()).content()).not.toContain("INTERNAL SECRET");
    } finally {
      await session.close();
    }
    expect(secretHits).toBe(before);
  });

  it("redirect-to-file: a redirect to file: does not show the file", async () => {
    const session = new BrowserSession({
      executablePath: CHROMIUM_PATH,
      allowPrivateAddresses: onlyAttackerHost,
    });
    try {
      await session.visit(`${attackerUrl}/file-redirect`).catch(() => undefined);
      expect(await settledContent(await session.page())).not.toContain("root:");
    } finally {
      await session.close();
    }
  });

  it("subresources: a page's images, scripts, frames and fetches to a private address never reach it", async () => {
    const session = new BrowserSession({
      executablePath: CHROMIUM_PATH,
      allowPrivateAddresses: onlyAttackerHost,
    });
    const before = secretHits;
    try {
      await session.visit(`${attackerUrl}/subresources`);
      const page = await session.page();
      await page.waitForFunction("document.body.textContent.includes('blocked')", undefined, {
        timeout: 10_000,
      });
      expect(await page.content()).not.toContain("INTERNAL SECRET");
    } finally {
      await session.close();
    }
    expect(secretHits).toBe(before);
  });

  it("model-opens-file: the agent's visit_url on file:///etc/passwd is an error result, not the file", async () => {
    const model = new ReplayChatCompletionClient({
      modelInfo: { vision: false, functionCalling: true },
      responses: [
        {
          content: [
            { id: "c1", name: "visit_url", arguments: JSON.stringify({ url: "file:///etc/passwd" }) },
          ],
        },
        "done",
      ],
    });
    const surfer = new MultimodalWebSurfer({
      name: "surfer",
      modelClient: model,
      executablePath: CHROMIUM_PATH,
    });
    try {
      const result = await surfer.run({ task: "Read the password file." });
      const text = result.messages.map((m) => JSON.stringify(m.toJSON())).join("\n");
      expect(text).not.toContain("root:x:0:0");
      const seen = model.requests.map((r) => JSON.stringify(r.messages)).join("\n");
      expect(seen).not.toContain("root:x:0:0");
      expect(seen).toMatch(/Refused to open file/);
    } finally {
      await surfer.close();
    }
  });
});
