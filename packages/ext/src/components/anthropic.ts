/** The Anthropic client definition, bound to its class (imports `@anthropic-ai/sdk`). */
import type { ComponentDefinition } from "@autogen-ts/core";
import { AnthropicChatCompletionClient } from "../models/anthropic/index.js";
import { anthropicDefinition } from "./models.js";

/** The definitions this module contributes. */
export const definitions: readonly ComponentDefinition<unknown>[] = [
  anthropicDefinition(AnthropicChatCompletionClient),
];
