/**
 * `@autogen-ts/ext/models/ai-sdk`: any Vercel AI SDK language model (`LanguageModelV3`, from AI SDK 6
 * providers such as `@ai-sdk/openai`) as an autogen-ts model client. Install the provider you use;
 * `@ai-sdk/provider` is an optional peer for its types.
 *
 * @packageDocumentation
 */
export type { AiSdkChatCompletionClientOptions, AiSdkClientOptions } from "./client.js";
export { AiSdkChatCompletionClient, toAiSdkPrompt } from "./client.js";
