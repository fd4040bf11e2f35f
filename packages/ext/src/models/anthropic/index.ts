/**
 * `@autogen-ts/ext/models/anthropic`: Claude models through the official `@anthropic-ai/sdk`
 * (an optional peer dependency: install it to use this subpath).
 *
 * @packageDocumentation
 */
export type { AnthropicChatCompletionClientOptions, AnthropicClientOptions } from "./client.js";
export { AnthropicChatCompletionClient } from "./client.js";
export type { AnthropicModelLimits } from "./models.js";
export { ANTHROPIC_LIMITS, ANTHROPIC_MODELS, ANTHROPIC_PRICES } from "./models.js";
