/**
 * `@autogen-ts/ext/components`: load and dump every built-in component, AutoGen's JSON included. Model
 * clients, MCP and code execution register lazily: a document that uses the OpenAI client imports that
 * client's module (and the `openai` SDK) and nothing else.
 *
 * Provider names: AutoGen's Python names (`autogen_ext.models.openai.OpenAIChatCompletionClient`) are
 * written in dumps; ours (`autogen_ts.<package>.<path>.<Class>`) load too, and are written with
 * `ownProviderNames: true`.
 *
 * Load settings (`settings` of {@link loadComponent}) read here: `nativeWebTools` (run the gallery's
 * Python `google_search`, `bing_search` and `fetch_webpage` natively, see {@link GalleryWebTool}),
 * `googleSearchBaseUrl` / `bingSearchBaseUrl`, `allowPrivateAddresses` (fetches), `chromiumPath` (the web
 * surfer), `pythonExecutor` / `pythonTimeoutMs` / `pythonSandbox` (Python tools).
 *
 * @packageDocumentation
 */

import { agentchatComponentRegistry } from "@autogen-ts/agentchat/components";
import type { ComponentModel, DumpComponentOptions, LoadComponentOptions } from "@autogen-ts/core";
import { ComponentRegistry, dumpComponentWith, loadComponentWith } from "@autogen-ts/core";
import { functionToolDefinition } from "./python-function-tool.js";

export type { GalleryWebToolKind, GalleryWebToolOptions } from "./gallery-web-tools.js";
export { GalleryWebTool, recognizeGalleryWebTool } from "./gallery-web-tools.js";
export type { PythonFunctionToolOptions, PythonImport } from "./python-function-tool.js";
export {
  introspectPythonFunction,
  PythonFunctionTool,
  renderPythonImports,
} from "./python-function-tool.js";
export type { ReplayScript, ScriptedReplayClientOptions } from "./replay.js";
export { ScriptedReplayClient } from "./replay.js";

/** Every built-in component: core's, agentchat's, and ext's integrations (loaded on first use). */
export const componentRegistry: ComponentRegistry = new ComponentRegistry({
  parent: agentchatComponentRegistry,
})
  .register(functionToolDefinition as never)
  .registerLazy({
    providers: [
      "autogen_ext.models.openai.OpenAIChatCompletionClient",
      "autogen_ext.models.openai.AzureOpenAIChatCompletionClient",
      "autogen_ts.ext.models.openai.OpenAIChatCompletionClient",
      "autogen_ts.ext.models.openai.AzureOpenAIChatCompletionClient",
    ],
    classNames: ["OpenAIChatCompletionClient", "AzureOpenAIChatCompletionClient"],
    load: async () => (await import("./openai.js")).definitions,
  })
  .registerLazy({
    providers: [
      "autogen_ext.models.anthropic.AnthropicChatCompletionClient",
      "autogen_ts.ext.models.anthropic.AnthropicChatCompletionClient",
    ],
    classNames: ["AnthropicChatCompletionClient"],
    load: async () => (await import("./anthropic.js")).definitions,
  })
  .registerLazy({
    providers: [
      "autogen_ext.models.ollama.OllamaChatCompletionClient",
      "autogen_ts.ext.models.ollama.OllamaChatCompletionClient",
    ],
    classNames: ["OllamaChatCompletionClient"],
    load: async () => (await import("./ollama.js")).definitions,
  })
  .registerLazy({
    providers: [
      "autogen_ext.code_executors.local.LocalCommandLineCodeExecutor",
      "autogen_ext.tools.code_execution.PythonCodeExecutionTool",
      "autogen_ts.ext.code_executors.local.LocalCommandLineCodeExecutor",
      "autogen_ts.ext.tools.code_execution.PythonCodeExecutionTool",
    ],
    classNames: ["LocalCommandLineCodeExecutor", "PythonCodeExecutionTool"],
    load: async () => (await import("./code-execution.js")).definitions,
  })
  .registerLazy({
    providers: ["autogen_ext.tools.mcp.McpWorkbench", "autogen_ts.ext.tools.mcp.McpWorkbench"],
    classNames: ["McpWorkbench"],
    load: async () => (await import("./mcp.js")).definitions,
  })
  .registerLazy({
    providers: [
      "autogen_ext.agents.web_surfer.MultimodalWebSurfer",
      "autogen_ts.ext.agents.web_surfer.MultimodalWebSurfer",
      "autogen_ext.agents.file_surfer.FileSurfer",
      "autogen_ts.ext.agents.file_surfer.FileSurfer",
      "autogen_ts.ext.tools.web_search.WebSearchTool",
      "autogen_ts.ext.tools.fetch.FetchTool",
    ],
    classNames: ["MultimodalWebSurfer", "FileSurfer", "WebSearchTool", "FetchTool"],
    load: async () => (await import("./web.js")).definitions,
  })
  .registerLazy({
    providers: [
      "autogen_ts.testing.ReplayChatCompletionClient",
      "autogen_ext.models.replay.ReplayChatCompletionClient",
    ],
    classNames: ["ScriptedReplayClient"],
    load: async () => (await import("./replay.js")).definitions,
  })
  .registerUnsupported({
    provider: "autogen_ext.code_executors.docker.DockerCommandLineCodeExecutor",
    componentType: "code_executor",
    reason: "DockerCommandLineCodeExecutor has no component definition yet",
  });

/**
 * Loads a component document (AutoGen's JSON, parsed) into an object: a team, an agent, a model client,
 * a tool, a workbench, a termination condition or a model context.
 *
 * @throws {@link ValidationError} (`invalid_config`) naming the JSON path of the first problem
 *   (`config.participants[1].config.model_client: unknown provider "x.Y"`).
 *
 * @example
 * ```ts
 * const team = await loadComponent<Team>(JSON.parse(await readFile("team.json", "utf8")), { allowCode: true });
 * ```
 */
export function loadComponent<T = unknown>(doc: unknown, options: LoadComponentOptions = {}): Promise<T> {
  return loadComponentWith<T>(componentRegistry, doc, options);
}

/** Dumps any built-in component as AutoGen's JSON (see `dumpComponentWith` in core). */
export function dumpComponent(value: unknown, options: DumpComponentOptions = {}): Promise<ComponentModel> {
  return dumpComponentWith(componentRegistry, value, options);
}
