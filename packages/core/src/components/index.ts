/**
 * The declarative component model: AutoGen's component JSON, loaded into objects and dumped back.
 *
 * @module
 */
import { CORE_COMPONENT_DEFINITIONS } from "./builtins.js";
import { dumpComponentWith, loadComponentWith } from "./load.js";
import { ComponentRegistry } from "./registry.js";
import type { ComponentModel, DumpComponentOptions, LoadComponentOptions } from "./types.js";

export {
  CORE_COMPONENT_DEFINITIONS,
  compact,
  compileJavaScriptFunction,
  dumpJavaScriptFunctionTool,
  FUNCTION_TOOL_SCHEMA,
  functionToolDefinition,
  functionToolLanguage,
  loadJavaScriptFunctionTool,
  MODEL_INFO_SCHEMA,
  modelInfoFromConfig,
  modelInfoToConfig,
} from "./builtins.js";
export { dumpComponentWith, dumpSecret, isEnvReference, loadComponentWith, loadedConfigOf } from "./load.js";
export { ComponentRegistry, isUnsupportedProvider } from "./registry.js";
export type { SchemaIssue } from "./schema.js";
export {
  COMPONENT_MODEL_SCHEMA,
  checkSchema,
  componentSlot,
  componentTypeSchema,
  ENV_REFERENCE_SCHEMA,
  joinPath,
  SECRET_SCHEMA,
} from "./schema.js";
export type {
  ComponentDefinition,
  ComponentModel,
  ComponentRegistryLike,
  ComponentType,
  ConfigKey,
  DumpComponentOptions,
  DumpContext,
  EnvReference,
  LazyComponentDefinitions,
  LoadComponentOptions,
  LoadContext,
  UnsupportedProvider,
} from "./types.js";

/** The registry of core's own components (model contexts, `ListMemory`, `StaticWorkbench`, JavaScript `FunctionTool`). */
export const coreComponentRegistry: ComponentRegistry = new ComponentRegistry().register(
  ...CORE_COMPONENT_DEFINITIONS,
);

/**
 * Loads a component document with core's registry (or `options.registry`). For agents, teams and
 * integrations use the `loadComponent` of `@autogen-ts/agentchat` or `@autogen-ts/ext/components`.
 */
export function loadComponent<T = unknown>(doc: unknown, options: LoadComponentOptions = {}): Promise<T> {
  return loadComponentWith<T>(coreComponentRegistry, doc, options);
}

/** Dumps an object with core's registry (or `options.registry`); see {@link dumpComponentWith}. */
export function dumpComponent(value: unknown, options: DumpComponentOptions = {}): Promise<ComponentModel> {
  return dumpComponentWith(coreComponentRegistry, value, options);
}
