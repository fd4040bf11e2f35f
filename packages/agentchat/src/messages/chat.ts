/**
 * The built-in chat messages: what agents say to each other and what a team's transcript holds.
 */
import type {
  FunctionCall,
  FunctionExecutionResult,
  LLMMessage,
  StructuredOutputSchema,
  UserContentPart,
  UserMessage,
} from "@autogen-ts/core";
import { ValidationError } from "@autogen-ts/core";
import {
  BaseChatMessage,
  type BaseMessageOptions,
  baseOptionsFromJSON,
  type MessageJSON,
  requireArray,
  requireString,
} from "./base.js";
import { readFunctionCalls, readImage, readResults } from "./json.js";

/** Options of a {@link TextMessage}. */
export interface TextMessageOptions extends BaseMessageOptions {
  /** The text. */
  readonly content: string;
}

/**
 * Plain text from an agent or the user.
 *
 * @example
 * ```ts
 * const task = new TextMessage({ source: "user", content: "Write a haiku" });
 * ```
 */
export class TextMessage extends BaseChatMessage {
  /** The type discriminator. */
  readonly type = "TextMessage" as const;
  /** The text. */
  readonly content: string;

  constructor(options: TextMessageOptions) {
    super(options);
    this.content = requireContentString(options, "TextMessage");
  }

  /** The text. */
  toText(): string {
    return this.content;
  }

  /** The text. */
  toModelText(): string {
    return this.content;
  }

  protected contentJSON(): Record<string, unknown> {
    return { content: this.content };
  }

  /** Rebuilds a message from its JSON form. */
  static fromJSON(json: MessageJSON): TextMessage {
    return new TextMessage({
      ...baseOptionsFromJSON(json),
      content: requireString(json, "content", "TextMessage JSON"),
    });
  }
}

/** Options of a {@link MultiModalMessage}. */
export interface MultiModalMessageOptions extends BaseMessageOptions {
  /** Text and image parts, in order. */
  readonly content: readonly UserContentPart[];
}

/** Text and images, for vision models. */
export class MultiModalMessage extends BaseChatMessage {
  /** The type discriminator. */
  readonly type = "MultiModalMessage" as const;
  /** Text and image parts, in order. */
  readonly content: readonly UserContentPart[];

  constructor(options: MultiModalMessageOptions) {
    super(options);
    if (!Array.isArray(options.content)) {
      throw new ValidationError("MultiModalMessage needs 'content' as an array of strings and images");
    }
    this.content = options.content;
  }

  /** The text parts, with `<image>` standing for each image. */
  toText(): string {
    return this.content.map((part) => (typeof part === "string" ? part : "<image>")).join("\n");
  }

  /** Same as {@link toText}: a text-only model sees where the images were. */
  toModelText(): string {
    return this.toText();
  }

  /** A user message carrying the images themselves. */
  override toModelMessage(): UserMessage {
    return { type: "UserMessage", content: this.content, source: this.source };
  }

  protected contentJSON(): Record<string, unknown> {
    return { content: this.content };
  }

  /** Rebuilds a message from its JSON form. */
  static fromJSON(json: MessageJSON): MultiModalMessage {
    const where = "MultiModalMessage JSON";
    const content = requireArray(json, "content", where).map(
      (part, i): UserContentPart =>
        typeof part === "string" ? part : readImage(part, `${where} content[${i}]`),
    );
    return new MultiModalMessage({ ...baseOptionsFromJSON(json), content });
  }
}

/** Options of a {@link StructuredMessage}. */
export interface StructuredMessageOptions<T> extends BaseMessageOptions {
  /** The structured content. */
  readonly content: T;
  /**
   * A template for the text form: `{field}` is replaced by that field of the content (for example
   * `"{city}: {temperature}C"`). Without it the text form is the content as JSON.
   */
  readonly format?: string;
  /** When given, `content` is parsed with it (a zod schema, say) and a mismatch throws a ValidationError. */
  readonly schema?: StructuredOutputSchema<T>;
}

/**
 * Content of a known shape, typically a model's structured output parsed by a zod schema.
 *
 * @example
 * ```ts
 * const Weather = z.object({ city: z.string(), celsius: z.number() });
 * const m = new StructuredMessage({ source: "agent", content: { city: "Oslo", celsius: 4 }, schema: Weather,
 *   format: "{city}: {celsius}C" });
 * m.toText(); // "Oslo: 4C"
 * ```
 */
export class StructuredMessage<T = unknown> extends BaseChatMessage {
  /** The type discriminator. */
  readonly type = "StructuredMessage" as const;
  /** The structured content. */
  readonly content: T;
  /** The text template, if any. */
  readonly format: string | undefined;

  constructor(options: StructuredMessageOptions<T>) {
    super(options);
    if (options.schema !== undefined) {
      const parsed = options.schema.safeParse(options.content);
      if (!parsed.success) {
        throw new ValidationError(
          `StructuredMessage content does not match its schema: ${errorText(parsed.error)}`,
          {
            cause: parsed.error,
          },
        );
      }
      this.content = parsed.data;
    } else {
      this.content = options.content;
    }
    this.format = options.format;
  }

  /** The content through {@link format}, or as JSON. */
  toText(): string {
    if (this.format === undefined) return JSON.stringify(this.content);
    const fields = (typeof this.content === "object" && this.content !== null ? this.content : {}) as Record<
      string,
      unknown
    >;
    return this.format.replace(/\{(\w+)\}/g, (whole, key: string) => {
      if (!(key in fields)) return whole;
      const value = fields[key];
      return typeof value === "string" ? value : JSON.stringify(value);
    });
  }

  /** Same as {@link toText}. */
  toModelText(): string {
    return this.toText();
  }

  protected contentJSON(): Record<string, unknown> {
    return this.format === undefined
      ? { content: this.content }
      : { content: this.content, format: this.format };
  }

  /**
   * Rebuilds a message from its JSON form; with `schema`, the content is checked (and typed) by it.
   */
  static fromJSON<T = unknown>(json: MessageJSON, schema?: StructuredOutputSchema<T>): StructuredMessage<T> {
    if (!("content" in json)) throw new ValidationError("StructuredMessage JSON: 'content' is missing");
    const format = json.format;
    if (format !== undefined && typeof format !== "string") {
      throw new ValidationError("StructuredMessage JSON: 'format' must be a string");
    }
    return new StructuredMessage<T>({
      ...baseOptionsFromJSON(json),
      content: json.content as T,
      ...(format === undefined ? {} : { format }),
      ...(schema === undefined ? {} : { schema }),
    });
  }
}

/** Options of a {@link ToolCallSummaryMessage}. */
export interface ToolCallSummaryMessageOptions extends BaseMessageOptions {
  /** The summary text (by default the results, one per line). */
  readonly content: string;
  /** The calls that were made. */
  readonly toolCalls: readonly FunctionCall[];
  /** Their results, in the same order. */
  readonly results: readonly FunctionExecutionResult[];
}

/** An agent's reply made of tool results, when it does not reflect on them with another model call. */
export class ToolCallSummaryMessage extends BaseChatMessage {
  /** The type discriminator. */
  readonly type = "ToolCallSummaryMessage" as const;
  /** The summary text. */
  readonly content: string;
  /** The calls that were made. */
  readonly toolCalls: readonly FunctionCall[];
  /** Their results. */
  readonly results: readonly FunctionExecutionResult[];

  constructor(options: ToolCallSummaryMessageOptions) {
    super(options);
    this.content = requireContentString(options, "ToolCallSummaryMessage");
    this.toolCalls = options.toolCalls ?? [];
    this.results = options.results ?? [];
  }

  /** The summary text. */
  toText(): string {
    return this.content;
  }

  /** The summary text. */
  toModelText(): string {
    return this.content;
  }

  protected contentJSON(): Record<string, unknown> {
    return { content: this.content, toolCalls: this.toolCalls, results: this.results };
  }

  /** Rebuilds a message from its JSON form. */
  static fromJSON(json: MessageJSON): ToolCallSummaryMessage {
    const where = "ToolCallSummaryMessage JSON";
    return new ToolCallSummaryMessage({
      ...baseOptionsFromJSON(json),
      content: requireString(json, "content", where),
      toolCalls: readFunctionCalls(requireArray(json, "toolCalls", where), `${where} toolCalls`),
      results: readResults(requireArray(json, "results", where), `${where} results`),
    });
  }
}

/** Options of a {@link HandoffMessage}. */
export interface HandoffMessageOptions extends BaseMessageOptions {
  /** What the handing-off agent says. */
  readonly content: string;
  /** The name of the agent taking over. */
  readonly target: string;
  /** Model messages the target should see first (the tool calls that led to the handoff, say). */
  readonly context?: readonly LLMMessage[];
}

/** Hands the conversation to another agent (used by Swarm teams). */
export class HandoffMessage extends BaseChatMessage {
  /** The type discriminator. */
  readonly type = "HandoffMessage" as const;
  /** What the handing-off agent says. */
  readonly content: string;
  /** The name of the agent taking over. */
  readonly target: string;
  /** Model messages the target should see first. */
  readonly context: readonly LLMMessage[];

  constructor(options: HandoffMessageOptions) {
    super(options);
    this.content = requireContentString(options, "HandoffMessage");
    if (typeof options.target !== "string" || options.target === "") {
      throw new ValidationError("HandoffMessage needs a non-empty 'target'");
    }
    this.target = options.target;
    this.context = options.context ?? [];
  }

  /** The text. */
  toText(): string {
    return this.content;
  }

  /** The text. */
  toModelText(): string {
    return this.content;
  }

  protected contentJSON(): Record<string, unknown> {
    return { content: this.content, target: this.target, context: this.context };
  }

  /** Rebuilds a message from its JSON form. */
  static fromJSON(json: MessageJSON): HandoffMessage {
    const where = "HandoffMessage JSON";
    const context = json.context === undefined ? [] : requireArray(json, "context", where);
    for (const [i, m] of context.entries()) {
      const type = (m as { type?: unknown } | null)?.type;
      if (
        type !== "SystemMessage" &&
        type !== "UserMessage" &&
        type !== "AssistantMessage" &&
        type !== "FunctionExecutionResultMessage"
      ) {
        throw new ValidationError(`${where}: context[${i}] is not a model message`);
      }
    }
    return new HandoffMessage({
      ...baseOptionsFromJSON(json),
      content: requireString(json, "content", where),
      target: requireString(json, "target", where),
      context: context as LLMMessage[],
    });
  }
}

/** Options of a {@link StopMessage}. */
export interface StopMessageOptions extends BaseMessageOptions {
  /** Why the agent asks to stop. */
  readonly content: string;
}

/** An agent asks the team to stop (see `StopMessageTermination`). */
export class StopMessage extends BaseChatMessage {
  /** The type discriminator. */
  readonly type = "StopMessage" as const;
  /** Why the agent asks to stop. */
  readonly content: string;

  constructor(options: StopMessageOptions) {
    super(options);
    this.content = requireContentString(options, "StopMessage");
  }

  /** The text. */
  toText(): string {
    return this.content;
  }

  /** The text. */
  toModelText(): string {
    return this.content;
  }

  protected contentJSON(): Record<string, unknown> {
    return { content: this.content };
  }

  /** Rebuilds a message from its JSON form. */
  static fromJSON(json: MessageJSON): StopMessage {
    return new StopMessage({
      ...baseOptionsFromJSON(json),
      content: requireString(json, "content", "StopMessage JSON"),
    });
  }
}

/** Every built-in chat message, for exhaustive `switch (message.type)`. */
export type BuiltinChatMessage =
  | TextMessage
  | MultiModalMessage
  | StructuredMessage
  | ToolCallSummaryMessage
  | HandoffMessage
  | StopMessage;

function requireContentString(options: { content?: unknown }, where: string): string {
  if (typeof options.content !== "string") {
    throw new ValidationError(`${where} needs a string 'content'`);
  }
  return options.content;
}

function errorText(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
