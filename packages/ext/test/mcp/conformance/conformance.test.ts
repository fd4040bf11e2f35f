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
      expect(totals(run.output).passed).toBeGreaterThan(suite === "active" ? 35 : 3);
      // Under a loaded CI machine a scenario that waits on a round trip (sampling, elicitation) has
      // failed once in a while and passed alone; each failed scenario gets one more run on its own,
      // which must pass. A scenario that fails twice fails the test.
      const failed = [...run.output.matchAll(/^✗ ([\w-]+):/gm)].map((m) => m[1] as string);
      for (const scenario of failed) {
        const again = await runSuite(["server", "--url", url, "--scenario", scenario]);
        expect(again.code, `${scenario} failed twice:\n${again.output.slice(-4000)}`).toBe(0);
        expect(totals(again.output).failed, scenario).toBe(0);
      }
      if (failed.length === 0) {
        expect(run.code, run.output.slice(-4000)).toBe(0);
        expect(totals(run.output).failed).toBe(0);
      }
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
