/**
 * `PythonFunctionTool`: AutoGen's `FunctionTool` with Python `source_code`, run here in a separate
 * Python process through a {@link CodeExecutor} (by default a {@link LocalCommandLineCodeExecutor},
 * with its time limit and optional bubblewrap sandbox). The parameter schema is read from the function's
 * signature by `python3`, parsing the source (`ast`) rather than running it, so loading a document runs
 * none of its code; only a call does.
 */
import { execFile } from "node:child_process";
import type {
  CodeExecutor,
  ComponentDefinition,
  JsonSchema,
  LoadContext,
  Tool,
  ToolCallOptions,
  ToolResult,
  ToolSchema,
} from "@autogen-ts/core";
import {
  dumpJavaScriptFunctionTool,
  FUNCTION_TOOL_SCHEMA,
  FunctionTool,
  functionToolLanguage,
  loadJavaScriptFunctionTool,
  ToolError,
  toCancelledError,
  ValidationError,
} from "@autogen-ts/core";
import { LocalCommandLineCodeExecutor } from "../code-executors/local/index.js";
import { GalleryWebTool, loadGalleryWebTool } from "./gallery-web-tools.js";

/** One of AutoGen's `global_imports`: `"os"`, `{"module": "typing", "imports": ["List"]}`, `{"name": "numpy", "alias": "np"}`. */
export type PythonImport =
  | string
  | { readonly module: string; readonly imports: readonly (string | { name: string; alias: string })[] }
  | { readonly name: string; readonly alias: string };

/** Options of {@link PythonFunctionTool.create}. */
export interface PythonFunctionToolOptions {
  /** The Python source defining the function (`def name(...)` or `async def name(...)`). */
  readonly sourceCode: string;
  /** The function's name in the source; also the tool's name. */
  readonly name: string;
  /** What the tool does; default: the function's docstring. */
  readonly description?: string;
  /** Imports run before the source. */
  readonly globalImports?: readonly PythonImport[];
  /** Runs the calls (default: a new `LocalCommandLineCodeExecutor` with `timeoutMs` and `sandbox`). */
  readonly executor?: CodeExecutor;
  /** Each call's time limit in milliseconds, for the default executor (default 60 000). */
  readonly timeoutMs?: number;
  /** Run calls in the bubblewrap sandbox, for the default executor (default false). */
  readonly sandbox?: boolean;
  /** The interpreter that reads the signature and, for the default executor, runs calls (default `python3`). */
  readonly pythonPath?: string;
}

const RESULT_MARKER = "__autogen_ts_result__";

// Reads a function's signature from its source with `ast` (nothing in the source runs) and prints a JSON
// Schema of its parameters. Annotations map to JSON types; `Optional`, `Union`, `Literal`, `List`,
// `Dict` and `Annotated[T, "description"]` are understood; anything else is left unconstrained.
const INTROSPECT = `
import ast, json, sys
req = json.loads(sys.stdin.read())
tree = ast.parse(req["source"])
fn = next((n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)) and n.name == req["name"]), None)
if fn is None:
    print(json.dumps({"error": "no function named %s in source_code" % req["name"]})); sys.exit(0)
SIMPLE = {"str": {"type": "string"}, "int": {"type": "integer"}, "float": {"type": "number"},
          "bool": {"type": "boolean"}, "list": {"type": "array"}, "List": {"type": "array"},
          "dict": {"type": "object"}, "Dict": {"type": "object"}, "Any": {}, "Path": {"type": "string"},
          "bytes": {"type": "string"}, "None": {"type": "null"}, "tuple": {"type": "array"}, "Tuple": {"type": "array"},
          "set": {"type": "array"}, "Set": {"type": "array"}, "Sequence": {"type": "array"}, "Mapping": {"type": "object"}}
def name_of(n):
    if isinstance(n, ast.Name): return n.id
    if isinstance(n, ast.Attribute): return n.attr
    return None
def elts(s):
    return list(s.elts) if isinstance(s, ast.Tuple) else [s]
def schema(n):
    if n is None: return {}
    if isinstance(n, ast.Constant):
        if n.value is None: return {"type": "null"}
        if isinstance(n.value, str):
            try: return schema(ast.parse(n.value, mode="eval").body)
            except SyntaxError: return {}
        return {}
    if isinstance(n, ast.BinOp) and isinstance(n.op, ast.BitOr):
        return {"anyOf": [schema(n.left), schema(n.right)]}
    if isinstance(n, ast.Subscript):
        base = name_of(n.value); args = elts(n.slice)
        if base == "Optional": return {"anyOf": [schema(args[0]), {"type": "null"}]}
        if base == "Union": return {"anyOf": [schema(a) for a in args]}
        if base == "Literal":
            vals = [a.value for a in args if isinstance(a, ast.Constant)]
            return {"enum": vals}
        if base == "Annotated":
            out = dict(schema(args[0]))
            for a in args[1:]:
                if isinstance(a, ast.Constant) and isinstance(a.value, str): out["description"] = a.value
            return out
        if base in ("List", "list", "Sequence", "Set", "set"):
            return {"type": "array", "items": schema(args[0])}
        if base in ("Tuple", "tuple"): return {"type": "array"}
        if base in ("Dict", "dict", "Mapping") and len(args) == 2:
            return {"type": "object", "additionalProperties": schema(args[1])}
        return SIMPLE.get(base, {})
    return dict(SIMPLE.get(name_of(n), {}))
a = fn.args
params = a.posonlyargs + a.args
defaults = [None] * (len(params) - len(a.defaults)) + list(a.defaults)
pairs = list(zip(params, defaults)) + list(zip(a.kwonlyargs, a.kw_defaults))
props, required = {}, []
for arg, default in pairs:
    if arg.arg in ("self", "cls") or name_of(arg.annotation) == "CancellationToken": continue
    s = schema(arg.annotation)
    if default is None: required.append(arg.arg)
    else:
        try: s["default"] = ast.literal_eval(default)
        except Exception: pass
    props[arg.arg] = s
print(json.dumps({"parameters": {"type": "object", "properties": props, "required": required},
                  "docstring": ast.get_docstring(fn) or "", "is_async": isinstance(fn, ast.AsyncFunctionDef)}))
`;

/** Reads the parameter schema and docstring of `name` in `source` with `python3` (nothing in it runs). */
export function introspectPythonFunction(
  source: string,
  name: string,
  pythonPath = "python3",
): Promise<{ parameters: JsonSchema; docstring: string }> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      pythonPath,
      ["-I", "-c", INTROSPECT],
      { timeout: 30_000 },
      (error, stdout, stderr) => {
        if (error) {
          const detail = stderr.trim().split("\n").pop() ?? error.message;
          reject(
            new ToolError(`Could not read the signature of Python function "${name}": ${detail}`, {
              cause: error,
            }),
          );
          return;
        }
        try {
          const out = JSON.parse(stdout) as { error?: string; parameters: JsonSchema; docstring: string };
          if (out.error) reject(new ValidationError(out.error, { code: "invalid_config" }));
          else resolve(out);
        } catch (cause) {
          reject(new ToolError(`python3 gave no signature for "${name}"`, { cause }));
        }
      },
    );
    child.stdin?.end(JSON.stringify({ source, name }));
  });
}

/** Renders AutoGen's `global_imports` as Python import lines. */
export function renderPythonImports(imports: readonly PythonImport[]): string {
  return imports
    .map((item) => {
      if (typeof item === "string") return `import ${item}`;
      if ("module" in item) {
        const names = item.imports.map((i) => (typeof i === "string" ? i : `${i.name} as ${i.alias}`));
        return `from ${item.module} import ${names.join(", ")}`;
      }
      return `import ${item.name} as ${item.alias}`;
    })
    .join("\n");
}

/**
 * A tool whose implementation is a Python function, called in a separate Python process for each call.
 * The model's arguments are checked against the signature's schema, passed as JSON, and the function's
 * return value comes back as text (JSON for anything but a string). An exception in Python is an error
 * result the model reads, with the exception's last line.
 */
export class PythonFunctionTool implements Tool {
  readonly name: string;
  readonly description: string;
  readonly schema: ToolSchema;
  /** The Python source, as given. */
  readonly sourceCode: string;
  /** The imports run before it. */
  readonly globalImports: readonly PythonImport[];
  readonly #executor: CodeExecutor;
  readonly #ownsExecutor: boolean;
  readonly #validator: FunctionTool;

  private constructor(options: PythonFunctionToolOptions, parameters: JsonSchema, description: string) {
    this.name = options.name;
    this.description = description;
    this.sourceCode = options.sourceCode;
    this.globalImports = options.globalImports ?? [];
    this.#ownsExecutor = options.executor === undefined;
    this.#executor =
      options.executor ??
      new LocalCommandLineCodeExecutor({
        timeoutMs: options.timeoutMs ?? 60_000,
        sandbox: options.sandbox ?? false,
        ...(options.pythonPath ? { pythonPath: options.pythonPath } : {}),
      });
    // A FunctionTool with the same schema checks the model's arguments; its `run` calls Python.
    this.#validator = new FunctionTool({
      name: this.name,
      description,
      parameters,
      run: (args, { signal }) => this.#runPython(args as Record<string, unknown>, signal),
    });
    this.schema = this.#validator.schema;
  }

  /** Reads the function's signature (with `python3`) and makes the tool. */
  static async create(options: PythonFunctionToolOptions): Promise<PythonFunctionTool> {
    const { parameters, docstring } = await introspectPythonFunction(
      options.sourceCode,
      options.name,
      options.pythonPath,
    );
    const description = options.description ?? (docstring.split("\n\n")[0]?.trim() || options.name);
    return new PythonFunctionTool(options, parameters, description);
  }

  /** Calls the function in Python; failures are error results, cancellation rejects. */
  call(args: string | Readonly<Record<string, unknown>>, options?: ToolCallOptions): Promise<ToolResult> {
    return this.#validator.call(args, options);
  }

  /** Stops the executor this tool made (and deletes its temporary folder); one passed in is left alone. */
  async close(): Promise<void> {
    if (this.#ownsExecutor) await this.#executor.stop();
  }

  async #runPython(args: Record<string, unknown>, signal: AbortSignal): Promise<string> {
    const program = [
      renderPythonImports(this.globalImports),
      this.sourceCode,
      "",
      "def __autogen_ts_main():",
      "    import asyncio, inspect, json, traceback",
      `    args = json.loads(${JSON.stringify(JSON.stringify(args))})`,
      "    try:",
      `        result = ${this.name}(**args)`,
      "        if inspect.isawaitable(result):",
      "            async def wait(): return await result",
      "            result = asyncio.run(wait())",
      "        text = result if isinstance(result, str) else json.dumps(result, default=str)",
      `        print("\\n${RESULT_MARKER}" + json.dumps({"ok": True, "text": text}))`,
      "    except Exception as e:",
      "        traceback.print_exc()",
      `        print("\\n${RESULT_MARKER}" + json.dumps({"ok": False, "text": type(e).__name__ + ": " + str(e)}))`,
      "__autogen_ts_main()",
      "",
    ].join("\n");
    const result = await this.#executor.executeCodeBlocks([{ language: "python", code: program }], {
      signal,
    });
    if (signal.aborted) throw toCancelledError(signal.reason);
    const line = result.output
      .split("\n")
      .reverse()
      .find((l) => l.startsWith(RESULT_MARKER));
    if (line !== undefined) {
      const parsed = JSON.parse(line.slice(RESULT_MARKER.length)) as { ok: boolean; text: string };
      if (parsed.ok) return parsed.text;
      throw new ToolError(parsed.text);
    }
    if (result.timedOut) throw new ToolError("the Python function ran out of time", { code: "timeout" });
    if (result.approved === false) throw new ToolError(`the call was refused: ${result.output.trim()}`);
    const tail = result.output.trim().split("\n").slice(-5).join("\n");
    throw new ToolError(`the Python process failed (exit code ${result.exitCode}): ${tail}`, {
      code: "execution_error",
    });
  }
}

/** Loads a Python `FunctionTool` config into a {@link PythonFunctionTool}. */
async function loadPython(config: Readonly<Record<string, unknown>>, context: LoadContext): Promise<Tool> {
  // With `nativeWebTools`, the gallery's stock search and fetch tools run natively (gallery-web-tools.ts).
  const native = loadGalleryWebTool(config, context);
  if (native !== undefined) return native;
  const executor = context.setting<CodeExecutor>("pythonExecutor");
  const timeoutMs = context.setting<number>("pythonTimeoutMs");
  const sandbox = context.setting<boolean>("pythonSandbox");
  try {
    return await PythonFunctionTool.create({
      sourceCode: config.source_code as string,
      name: config.name as string,
      ...(typeof config.description === "string" ? { description: config.description } : {}),
      globalImports: (config.global_imports as PythonImport[] | undefined) ?? [],
      ...(executor ? { executor } : {}),
      ...(timeoutMs ? { timeoutMs } : {}),
      ...(sandbox !== undefined ? { sandbox } : {}),
    });
  } catch (error) {
    if (ValidationError.isInstance(error)) throw context.error("source_code", error.message);
    throw error;
  }
}

/**
 * `FunctionTool` in both languages: Python source runs in a Python process ({@link PythonFunctionTool}),
 * JavaScript source in this process. Replaces core's definition in ext's registry.
 */
export const functionToolDefinition: ComponentDefinition<Tool> = {
  provider: "autogen_core.tools.FunctionTool",
  ownName: "autogen_ts.core.FunctionTool",
  componentType: "tool",
  componentVersion: 1,
  description: "A tool made from a function; its source code travels in the config.",
  label: "FunctionTool",
  schema: FUNCTION_TOOL_SCHEMA,
  carriesCode: true,
  classes: [FunctionTool, PythonFunctionTool as never, GalleryWebTool as never],
  load: (config, context) =>
    functionToolLanguage(config) === "python"
      ? loadPython(config, context)
      : loadJavaScriptFunctionTool(config, context),
  dump(tool) {
    // A natively loaded gallery web tool is written back as the Python it stands for.
    if (tool instanceof GalleryWebTool) return { ...tool.config };
    if (tool instanceof PythonFunctionTool) {
      return {
        source_code: tool.sourceCode,
        name: tool.name,
        description: tool.description,
        global_imports: [...tool.globalImports],
        has_cancellation_support: false,
      };
    }
    return dumpJavaScriptFunctionTool(tool as FunctionTool);
  },
};
