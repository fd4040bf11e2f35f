/** The OpenAI and Azure OpenAI client definitions, bound to their classes (imports the `openai` SDK). */
import type { ComponentDefinition } from "@autogen-ts/core";
import { AzureOpenAIChatCompletionClient, OpenAIChatCompletionClient } from "../models/openai/index.js";
import { azureDefinition, openaiDefinition } from "./models.js";

/** The definitions this module contributes. */
export const definitions = [
  openaiDefinition(OpenAIChatCompletionClient),
  azureDefinition(AzureOpenAIChatCompletionClient),
] as unknown as readonly ComponentDefinition<never>[];
