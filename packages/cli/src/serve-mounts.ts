/**
 * What `serve --mcp` and `serve --a2a` mount beside the API, on its guarded app: MCP's Streamable HTTP
 * endpoint at `/mcp` (every team a tool) and A2A at `/a2a` (the first team, with its agent card at
 * `/.well-known/agent-card.json`). The API's guard checks Host and bearer key first; each endpoint is
 * given the same keys so that its own protocol sees who called (MCP's `authInfo`, A2A's user) and its
 * discovery document advertises the scheme. Their SDKs load only when the flag is given.
 */
import type { InputFunc } from "@autogen-ts/agentchat";
import { ValidationError } from "@autogen-ts/core";
import type { ServerMount, ServerTeam } from "@autogen-ts/server";

/** What the mounts need to know of the server. */
export interface MountOptions {
  readonly teams: readonly ServerTeam[];
  readonly apiKeys: readonly string[];
  readonly allowedHosts: readonly string[] | undefined;
}

/** A mounted endpoint and how to stop it. */
export interface Mounted {
  readonly mount: ServerMount;
  close(): Promise<void>;
}

/** MCP and A2A calls run to their end in one request: a person cannot be asked there. */
const noHumanInput: InputFunc = () =>
  Promise.reject(
    new ValidationError("This team asks a person for input: run it through the HTTP API, not MCP or A2A"),
  );

/** A team's name as an MCP tool name (letters, digits, `_`, `.`, `-`; at most 64). */
export function mcpToolName(team: string): string {
  return team.replace(/[^A-Za-z0-9_.-]/g, "_").slice(0, 64);
}

/** `/mcp`: every team as a tool taking a task. */
export async function mcpMount(options: MountOptions): Promise<Mounted> {
  const { mcpApp } = await import("@autogen-ts/ext/mcp/server");
  const mcp = mcpApp(
    {
      agents: options.teams.map((team) => ({
        agent: async () => (await team.create({ inputFunc: noHumanInput })) as never,
        name: mcpToolName(team.name),
        ...(team.description ? { description: team.description } : {}),
      })),
    },
    {
      path: "/mcp",
      ...(options.allowedHosts ? { allowedHosts: options.allowedHosts } : {}),
      ...(options.apiKeys.length > 0 ? { auth: { tokens: options.apiKeys } } : {}),
    },
  );
  return { mount: { path: "/mcp", fetch: (request) => mcp.app.fetch(request) }, close: () => mcp.close() };
}

/** `/a2a`: the first team, a fresh instance per A2A conversation. */
export async function a2aMount(options: MountOptions): Promise<Mounted> {
  const { a2aApp, AGENT_CARD_PATH } = await import("@autogen-ts/ext/a2a");
  const team = options.teams[0]!;
  const a2a = a2aApp(async () => (await team.create({ inputFunc: noHumanInput })) as never, {
    path: "/a2a",
    name: team.name,
    ...(team.description ? { description: team.description } : {}),
    ...(options.allowedHosts ? { allowedHosts: options.allowedHosts } : {}),
    ...(options.apiKeys.length > 0 ? { auth: { bearerTokens: options.apiKeys } } : {}),
  });
  return {
    mount: {
      path: "/a2a",
      paths: [AGENT_CARD_PATH],
      publicPaths: [AGENT_CARD_PATH],
      fetch: (request) => a2a.app.fetch(request),
    },
    close: () => a2a.close(),
  };
}
