/** The termination condition on tokens spent. */
import { ValidationError } from "@autogen-ts/core";
import type { StopMessage } from "../messages/index.js";
import { stopMessage, TerminationCondition, type TerminationInput } from "./base.js";

/** Options of {@link TokenUsageTermination}: at least one limit. */
export interface TokenUsageTerminationOptions {
  /** Stop once prompt plus completion tokens reach this. */
  maxTotalToken?: number;
  /** Stop once prompt tokens reach this. */
  maxPromptToken?: number;
  /** Stop once completion tokens reach this. */
  maxCompletionToken?: number;
}

/**
 * Stops once the model usage recorded on the run's messages and events (`modelsUsage`) reaches a limit.
 *
 * @example
 * ```ts
 * new TokenUsageTermination({ maxTotalToken: 50_000 });
 * ```
 */
export class TokenUsageTermination extends TerminationCondition {
  /** The total-token limit, if any. */
  readonly maxTotalToken: number | undefined;
  /** The prompt-token limit, if any. */
  readonly maxPromptToken: number | undefined;
  /** The completion-token limit, if any. */
  readonly maxCompletionToken: number | undefined;
  private promptTokens = 0;
  private completionTokens = 0;

  constructor(options: TokenUsageTerminationOptions) {
    super();
    const limits = [options?.maxTotalToken, options?.maxPromptToken, options?.maxCompletionToken];
    if (limits.every((l) => l === undefined)) {
      throw new ValidationError(
        "TokenUsageTermination needs maxTotalToken, maxPromptToken or maxCompletionToken",
      );
    }
    for (const [name, value] of Object.entries(options)) {
      if (value !== undefined && (typeof value !== "number" || !Number.isInteger(value) || value <= 0)) {
        throw new ValidationError(
          `TokenUsageTermination: ${name} must be a positive integer, got ${String(value)}`,
        );
      }
    }
    this.maxTotalToken = options.maxTotalToken;
    this.maxPromptToken = options.maxPromptToken;
    this.maxCompletionToken = options.maxCompletionToken;
  }

  /** True once a limit is reached. */
  get terminated(): boolean {
    return this.reason() !== undefined;
  }

  /** Prompt and completion tokens counted so far. */
  get usage(): { promptTokens: number; completionTokens: number } {
    return { promptTokens: this.promptTokens, completionTokens: this.completionTokens };
  }

  protected async evaluate(messages: TerminationInput): Promise<StopMessage | undefined> {
    for (const m of messages) {
      if (m.modelsUsage === undefined) continue;
      this.promptTokens += m.modelsUsage.promptTokens;
      this.completionTokens += m.modelsUsage.completionTokens;
    }
    const reason = this.reason();
    return reason === undefined ? undefined : stopMessage("TokenUsageTermination", reason);
  }

  private reason(): string | undefined {
    const total = this.promptTokens + this.completionTokens;
    const reached =
      (this.maxTotalToken !== undefined && total >= this.maxTotalToken) ||
      (this.maxPromptToken !== undefined && this.promptTokens >= this.maxPromptToken) ||
      (this.maxCompletionToken !== undefined && this.completionTokens >= this.maxCompletionToken);
    if (!reached) return undefined;
    return (
      `Token usage limit reached, total token count: ${total}, prompt token count: ${this.promptTokens}, ` +
      `completion token count: ${this.completionTokens}.`
    );
  }

  /** Starts counting from zero. */
  async reset(): Promise<void> {
    this.promptTokens = 0;
    this.completionTokens = 0;
  }
}
