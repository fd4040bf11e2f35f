/**
 * Refusing, before any network call, what a model cannot do: images to a text-only model, tools to a
 * model without function calling, JSON or structured output to a model without them. The error names
 * the model and says how to override its capabilities.
 */
import { ModelError } from "../errors.js";
import type { CreateOptions, LLMMessage, ModelInfo } from "./types.js";

function refuse(model: string, what: string, flag: keyof ModelInfo): never {
  throw new ModelError(
    "model_capability",
    `Model "${model}" does not support ${what} (modelInfo.${String(flag)} is false); ` +
      `set modelInfo: { ${String(flag)}: true } on the client if it does.`,
    { details: { model, capability: flag } },
  );
}

/**
 * Throws a {@link ModelError} with code `model_capability` when the request needs something `info`
 * says the model lacks.
 */
export function assertModelCanHandle(
  model: string,
  info: ModelInfo,
  messages: readonly LLMMessage[],
  options: Pick<CreateOptions, "tools" | "jsonOutput" | "toolChoice"> = {},
): void {
  if (!info.vision) {
    for (const m of messages) {
      if (
        m.type === "UserMessage" &&
        typeof m.content !== "string" &&
        m.content.some((p) => typeof p !== "string")
      ) {
        refuse(model, "images", "vision");
      }
    }
  }
  if (!info.functionCalling && (options.tools?.length ?? 0) > 0) refuse(model, "tools", "functionCalling");
  if (options.jsonOutput === true && !info.jsonOutput) refuse(model, "JSON output", "jsonOutput");
  if (typeof options.jsonOutput === "object" && !info.structuredOutput) {
    refuse(model, "structured output", "structuredOutput");
  }
}
