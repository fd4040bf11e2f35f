/**
 * `@autogen-ts/ext/tools/code-execution`: tools that let a model run code through a code executor.
 *
 * @packageDocumentation
 */
export type {
  CodeExecutionToolOptions,
  LanguageCodeExecutionToolOptions,
} from "./code-execution-tool.js";
export {
  CodeExecutionTool,
  formatCodeResult,
  JavaScriptCodeExecutionTool,
  PythonCodeExecutionTool,
} from "./code-execution-tool.js";
