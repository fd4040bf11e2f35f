/**
 * `loadComponent` and `dumpComponent`: a component document to an object and back, through a
 * {@link ComponentRegistry}. Every error names the JSON path of the problem
 * (`config.participants[1].config.model_client: unknown provider "x.Y"`).
 */
import { ValidationError } from "../errors.js";
import { isUnsupportedProvider } from "./registry.js";
import { checkSchema, closestName, joinPath, unknownField } from "./schema.js";
import type {
  ComponentDefinition,
  ComponentModel,
  ComponentRegistryLike,
  ConfigKey,
  DumpComponentOptions,
  DumpContext,
  EnvReference,
  LoadComponentOptions,
  LoadContext,
} from "./types.js";

/** The config each loaded object came from (before secrets were read), for dumping it back. */
const LOADED_FROM = new WeakMap<object, Record<string, unknown>>();
/** The description and label of the document each loaded object came from, written back by a dump. */
const LOADED_TEXT = new WeakMap<object, { description?: unknown; label?: unknown }>();

/** What an unset secret reads as when a document is only validated (never sent anywhere). */
export const VALIDATE_PLACEHOLDER = "autogen-validate-placeholder";

/** AutoGen writes a masked secret as this; it means "no value here". */
const MASKED_SECRET = /^\*+$/;

function keyPath(key: ConfigKey): readonly (string | number)[] {
  return typeof key === "string" ? [key] : key;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** True for an `{"$env": "NAME"}` reference. */
export function isEnvReference(value: unknown): value is EnvReference {
  return isRecord(value) && typeof value.$env === "string" && Object.keys(value).length === 1;
}

function defaultEnv(): Readonly<Record<string, string | undefined>> {
  const proc = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process;
  return proc?.env ?? {};
}

function configError(path: string, message: string, cause?: unknown): ValidationError {
  return new ValidationError(path === "" ? message : `${path}: ${message}`, {
    code: "invalid_config",
    details: { path },
    ...(cause === undefined ? {} : { cause }),
  });
}

function isTrusted(provider: string, trusted: readonly string[] | undefined): boolean {
  if (trusted === undefined) return true;
  return trusted.some((entry) =>
    entry.endsWith("*") ? provider.startsWith(entry.slice(0, -1)) : entry === provider,
  );
}

/** Whether a document may read environment variable `name` at a component of this definition. */
function envAllowed(
  name: string,
  definition: ComponentDefinition<unknown>,
  options: LoadComponentOptions,
): boolean {
  // An environment given explicitly is the whole of what the document can see.
  if (options.env !== undefined) return true;
  if (definition.envVariables?.includes(name)) return true;
  return (options.allowedEnv ?? []).some((entry) =>
    entry.endsWith("*") ? name.startsWith(entry.slice(0, -1)) : entry === name,
  );
}

function upgrade(
  definition: ComponentDefinition<unknown>,
  from: number,
  config: Record<string, unknown>,
  path: string,
): Record<string, unknown> {
  let current = config;
  for (let v = from; v < definition.componentVersion; v++) {
    const step = definition.upgrades?.[v];
    if (step === undefined) {
      throw configError(
        path,
        `${definition.provider} has no upgrade from component_version ${v} to ${v + 1}`,
      );
    }
    current = step(current);
  }
  return current;
}

async function loadAt(
  doc: unknown,
  path: string,
  expected: string | undefined,
  registry: ComponentRegistryLike,
  options: LoadComponentOptions,
): Promise<unknown> {
  if (!isRecord(doc))
    throw configError(path, `expected a component document (an object), got ${JSON.stringify(doc)}`);
  const transformed = options.transform ? options.transform(doc as unknown as ComponentModel, path) : doc;
  const { provider, config } = transformed as Record<string, unknown>;
  if (typeof provider !== "string" || provider === "") {
    throw configError(
      joinPath(path, ["provider"]),
      "is required (a provider name such as autogen_agentchat.agents.AssistantAgent)",
    );
  }
  if (!isRecord(config)) throw configError(joinPath(path, ["config"]), "is required and must be an object");
  if (!isTrusted(provider, options.trustedProviders)) {
    throw configError(path, `provider "${provider}" is not in the trusted provider list`);
  }
  const entry = await registry.resolve(provider);
  if (entry === undefined) {
    const near =
      "providers" in registry && typeof registry.providers === "function"
        ? closestName(provider, (registry.providers as () => string[])())
        : undefined;
    throw configError(
      path,
      `unknown provider "${provider}"${near === undefined ? "" : `; did you mean "${near}"?`}`,
    );
  }
  if (isUnsupportedProvider(entry)) {
    throw configError(path, `provider "${provider}" is not supported yet: ${entry.reason}`);
  }
  const definition = entry;
  const componentType = (transformed as Record<string, unknown>).component_type;
  if (componentType !== undefined && componentType !== null && componentType !== definition.componentType) {
    throw configError(
      joinPath(path, ["component_type"]),
      `is "${String(componentType)}", but ${provider} is a ${definition.componentType}`,
    );
  }
  if (expected !== undefined && definition.componentType !== expected) {
    throw configError(
      path,
      `expected a ${expected} component, got ${provider} (a ${definition.componentType})`,
    );
  }
  const versionField = (transformed as Record<string, unknown>).component_version;
  const version = typeof versionField === "number" ? versionField : definition.componentVersion;
  if (version > definition.componentVersion) {
    throw configError(
      joinPath(path, ["component_version"]),
      `is ${version}, newer than the ${definition.componentVersion} that ${provider} reads here`,
    );
  }
  const upgraded = upgrade(definition, version, { ...config }, path);
  const configPath = joinPath(path, ["config"]);
  const issues = checkSchema(upgraded, definition.schema);
  if (issues.length > 0) {
    const issue = issues[0]!;
    throw configError(joinPath(configPath, issue.path), issue.message);
  }
  // A typo (`temprature`) or a field of another component (`system_message` on a team) would otherwise
  // be dropped in silence, and the setting with it.
  const stray = unknownField(upgraded, definition.schema);
  if (stray !== undefined) {
    throw configError(
      joinPath(configPath, [stray.field]),
      `is not a field of ${provider}${stray.suggestion === undefined ? "" : `; did you mean "${stray.suggestion}"?`}`,
    );
  }
  const carriesCode =
    typeof definition.carriesCode === "function"
      ? definition.carriesCode(upgraded, options)
      : definition.carriesCode;
  if (carriesCode && options.allowCode !== true) {
    throw configError(
      path,
      `${provider} carries code or a command to run, and loading it runs that with your rights; load it only from a document you trust, with allowCode: true (autogen-ts: --allow-code)`,
    );
  }
  const env = options.env ?? defaultEnv();
  const context: LoadContext = {
    path,
    options,
    load: (child, key, childExpected) =>
      loadAt(child, joinPath(configPath, keyPath(key)), childExpected, registry, options) as Promise<never>,
    secret(value, key) {
      const at = joinPath(configPath, keyPath(key));
      if (value === undefined || value === null) return undefined;
      if (typeof value === "string") return MASKED_SECRET.test(value) ? undefined : value;
      if (isEnvReference(value)) {
        if (!envAllowed(value.$env, definition, options)) {
          const own = definition.envVariables ?? [];
          throw configError(
            at,
            `environment variable ${value.$env} may not be read here (${provider} reads ${
              own.length > 0 ? own.join(", ") : "none of its own"
            }); allow it with allowedEnv (autogen-ts: --allow-env ${value.$env})`,
          );
        }
        const found = env[value.$env];
        if (found === undefined || found === "") {
          if (options.validateOnly === true) return VALIDATE_PLACEHOLDER;
          throw configError(at, `environment variable ${value.$env} is not set`);
        }
        return found;
      }
      throw configError(at, 'expected a string or {"$env": "NAME"}');
    },
    error: (key, message) =>
      configError(key === undefined ? path : joinPath(configPath, keyPath(key)), message),
    setting: <T>(name: string) => options.settings?.[name] as T | undefined,
  };
  let value: unknown;
  try {
    value = await definition.load(upgraded, context);
  } catch (error) {
    if (ValidationError.isInstance(error) && error.code === "invalid_config") throw error;
    const message = error instanceof Error ? error.message : String(error);
    throw configError(path, `${provider} could not be created: ${message}`, error);
  }
  if (typeof value === "object" && value !== null) {
    LOADED_FROM.set(value, upgraded);
    const { description, label } = transformed as Record<string, unknown>;
    LOADED_TEXT.set(value, { description, label });
  }
  return value;
}

/**
 * Loads a component document (AutoGen's JSON, parsed) into an object.
 *
 * @throws {@link ValidationError} (`invalid_config`) naming the JSON path of the first problem: an
 *   unknown or unsupported provider, a config that does not fit the provider's schema, a missing
 *   environment variable, code in a document not trusted with `allowCode`.
 *
 * @example
 * ```ts
 * const team = await loadComponentWith<TaskRunner>(registry, JSON.parse(text));
 * ```
 */
export async function loadComponentWith<T = unknown>(
  registry: ComponentRegistryLike,
  doc: unknown,
  options: LoadComponentOptions = {},
): Promise<T> {
  return (await loadAt(doc, "", undefined, options.registry ?? registry, options)) as T;
}

/**
 * Dumps an object into a component document, with AutoGen's provider names and snake_case keys. API
 * keys are never written: a key loaded from `{"$env": ...}` is written as that reference, a literal one
 * is left out.
 *
 * @throws {@link ValidationError} when no registered definition dumps the object's class.
 */
export async function dumpComponentWith(
  registry: ComponentRegistryLike,
  value: unknown,
  options: DumpComponentOptions = {},
): Promise<ComponentModel> {
  if (typeof value !== "object" || value === null) {
    throw new ValidationError(`Only objects can be dumped as components, got ${typeof value}`);
  }
  const definition = await (options.registry ?? registry).definitionFor(value);
  const className = (value as { constructor?: { name?: string } }).constructor?.name ?? "object";
  if (definition === undefined || definition.dump === undefined) {
    throw new ValidationError(`${className} cannot be dumped as a component: no definition dumps it`, {
      code: "invalid_config",
    });
  }
  const context: DumpContext = {
    dump: (child) => dumpComponentWith(registry, child, options),
    loadedFrom: LOADED_FROM.get(value),
    options,
  };
  const config = await definition.dump(value, context);
  const text = LOADED_TEXT.get(value);
  // A loaded object keeps its document's description and label (or their absence); a new one gets ours.
  const description = text === undefined ? definition.description : text.description;
  const label = text === undefined ? definition.label : text.label;
  return {
    provider: options.ownProviderNames && definition.ownName ? definition.ownName : definition.provider,
    component_type: definition.componentType,
    version: definition.componentVersion,
    component_version: definition.componentVersion,
    ...(description === undefined ? {} : { description: description as string | null }),
    ...(label === undefined ? {} : { label: label as string | null }),
    config,
  };
}

/** The config an object was loaded from (secrets as written: references, never read values), if any. */
export function loadedConfigOf(value: object): Readonly<Record<string, unknown>> | undefined {
  return LOADED_FROM.get(value);
}

/**
 * A secret field for a dump: the `{"$env": ...}` reference it was loaded from, or nothing. A literal
 * value is never written.
 */
export function dumpSecret(loaded: unknown): EnvReference | undefined {
  return isEnvReference(loaded) ? { $env: loaded.$env } : undefined;
}
