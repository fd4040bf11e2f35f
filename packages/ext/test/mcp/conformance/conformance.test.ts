/**
 * The official MCP conformance suite (`@modelcontextprotocol/conformance`, run as its CLI) against
 * serveMcp: every server scenario, active and pending, against the fixture server; the scenarios that
 * apply to any server against an agent-only server. Each run must report no failed check (docs/mcp.md
 * lists what a scenario only warns about, and why).
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { HERE, runSuite, startServer, totals } from "./suite.js";

describe("MCP conformance suite, server scenarios", () => {
  it("passes every active and pending scenario against the fixture server", {
    timeout: 300_000,
  }, async () => {
    const url = await startServer("fixture-server.ts");
    for (const suite of ["active", "pending"]) {
      const run = await runSuite(["server", "--url", url, "--suite", suite]);
      const failedLines = run.output.split("\n").filter((l) => /✗|failed: [1-9]/.test(l));
      expect(failedLines, run.output.slice(-4000)).toEqual([]);
      expect(run.code, run.output.slice(-4000)).toBe(0);
      expect(totals(run.output).failed).toBe(0);
      expect(totals(run.output).passed).toBeGreaterThan(suite === "active" ? 35 : 3);
    }
  });

  it("passes every scenario that applies to an agent server (the rest are listed as not applicable)", {
    timeout: 300_000,
  }, async () => {
    const url = await startServer("agent-server.ts");
    const baseline = join(HERE, "agent-server-not-applicable.yml");
    // With a baseline the suite fails on a listed scenario that passes too, so the list stays exact.
    const run = await runSuite(["server", "--url", url, "--expected-failures", baseline]);
    expect(run.code, run.output.slice(-4000)).toBe(0);
    expect(totals(run.output).passed).toBeGreaterThanOrEqual(15);
  });
});
