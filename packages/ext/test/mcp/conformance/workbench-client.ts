/**
 * McpWorkbench as the conformance suite's client under test: the suite starts a scenario server, then
 * runs this script with the server's URL as the last argument, the scenario's name in
 * MCP_CONFORMANCE_SCENARIO and, for some auth scenarios, credentials in MCP_CONFORMANCE_CONTEXT. Exits 0
 * when the workbench did what the scenario asks.
 *
 * Auth scenarios use the workbench's own OAuth (`McpOAuth`: authorization code with PKCE, dynamic
 * registration or a client ID metadata document, refresh and step-up by the SDK) or one of the SDK's
 * machine-to-machine providers. The suite's authorization server approves at once, so `authorize` plays
 * the user's browser: it opens the authorization page without following its redirect and hands back the
 * redirect's query.
 */

import { type McpAuth, McpOAuth, McpWorkbench } from "@autogen-ts/ext/tools/mcp";
import {
  ClientCredentialsProvider,
  CrossAppAccessProvider,
  PrivateKeyJwtProvider,
  requestJwtAuthorizationGrant,
} from "@modelcontextprotocol/client";

const url = process.argv.at(-1) as string;
const scenario = process.env.MCP_CONFORMANCE_SCENARIO ?? "";
const context = JSON.parse(process.env.MCP_CONFORMANCE_CONTEXT ?? "{}") as Record<string, string>;

/** The suite's client metadata document URL (SEP-991), used where the server supports it. */
const CIMD_URL = "https://conformance-test.local/client-metadata.json";

async function headlessAuthorize(authorizationUrl: URL): Promise<URLSearchParams> {
  const response = await fetch(authorizationUrl, { redirect: "manual" });
  const location = response.headers.get("location");
  if (!location) throw new Error(`no redirect from the authorization page (HTTP ${response.status})`);
  return new URL(location).searchParams;
}

function authFor(name: string): McpAuth | undefined {
  if (!name.startsWith("auth/")) return undefined;
  if (name === "auth/client-credentials-basic") {
    return new ClientCredentialsProvider({
      clientId: context.client_id!,
      clientSecret: context.client_secret!,
    });
  }
  if (name === "auth/client-credentials-jwt") {
    return new PrivateKeyJwtProvider({
      clientId: context.client_id!,
      privateKey: context.private_key_pem!,
      algorithm: context.signing_algorithm ?? "ES256",
    });
  }
  if (name === "auth/cross-app-access-complete-flow") {
    return new CrossAppAccessProvider({
      clientId: context.client_id!,
      clientSecret: context.client_secret!,
      assertion: async (ctx) =>
        (
          await requestJwtAuthorizationGrant({
            tokenEndpoint: context.idp_token_endpoint!,
            audience: ctx.authorizationServerUrl,
            resource: ctx.resourceUrl,
            idToken: context.idp_id_token!,
            clientId: context.idp_client_id!,
            ...(ctx.scope ? { scope: ctx.scope } : {}),
            fetchFn: ctx.fetchFn,
          })
        ).jwtAuthGrant,
    });
  }
  return new McpOAuth({
    redirectUrl: "http://localhost:3000/callback",
    clientName: "autogen-ts-conformance",
    authorize: headlessAuthorize,
    ...(name === "auth/pre-registration"
      ? { clientId: context.client_id!, clientSecret: context.client_secret! }
      : { clientMetadataUrl: CIMD_URL }),
  });
}

const auth = authFor(scenario);
const workbench = new McpWorkbench({
  server: { url, timeout: 20_000 },
  // The scenarios speak 2025-11-25 servers; asking them for server/discover first is harmless but noisy.
  protocol: "legacy",
  // Accept every form with nothing filled in: the workbench adds the schema's defaults.
  elicitation: async () => ({ action: "accept", content: {} }),
  ...(auth ? { auth } : {}),
});

try {
  const tools = await workbench.listTools();
  if (scenario === "tools_call") {
    await workbench.callTool("add_numbers", { a: 2, b: 3 });
  } else if (scenario === "elicitation-sep1034-client-defaults") {
    await workbench.callTool("test_client_elicitation_defaults", {});
  } else if (scenario === "sse-retry") {
    await workbench.callTool("test_reconnection", {});
  } else if (scenario.startsWith("auth/")) {
    if (tools.some((t) => t.name === "test-tool")) {
      const result = await workbench.callTool("test-tool", {});
      if (result.isError && !scenario.endsWith("retry-limit")) {
        throw new Error(`test-tool failed: ${JSON.stringify(result.result)}`);
      }
    }
  } else if (scenario !== "initialize") {
    throw new Error(
      `scenario ${scenario} is not driven by this client (tools: ${tools.map((t) => t.name).join(", ")})`,
    );
  }
} finally {
  await workbench.stop();
}
