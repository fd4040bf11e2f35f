/**
 * What common Ollama models can do. Looked up with core's `lookupModel`, so tagged names (`qwen3:8b`,
 * `llama3.2:latest`) find their base entry. Every model accepts `format` (JSON mode and a JSON Schema),
 * so `jsonOutput` and `structuredOutput` hold throughout; tools and vision depend on the model.
 */
import type { ModelInfo } from "@autogen-ts/core";

function info(family: string, caps: { tools: boolean; vision: boolean }): ModelInfo {
  return {
    vision: caps.vision,
    functionCalling: caps.tools,
    jsonOutput: true,
    structuredOutput: true,
    family,
    multipleSystemMessages: true,
  };
}

/** Known Ollama models by name (without the `:tag`). */
export const OLLAMA_MODELS: Readonly<Record<string, ModelInfo>> = {
  "llama3.1": info("llama-3.1", { tools: true, vision: false }),
  "llama3.2": info("llama-3.2", { tools: true, vision: false }),
  "llama3.2-vision": info("llama-3.2", { tools: false, vision: true }),
  "llama3.3": info("llama-3.3", { tools: true, vision: false }),
  llama4: info("llama-4", { tools: true, vision: true }),
  llava: info("llava", { tools: false, vision: true }),
  "qwen2.5": info("qwen-2.5", { tools: true, vision: false }),
  "qwen2.5-coder": info("qwen-2.5", { tools: true, vision: false }),
  "qwen2.5vl": info("qwen-2.5", { tools: false, vision: true }),
  qwen3: info("qwen-3", { tools: true, vision: false }),
  "qwen3-vl": info("qwen-3", { tools: true, vision: true }),
  gemma3: info("gemma-3", { tools: false, vision: true }),
  mistral: info("mistral", { tools: true, vision: false }),
  "mistral-nemo": info("mistral", { tools: true, vision: false }),
  "mistral-small3.1": info("mistral", { tools: true, vision: true }),
  phi4: info("phi-4", { tools: false, vision: false }),
  "deepseek-r1": info("r1", { tools: true, vision: false }),
  "gpt-oss": info("gpt-oss", { tools: true, vision: false }),
};
