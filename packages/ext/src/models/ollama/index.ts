/**
 * `@autogen-ts/ext/models/ollama`: local models served by Ollama, over its native `/api/chat`
 * (no extra dependency).
 *
 * @packageDocumentation
 */
export type { OllamaChatCompletionClientOptions, OllamaClientOptions } from "./client.js";
export { OllamaChatCompletionClient, toOllamaMessages } from "./client.js";
export { OLLAMA_MODELS } from "./models.js";
