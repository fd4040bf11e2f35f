/** The OpenAI and Azure OpenAI client definitions, bound to their classes (imports the `openai` SDK). */
import type { ComponentDefinition } from "@autogen-ts/core";
import { AzureOpenAIChatCompletionClient, OpenAIChatCompletionClient } from "../models/openai/index.js";
import { azureDefinition, openaiDefinition } from "./models.js";

/** The definitions this module contributes. */
export const definitions: readonly ComponentDefinition<unknown>[] = [
  openaiDefinition(OpenAIChatCompletionClient),
  azureDefinition(AzureOpenAIChatCompletionClient),
];
