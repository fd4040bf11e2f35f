/**
 * The official MCP conformance suite's client scenarios against McpWorkbench (the ones that need no
 * OAuth; docs/mcp.md lists the rest): the suite serves each scenario and runs workbench-client.ts.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { HERE, runSuite, totals } from "./suite.js";

describe("MCP conformance suite, client scenarios", () => {
  it("McpWorkbench passes initialize, tools_call, elicitation defaults and sse-retry", {
    timeout: 300_000,
  }, async () => {
    const tsx = import.meta.resolve("tsx");
    const client = `${process.execPath} --conditions=@autogen-ts/source --import ${tsx} ${join(HERE, "workbench-client.ts")}`;
    for (const scenario of ["initialize", "tools_call", "elicitation-sep1034-client-defaults", "sse-retry"]) {
      const run = await runSuite(["client", "--command", client, "--scenario", scenario]);
      expect(run.code, `${scenario}:\n${run.output.slice(-3000)}`).toBe(0);
      const count = totals(run.output);
      expect(count.failed, scenario).toBe(0);
      expect(count.passed, scenario).toBeGreaterThan(0);
    }
  });
});
