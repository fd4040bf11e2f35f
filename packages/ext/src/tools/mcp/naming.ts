/**
 * How `McpWorkbench` names a server's tools for the model (a prefix and per-tool overrides), checks
 * those names, and reads the arguments a model sends.
 */
import { type JsonSchema, type ToolSchema, ValidationError } from "@autogen-ts/core";
import type { Tool as SdkTool } from "@modelcontextprotocol/client";
import { errorText } from "./session.js";
import type { ToolOverride } from "./workbench-types.js";

/** A server's tools as the model sees them, and the way back to the server's names. */
export interface NamedTools {
  readonly schemas: ToolSchema[];
  /** Exposed name to the server's name. */
  readonly toServer: ReadonlyMap<string, string>;
}

/**
 * Names `tools` by `prefix` and `overrides`. Two tools ending up with one name are a ValidationError
 * (`invalid_config`) naming both and the server.
 */
export function nameTools(
  tools: readonly SdkTool[],
  prefix: string,
  overrides: Readonly<Record<string, ToolOverride>>,
  serverName: string,
): NamedTools {
  const schemas: ToolSchema[] = [];
  const toServer = new Map<string, string>();
  for (const tool of tools) {
    const override = overrides[tool.name];
    const name = override?.name ?? prefix + tool.name;
    const existing = toServer.get(name);
    if (existing !== undefined) {
      throw new ValidationError(
        `MCP tools "${existing}" and "${tool.name}" of ${serverName} are both named "${name}"; ` +
          "fix the toolOverrides",
        { code: "invalid_config" },
      );
    }
    toServer.set(name, tool.name);
    schemas.push({
      name,
      description: override?.description ?? tool.description ?? tool.title ?? "",
      parameters: tool.inputSchema as JsonSchema,
    });
  }
  return { schemas, toServer };
}

/** Parses a model's arguments; returns the error text for the model when they are not a JSON object. */
export function parseArguments(
  args: string | Readonly<Record<string, unknown>>,
): Record<string, unknown> | string {
  if (typeof args !== "string") return { ...args };
  if (args.trim() === "") return {};
  let value: unknown;
  try {
    value = JSON.parse(args);
  } catch (error) {
    return `The arguments are not valid JSON: ${errorText(error)}`;
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return "The arguments must be a JSON object.";
  }
  return value as Record<string, unknown>;
}

/** Checks a prefix and overrides before any server is asked: bad names are `invalid_config`. */
export function checkNaming(prefix: string, overrides: Readonly<Record<string, ToolOverride>>): void {
  const valid = /^[A-Za-z0-9_.-]*$/;
  if (!valid.test(prefix)) {
    throw new ValidationError(`toolNamePrefix "${prefix}" may hold only letters, digits, "_", "-" and "."`, {
      code: "invalid_config",
    });
  }
  const seen = new Map<string, string>();
  for (const [serverName, override] of Object.entries(overrides)) {
    if (override.name === undefined) continue;
    if (!/^[A-Za-z0-9_.-]{1,64}$/.test(override.name)) {
      throw new ValidationError(
        `Override name "${override.name}" for "${serverName}" is not a valid tool name`,
        {
          code: "invalid_config",
        },
      );
    }
    const other = seen.get(override.name);
    if (other !== undefined) {
      throw new ValidationError(
        `toolOverrides give "${other}" and "${serverName}" the same name "${override.name}"`,
        {
          code: "invalid_config",
        },
      );
    }
    seen.set(override.name, serverName);
  }
}
