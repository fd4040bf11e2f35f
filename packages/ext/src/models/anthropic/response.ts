/**
 * Assembles one reply from Anthropic's content blocks, whether they arrive whole (`messages.create`) or as
 * streaming events (`message_start`, `content_block_start/delta/stop`, `message_delta`, `message_stop`).
 */
import type Anthropic from "@anthropic-ai/sdk";
import type { FinishReason, FunctionCall } from "@autogen-ts/core";

/** Token counts as Anthropic reports them (input excludes cache reads and writes). */
export interface AnthropicUsageCounts {
  input: number;
  output: number;
  cacheRead: number;
  cacheCreation: number;
  thinking: number | undefined;
}

interface BlockState {
  kind: "text" | "thinking" | "tool" | "other";
  text: string;
  id: string;
  name: string;
  signature: string;
  /** For a redacted thinking block: its opaque data, kept to send back. */
  data: string;
}

/** The parts of a finished reply, before usage is priced. */
export interface AssembledReply {
  readonly text: string;
  readonly calls: FunctionCall[];
  readonly thought: string | undefined;
  /** Thinking blocks to send back with the calls (Anthropic checks their signatures). */
  readonly thinkingBlocks: Anthropic.ContentBlockParam[];
  readonly finishReason: FinishReason;
  readonly usage: AnthropicUsageCounts;
}

/** Maps Anthropic's `stop_reason` to a {@link FinishReason}. */
export function toFinishReason(reason: string | null | undefined, hasCalls: boolean): FinishReason {
  switch (reason) {
    case "end_turn":
    case "stop_sequence":
      return hasCalls ? "function_calls" : "stop";
    case "tool_use":
      return "function_calls";
    case "max_tokens":
    case "model_context_window_exceeded":
      return "length";
    case "refusal":
      return "content_filter";
    default:
      return hasCalls ? "function_calls" : "unknown";
  }
}

/** Collects blocks and usage into one reply. */
export class ReplyAssembler {
  readonly #blocks: BlockState[] = [];
  #stopReason: string | null | undefined;
  #complete = false;
  readonly #usage: AnthropicUsageCounts = {
    input: 0,
    output: 0,
    cacheRead: 0,
    cacheCreation: 0,
    thinking: undefined,
  };

  /** Adds the usage fields present in `u` (streaming sends them in two places; later values win). */
  #takeUsage(u: Partial<Anthropic.Usage> | Partial<Anthropic.MessageDeltaUsage> | null | undefined): void {
    if (!u) return;
    if (typeof u.input_tokens === "number") this.#usage.input = u.input_tokens;
    if (typeof u.output_tokens === "number") this.#usage.output = u.output_tokens;
    if (typeof u.cache_read_input_tokens === "number") this.#usage.cacheRead = u.cache_read_input_tokens;
    if (typeof u.cache_creation_input_tokens === "number")
      this.#usage.cacheCreation = u.cache_creation_input_tokens;
    const details = (u as { output_tokens_details?: { thinking_tokens?: number } | null })
      .output_tokens_details;
    if (typeof details?.thinking_tokens === "number") this.#usage.thinking = details.thinking_tokens;
  }

  #start(index: number, block: Anthropic.ContentBlock): void {
    const state: BlockState = { kind: "other", text: "", id: "", name: "", signature: "", data: "" };
    switch (block.type) {
      case "text":
        state.kind = "text";
        state.text = block.text;
        break;
      case "thinking":
        state.kind = "thinking";
        state.text = block.thinking;
        state.signature = block.signature;
        break;
      case "redacted_thinking":
        state.data = block.data;
        break;
      case "tool_use": {
        state.kind = "tool";
        state.id = block.id;
        state.name = block.name;
        // A whole message carries the parsed input; a stream starts with `{}` and sends the JSON as deltas.
        const input: unknown = block.input;
        const whole = typeof input === "string" ? input : JSON.stringify(input ?? {});
        state.text = whole === "{}" ? "" : whole;
        break;
      }
    }
    this.#blocks[index] = state;
  }

  /** Adds a whole (non-streamed) message. */
  addMessage(message: Anthropic.Message): void {
    message.content.forEach((block, i) => {
      this.#start(i, block);
    });
    this.#stopReason = message.stop_reason;
    this.#takeUsage(message.usage);
    this.#complete = true;
  }

  /** True once the whole reply is in: a whole message, or a stream's `message_stop`. */
  get complete(): boolean {
    return this.#complete;
  }

  /** Adds one streaming event; returns the text to show the user, if the event carried any. */
  addEvent(event: Anthropic.RawMessageStreamEvent): string | undefined {
    switch (event.type) {
      case "message_start":
        this.#takeUsage(event.message.usage);
        return undefined;
      case "content_block_start":
        this.#start(event.index, event.content_block);
        return event.content_block.type === "text" && event.content_block.text
          ? event.content_block.text
          : undefined;
      case "content_block_delta": {
        const block = this.#blocks[event.index];
        if (!block) return undefined;
        const delta = event.delta;
        switch (delta.type) {
          case "text_delta":
            block.text += delta.text;
            return delta.text;
          case "input_json_delta":
            block.text += delta.partial_json;
            return undefined;
          case "thinking_delta":
            block.text += delta.thinking;
            return undefined;
          case "signature_delta":
            block.signature += delta.signature;
            return undefined;
          default:
            return undefined;
        }
      }
      case "message_delta":
        this.#stopReason = event.delta.stop_reason ?? this.#stopReason;
        this.#takeUsage(event.usage);
        return undefined;
      case "message_stop":
        this.#complete = true;
        return undefined;
      default:
        return undefined;
    }
  }

  /** The assembled reply. Tool-call arguments are passed through as the model wrote them. */
  finish(): AssembledReply {
    const calls: FunctionCall[] = [];
    const texts: string[] = [];
    const thoughts: string[] = [];
    const thinkingBlocks: Anthropic.ContentBlockParam[] = [];
    for (const block of this.#blocks) {
      if (!block) continue;
      if (block.kind === "tool") {
        calls.push({ id: block.id, name: block.name, arguments: block.text.length > 0 ? block.text : "{}" });
      } else if (block.kind === "text") {
        texts.push(block.text);
      } else if (block.kind === "thinking") {
        thoughts.push(block.text);
        thinkingBlocks.push({ type: "thinking", thinking: block.text, signature: block.signature });
      } else if (block.data) {
        thinkingBlocks.push({ type: "redacted_thinking", data: block.data });
      }
    }
    const text = texts.join("");
    // Text written beside tool calls ("Let me look that up") is the model thinking aloud.
    if (calls.length > 0 && text.trim().length > 0) thoughts.push(text);
    return {
      text,
      calls,
      thought: thoughts.length > 0 ? thoughts.join("\n") : undefined,
      thinkingBlocks,
      finishReason: toFinishReason(this.#stopReason, calls.length > 0),
      usage: { ...this.#usage },
    };
  }
}
