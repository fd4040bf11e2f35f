/**
 * The model an example runs on: OpenAI when `OPENAI_API_KEY` is set (model from `OPENAI_MODEL`, default
 * gpt-4o-mini), otherwise the scripted replay client with the example's own replies, so every example
 * runs offline.
 */
import type { ChatCompletionClient } from "@autogen-ts/core";
import { ReplayChatCompletionClient, type ReplayResponse } from "@autogen-ts/core/testing";
import { OpenAIChatCompletionClient } from "@autogen-ts/ext/models/openai";

/** True when the examples talk to a real model. */
export const usesRealModel = (): boolean => Boolean(process.env.OPENAI_API_KEY);

/** A real model when a key is set, else a replay client answering with `script`. */
export function exampleModelClient(script: readonly ReplayResponse[]): ChatCompletionClient {
  if (usesRealModel()) {
    return new OpenAIChatCompletionClient({ model: process.env.OPENAI_MODEL ?? "gpt-4o-mini" });
  }
  return new ReplayChatCompletionClient(script);
}
