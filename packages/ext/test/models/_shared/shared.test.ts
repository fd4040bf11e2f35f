import { CancelledError, ModelError } from "@autogen-ts/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { HttpStatusError, toModelError } from "../../../src/models/_shared/errors.js";
import { type ModelLogRecord, redactingLogger } from "../../../src/models/_shared/log.js";
import { redactHeaders, redactText, redactUrl } from "../../../src/models/_shared/redact.js";
import { backoffMs, retryAfterMs, withRetries } from "../../../src/models/_shared/retry.js";
import { errorReply, type ModelServer, startModelServer } from "../../support/model-server.js";

const KEY = "sk-proj-SECRETSECRETSECRET1234";

describe("redaction", () => {
  it("removes credentials from URLs", () => {
    expect(redactUrl("https://user:pa55@example.com/v1?api-key=abc123&x=1")).toBe(
      "https://example.com/v1?api-key=[redacted]&x=1",
    );
    expect(redactUrl("http://127.0.0.1:8080/v1")).toBe("http://127.0.0.1:8080/v1");
  });

  it("masks known secrets, bearer tokens, sk- keys and key=value pairs in text", () => {
    const text = `failed with Authorization: Bearer ${KEY} at https://u:p@host/x?key=zzz; api_key=${KEY}; other sk-abcdefghijklmnop`;
    const out = redactText(text, [KEY]);
    expect(out).not.toContain(KEY);
    expect(out).not.toContain("sk-abcdefghijklmnop");
    expect(out).not.toContain("u:p@");
    expect(out).toContain("https://host/x");
  });

  it("masks secret header values", () => {
    expect(
      redactHeaders({ Authorization: `Bearer ${KEY}`, "api-key": KEY, accept: "application/json" }),
    ).toEqual({
      Authorization: "[redacted]",
      "api-key": "[redacted]",
      accept: "application/json",
    });
  });

  it("redacts log records before the logger sees them", () => {
    const records: ModelLogRecord[] = [];
    const log = redactingLogger(
      (r) => records.push(r),
      () => [KEY],
    );
    log("warn", `retrying with ${KEY}`, { url: `https://x?key=${KEY}`, attempt: 1 });
    expect(JSON.stringify(records)).not.toContain(KEY);
    expect(records[0]?.fields.attempt).toBe(1);
  });
});

describe("retry policy", () => {
  it("computes exponential backoff with jitter within bounds", () => {
    expect(backoffMs(1, 100, 10_000, () => 1)).toBe(100);
    expect(backoffMs(3, 100, 10_000, () => 1)).toBe(400);
    expect(backoffMs(3, 100, 10_000, () => 0)).toBe(200);
    expect(backoffMs(30, 100, 1_000, () => 1)).toBe(1_000);
  });

  it("reads Retry-After in seconds, as a date, and retry-after-ms", () => {
    const headers = (h: Record<string, string>) => ({ headers: new Headers(h) });
    expect(retryAfterMs(headers({ "retry-after": "2" }))).toBe(2000);
    expect(retryAfterMs(headers({ "retry-after-ms": "150" }))).toBe(150);
    expect(retryAfterMs(headers({ "retry-after": new Date(10_000).toUTCString() }), 4_000)).toBe(6_000);
    expect(retryAfterMs(headers({}))).toBeUndefined();
  });
});

describe("withRetries against the scripted server", () => {
  let server: ModelServer;
  beforeEach(async () => {
    server = await startModelServer();
  });
  afterEach(async () => {
    await server.close();
  });

  const call = (signal: AbortSignal) =>
    fetch(`${server.url}/v1/thing`, { signal, headers: { authorization: `Bearer ${KEY}` } })
      .then(HttpStatusError.check)
      .then((r) => r.json());

  it("honours Retry-After on 429, then succeeds", async () => {
    server.enqueue(errorReply(429, "slow down", { "retry-after": "0.05" }), {
      kind: "json",
      body: { ok: 1 },
    });
    const retries: { delayMs: number; status: number | undefined }[] = [];
    const { value } = await withRetries(
      call,
      { maxRetries: 2, initialDelayMs: 5_000 },
      {
        provider: "Test",
        onRetry: (i) => retries.push(i),
      },
    );
    expect(value).toEqual({ ok: 1 });
    expect(retries).toEqual([expect.objectContaining({ delayMs: 50, status: 429 })]);
    expect(server.requests).toHaveLength(2);
  });

  it("throws a typed provider_error after 500s exhaust the retries", async () => {
    server.enqueue(errorReply(500, "boom"), errorReply(502, "boom"), errorReply(503, `boom ${KEY}`));
    const err = await withRetries(
      call,
      { maxRetries: 2, initialDelayMs: 1 },
      { provider: "Test", secrets: [KEY] },
    ).catch((e: unknown) => e);
    expect(ModelError.isInstance(err)).toBe(true);
    expect((err as ModelError).code).toBe("provider_error");
    expect((err as ModelError).status).toBe(503);
    expect(String((err as Error).message)).not.toContain(KEY);
    expect(String(((err as Error).cause as Error).message)).not.toContain(KEY);
    expect(server.requests).toHaveLength(3);
  });

  it("does not retry a 400, and maps 429 past the retries to rate_limited", async () => {
    server.enqueue(errorReply(400, "bad"));
    const bad = await withRetries(call, { maxRetries: 3, initialDelayMs: 1 }, { provider: "Test" }).catch(
      (e: unknown) => e,
    );
    expect((bad as ModelError).status).toBe(400);
    expect(server.requests).toHaveLength(1);
    server.enqueue(
      errorReply(429, "a", { "retry-after": "0" }),
      errorReply(429, "b", { "retry-after": "0" }),
    );
    const limited = await withRetries(call, { maxRetries: 1 }, { provider: "Test" }).catch((e: unknown) => e);
    expect((limited as ModelError).code).toBe("rate_limited");
  });

  it("times out an attempt that gets no first byte, retrying, then throws code timeout", async () => {
    server.enqueue({ kind: "hang" }, { kind: "hang" });
    const err = await withRetries(
      call,
      { maxRetries: 1, timeoutMs: 100, initialDelayMs: 1 },
      { provider: "Test" },
    ).catch((e: unknown) => e);
    expect(ModelError.isInstance(err)).toBe(true);
    expect((err as ModelError).code).toBe("timeout");
    expect(server.requests).toHaveLength(2);
  });

  it("stops at once with CancelledError when the caller aborts, during a request or a backoff", async () => {
    server.enqueue({ kind: "hang" });
    const controller = new AbortController();
    const pending = withRetries(call, {}, { provider: "Test", signal: controller.signal });
    while (server.requests.length === 0) await new Promise((r) => setTimeout(r, 5));
    controller.abort();
    const err = await pending.catch((e: unknown) => e);
    expect(CancelledError.isInstance(err)).toBe(true);
    await server.disconnected(0);

    server.enqueue(errorReply(429, "wait", { "retry-after": "60" }));
    const c2 = new AbortController();
    const p2 = withRetries(
      call,
      { maxRetries: 3 },
      { provider: "Test", signal: c2.signal, onRetry: () => c2.abort() },
    );
    expect(CancelledError.isInstance(await p2.catch((e: unknown) => e))).toBe(true);
  });

  it("maps connection failures to provider_error without a status", async () => {
    const err = toModelError(new TypeError("fetch failed"), { provider: "Test" });
    expect((err as ModelError).code).toBe("provider_error");
    expect((err as ModelError).status).toBeUndefined();
  });
});
