/**
 * Termination conditions that look at the content of the messages and events: counts, mentions, stop and
 * handoff messages, sources, and function calls.
 */
import { ValidationError } from "@autogen-ts/core";
import type { HandoffMessage, StopMessage, ToolCallExecutionEvent } from "../messages/index.js";
import { stopMessage, TerminationCondition, type TerminationInput } from "./base.js";

function checkPositiveInteger(value: unknown, name: string, owner: string): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value <= 0) {
    throw new ValidationError(`${owner}: ${name} must be a positive integer, got ${String(value)}`);
  }
  return value;
}

function checkText(value: unknown, name: string, owner: string): string {
  if (typeof value !== "string" || value === "") {
    throw new ValidationError(`${owner}: ${name} must be a non-empty string`);
  }
  return value;
}

function checkSources(value: unknown, owner: string): ReadonlySet<string> | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.length === 0 || !value.every((s) => typeof s === "string")) {
    throw new ValidationError(`${owner}: sources must be a non-empty list of agent names`);
  }
  return new Set(value);
}

/** Options of {@link MaxMessageTermination}. */
export interface MaxMessageTerminationOptions {
  /** Stop once this many messages have been produced. */
  maxMessages: number;
  /** Count agent events (tool calls and results, thoughts, memory queries...) too; default false. */
  includeAgentEvent?: boolean;
}

/**
 * Stops once a run has produced `maxMessages` chat messages (the task counts as the first).
 *
 * @example
 * ```ts
 * new MaxMessageTermination(10);
 * new MaxMessageTermination({ maxMessages: 30, includeAgentEvent: true });
 * ```
 */
export class MaxMessageTermination extends TerminationCondition {
  /** The message limit. */
  readonly maxMessages: number;
  /** Whether agent events count. */
  readonly includeAgentEvent: boolean;
  private count = 0;

  constructor(options: number | MaxMessageTerminationOptions) {
    super();
    const opts = typeof options === "number" ? { maxMessages: options } : options;
    this.maxMessages = checkPositiveInteger(opts?.maxMessages, "maxMessages", "MaxMessageTermination");
    this.includeAgentEvent = opts.includeAgentEvent ?? false;
  }

  /** True once the limit is reached. */
  get terminated(): boolean {
    return this.count >= this.maxMessages;
  }

  protected async evaluate(messages: TerminationInput): Promise<StopMessage | undefined> {
    for (const m of messages) if (this.includeAgentEvent || m.kind === "chat") this.count++;
    if (this.count < this.maxMessages) return undefined;
    return stopMessage(
      "MaxMessageTermination",
      `Maximum number of messages ${this.maxMessages} reached, current message count: ${this.count}`,
    );
  }

  /** Starts counting from zero. */
  async reset(): Promise<void> {
    this.count = 0;
  }
}

/** Options of {@link TextMentionTermination}. */
export interface TextMentionTerminationOptions {
  /** The text whose appearance stops the run (case-sensitive). */
  text: string;
  /** Only messages from these agents count; every source when omitted. */
  sources?: readonly string[];
}

/**
 * Stops when a chat message or an agent event (not a streamed chunk) contains `text` in its text form, as in
 * AutoGen, optionally only from some `sources`.
 *
 * @example
 * ```ts
 * new TextMentionTermination("APPROVE");
 * new TextMentionTermination({ text: "TERMINATE", sources: ["critic"] });
 * ```
 */
export class TextMentionTermination extends TerminationCondition {
  /** The text looked for. */
  readonly text: string;
  /** The sources that count, or undefined for all. */
  readonly sources: ReadonlySet<string> | undefined;
  private fired = false;

  constructor(options: string | TextMentionTerminationOptions) {
    super();
    const opts = typeof options === "string" ? { text: options } : options;
    this.text = checkText(opts?.text, "text", "TextMentionTermination");
    this.sources = checkSources(opts.sources, "TextMentionTermination");
  }

  /** True once the text was seen. */
  get terminated(): boolean {
    return this.fired;
  }

  protected async evaluate(messages: TerminationInput): Promise<StopMessage | undefined> {
    for (const m of messages) {
      // As in AutoGen, agent events count too (a tool result can carry the text), but not streamed chunks:
      // the finished message that follows them is what the text is looked for in.
      if (m.type === "ModelClientStreamingChunkEvent") continue;
      if (this.sources !== undefined && !this.sources.has(m.source)) continue;
      if (m.toText().includes(this.text)) {
        this.fired = true;
        return stopMessage("TextMentionTermination", `Text '${this.text}' mentioned`);
      }
    }
    return undefined;
  }

  /** Forgets that the text was seen. */
  async reset(): Promise<void> {
    this.fired = false;
  }
}

/** Stops when an agent sends a `StopMessage`; its content becomes the stop reason. */
export class StopMessageTermination extends TerminationCondition {
  private fired = false;

  /** True once a stop message was seen. */
  get terminated(): boolean {
    return this.fired;
  }

  protected async evaluate(messages: TerminationInput): Promise<StopMessage | undefined> {
    for (const m of messages) {
      if (m.type !== "StopMessage") continue;
      this.fired = true;
      return stopMessage("StopMessageTermination", "Stop message received");
    }
    return undefined;
  }

  /** Forgets the stop message. */
  async reset(): Promise<void> {
    this.fired = false;
  }
}

/**
 * Stops when an agent hands off to `target` with a `HandoffMessage` (typically `"user"`, to pause a
 * Swarm for human input).
 *
 * @example
 * ```ts
 * new HandoffTermination("user");
 * ```
 */
export class HandoffTermination extends TerminationCondition {
  /** The handoff target that stops the run. */
  readonly target: string;
  private fired = false;

  constructor(options: string | { target: string }) {
    super();
    this.target = checkText(
      typeof options === "string" ? options : options?.target,
      "target",
      "HandoffTermination",
    );
  }

  /** True once the handoff was seen. */
  get terminated(): boolean {
    return this.fired;
  }

  protected async evaluate(messages: TerminationInput): Promise<StopMessage | undefined> {
    for (const m of messages) {
      if (m.type !== "HandoffMessage" || (m as HandoffMessage).target !== this.target) continue;
      this.fired = true;
      return stopMessage("HandoffTermination", `Handoff to ${this.target} from ${m.source} detected.`);
    }
    return undefined;
  }

  /** Forgets the handoff. */
  async reset(): Promise<void> {
    this.fired = false;
  }
}

/**
 * Stops as soon as one of `sources` has sent a chat message (say, after a given agent has answered).
 *
 * @example
 * ```ts
 * new SourceMatchTermination(["summarizer"]);
 * ```
 */
export class SourceMatchTermination extends TerminationCondition {
  /** The sources that stop the run. */
  readonly sources: ReadonlySet<string>;
  private fired = false;

  constructor(options: readonly string[] | { sources: readonly string[] }) {
    super();
    const sources = Array.isArray(options) ? options : (options as { sources: readonly string[] })?.sources;
    this.sources = checkSources(sources ?? [], "SourceMatchTermination")!;
  }

  /** True once one of the sources spoke. */
  get terminated(): boolean {
    return this.fired;
  }

  protected async evaluate(messages: TerminationInput): Promise<StopMessage | undefined> {
    for (const m of messages) {
      if (m.kind !== "chat" || !this.sources.has(m.source)) continue;
      this.fired = true;
      return stopMessage("SourceMatchTermination", `'${m.source}' answered`);
    }
    return undefined;
  }

  /** Forgets who spoke. */
  async reset(): Promise<void> {
    this.fired = false;
  }
}

/**
 * Stops when an agent sends a `TextMessage` (from `source`, when given): for a single agent, that means
 * it answered in text rather than with another tool call.
 *
 * @example
 * ```ts
 * new TextMessageTermination("writer");
 * ```
 */
export class TextMessageTermination extends TerminationCondition {
  /** The source whose text message stops the run, or undefined for any. */
  readonly source: string | undefined;
  private fired = false;

  constructor(options: string | { source?: string } = {}) {
    super();
    const source = typeof options === "string" ? options : options?.source;
    this.source = source === undefined ? undefined : checkText(source, "source", "TextMessageTermination");
  }

  /** True once a text message was seen. */
  get terminated(): boolean {
    return this.fired;
  }

  protected async evaluate(messages: TerminationInput): Promise<StopMessage | undefined> {
    for (const m of messages) {
      if (m.type !== "TextMessage" || (this.source !== undefined && m.source !== this.source)) continue;
      this.fired = true;
      return stopMessage("TextMessageTermination", `Text message received from '${m.source}'`);
    }
    return undefined;
  }

  /** Forgets the text message. */
  async reset(): Promise<void> {
    this.fired = false;
  }
}

/**
 * Stops once a tool named `functionName` has been executed (seen in a `ToolCallExecutionEvent`), such as
 * a `submit_answer` tool that marks the end of the work.
 *
 * @example
 * ```ts
 * new FunctionCallTermination("submit_answer");
 * ```
 */
export class FunctionCallTermination extends TerminationCondition {
  /** The function whose execution stops the run. */
  readonly functionName: string;
  private fired = false;

  constructor(options: string | { functionName: string }) {
    super();
    const name = typeof options === "string" ? options : options?.functionName;
    this.functionName = checkText(name, "functionName", "FunctionCallTermination");
  }

  /** True once the function was executed. */
  get terminated(): boolean {
    return this.fired;
  }

  protected async evaluate(messages: TerminationInput): Promise<StopMessage | undefined> {
    for (const m of messages) {
      if (m.type !== "ToolCallExecutionEvent") continue;
      const result = (m as ToolCallExecutionEvent).content.find((r) => r.name === this.functionName);
      if (result === undefined) continue;
      this.fired = true;
      return stopMessage("FunctionCallTermination", `Function '${this.functionName}' was executed.`);
    }
    return undefined;
  }

  /** Forgets the call. */
  async reset(): Promise<void> {
    this.fired = false;
  }
}
