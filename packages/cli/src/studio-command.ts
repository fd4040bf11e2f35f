/**
 * `autogen-ts studio`: the studio (`@autogen-ts/studio`) on 127.0.0.1: the web app, the server's API over
 * the studio's gallery, and the studio's endpoints. Its gallery and (by default) its SQLite store live in
 * the app directory. `--base-url` and `--allow-code` mean what they mean for `run`.
 */
import { mkdir } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";
import { ValidationError } from "@autogen-ts/core";
import { LocalCommandLineCodeExecutor } from "@autogen-ts/ext/code-executors/local";
import { startStudio } from "@autogen-ts/studio";
import { parseArgs } from "./args.js";
import { LOAD_FLAGS, LOAD_VALUES, loadOptions } from "./commands.js";
import { EXIT } from "./exit-codes.js";
import { parsePort, reportServerError, serveUntilSignal } from "./listening.js";
import { openStore } from "./stores.js";

/** `autogen-ts studio [--port 8081] [--appdir DIR] [--store SPEC] [load options]`; resolves on SIGINT/SIGTERM. */
export async function studioCommand(argv: readonly string[]): Promise<number> {
  const args = parseArgs(argv, {
    values: [...LOAD_VALUES, "port", "appdir", "store", "timeout"],
    flags: [...LOAD_FLAGS],
  });
  if (args.positionals.length > 0)
    throw new ValidationError(
      "studio takes no files: import them in its gallery (autogen-ts studio [--port 8081])",
    );
  const port = parsePort(args.values.get("port"), 8081);
  const timeout = Number(args.values.get("timeout") ?? "60");
  if (!(timeout > 0)) throw new ValidationError("--timeout must be a positive number of seconds");
  const appDir = args.values.get("appdir") ?? join(homedir(), ".autogen-ts");
  await mkdir(appDir, { recursive: true });
  const executor = new LocalCommandLineCodeExecutor({
    timeoutMs: timeout * 1000,
    sandbox: args.flags.has("sandbox"),
  });
  const store = await openStore(args.values.get("store") ?? `sqlite:${join(appDir, "studio.db")}`);
  try {
    const running = await startStudio({
      store,
      appDir,
      port,
      loadOptions: loadOptions(args, { settings: { pythonExecutor: executor } }),
      onError: reportServerError,
    });
    await serveUntilSignal(running);
  } finally {
    await store.close();
    await executor.stop();
  }
  return EXIT.ok;
}
