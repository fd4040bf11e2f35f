/** How each language is run: the interpreter, its arguments, the file extension, what the sandbox must show. */
import { execFile } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join, sep } from "node:path";
import { ToolError } from "@autogen-ts/core";

/** The command that runs a saved code file (the file's path is appended to `args`). */
export interface Runner {
  readonly command: string;
  readonly args: readonly string[];
  readonly extension: string;
  /** Host paths the runner needs inside a sandbox. */
  readonly readOnlyPaths: readonly string[];
}

/** The languages the local executors run, by canonical name. */
export const LOCAL_LANGUAGES = ["python", "bash", "sh", "javascript", "typescript"] as const;

/** Finds the real Python interpreter behind `pythonPath` (pyenv shims and venvs included). */
export function resolvePython(pythonPath: string): Promise<Runner> {
  const script = "import json, sys; print(json.dumps([sys.executable, sys.prefix, sys.base_prefix]))";
  return new Promise((resolve, reject) => {
    execFile(pythonPath, ["-c", script], { timeout: 30_000 }, (error, stdout, stderr) => {
      if (error !== null) {
        reject(
          new ToolError(`Python ("${pythonPath}") could not be started: ${stderr.trim() || error.message}`, {
            code: "invalid_config",
            cause: error,
          }),
        );
        return;
      }
      const [executable, prefix, basePrefix] = JSON.parse(stdout) as [string, string, string];
      resolve({
        command: executable,
        args: [],
        extension: "py",
        readOnlyPaths: [...new Set([prefix, basePrefix, dirname(executable)])],
      });
    });
  });
}

/** The folder a Node installation lives in (`<prefix>/bin/node` -> `<prefix>`). */
function nodePrefix(): string {
  return dirname(dirname(process.execPath));
}

/** Node itself, for JavaScript (`.mjs`, so `import` works without a package.json). */
export function javascriptRunner(): Runner {
  return { command: process.execPath, args: [], extension: "mjs", readOnlyPaths: [nodePrefix()] };
}

/** The `node_modules` folder that holds a resolved package file, which a sandbox must show whole. */
function nodeModulesOf(file: string): string {
  const marker = `${sep}node_modules${sep}`;
  const at = file.lastIndexOf(marker);
  return at < 0 ? dirname(file) : file.slice(0, at + marker.length - 1);
}

/**
 * How TypeScript runs: the `typescriptRunner` option when given; else Node's own type stripping where this
 * Node has it (22.6+); else `tsx` found from this package or from the current directory. Works offline.
 */
export function typescriptRunner(custom: readonly string[] | undefined): Runner {
  if (custom !== undefined && custom.length > 0) {
    return { command: custom[0]!, args: custom.slice(1), extension: "ts", readOnlyPaths: [] };
  }
  const features = process.features as { typescript?: string | false };
  if (features.typescript) {
    return {
      command: process.execPath,
      args: ["--experimental-strip-types", "--disable-warning=ExperimentalWarning"],
      extension: "ts",
      readOnlyPaths: [nodePrefix()],
    };
  }
  for (const from of [import.meta.url, join(process.cwd(), "noop.js")]) {
    try {
      const cli = createRequire(from).resolve("tsx/cli");
      return {
        command: process.execPath,
        args: [cli],
        extension: "ts",
        readOnlyPaths: [nodePrefix(), nodeModulesOf(cli)],
      };
    } catch {
      // not installed there; try the next place
    }
  }
  throw new ToolError(
    "Running TypeScript needs Node 22.6 or newer (type stripping) or the tsx package (npm install -D tsx); " +
      "or pass typescriptRunner.",
    { code: "invalid_config" },
  );
}

/** The shell for `sh` and `bash` blocks. */
export function shellRunner(language: "sh" | "bash"): Runner {
  return { command: language, args: [], extension: "sh", readOnlyPaths: [] };
}
