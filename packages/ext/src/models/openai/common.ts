/**
 * What the two OpenAI clients (Chat Completions and Responses) share beyond the model-client kit: their
 * options, the built-in catalog, the SDK instance and the handling of a refusal.
 */
import {
  type CreateOptions,
  isStructuredOutputSchema,
  ModelError,
  type RequestUsage,
} from "@autogen-ts/core";
import OpenAI from "openai";
import {
  type HttpModelClientOptions,
  type LegacyModelClientOptions,
  MODEL_ENV,
  type ModelCatalog,
  ModelClientKit,
} from "../_shared/index.js";
import { OPENAI_MODEL_INFO, OPENAI_MODELS, OPENAI_PRICES } from "./models.js";

/** Options shared by the OpenAI clients. */
export interface OpenAIBaseOptions
  extends HttpModelClientOptions,
    Pick<
      LegacyModelClientOptions,
      "contextSize" | "timeout" | "prices" | "defaultHeaders" | "retryInitialDelayMs"
    > {
  /** The model name (for Azure: the model behind the deployment, used for capabilities and prices). */
  readonly model: string;
  /** The API key; defaults to `OPENAI_API_KEY`. Never logged or put in errors. */
  readonly apiKey?: string;
  /**
   * An OpenAI-compatible endpoint (Ollama, vLLM, LM Studio, llama.cpp, OpenRouter, Gemini, ...);
   * defaults to `OPENAI_BASE_URL`, else OpenAI's.
   */
  readonly baseURL?: string;
  readonly organization?: string;
  readonly project?: string;
}

/** The built-in knowledge of OpenAI's models (and a few reached through compatible endpoints). */
export const OPENAI_CATALOG: ModelCatalog = {
  models: OPENAI_MODEL_INFO,
  prices: OPENAI_PRICES,
  contextWindows: Object.fromEntries(Object.entries(OPENAI_MODELS).map(([name, m]) => [name, m.contextSize])),
  defaultContextWindow: 128_000,
};

/** The kit of an OpenAI client; `sdk` is read lazily, for the endpoint in messages. */
export function openAIKit(
  options: OpenAIBaseOptions,
  clientName: string,
  sdk: () => OpenAI | undefined,
): ModelClientKit {
  const azure = clientName.startsWith("Azure");
  return new ModelClientKit(options, {
    provider: azure ? "Azure OpenAI" : "OpenAI",
    clientName,
    model: options.model,
    catalog: OPENAI_CATALOG,
    env: azure ? { apiKey: MODEL_ENV.azure.apiKey } : MODEL_ENV.openai,
    endpoint: () => sdk()?.baseURL,
  });
}

/**
 * The `openai` SDK client of a kit, with the SDK's own retries and time limit handed to the kit's
 * policy. A keyless compatible endpoint (a local server) gets a placeholder key the SDK insists on.
 */
export function createOpenAISdk(kit: ModelClientKit, options: OpenAIBaseOptions): OpenAI {
  const baseURL = kit.baseURL;
  const headers = kit.options.headers;
  return new OpenAI({
    apiKey: kit.apiKey ?? (baseURL ? "not-needed" : undefined),
    ...(baseURL ? { baseURL } : {}),
    ...(options.organization ? { organization: options.organization } : {}),
    ...(options.project ? { project: options.project } : {}),
    maxRetries: 0,
    timeout: kit.retry.timeoutMs,
    ...(headers ? { defaultHeaders: { ...headers } } : {}),
  });
}

/** Builds the SDK inside a constructor, turning the SDK's complaint (no key, say) into a typed error. */
export function buildSdk<T>(kit: ModelClientKit, make: () => T): T {
  try {
    return make();
  } catch (cause) {
    throw kit.configError(cause);
  }
}

/** A refusal to a structured request is an error (there is nothing to parse); otherwise it is the reply. */
export function checkRefusal(refusal: string, options: CreateOptions): void {
  if (isStructuredOutputSchema(options.jsonOutput)) {
    throw new ModelError("model_output", `The model refused to answer: ${refusal}`, {
      details: { refusal },
    });
  }
}

/** True when a non-streamed answer is an object whose `field` is an array (not text, not another shape). */
export function hasArray(value: unknown, field: string): boolean {
  return (
    typeof value === "object" && value !== null && Array.isArray((value as Record<string, unknown>)[field])
  );
}

/** Usage from OpenAI's counters (either API's names), with cached and reasoning tokens where reported. */
export function openAIUsage(
  prompt: number,
  completion: number,
  cached: number | null | undefined,
  reasoning: number | null | undefined,
): RequestUsage {
  return {
    promptTokens: prompt,
    completionTokens: completion,
    ...(cached ? { cachedPromptTokens: cached } : {}),
    ...(reasoning ? { reasoningTokens: reasoning } : {}),
  };
}
