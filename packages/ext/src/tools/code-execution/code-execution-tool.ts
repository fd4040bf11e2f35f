/**
 * Code execution as a tool: an `AssistantAgent` calls it with source code, an executor runs it, and the
 * model reads the output (or the error and exit code) as the tool's result.
 */
import type { CodeExecutor, CodeResult } from "@autogen-ts/core";
import { FunctionTool, ToolError } from "@autogen-ts/core";

/** Options of {@link CodeExecutionTool}. */
export interface CodeExecutionToolOptions {
  /** The executor that runs the code (a local, sandboxed or Docker one). */
  readonly executor: CodeExecutor;
  /** The language the tool runs, as a fence would name it (`python`, `javascript`, ...). */
  readonly language: string;
  /** The tool's name (default `run_<language>_code`). */
  readonly name?: string;
  /** What the model is told about the tool (default: a sentence naming the language). */
  readonly description?: string;
}

/** The text a model reads for a code result: the output, the files written, the exit code on failure. */
export function formatCodeResult(result: CodeResult): string {
  const parts = [result.output === "" ? "(no output)" : result.output.replace(/\n$/, "")];
  if (result.files !== undefined && result.files.length > 0)
    parts.push(`Files written: ${result.files.join(", ")}`);
  return parts.join("\n");
}

/**
 * A tool that runs code in one language through a {@link CodeExecutor}. A failing program, a timeout or a
 * refusal becomes an error result the model reads, with the output and exit code, so it can fix its code.
 *
 * @example
 * ```ts
 * const tool = new CodeExecutionTool({ executor, language: "python" });
 * const agent = new AssistantAgent({ name: "analyst", modelClient, tools: [tool] });
 * ```
 */
export class CodeExecutionTool extends FunctionTool<{ code: string }> {
  /** The executor the tool runs code with. */
  readonly executor: CodeExecutor;

  constructor(options: CodeExecutionToolOptions) {
    const { executor, language } = options;
    super({
      name: options.name ?? `run_${language.toLowerCase().replace(/[^a-z0-9]+/g, "_")}_code`,
      description:
        options.description ??
        `Runs ${language} code and returns what it prints. Print the values you need to see; the code runs ` +
          "in a fresh process each time.",
      parameters: {
        type: "object",
        properties: { code: { type: "string", description: `The ${language} code to run.` } },
        required: ["code"],
        additionalProperties: false,
      },
      run: async ({ code }, { signal }) => {
        const result = await executor.executeCodeBlocks([{ language, code }], { signal });
        const text = formatCodeResult(result);
        if (result.exitCode !== 0) {
          const why = result.approved === false ? "was refused" : `exited with code ${result.exitCode}`;
          throw new ToolError(`The code ${why}.\n${text}`, { code: "execution_error" });
        }
        return text;
      },
    });
    this.executor = executor;
  }
}

/** Options of {@link PythonCodeExecutionTool} and {@link JavaScriptCodeExecutionTool}. */
export type LanguageCodeExecutionToolOptions = Omit<CodeExecutionToolOptions, "language">;

/** A {@link CodeExecutionTool} for Python, named `run_python_code`. */
export class PythonCodeExecutionTool extends CodeExecutionTool {
  constructor(options: LanguageCodeExecutionToolOptions) {
    super({ ...options, language: "python" });
  }
}

/** A {@link CodeExecutionTool} for JavaScript (ES modules with top-level await), named `run_javascript_code`. */
export class JavaScriptCodeExecutionTool extends CodeExecutionTool {
  constructor(options: LanguageCodeExecutionToolOptions) {
    super({ ...options, language: "javascript" });
  }
}
