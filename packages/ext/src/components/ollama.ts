/** The Ollama client definition, bound to its class. */
import type { ComponentDefinition } from "@autogen-ts/core";
import { OllamaChatCompletionClient } from "../models/ollama/index.js";
import { ollamaDefinition } from "./models.js";

/** The definitions this module contributes. */
export const definitions: readonly ComponentDefinition<unknown>[] = [
  ollamaDefinition(OllamaChatCompletionClient),
];
