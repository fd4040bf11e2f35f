/**
 * `autogen-ts serve team.json [more.json ...]`: serves the files' teams over HTTP (`@autogen-ts/server`).
 * Each team is named by its component `label`, else by its file name without the extension; every run
 * loads a fresh team from its document, with the server's input function for its UserProxyAgents.
 */
import { basename, extname } from "node:path";
import type { TaskRunner } from "@autogen-ts/agentchat";
import type { ComponentModel } from "@autogen-ts/core";
import { ValidationError } from "@autogen-ts/core";
import { LocalCommandLineCodeExecutor } from "@autogen-ts/ext/code-executors/local";
import { loadComponent } from "@autogen-ts/ext/components";
import { isLoopbackHost } from "@autogen-ts/ext/http";
import type { ServerTeam } from "@autogen-ts/server";
import { serve } from "@autogen-ts/server/node";
import { parseArgs } from "./args.js";
import { LOAD_FLAGS, LOAD_VALUES, loadOptions } from "./commands.js";
import { readDocument } from "./documents.js";
import { EXIT } from "./exit-codes.js";
import { a2aMount, mcpMount } from "./serve-mounts.js";
import { openStore } from "./stores.js";

/** The name a served file's team goes by. */
export function teamName(doc: unknown, file: string): string {
  const label = (doc as { label?: unknown }).label;
  return typeof label === "string" && label.trim() !== "" ? label.trim() : basename(file, extname(file));
}

export async function serveCommand(argv: readonly string[]): Promise<number> {
  const args = parseArgs(argv, {
    values: [...LOAD_VALUES, "port", "host", "store", "timeout"],
    flags: [...LOAD_FLAGS, "resume-interrupted", "mcp", "a2a"],
    lists: ["api-key", "allowed-host", "cors-origin"],
  });
  const files = args.positionals;
  if (files.length === 0)
    throw new ValidationError("serve takes one or more files: autogen-ts serve <team.json> [more.json ...]");
  const port = Number(args.values.get("port") ?? "8080");
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new ValidationError("--port must be a port number");
  const timeout = Number(args.values.get("timeout") ?? "60");
  if (!(timeout > 0)) throw new ValidationError("--timeout must be a positive number of seconds");
  const host = args.values.get("host") ?? "127.0.0.1";
  const apiKeys = args.lists.get("api-key") ?? [];
  // Said before any file is loaded: the listener would refuse it anyway, later.
  if (!isLoopbackHost(host) && apiKeys.length === 0) {
    throw new ValidationError(
      `refusing to serve on ${host} without authentication: add --api-key, or bind 127.0.0.1`,
      {
        code: "invalid_config",
      },
    );
  }
  const executor = new LocalCommandLineCodeExecutor({
    timeoutMs: timeout * 1000,
    sandbox: args.flags.has("sandbox"),
  });
  const teams: ServerTeam[] = [];
  for (const file of files) {
    const doc = await readDocument(file);
    const name = teamName(doc, file);
    const base = loadOptions(args, { settings: { pythonExecutor: executor } });
    const load = async (extra: Record<string, unknown>) => {
      const runner = await loadComponent<TaskRunner>(doc, {
        ...base,
        settings: { ...base.settings, ...extra },
      });
      if (typeof (runner as Partial<TaskRunner>)?.runStream !== "function") {
        throw new ValidationError(
          `${file}: a ${String((doc as ComponentModel).component_type)} cannot run a task; give a team or an agent`,
          {
            code: "invalid_config",
          },
        );
      }
      return runner;
    };
    // Fail at start, with the file's own error, rather than on the first run.
    const sample = await load({});
    await (sample as { close?: () => Promise<void> }).close?.();
    const description = (doc as { description?: unknown }).description;
    teams.push({
      name,
      ...(typeof description === "string" ? { description } : {}),
      create: (context) => load({ inputFunc: context.inputFunc }),
    });
  }
  const allowedHosts = args.lists.get("allowed-host");
  const mountOptions = { teams, apiKeys, allowedHosts };
  const mounted = [
    ...(args.flags.has("mcp") ? [await mcpMount(mountOptions)] : []),
    ...(args.flags.has("a2a") ? [await a2aMount(mountOptions)] : []),
  ];
  const store = await openStore(args.values.get("store") ?? "memory");
  const corsOrigins = args.lists.get("cors-origin");
  const running = await serve({
    teams,
    store,
    port,
    host,
    ...(apiKeys.length > 0 ? { apiKeys } : {}),
    ...(allowedHosts ? { allowedHosts } : {}),
    ...(corsOrigins ? { corsOrigins } : {}),
    resumeInterrupted: args.flags.has("resume-interrupted"),
    mounts: mounted.map((m) => m.mount),
    // Only the error's code and class: a message may quote what a client sent.
    onError: (error) =>
      process.stderr.write(
        `autogen-ts: server error: ${(error as Error)?.name ?? "Error"} ${(error as { code?: string })?.code ?? ""}\n`,
      ),
  });
  process.stderr.write(`listening on ${running.url}\n`);
  const stopped = new Promise<void>((resolve) => {
    const stop = () => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      void running.close().then(resolve);
    };
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
  await stopped;
  await Promise.all(mounted.map((m) => m.close()));
  await store.close();
  await executor.stop();
  return EXIT.ok;
}
