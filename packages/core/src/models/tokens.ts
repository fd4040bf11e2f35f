/**
 * A provider-neutral token estimate. Exact counts need each provider's tokenizer (and a large download);
 * context trimming and `remainingTokens()` only need a reasonable upper-leaning guess, so this uses
 * roughly four characters per token plus a small per-message and per-image overhead.
 */
import type { ToolSchema } from "../tools/types.js";
import type { LLMMessage } from "./types.js";

/** Tokens charged for the framing of each message (role, separators). */
const PER_MESSAGE = 4;
/** A typical high-detail image cost; real costs depend on the image size. */
const PER_IMAGE = 765;

/** An estimate of the tokens in a piece of text (about four characters per token). */
export function estimateTextTokens(text: string): number {
  return text.length === 0 ? 0 : Math.ceil(text.length / 4);
}

function messageTokens(message: LLMMessage): number {
  switch (message.type) {
    case "SystemMessage":
      return estimateTextTokens(message.content);
    case "UserMessage": {
      if (typeof message.content === "string") return estimateTextTokens(message.content);
      let n = 0;
      for (const part of message.content)
        n += typeof part === "string" ? estimateTextTokens(part) : PER_IMAGE;
      return n;
    }
    case "AssistantMessage": {
      const thought = message.thought ? estimateTextTokens(message.thought) : 0;
      if (typeof message.content === "string") return thought + estimateTextTokens(message.content);
      let n = thought;
      for (const call of message.content)
        n += estimateTextTokens(call.name) + estimateTextTokens(call.arguments) + 3;
      return n;
    }
    case "FunctionExecutionResultMessage": {
      let n = 0;
      for (const r of message.content) n += estimateTextTokens(r.content) + PER_MESSAGE;
      return n;
    }
  }
}

/** An estimate of the prompt tokens that these messages and tool schemas take. */
export function estimateTokens(
  messages: readonly LLMMessage[],
  options: { tools?: readonly ToolSchema[] } = {},
): number {
  let n = 3; // the reply's priming
  for (const m of messages) n += PER_MESSAGE + messageTokens(m);
  for (const tool of options.tools ?? []) n += estimateTextTokens(JSON.stringify(tool)) + PER_MESSAGE;
  return n;
}
