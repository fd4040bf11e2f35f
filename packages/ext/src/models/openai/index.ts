/**
 * `@autogen-ts/ext/models/openai`: model clients on the official `openai` SDK (an optional peer
 * dependency): Chat Completions for OpenAI and compatible endpoints, Azure OpenAI, the Responses API, and
 * embeddings from any OpenAI-compatible `/embeddings` endpoint.
 *
 * @packageDocumentation
 */
export type {
  AzureOpenAIChatCompletionClientOptions,
  OpenAIChatCompletionClientOptions,
} from "./chat-client.js";
export { AzureOpenAIChatCompletionClient, OpenAIChatCompletionClient } from "./chat-client.js";
export type { OpenAIBaseOptions } from "./common.js";
export type { OpenAIEmbeddingClientOptions } from "./embedding-client.js";
export { OpenAIEmbeddingClient } from "./embedding-client.js";
export type { KnownModel } from "./models.js";
export { OPENAI_MODEL_INFO, OPENAI_MODELS, OPENAI_PRICES } from "./models.js";
export type { OpenAIResponsesClientOptions } from "./responses-client.js";
export { OpenAIResponsesClient, toResponseInput } from "./responses-client.js";
