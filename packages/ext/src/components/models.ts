/**
 * Component definitions of the model clients (OpenAI, Azure OpenAI, Anthropic, Ollama), under AutoGen's
 * provider names. Each is bound to its client class by a small module (`openai.ts`, ...) that ext's
 * registry imports only when a document uses that provider.
 *
 * Secrets: `api_key` (and secret-looking `default_headers`) may be a string or `{"$env": "NAME"}`. A dump
 * writes back the reference a client was loaded from and never a literal key.
 */
import type {
  ChatCompletionClient,
  ComponentDefinition,
  DumpContext,
  JsonSchema,
  LoadContext,
} from "@autogen-ts/core";
import {
  compact,
  dumpSecret,
  isEnvReference,
  MODEL_INFO_SCHEMA,
  modelInfoFromConfig,
  modelInfoToConfig,
  SECRET_SCHEMA,
} from "@autogen-ts/core";

/** Settings sent with every request, as AutoGen writes them (the wire's own snake_case names). */
const CREATE_ARGS = [
  "temperature",
  "max_tokens",
  "max_completion_tokens",
  "top_p",
  "frequency_penalty",
  "presence_penalty",
  "seed",
  "stop",
  "user",
  "n",
  "logit_bias",
  "reasoning_effort",
  "parallel_tool_calls",
] as const;

const SECRET_HEADER = /authorization|api[-_]?key|token|secret|cookie/i;

const COMMON_PROPERTIES: Record<string, JsonSchema> = {
  model: { type: "string" },
  api_key: SECRET_SCHEMA,
  base_url: { type: "string" },
  model_info: MODEL_INFO_SCHEMA,
  timeout: { type: "number", exclusiveMinimum: 0 },
  max_retries: { type: "integer", minimum: 0 },
  default_headers: { type: "object", additionalProperties: SECRET_SCHEMA },
  temperature: { type: "number" },
  max_tokens: { type: "integer", minimum: 1 },
  top_p: { type: "number" },
  seed: { type: "integer" },
};

function headers(
  config: Readonly<Record<string, unknown>>,
  context: LoadContext,
): Record<string, string> | undefined {
  const raw = config.default_headers as Record<string, unknown> | undefined | null;
  if (!raw) return undefined;
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    const read = context.secret(value, ["default_headers", name]);
    if (read !== undefined) out[name] = read;
  }
  return out;
}

function createArgs(config: Readonly<Record<string, unknown>>): Record<string, unknown> | undefined {
  const out: Record<string, unknown> = {};
  for (const key of CREATE_ARGS)
    if (config[key] !== undefined && config[key] !== null) out[key] = config[key];
  return Object.keys(out).length > 0 ? out : undefined;
}

/** Endpoints a dump leaves out, being what the clients use when given none. */
const DEFAULT_ENDPOINTS = new Set(["https://api.openai.com/v1", "https://api.anthropic.com"]);

/** A client's config for a dump: what it was loaded from, secrets only as references, or its public facts. */
function dumpClient(
  client: ChatCompletionClient & { model?: string },
  context: DumpContext,
): Record<string, unknown> {
  const loaded = context.loadedFrom;
  if (loaded === undefined) {
    // Built in code: its public facts. The endpoint is kept unless it is the provider's default; a key never is.
    const out: Record<string, unknown> = {
      model: client.model,
      model_info: modelInfoToConfig(client.modelInfo),
    };
    const facts = client as { baseURL?: unknown; toJSON?: () => Record<string, unknown> };
    const baseURL = facts.baseURL ?? facts.toJSON?.().baseURL;
    if (typeof baseURL === "string" && !DEFAULT_ENDPOINTS.has(baseURL.replace(/\/+$/, "")))
      out.base_url = baseURL;
    return out;
  }
  const out: Record<string, unknown> = { ...loaded, api_key: dumpSecret(loaded.api_key) };
  if (out.api_key === undefined) delete out.api_key;
  const rawHeaders = loaded.default_headers as Record<string, unknown> | undefined;
  if (rawHeaders) {
    const kept: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(rawHeaders)) {
      if (isEnvReference(value) || !SECRET_HEADER.test(name)) kept[name] = value;
    }
    out.default_headers = kept;
  }
  return out;
}

/** The config's key; when only validating, a placeholder stands in for a key the client would look up. */
function apiKeyOf(config: Readonly<Record<string, unknown>>, context: LoadContext): string | undefined {
  const key = context.secret(config.api_key, "api_key");
  return key ?? (context.options.validateOnly === true ? "autogen-validate-placeholder" : undefined);
}

function common(config: Readonly<Record<string, unknown>>, context: LoadContext) {
  const apiKey = apiKeyOf(config, context);
  const requestHeaders = headers(config, context);
  const defaultCreateArgs = createArgs(config);
  const modelInfo = modelInfoFromConfig(config.model_info);
  return compact({
    model: config.model as string,
    apiKey,
    modelInfo,
    headers: requestHeaders,
    defaultCreateArgs,
    maxRetries: typeof config.max_retries === "number" ? config.max_retries : undefined,
  });
}

type ClientClass = new (options: never) => ChatCompletionClient;

/** The definition of `OpenAIChatCompletionClient`, dumping instances of `cls`. */
export const openaiDefinition = (cls: ClientClass): ComponentDefinition<ChatCompletionClient> => ({
  classes: [cls],
  provider: "autogen_ext.models.openai.OpenAIChatCompletionClient",
  // The one variable a document may name here without the caller allowing it.
  envVariables: ["OPENAI_API_KEY"],
  ownName: "autogen_ts.ext.models.openai.OpenAIChatCompletionClient",
  componentType: "model",
  componentVersion: 1,
  description: "Chat completion client for OpenAI and OpenAI-compatible endpoints.",
  label: "OpenAIChatCompletionClient",
  schema: {
    type: "object",
    required: ["model"],
    properties: { ...COMMON_PROPERTIES, organization: { type: "string" }, project: { type: "string" } },
  },
  load(config, context) {
    return new cls({
      ...common(config, context),
      ...compact({
        baseURL: config.base_url as string | undefined,
        organization: config.organization as string | undefined,
        project: config.project as string | undefined,
        timeoutMs: typeof config.timeout === "number" ? config.timeout * 1000 : undefined,
      }),
    } as never);
  },
  dump: dumpClient,
});

/** The definition of `AzureOpenAIChatCompletionClient`. */
export const azureDefinition = (cls: ClientClass): ComponentDefinition<ChatCompletionClient> => ({
  classes: [cls],
  provider: "autogen_ext.models.openai.AzureOpenAIChatCompletionClient",
  // The one variable a document may name here without the caller allowing it.
  envVariables: ["AZURE_OPENAI_API_KEY", "AZURE_OPENAI_AD_TOKEN"],
  ownName: "autogen_ts.ext.models.openai.AzureOpenAIChatCompletionClient",
  componentType: "model",
  componentVersion: 1,
  description: "Chat completion client for Azure OpenAI deployments.",
  label: "AzureOpenAIChatCompletionClient",
  schema: {
    type: "object",
    required: ["model"],
    properties: {
      ...COMMON_PROPERTIES,
      azure_endpoint: { type: "string" },
      azure_deployment: { type: "string" },
      api_version: { type: "string" },
    },
  },
  load(config, context) {
    return new cls({
      ...common(config, context),
      ...compact({
        endpoint: config.azure_endpoint as string | undefined,
        deployment: config.azure_deployment as string | undefined,
        apiVersion: config.api_version as string | undefined,
        baseURL: config.base_url as string | undefined,
        timeoutMs: typeof config.timeout === "number" ? config.timeout * 1000 : undefined,
      }),
    } as never);
  },
  dump: dumpClient,
});

/** The definition of `AnthropicChatCompletionClient`. */
export const anthropicDefinition = (cls: ClientClass): ComponentDefinition<ChatCompletionClient> => ({
  classes: [cls],
  provider: "autogen_ext.models.anthropic.AnthropicChatCompletionClient",
  // The one variable a document may name here without the caller allowing it.
  envVariables: ["ANTHROPIC_API_KEY"],
  ownName: "autogen_ts.ext.models.anthropic.AnthropicChatCompletionClient",
  componentType: "model",
  componentVersion: 1,
  description: "Chat completion client for Anthropic's Claude models.",
  label: "AnthropicChatCompletionClient",
  schema: {
    type: "object",
    required: ["model"],
    properties: { ...COMMON_PROPERTIES, top_k: { type: "integer" } },
  },
  load(config, context) {
    const { defaultCreateArgs: _unused, ...base } = common(config, context) as Record<string, unknown>;
    return new cls({
      ...base,
      ...compact({
        baseURL: config.base_url as string | undefined,
        maxTokens: config.max_tokens as number | undefined,
        timeoutMs: typeof config.timeout === "number" ? config.timeout * 1000 : undefined,
      }),
    } as never);
  },
  dump: dumpClient,
});

/** The definition of `OllamaChatCompletionClient`. */
export const ollamaDefinition = (cls: ClientClass): ComponentDefinition<ChatCompletionClient> => ({
  classes: [cls],
  provider: "autogen_ext.models.ollama.OllamaChatCompletionClient",
  // The one variable a document may name here without the caller allowing it.
  envVariables: ["OLLAMA_API_KEY"],
  ownName: "autogen_ts.ext.models.ollama.OllamaChatCompletionClient",
  componentType: "model",
  componentVersion: 1,
  description: "Chat completion client for Ollama's native API.",
  label: "OllamaChatCompletionClient",
  schema: {
    type: "object",
    required: ["model"],
    properties: { ...COMMON_PROPERTIES, host: { type: "string" } },
  },
  load(config, context) {
    return new cls({
      model: config.model as string,
      ...compact({
        baseURL: (config.host ?? config.base_url) as string | undefined,
        modelInfo: modelInfoFromConfig(config.model_info),
        headers: headers(config, context),
        apiKey: apiKeyOf(config, context),
      }),
    } as never);
  },
  dump: dumpClient,
});
