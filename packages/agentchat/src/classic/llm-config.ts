/**
 * `llmConfig`, the classic way to name a model: `false`, a ready `ChatCompletionClient`, or AG2's
 * `{ configList: [{ model, apiKey?, baseUrl?, apiType? }], temperature?, ... }`.
 *
 * agentchat may not import ext (dependencies flow core <- agentchat <- ext), so it cannot build an OpenAI
 * or Anthropic client itself. A config list is turned into clients by factories: one given in the config
 * (`clientFactory`), or one registered for the entry's `apiType` with {@link registerModelClientFactory}
 * (the application, or a package above agentchat, registers ext's clients). Clients are built at the
 * first model call, so a factory registered after the agent was made still applies.
 */
import type { ChatCompletionClient } from "@autogen-ts/core";
import { ValidationError } from "@autogen-ts/core";

/** One model in a config list. Extra keys are passed to the factory as they are. */
export interface LlmConfigEntry {
  readonly model: string;
  /** The provider's key; never logged, dumped or saved. */
  readonly apiKey?: string;
  readonly baseUrl?: string;
  /** Which factory builds the client (default `"openai"`). */
  readonly apiType?: string;
  readonly [key: string]: unknown;
}

/** What a factory is given: the entry, and the config's call settings (temperature, ...). */
export interface ModelClientFactoryContext {
  /** The config's settings besides `configList` and `clientFactory` (temperature, maxTokens, ...). */
  readonly settings: Readonly<Record<string, unknown>>;
}

/** Builds a client for one config-list entry. */
export type ModelClientFactory = (
  entry: LlmConfigEntry,
  context: ModelClientFactoryContext,
) => ChatCompletionClient;

/** AG2's dictionary form of `llmConfig`. */
export interface LlmConfigObject {
  /** The models to try, in order: a call that fails with a provider error moves on to the next. */
  readonly configList: readonly LlmConfigEntry[];
  /** Sampling temperature, passed to each call. */
  readonly temperature?: number;
  /** Builds the clients instead of the registered factories. */
  readonly clientFactory?: ModelClientFactory;
  /** Other call settings (maxTokens, seed, topP, ...), passed to each call as provider arguments. */
  readonly [key: string]: unknown;
}

/** `false` (no model), a client, or a config list. */
export type LlmConfig = false | ChatCompletionClient | LlmConfigObject;

const FACTORIES = new Map<string, ModelClientFactory>();

/**
 * Registers the factory that builds clients for config entries of `apiType` (`"openai"`, `"anthropic"`,
 * `"ollama"`, ...), replacing any earlier one. Returns a function that removes it again.
 *
 * @example
 * ```ts
 * import { OpenAIChatCompletionClient } from "@autogen-ts/ext/models/openai";
 * registerModelClientFactory("openai", (e) =>
 *   new OpenAIChatCompletionClient({ model: e.model, apiKey: e.apiKey, baseURL: e.baseUrl }));
 * ```
 */
export function registerModelClientFactory(apiType: string, factory: ModelClientFactory): () => void {
  if (typeof apiType !== "string" || apiType === "") {
    throw new ValidationError("registerModelClientFactory: apiType must be a non-empty string");
  }
  if (typeof factory !== "function") {
    throw new ValidationError(`registerModelClientFactory: the factory for "${apiType}" must be a function`);
  }
  FACTORIES.set(apiType, factory);
  return () => {
    if (FACTORIES.get(apiType) === factory) FACTORIES.delete(apiType);
  };
}

/** True when `value` is a model client rather than a config object. */
export function isModelClient(value: unknown): value is ChatCompletionClient {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as ChatCompletionClient).create === "function" &&
    "modelInfo" in value
  );
}

/** Checks an `llmConfig` option (AG2's messages for an empty list or model), naming the agent. */
export function checkLlmConfig(config: unknown, owner: string): LlmConfig {
  if (config === undefined || config === null || config === false) return false;
  if (isModelClient(config)) return config;
  if (typeof config !== "object" || !Array.isArray((config as LlmConfigObject).configList)) {
    throw new ValidationError(
      `${owner}: llmConfig must be false, a ChatCompletionClient, or { configList: [{ model, ... }] }`,
      { code: "invalid_config" },
    );
  }
  const list = (config as LlmConfigObject).configList;
  if (list.length === 0 || list.some((e) => typeof e?.model !== "string" || e.model === "")) {
    throw new ValidationError(`${owner}: specify a non-empty 'model' in each entry of llmConfig.configList`, {
      code: "invalid_config",
    });
  }
  return config as LlmConfigObject;
}

/** The call settings of a config object: everything but the list and the factory. */
export function configSettings(config: LlmConfigObject): Record<string, unknown> {
  const { configList: _list, clientFactory: _factory, tools: _tools, ...settings } = config;
  return settings;
}

/** The clients a config stands for, in the order to try them. */
export function buildClients(config: LlmConfig, owner: string): ChatCompletionClient[] {
  if (config === false) return [];
  if (isModelClient(config)) return [config];
  const settings = configSettings(config);
  return config.configList.map((entry) => {
    const apiType = entry.apiType ?? "openai";
    const factory = config.clientFactory ?? FACTORIES.get(apiType);
    if (factory === undefined) {
      throw new ValidationError(
        `${owner}: no model client factory is registered for apiType "${apiType}" (model "${entry.model}"): ` +
          "call registerModelClientFactory, pass llmConfig.clientFactory, or give a ChatCompletionClient",
        { code: "invalid_config", details: { apiType, model: entry.model } },
      );
    }
    return factory(entry, { settings });
  });
}

/** The config as it may be shown: config-list keys without their secrets. */
export function redactLlmConfig(config: LlmConfig): LlmConfig {
  if (config === false || isModelClient(config)) return config;
  return {
    ...config,
    configList: config.configList.map(({ apiKey: _key, ...rest }) => rest as LlmConfigEntry),
  };
}
