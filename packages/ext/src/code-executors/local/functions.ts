/**
 * Makes tools importable by executed code. The executor listens on a Unix socket and writes small client
 * modules beside the code (`functions.py`, `functions.mjs`); each function
 * in them sends one JSON line to the socket and the host runs the tool. A Unix socket (rather than a TCP
 * port) keeps working inside the network-less sandbox, where its folder is mounted.
 */
import { chmod, mkdtemp, rm } from "node:fs/promises";
import { createServer, type Server, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Tool } from "@autogen-ts/core";
import { toolResultText, ValidationError } from "@autogen-ts/core";
import type { DirectoryHandle } from "../../support/beneath.js";

/** The environment variable that tells the generated modules where the socket is. */
export const FUNCTIONS_SOCKET_ENV = "AUTOGEN_FUNCTIONS_SOCKET";
/** The socket's file name. */
export const FUNCTIONS_SOCKET_NAME = "functions.sock";
/** Where a sandbox sees the socket's folder. */
export const SANDBOX_SOCKET_DIR = "/run/autogen-functions";
/** The generated module files, which the executor does not report as created by the code. */
export const FUNCTION_MODULE_FILES = ["functions.py", "functions.mjs"] as const;

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
const PYTHON_KEYWORDS = new Set(
  (
    "False None True and as assert async await break class continue def del elif else except finally for " +
    "from global if import in is lambda nonlocal not or pass raise return try while with yield"
  ).split(" "),
);
/**
 * The longest request line the bridge reads (arguments of one call). Code sending more without a newline
 * is cut off rather than growing the host's memory without bound.
 */
export const MAX_REQUEST_BYTES = 4 * 1024 * 1024;
// Longest path a Unix socket address holds on Linux (108 bytes with the terminating NUL).
const MAX_SOCKET_PATH = 107;

/** Checks that every tool can become a function in both generated modules. */
export function validateFunctions(tools: readonly Tool[]): void {
  const seen = new Set<string>();
  for (const tool of tools) {
    if (!IDENTIFIER.test(tool.name) || PYTHON_KEYWORDS.has(tool.name) || tool.name.startsWith("_")) {
      throw new ValidationError(
        `The tool name "${tool.name}" cannot be a function name in executed code: use letters, digits and ` +
          "underscores, not starting with a digit or an underscore, and not a Python keyword.",
      );
    }
    if (seen.has(tool.name)) throw new ValidationError(`Two functions are named "${tool.name}".`);
    seen.add(tool.name);
  }
}

interface ParameterInfo {
  readonly name: string;
  readonly required: boolean;
}

function parametersOf(tool: Tool): ParameterInfo[] | undefined {
  const properties = tool.schema.parameters.properties;
  if (typeof properties !== "object" || properties === null) return [];
  const required = new Set(
    Array.isArray(tool.schema.parameters.required) ? tool.schema.parameters.required : [],
  );
  const names = Object.keys(properties);
  // A name Python cannot spell as a parameter: fall back to **kwargs for this function.
  if (names.some((name) => !IDENTIFIER.test(name) || PYTHON_KEYWORDS.has(name) || name.startsWith("_"))) {
    return undefined;
  }
  // Required parameters first, so that Python's defaults come last.
  return names
    .map((name) => ({ name, required: required.has(name) }))
    .sort((a, b) => Number(b.required) - Number(a.required));
}

function pythonDocstring(text: string): string {
  return JSON.stringify(text.replaceAll('"""', "'''"));
}

/** The source of `functions.py`. */
export function pythonModule(tools: readonly Tool[]): string {
  const lines = [
    '"""Functions offered by the host program. Each call is run by the host, which returns its result."""',
    "import json as _json",
    "import os as _os",
    "import socket as _socket",
    "",
    "",
    "class ToolCallError(Exception):",
    '    """The host ran the function and it failed; the message says why."""',
    "",
    "",
    "def _call(name, arguments):",
    "    with _socket.socket(_socket.AF_UNIX, _socket.SOCK_STREAM) as connection:",
    `        connection.connect(_os.environ["${FUNCTIONS_SOCKET_ENV}"])`,
    '        connection.sendall((_json.dumps({"name": name, "arguments": arguments}) + "\\n").encode())',
    '        data = b""',
    '        while not data.endswith(b"\\n"):',
    "            chunk = connection.recv(65536)",
    "            if not chunk:",
    "                break",
    "            data += chunk",
    "    reply = _json.loads(data)",
    '    if reply["isError"]:',
    '        raise ToolCallError(reply["text"])',
    "    try:",
    '        return _json.loads(reply["text"])',
    "    except ValueError:",
    '        return reply["text"]',
  ];
  for (const tool of tools) {
    const params = parametersOf(tool);
    lines.push("", "");
    if (params === undefined) {
      lines.push(
        `def ${tool.name}(**arguments):`,
        `    """${pythonDocstring(tool.description).slice(1, -1)}"""`,
      );
      lines.push(`    return _call("${tool.name}", arguments)`);
      continue;
    }
    const signature = params.map((p) => (p.required ? p.name : `${p.name}=None`)).join(", ");
    lines.push(
      `def ${tool.name}(${signature}):`,
      `    """${pythonDocstring(tool.description).slice(1, -1)}"""`,
    );
    lines.push("    arguments = {}");
    for (const p of params) {
      if (p.required) lines.push(`    arguments["${p.name}"] = ${p.name}`);
      else lines.push(`    if ${p.name} is not None:`, `        arguments["${p.name}"] = ${p.name}`);
    }
    lines.push(`    return _call("${tool.name}", arguments)`);
  }
  return `${lines.join("\n")}\n`;
}

/** The source of `functions.mjs` (importable from JavaScript and TypeScript). */
export function javascriptModule(tools: readonly Tool[]): string {
  const lines = [
    "// Functions offered by the host program. Each call is run by the host, which returns its result.",
    'import { connect } from "node:net";',
    "",
    "/** The host ran the function and it failed; the message says why. */",
    "export class ToolCallError extends Error {}",
    "",
    "function call(name, args) {",
    "  return new Promise((resolve, reject) => {",
    `    const socket = connect(process.env.${FUNCTIONS_SOCKET_ENV});`,
    '    let data = "";',
    '    socket.setEncoding("utf8");',
    '    socket.on("connect", () => socket.write(JSON.stringify({ name, arguments: args ?? {} }) + "\\n"));',
    '    socket.on("data", (chunk) => { data += chunk; });',
    '    socket.on("error", reject);',
    '    socket.on("end", () => {',
    "      try {",
    "        const reply = JSON.parse(data);",
    "        if (reply.isError) { reject(new ToolCallError(reply.text)); return; }",
    "        try { resolve(JSON.parse(reply.text)); } catch { resolve(reply.text); }",
    "      } catch (error) { reject(error); }",
    "    });",
    "  });",
    "}",
  ];
  for (const tool of tools) {
    lines.push("", `/** ${tool.description.replaceAll("*/", "* /")} */`);
    lines.push(
      `export function ${tool.name}(args) {`,
      `  return call(${JSON.stringify(tool.name)}, args);`,
      "}",
    );
  }
  return `${lines.join("\n")}\n`;
}

/** A running bridge for one execution. */
export interface FunctionBridge {
  /** The socket's path on the host. */
  readonly socketPath: string;
  /** The private folder that holds the socket (mounted into a sandbox). */
  readonly socketDir: string;
  close(): Promise<void>;
}

/**
 * Writes the client modules into the execution's folder (through its handle: no link followed) and starts the socket server in a private temporary folder
 * (socket paths are limited to 107 bytes, so it cannot live in a deep work dir). Tool calls receive
 * `signal`, so a cancelled execution cancels the calls it made.
 */
export async function startFunctionBridge(
  moduleDir: DirectoryHandle,
  tools: readonly Tool[],
  signal: AbortSignal | undefined,
): Promise<FunctionBridge> {
  let base = tmpdir();
  if (Buffer.byteLength(base) > MAX_SOCKET_PATH - 32) base = "/tmp";
  const socketDir = await mkdtemp(join(base, "autogen-fn-"));
  await chmod(socketDir, 0o700);
  const socketPath = join(socketDir, FUNCTIONS_SOCKET_NAME);
  await moduleDir.writeFile("functions.py", pythonModule(tools));
  await moduleDir.writeFile("functions.mjs", javascriptModule(tools));
  const byName = new Map(tools.map((tool) => [tool.name, tool]));
  const sockets = new Set<Socket>();

  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => socket.destroy());
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    socket.on("data", (chunk: Buffer) => {
      if (done) return;
      const end = chunk.indexOf(10);
      if (end < 0 || size + end > MAX_REQUEST_BYTES) {
        chunks.push(chunk);
        size += end < 0 ? chunk.length : end;
        if (size > MAX_REQUEST_BYTES) {
          done = true;
          chunks.length = 0;
          const text = `The request is longer than ${MAX_REQUEST_BYTES} bytes.`;
          socket.end(`${JSON.stringify({ isError: true, text })}\n`);
        }
        return;
      }
      done = true;
      chunks.push(chunk.subarray(0, end));
      const line = Buffer.concat(chunks).toString("utf8");
      chunks.length = 0;
      void answer(line).then((reply) => socket.end(`${JSON.stringify(reply)}\n`));
    });
  });

  async function answer(line: string): Promise<{ isError: boolean; text: string }> {
    let request: { name?: unknown; arguments?: unknown };
    try {
      request = JSON.parse(line) as typeof request;
    } catch {
      return { isError: true, text: "The request was not valid JSON." };
    }
    const tool = typeof request.name === "string" ? byName.get(request.name) : undefined;
    if (tool === undefined)
      return { isError: true, text: `There is no function named ${String(request.name)}.` };
    const args =
      typeof request.arguments === "object" && request.arguments !== null && !Array.isArray(request.arguments)
        ? (request.arguments as Record<string, unknown>)
        : {};
    try {
      const result = await tool.call(args, signal === undefined ? {} : { signal });
      return { isError: result.isError, text: toolResultText(result) };
    } catch (error) {
      return { isError: true, text: error instanceof Error ? error.message : String(error) };
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(socketPath, () => {
      server.off("error", reject);
      resolve();
    });
  });
  return {
    socketPath,
    socketDir,
    close: async () => {
      await new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      });
      await rm(socketDir, { recursive: true, force: true });
    },
  };
}
