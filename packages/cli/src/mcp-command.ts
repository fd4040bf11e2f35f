/** `autogen-ts mcp <file>`: serves a team or agent from a component file as an MCP server. */
import type { TaskRunner } from "@autogen-ts/agentchat";
import type { ComponentModel } from "@autogen-ts/core";
import { ValidationError } from "@autogen-ts/core";
import { LocalCommandLineCodeExecutor } from "@autogen-ts/ext/code-executors/local";
import { loadComponent } from "@autogen-ts/ext/components";
import { serveMcp } from "@autogen-ts/ext/mcp/server";
import { parseArgs } from "./args.js";
import { LOAD_FLAGS, LOAD_VALUES, loadOptions } from "./commands.js";
import { pickComponent, readDocument } from "./documents.js";
import { EXIT } from "./exit-codes.js";

/**
 * Loads the file once to check it, then serves it: every tool call loads a fresh team from the document,
 * so calls are independent and may run at once. Over stdio nothing but the protocol goes to stdout; the
 * HTTP endpoint is printed to stderr.
 */
export async function mcpCommand(argv: readonly string[]): Promise<number> {
  const args = parseArgs(argv, {
    values: [...LOAD_VALUES, "transport", "port", "host", "timeout", "tool-name"],
    lists: ["api-key"],
    flags: [...LOAD_FLAGS],
  });
  const [file, ...rest] = args.positionals;
  if (file === undefined || rest.length > 0)
    throw new ValidationError("mcp takes one file: autogen-ts mcp <team.json>");
  const transport = args.values.get("transport") ?? "stdio";
  if (transport !== "stdio" && transport !== "http")
    throw new ValidationError("--transport must be stdio or http");
  const port = Number(args.values.get("port") ?? "0");
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new ValidationError("--port must be a port number");
  const apiKeys = args.lists.get("api-key") ?? [];
  if (apiKeys.length > 0 && transport !== "http")
    throw new ValidationError("--api-key is for --transport http (stdio has no network to guard)");
  const timeout = Number(args.values.get("timeout") ?? "60");
  if (!(timeout > 0)) throw new ValidationError("--timeout must be a positive number of seconds");

  const doc = pickComponent(await readDocument(file), args.values.get("component"));
  const executor = new LocalCommandLineCodeExecutor({
    timeoutMs: timeout * 1000,
    sandbox: args.flags.has("sandbox"),
  });
  const options = loadOptions(args, { settings: { pythonExecutor: executor } });
  const load = async (): Promise<TaskRunner & { name?: string; description?: string }> => {
    const runner = await loadComponent<TaskRunner>(doc, options);
    if (typeof (runner as Partial<TaskRunner>)?.runStream !== "function") {
      throw new ValidationError(
        `${file}: a ${String((doc as ComponentModel).component_type)} cannot run a task; give a team or an agent`,
        { code: "invalid_config" },
      );
    }
    return runner;
  };
  // Fail at start, with the file's own error, rather than on the first call.
  const sample = await load();
  await (sample as { close?: () => Promise<void> }).close?.();

  const toolName = args.values.get("tool-name") ?? sample.name;
  const handle = await serveMcp(load, {
    transport,
    ...(transport === "http" ? { port, host: args.values.get("host") ?? "127.0.0.1" } : {}),
    // Each key is a bearer token; without one, serveMcp refuses any address but loopback.
    ...(apiKeys.length > 0 ? { auth: { tokens: apiKeys } } : {}),
    ...(toolName ? { toolName } : {}),
    ...(sample.description ? { toolDescription: sample.description } : {}),
  });
  if (handle.url !== undefined)
    process.stderr.write(`autogen-ts: serving ${file} over MCP at ${handle.url}\n`);
  const stop = () => void handle.close();
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  try {
    await handle.closed;
  } finally {
    process.off("SIGINT", stop);
    process.off("SIGTERM", stop);
    await executor.stop();
  }
  return EXIT.ok;
}
