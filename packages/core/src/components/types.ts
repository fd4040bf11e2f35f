/**
 * The declarative component model: the JSON document AutoGen writes for every agent, team, model client,
 * tool, workbench, model context and termination condition, and the definitions that turn one into an
 * object and back.
 */
import type { JsonSchema } from "../tools/types.js";

/** The kinds of component AutoGen names in `component_type`. */
export type ComponentType =
  | "model"
  | "agent"
  | "team"
  | "tool"
  | "workbench"
  | "termination"
  | "chat_completion_context"
  | "code_executor"
  | "memory";

/**
 * One component as AutoGen writes it. `config` holds the component's settings with snake_case keys;
 * nested components (an agent's `model_client`, a team's `participants`) are documents of their own.
 */
export interface ComponentModel {
  /** The class that loads it: AutoGen's Python name (`autogen_agentchat.teams.RoundRobinGroupChat`) or ours. */
  readonly provider: string;
  /** What kind of component it is. AutoGen allows any string; the built-in ones are {@link ComponentType}. */
  readonly component_type?: ComponentType | string;
  /** The version of the document format (AutoGen writes 1 or 2). */
  readonly version?: number;
  /** The version of this component's `config` layout; older layouts are upgraded when loaded. */
  readonly component_version?: number;
  /** A description for people and galleries. */
  readonly description?: string | null;
  /** A short human-readable name. */
  readonly label?: string | null;
  /** The settings. */
  readonly config: Readonly<Record<string, unknown>>;
}

/**
 * A reference to an environment variable, usable anywhere a secret goes (`api_key`, a header value):
 * `{"$env": "OPENAI_API_KEY"}`. Loading reads the variable and fails, naming it, when it is not set.
 * Dumping keeps the reference; a literal secret is never written back.
 */
export interface EnvReference {
  readonly $env: string;
}

/** Options of {@link loadComponent}. */
export interface LoadComponentOptions {
  /** Where providers are looked up (default: the registry of the package you imported `loadComponent` from). */
  readonly registry?: ComponentRegistryLike;
  /**
   * The environment that `{"$env": ...}` references read (default: `process.env` where there is one).
   * Given explicitly, it is also the list of what the document may read: every name in it is allowed.
   */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /**
   * Environment variables a document may read with `{"$env": "NAME"}` beyond those its providers declare
   * (a model client's own API key). An entry is a name or a prefix ending in `*`. Without this, a document
   * could read any variable of the process and send it, as a header or an API key, to a URL it chose.
   */
  readonly allowedEnv?: readonly string[];
  /**
   * Providers this document may use. An entry is an exact provider name or a prefix ending in `*`
   * (`autogen_agentchat.*`). Anything else is refused before it is loaded. Default: every registered one.
   */
  readonly trustedProviders?: readonly string[];
  /**
   * Load components that carry code or start programs: a `FunctionTool`'s `source_code`, an
   * `McpWorkbench` whose server is a command (`StdioServerParams`), an unsandboxed code executor. Such a
   * component runs what the document says with this process's rights, when a tool is called or its
   * tools are listed; so it is off unless you trust the document. Default false.
   */
  readonly allowCode?: boolean;
  /**
   * Check the document without needing its credentials (`autogen-ts validate`): an unset `{"$env": ...}`
   * variable reads as a placeholder instead of failing, and model clients are built with a placeholder
   * key. The objects built must not be used for real work. Default false.
   */
  readonly validateOnly?: boolean;
  /** Settings an integration reads while loading (the Python executor's sandbox and timeout, say). */
  readonly settings?: Readonly<Record<string, unknown>>;
  /** Changes each component's config before it is loaded (the CLI's `--model` override uses this). */
  readonly transform?: (component: ComponentModel, path: string) => ComponentModel;
}

/** Options of {@link dumpComponent}. */
export interface DumpComponentOptions {
  /** Where the object's definition is looked up (default: the registry you imported `dumpComponent` from). */
  readonly registry?: ComponentRegistryLike;
  /** Write our own provider names (`autogen_ts.*`) instead of AutoGen's (default false). */
  readonly ownProviderNames?: boolean;
}

/** A field of a config, or a path of fields and indexes (`["participants", 1]`). */
export type ConfigKey = string | readonly (string | number)[];

/** What a definition's `load` gets: the path of the component, and ways to load what it contains. */
export interface LoadContext {
  /** The JSON path of this component's document (`config.participants[1]`, or `""` for the root). */
  readonly path: string;
  /** The options of the {@link loadComponent} call. */
  readonly options: LoadComponentOptions;
  /** Loads a nested component found at `config.<key>` of this one. */
  load<T = unknown>(doc: unknown, key: ConfigKey, expected?: ComponentType | string): Promise<T>;
  /** Reads a secret or plain value at `config.<key>`: a string, or an `{"$env": ...}` reference. */
  secret(value: unknown, key: ConfigKey): string | undefined;
  /** A {@link ValidationError} naming `config.<key>` of this component. */
  error(key: ConfigKey | undefined, message: string): Error;
  /** Settings for integrations (see {@link LoadComponentOptions.settings}). */
  setting<T>(name: string): T | undefined;
}

/** What a definition's `dump` gets. */
export interface DumpContext {
  /** Dumps a nested object (an agent's model client, a team's participants). */
  dump(value: unknown): Promise<ComponentModel>;
  /** The config this object was loaded from, when it came from {@link loadComponent}. */
  readonly loadedFrom: Readonly<Record<string, unknown>> | undefined;
  /** The options of the {@link dumpComponent} call. */
  readonly options: DumpComponentOptions;
}

/**
 * How one provider is loaded and dumped. Register it with a {@link ComponentRegistry}.
 *
 * `load` receives a config already upgraded to `componentVersion` and checked against `schema`.
 */
export interface ComponentDefinition<T = unknown> {
  /** The provider name written in dumps (AutoGen's Python name where AutoGen has the component). */
  readonly provider: string;
  /** Other names it loads from: our own `autogen_ts.*` name, older AutoGen paths. */
  readonly aliases?: readonly string[];
  /** Our own provider name, written instead of `provider` when dumping with `ownProviderNames`. */
  readonly ownName?: string;
  readonly componentType: ComponentType;
  /** The current config layout version. */
  readonly componentVersion: number;
  /** The default description and label written in dumps. */
  readonly description: string;
  readonly label: string;
  /** A JSON Schema of `config` (at `componentVersion`). */
  readonly schema: JsonSchema;
  /** Steps from older layouts: `upgrades[n]` turns a version-`n` config into version `n + 1`. */
  readonly upgrades?: Readonly<Record<number, (config: Record<string, unknown>) => Record<string, unknown>>>;
  /**
   * The environment variables this provider's config may read with `{"$env": ...}` without the caller
   * allowing them (its own API key). Any other name needs {@link LoadComponentOptions.allowedEnv}.
   */
  readonly envVariables?: readonly string[];
  /**
   * True when loading or using it runs code or starts a program that the document chooses (a function's
   * source, an MCP server command, an unsandboxed code executor); it then needs
   * {@link LoadComponentOptions.allowCode}. A function decides from the config and the load's options.
   */
  readonly carriesCode?:
    | boolean
    | ((config: Readonly<Record<string, unknown>>, options: LoadComponentOptions) => boolean);
  /** The classes whose instances it dumps (exact constructor match). */
  readonly classes?: readonly (abstract new (
    ...args: never[]
  ) => unknown)[];
  /** Builds the object. */
  load(config: Readonly<Record<string, unknown>>, context: LoadContext): T | Promise<T>;
  /** Reads the object back into a config (snake_case keys, no secrets). Absent: the object cannot be dumped. */
  dump?(value: T, context: DumpContext): Record<string, unknown> | Promise<Record<string, unknown>>;
}

/**
 * Providers that live in a module loaded on first use (an ext integration, say), so that loading one
 * never imports the others.
 */
export interface LazyComponentDefinitions {
  /** Every provider name (and alias) the module defines. */
  readonly providers: readonly string[];
  /** Constructor names of the classes it dumps, so `dumpComponent` knows when to import it. */
  readonly classNames?: readonly string[];
  /** Imports the module and returns its definitions. */
  readonly load: () => Promise<readonly ComponentDefinition<unknown>[]>;
}

/** A provider AutoGen has and autogen-ts does not (yet): loading it fails with this reason. */
export interface UnsupportedProvider {
  readonly provider: string;
  readonly componentType: ComponentType | string;
  readonly reason: string;
}

/** The part of a registry that loading and dumping use. */
export interface ComponentRegistryLike {
  /** The definition of a provider, importing it first when it is lazy. */
  resolve(provider: string): Promise<ComponentDefinition<unknown> | UnsupportedProvider | undefined>;
  /** The definition that dumps this object. */
  definitionFor(value: object): Promise<ComponentDefinition<unknown> | undefined>;
}
