/**
 * Attacks on the HTTP servers autogen-ts runs (serveMcp, serveA2A and the HTTP API share one guarded
 * app and one listener): a web page using DNS rebinding (a foreign Host header on loopback), an
 * unauthenticated server on a public address, bodies too large to buffer, and forged bearer tokens.
 */
import { request } from "node:http";
import { ValidationError } from "@autogen-ts/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bearerTokens, guardedApp } from "../../src/http/guard.js";
import { type HttpListener, listen } from "../../src/http/listen.js";

let open: HttpListener;
let locked: HttpListener;
let reached = 0;

beforeAll(async () => {
  const app = guardedApp({ maxBodyBytes: 1024 });
  app.all("*", (c) => {
    reached++;
    return c.text("served");
  });
  open = await listen(app);
  const secured = guardedApp({ authenticate: bearerTokens(["right-token"]) });
  secured.all("*", (c) => {
    reached++;
    return c.text("secret");
  });
  locked = await listen(secured);
});
afterAll(async () => {
  await open.close();
  await locked.close();
});

/** A raw request, so the Host header can be anything a rebinding page would send. */
function send(base: string, headers: Record<string, string>, body?: Buffer) {
  const url = new URL(base);
  return new Promise<{ status: number; text: string }>((resolve, reject) => {
    const req = request(
      { host: url.hostname, port: url.port, path: "/", method: body ? "POST" : "GET", headers },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (c) => (text += c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, text }));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

describe("the guarded servers", () => {
  it("dns-rebinding-host: a foreign Host header on a loopback server is refused before any route", async () => {
    const before = reached;
    const answer = await send(open.url, { host: "attacker.example:80" });
    expect(answer.status).toBe(403);
    expect(reached).toBe(before);
  });

  it("public-bind-without-auth: a server without authentication does not listen on 0.0.0.0", async () => {
    const app = guardedApp();
    await expect(listen(app, { host: "0.0.0.0" })).rejects.toSatisfy(ValidationError.isInstance);
  });

  it("oversized-body: a body over the cap is refused, not buffered", async () => {
    const before = reached;
    const url = new URL(open.url);
    const answer = await send(
      open.url,
      { host: url.host, "content-type": "application/json" },
      Buffer.alloc(64 * 1024, 0x61),
    );
    expect(answer.status).toBe(413);
    expect(reached).toBe(before);
  });

  it("forged-bearer: a wrong or missing token gets 401 and no route runs", async () => {
    const before = reached;
    const host = new URL(locked.url).host;
    expect((await send(locked.url, { host })).status).toBe(401);
    expect((await send(locked.url, { host, authorization: "Bearer right-tokeX" })).status).toBe(401);
    expect((await send(locked.url, { host, authorization: "Bearer right-token-and-more" })).status).toBe(401);
    expect(reached).toBe(before);
    const ok = await send(locked.url, { host, authorization: "Bearer right-token" });
    expect(ok).toEqual({ status: 200, text: "secret" });
  });
});
