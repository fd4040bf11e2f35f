import { request as httpRequest } from "node:http";
import { ValidationError } from "@autogen-ts/core";
import {
  bearerTokens,
  type FetchApp,
  guardedApp,
  type HttpListener,
  jsonRpcErrorResponse,
  jsonRpcRejection,
  listen,
  RunQueue,
} from "@autogen-ts/ext/http";
import { Hono } from "hono";
import { afterEach, describe, expect, it } from "vitest";

const listeners: HttpListener[] = [];
afterEach(async () => {
  await Promise.all(listeners.splice(0).map((l) => l.close()));
});

async function serve(app: FetchApp, host?: string): Promise<HttpListener> {
  const listener = await listen(app, host ? { host } : {});
  listeners.push(listener);
  return listener;
}

/** A raw request, so the Host header can be anything (fetch does not let a caller set it). */
function raw(
  url: string,
  options: { method?: string; host?: string; headers?: Record<string, string>; body?: string },
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, {
      method: options.method ?? "GET",
      headers: { ...(options.host ? { host: options.host } : {}), ...options.headers },
    });
    req.on("response", (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        body += chunk;
      });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on("error", reject);
    req.end(options.body);
  });
}

describe("guardedApp + listen", () => {
  it("binds 127.0.0.1 by default and returns the URL", async () => {
    const app = guardedApp();
    app.get("/hello", (c) => c.text("hi"));
    const server = await serve(app);
    expect(server.host).toBe("127.0.0.1");
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
    const res = await fetch(`${server.url}/hello`);
    expect(await res.text()).toBe("hi");
  });

  it("refuses a Host header that is not a loopback name (DNS rebinding)", async () => {
    const app = guardedApp();
    app.get("/hello", (c) => c.text("hi"));
    const server = await serve(app);
    const evil = await raw(`${server.url}/hello`, { host: `evil.example:${server.port}` });
    expect(evil.status).toBe(403);
    expect(JSON.parse(evil.body)).toEqual({ error: "Forbidden: Host header not allowed" });
    const local = await raw(`${server.url}/hello`, { host: `localhost:${server.port}` });
    expect(local.status).toBe(200);
  });

  it("takes an allowlist with ports, or any host", async () => {
    const app = guardedApp({ allowedHosts: ["agents.example:8443"] });
    app.get("/", (c) => c.text("ok"));
    const server = await serve(app);
    expect((await raw(`${server.url}/`, { host: "agents.example:8443" })).status).toBe(200);
    expect((await raw(`${server.url}/`, { host: "agents.example:9000" })).status).toBe(403);
    expect((await raw(`${server.url}/`, { host: `127.0.0.1:${server.port}` })).status).toBe(403);
    const open = guardedApp({ allowedHosts: "*" });
    open.get("/", (c) => c.text("ok"));
    const other = await serve(open);
    expect((await raw(`${other.url}/`, { host: "anything.example" })).status).toBe(200);
  });

  it("refuses a body over the limit with 413, declared or streamed", async () => {
    const app = guardedApp({ maxBodyBytes: 16, reject: jsonRpcRejection });
    app.post("/", async (c) => c.text(await c.req.text()));
    const server = await serve(app);
    const small = await fetch(`${server.url}/`, { method: "POST", body: "tiny" });
    expect(await small.text()).toBe("tiny");
    const big = await fetch(`${server.url}/`, { method: "POST", body: "x".repeat(100) });
    expect(big.status).toBe(413);
    expect(await big.json()).toEqual({
      jsonrpc: "2.0",
      id: null,
      error: { code: -32000, message: "Request body too large" },
    });
    const chunked = await raw(`${server.url}/`, {
      method: "POST",
      headers: { "transfer-encoding": "chunked" },
      body: "y".repeat(100),
    });
    expect(chunked.status).toBe(413);
  });

  it("authenticates: 401 with a challenge, the principal for the routes, public paths open", async () => {
    const app = guardedApp({
      authenticate: bearerTokens(["alpha-token", "beta-token"]),
      challenge: 'Bearer realm="agents"',
      isPublic: (request) => new URL(request.url).pathname === "/card",
    });
    app.get("/card", (c) => c.json({ principal: c.get("principal") ?? null }));
    app.get("/me", (c) => c.json({ principal: c.get("principal") }));
    const server = await serve(app);
    const anonymous = await fetch(`${server.url}/me`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get("www-authenticate")).toBe('Bearer realm="agents"');
    const wrong = await fetch(`${server.url}/me`, { headers: { authorization: "Bearer alpha-tokeX" } });
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).not.toContain("alpha");
    const ok = await fetch(`${server.url}/me`, { headers: { authorization: "Bearer beta-token" } });
    expect(await ok.json()).toEqual({ principal: { tokenIndex: 1 } });
    expect(await (await fetch(`${server.url}/card`)).json()).toEqual({ principal: null });
  });

  it("treats a throwing authenticate hook as a refusal", async () => {
    const app = guardedApp({
      authenticate: () => {
        throw new Error("token store down: secret-xyz");
      },
    });
    app.get("/", (c) => c.text("in"));
    const server = await serve(app);
    const res = await fetch(`${server.url}/`);
    expect(res.status).toBe(401);
    expect(await res.text()).not.toContain("secret-xyz");
  });

  it("mounts sub-apps: the parent's guard runs for their routes", async () => {
    const parent = guardedApp({ authenticate: bearerTokens(["t"]) });
    const child = new Hono();
    child.get("/ping", (c) => c.text("pong"));
    parent.route("/child", child);
    const server = await serve(parent);
    expect((await fetch(`${server.url}/child/ping`)).status).toBe(401);
    const ok = await fetch(`${server.url}/child/ping`, { headers: { authorization: "Bearer t" } });
    expect(await ok.text()).toBe("pong");
  });

  it("refuses a non-loopback address without authentication, allows it with", async () => {
    const open = guardedApp();
    const error = await listen(open, { host: "0.0.0.0" }).catch((e: unknown) => e);
    expect(ValidationError.isInstance(error)).toBe(true);
    expect((error as ValidationError).code).toBe("invalid_config");
    expect((error as Error).message).toContain("0.0.0.0");
    await expect(listen(new Hono(), { host: "0.0.0.0" })).rejects.toThrow(/without authentication/);
    const closed = guardedApp({ authenticate: bearerTokens(["t"]), allowedHosts: "*" });
    closed.get("/", (c) => c.text("ok"));
    const server = await serve(closed, "0.0.0.0");
    expect(server.host).toBe("0.0.0.0");
    const res = await fetch(`http://127.0.0.1:${server.port}/`, { headers: { authorization: "Bearer t" } });
    expect(await res.text()).toBe("ok");
  });

  it("rejects a bad port, bad options, and a taken port with the listener's error", async () => {
    await expect(listen(guardedApp(), { port: 70000 })).rejects.toThrow(/not a port/);
    expect(() => guardedApp({ maxBodyBytes: 0 })).toThrow(ValidationError);
    expect(() => guardedApp({ allowedHosts: [] })).toThrow(/allowedHosts/);
    expect(() => bearerTokens([])).toThrow(/token/);
    const first = await serve(guardedApp());
    await expect(listen(guardedApp(), { port: first.port })).rejects.toMatchObject({ code: "EADDRINUSE" });
  });

  it("close() ends open streams and resolves closed", async () => {
    const app = guardedApp();
    app.get("/stream", () => {
      const body = new ReadableStream({
        start(controller) {
          controller.enqueue(new TextEncoder().encode("data: 1\n\n"));
        },
      });
      return new Response(body, { headers: { "content-type": "text/event-stream" } });
    });
    const server = await listen(app);
    const res = await fetch(`${server.url}/stream`);
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toContain("data: 1");
    await server.close();
    await server.closed;
    await expect(reader.read()).rejects.toThrow();
    await server.close();
  });
});

describe("jsonRpcErrorResponse", () => {
  it("writes a JSON-RPC error with id, status, data and headers", async () => {
    const res = jsonRpcErrorResponse(-32601, "Method not found", {
      id: 7,
      status: 404,
      data: { method: "x" },
      headers: { allow: "POST" },
    });
    expect(res.status).toBe(404);
    expect(res.headers.get("allow")).toBe("POST");
    expect(await res.json()).toEqual({
      jsonrpc: "2.0",
      id: 7,
      error: { code: -32601, message: "Method not found", data: { method: "x" } },
    });
  });
});

describe("RunQueue", () => {
  it("runs jobs one at a time in order", async () => {
    const queue = new RunQueue();
    const log: string[] = [];
    let open = () => {};
    const gate = new Promise<void>((resolve) => {
      open = resolve;
    });
    const a = queue.run(async () => {
      log.push("a start");
      await gate;
      log.push("a end");
      return "a";
    });
    const b = queue.run(async () => {
      log.push("b");
      return "b";
    });
    expect(queue.pending).toBe(2);
    await new Promise((r) => setTimeout(r, 10));
    expect(log).toEqual(["a start"]);
    open();
    expect(await Promise.all([a, b])).toEqual(["a", "b"]);
    expect(log).toEqual(["a start", "a end", "b"]);
    expect(queue.pending).toBe(0);
  });

  it("a failing job does not stop the next", async () => {
    const queue = new RunQueue();
    await expect(queue.run(() => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    expect(await queue.run(async () => 1)).toBe(1);
  });

  it("a job cancelled while waiting rejects with CancelledError and never runs", async () => {
    const queue = new RunQueue();
    let open = () => {};
    const first = queue.run(
      () =>
        new Promise<void>((resolve) => {
          open = resolve;
        }),
    );
    const controller = new AbortController();
    let ran = false;
    const second = queue.run(async () => {
      ran = true;
    }, controller.signal);
    const third = queue.run(async () => "third");
    controller.abort();
    await expect(second).rejects.toMatchObject({ code: "cancelled" });
    open();
    await first;
    expect(await third).toBe("third");
    expect(ran).toBe(false);
  });
});
