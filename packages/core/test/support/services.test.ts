import { createServer } from "node:net";
import { afterEach, describe, expect, it, vi } from "vitest";
import { IN_CI, requireService, tcpReachable } from "./services.js";

describe("service probes", () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it("sees a listening port and a closed one", async () => {
    const server = createServer().listen(0, "127.0.0.1");
    await new Promise((r) => server.once("listening", r));
    const { port } = server.address() as { port: number };
    expect(await tcpReachable(`tcp://127.0.0.1:${port}`)).toBe(true);
    server.close();
    await new Promise((r) => server.once("close", r));
    expect(await tcpReachable(`tcp://127.0.0.1:${port}`)).toBe(false);
  });

  it("skips with a printed reason, or fails under CI", () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    if (IN_CI) {
      expect(() => requireService("Redis", false, "redis://x")).toThrow(
        /under CI=true a missing service is a failure/,
      );
    } else {
      expect(requireService("Redis", false, "redis://x")).toBe(false);
      expect(warn).toHaveBeenCalledWith(expect.stringContaining("Redis is not available at redis://x"));
    }
    expect(requireService("Redis", true, "redis://x")).toBe(true);
  });
});
