/**
 * Attacks on the fetch tool's URL policy (the one the browser's proxy applies too): loopback in every
 * spelling, the cloud metadata address, a redirect into the private network, credentials in the URL,
 * a decompression bomb, HTML built to freeze a converter, and a network error that must name the host.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { gzipSync } from "node:zlib";
import { ToolError } from "@autogen-ts/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fetchUrl } from "../../src/tools/fetch/fetch.js";
import { htmlToMarkdown } from "../../src/tools/files/documents.js";

let server: Server;
let base: string;
let port: number;
let hits = 0;

beforeAll(async () => {
  server = createServer((req, res) => {
    hits++;
    if (req.url === "/to-metadata") {
      res.writeHead(302, { location: "http://169.254.169.254/latest/meta-data/" }).end();
      return;
    }
    if (req.url === "/bomb") {
      res
        .writeHead(200, { "content-type": "text/plain", "content-encoding": "gzip" })
        .end(gzipSync(Buffer.alloc(50 * 1024 * 1024, 0x61)));
      return;
    }
    res.writeHead(200, { "content-type": "text/plain" }).end("internal");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
  base = `http://127.0.0.1:${port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

async function refusal(target: string, options: Parameters<typeof fetchUrl>[1] = {}): Promise<ToolError> {
  const error = await fetchUrl(target, { timeoutMs: 5000, ...options }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(ToolError.isInstance(error), target).toBe(true);
  return error as ToolError;
}

describe("the fetch URL policy", () => {
  it.each([
    ["loopback-literal", () => `${base}/`],
    ["loopback-name", () => `http://localhost:${port}/`],
    ["loopback-ipv6", () => `http://[::1]:${port}/`],
    ["loopback-mapped-ipv6", () => `http://[::ffff:127.0.0.1]:${port}/`],
    ["loopback-decimal", () => `http://2130706433:${port}/`],
    ["loopback-hex", () => `http://0x7f.0.0.1:${port}/`],
    ["metadata-address", () => "http://169.254.169.254/latest/meta-data/"],
  ])("%s is refused and never reaches a socket", async (_name, target) => {
    const before = hits;
    const error = await refusal(target());
    expect(error.message).toMatch(/Refused to fetch/);
    expect(hits).toBe(before);
  });

  it("redirect-to-metadata: a redirect from an allowed host into the metadata address is refused", async () => {
    const error = await refusal(`${base}/to-metadata`, { allowPrivateAddresses: (a) => a === "127.0.0.1" });
    expect(error.message).toMatch(/Refused to fetch 169\.254\.169\.254/);
  });

  it("credentials-in-url: a URL with a user and password is not fetched", async () => {
    const error = await refusal("http://user:pass@example.com/");
    expect(error.message).toMatch(/credentials/);
  });

  it("non-http-scheme: file: and gopher: are not fetched", async () => {
    for (const target of ["file:///etc/passwd", "gopher://127.0.0.1/"]) {
      expect((await refusal(target)).message).toMatch(/Only http and https/);
    }
  });

  it("gzip-bomb: a small body that inflates to 50 MB is cut at maxBytes", async () => {
    const doc = await fetchUrl(`${base}/bomb`, { allowPrivateAddresses: true, maxBytes: 100_000 });
    expect(doc.truncated).toBe(true);
    expect(doc.markdown.length).toBeLessThanOrEqual(100_000);
  });

  it("nested-div-bomb: HTML built to freeze the converter fails at its time budget, the process stays live", async () => {
    const html = `<html><body>${"<div>".repeat(6000)}x${"</div>".repeat(6000)}</body></html>`;
    let ticks = 0;
    const timer = setInterval(() => ticks++, 10);
    const error = await htmlToMarkdown(html, { timeoutMs: 1000 }).then(
      () => undefined,
      (e: unknown) => e,
    );
    clearInterval(timer);
    expect(ToolError.isInstance(error)).toBe(true);
    expect((error as ToolError).code).toBe("timeout");
    // The event loop kept turning while the worker ground on (a frozen loop runs no timer).
    expect(ticks).toBeGreaterThan(0);
  });

  it("network-error-names-host: a refused connection says which host", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const deadPort = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const error = await refusal(`http://127.0.0.1:${deadPort}/x`, { allowPrivateAddresses: true });
    expect(error.message).toContain(`host 127.0.0.1:${deadPort}`);
    expect(error.details).toMatchObject({ host: `127.0.0.1:${deadPort}` });
  });
});
