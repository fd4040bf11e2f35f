/**
 * McpWorkbench as the conformance suite's client under test: the suite starts a scenario server, then
 * runs this script with the server's URL as the last argument and the scenario's name in
 * MCP_CONFORMANCE_SCENARIO. Exits 0 when the workbench did what the scenario asks.
 */
import { McpWorkbench } from "@autogen-ts/ext/tools/mcp";

const url = process.argv.at(-1) as string;
const scenario = process.env.MCP_CONFORMANCE_SCENARIO ?? "";

const workbench = new McpWorkbench({
  server: { url, timeout: 20_000 },
  // The scenarios speak 2025-11-25 servers; asking them for server/discover first is harmless but noisy.
  protocol: "legacy",
  // Accept every form with nothing filled in: the workbench adds the schema's defaults.
  elicitation: async () => ({ action: "accept", content: {} }),
});

try {
  const tools = await workbench.listTools();
  if (scenario === "tools_call") {
    await workbench.callTool("add_numbers", { a: 2, b: 3 });
  } else if (scenario === "elicitation-sep1034-client-defaults") {
    await workbench.callTool("test_client_elicitation_defaults", {});
  } else if (scenario === "sse-retry") {
    await workbench.callTool("test_reconnection", {});
  } else if (scenario !== "initialize") {
    throw new Error(
      `scenario ${scenario} is not driven by this client (tools: ${tools.map((t) => t.name).join(", ")})`,
    );
  }
} finally {
  await workbench.stop();
}
