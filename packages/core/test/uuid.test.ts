import { afterEach, describe, expect, it, vi } from "vitest";
import { ValidationError } from "../src/errors.js";
import { randomUuid } from "../src/uuid.js";

const V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe("randomUuid", () => {
  afterEach(() => vi.unstubAllGlobals());

  it("uses crypto.randomUUID when the runtime has it", () => {
    vi.stubGlobal("crypto", { randomUUID: () => "00000000-0000-4000-8000-000000000000" });
    expect(randomUuid()).toBe("00000000-0000-4000-8000-000000000000");
  });

  it("builds a version 4 UUID from getRandomValues where randomUUID is absent (no secure context)", () => {
    const real = globalThis.crypto;
    vi.stubGlobal("crypto", {
      getRandomValues: <T extends ArrayBufferView>(a: T) => real.getRandomValues(a),
    });
    const ids = new Set(Array.from({ length: 200 }, () => randomUuid()));
    expect(ids.size).toBe(200);
    for (const id of ids) expect(id).toMatch(V4);
  });

  it("sets the version and variant bits whatever the random bytes are", () => {
    vi.stubGlobal("crypto", { getRandomValues: (a: Uint8Array) => a.fill(0xff) });
    expect(randomUuid()).toBe("ffffffff-ffff-4fff-bfff-ffffffffffff");
    vi.stubGlobal("crypto", { getRandomValues: (a: Uint8Array) => a.fill(0) });
    expect(randomUuid()).toBe("00000000-0000-4000-8000-000000000000");
  });

  it("fails with a typed error when the runtime has no Web Crypto", () => {
    vi.stubGlobal("crypto", undefined);
    let caught: unknown;
    try {
      randomUuid();
    } catch (e) {
      caught = e;
    }
    expect(ValidationError.isInstance(caught)).toBe(true);
    expect((caught as ValidationError).code).toBe("invalid_state");
  });
});
