/**
 * The built-in agent events: what happens inside an agent while it produces its reply. Events are streamed
 * by `runStream` and `onMessagesStream` but are not part of other agents' model contexts.
 */
import type { FunctionCall, FunctionExecutionResult, Image } from "@autogen-ts/core";
import { ValidationError } from "@autogen-ts/core";
import {
  BaseAgentEvent,
  type BaseMessageOptions,
  baseOptionsFromJSON,
  type MessageJSON,
  requireArray,
  requireNumber,
  requireString,
} from "./base.js";
import { readFunctionCalls, readResults } from "./json.js";

/** Options of a {@link ToolCallRequestEvent}. */
export interface ToolCallRequestEventOptions extends BaseMessageOptions {
  /** The calls the model asked for. */
  readonly content: readonly FunctionCall[];
}

/** The model asked to call tools. */
export class ToolCallRequestEvent extends BaseAgentEvent {
  /** The type discriminator. */
  readonly type = "ToolCallRequestEvent" as const;
  /** The calls the model asked for. */
  readonly content: readonly FunctionCall[];

  constructor(options: ToolCallRequestEventOptions) {
    super(options);
    this.content = requireList(options.content, "ToolCallRequestEvent");
  }

  /** One `name(arguments)` line per call. */
  toText(): string {
    return this.content.map((call) => `${call.name}(${call.arguments})`).join("\n");
  }

  protected contentJSON(): Record<string, unknown> {
    return { content: this.content };
  }

  /** Rebuilds an event from its JSON form. */
  static fromJSON(json: MessageJSON): ToolCallRequestEvent {
    const where = "ToolCallRequestEvent JSON";
    return new ToolCallRequestEvent({
      ...baseOptionsFromJSON(json),
      content: readFunctionCalls(requireArray(json, "content", where), `${where} content`),
    });
  }
}

/** Options of a {@link ToolCallExecutionEvent}. */
export interface ToolCallExecutionEventOptions extends BaseMessageOptions {
  /** The results of the calls. */
  readonly content: readonly FunctionExecutionResult[];
}

/** Tools ran; here are their results (errors included, with `isError`). */
export class ToolCallExecutionEvent extends BaseAgentEvent {
  /** The type discriminator. */
  readonly type = "ToolCallExecutionEvent" as const;
  /** The results of the calls. */
  readonly content: readonly FunctionExecutionResult[];

  constructor(options: ToolCallExecutionEventOptions) {
    super(options);
    this.content = requireList(options.content, "ToolCallExecutionEvent");
  }

  /** One line per result, errors marked. */
  toText(): string {
    return this.content.map((r) => `${r.name}${r.isError ? " (error)" : ""}: ${r.content}`).join("\n");
  }

  protected contentJSON(): Record<string, unknown> {
    return { content: this.content };
  }

  /** Rebuilds an event from its JSON form. */
  static fromJSON(json: MessageJSON): ToolCallExecutionEvent {
    const where = "ToolCallExecutionEvent JSON";
    return new ToolCallExecutionEvent({
      ...baseOptionsFromJSON(json),
      content: readResults(requireArray(json, "content", where), `${where} content`),
    });
  }
}

/** Options of a {@link ModelClientStreamingChunkEvent}. */
export interface ModelClientStreamingChunkEventOptions extends BaseMessageOptions {
  /** The text chunk. */
  readonly content: string;
  /** The id of the message the chunks add up to, once it is known. */
  readonly fullMessageId?: string;
}

/** A chunk of a model reply streamed as it arrives (with `modelClientStream`). */
export class ModelClientStreamingChunkEvent extends BaseAgentEvent {
  /** The type discriminator. */
  readonly type = "ModelClientStreamingChunkEvent" as const;
  /** The text chunk. */
  readonly content: string;
  /** The id of the chat message the chunks add up to. */
  readonly fullMessageId: string | undefined;

  constructor(options: ModelClientStreamingChunkEventOptions) {
    super(options);
    this.content = requireText(options.content, "ModelClientStreamingChunkEvent");
    this.fullMessageId = options.fullMessageId;
  }

  /** The chunk. */
  toText(): string {
    return this.content;
  }

  protected contentJSON(): Record<string, unknown> {
    return this.fullMessageId === undefined
      ? { content: this.content }
      : { content: this.content, fullMessageId: this.fullMessageId };
  }

  /** Rebuilds an event from its JSON form. */
  static fromJSON(json: MessageJSON): ModelClientStreamingChunkEvent {
    const where = "ModelClientStreamingChunkEvent JSON";
    const fullMessageId =
      json.fullMessageId === undefined ? undefined : requireString(json, "fullMessageId", where);
    return new ModelClientStreamingChunkEvent({
      ...baseOptionsFromJSON(json),
      content: requireString(json, "content", where),
      ...(fullMessageId === undefined ? {} : { fullMessageId }),
    });
  }
}

/** Options of a {@link ThoughtEvent}. */
export interface ThoughtEventOptions extends BaseMessageOptions {
  /** The model's reasoning text. */
  readonly content: string;
}

/** The model's reasoning, where the provider returns it. */
export class ThoughtEvent extends BaseAgentEvent {
  /** The type discriminator. */
  readonly type = "ThoughtEvent" as const;
  /** The reasoning text. */
  readonly content: string;

  constructor(options: ThoughtEventOptions) {
    super(options);
    this.content = requireText(options.content, "ThoughtEvent");
  }

  /** The reasoning text. */
  toText(): string {
    return this.content;
  }

  protected contentJSON(): Record<string, unknown> {
    return { content: this.content };
  }

  /** Rebuilds an event from its JSON form. */
  static fromJSON(json: MessageJSON): ThoughtEvent {
    return new ThoughtEvent({
      ...baseOptionsFromJSON(json),
      content: requireString(json, "content", "ThoughtEvent JSON"),
    });
  }
}

/**
 * One memory entry as carried by a {@link MemoryQueryEvent}. Memory implementations' own content type
 * (core's `MemoryContent`) fits this shape.
 */
export interface MemoryQueryItem {
  /** Text, a JSON object, or an image. */
  readonly content: string | Readonly<Record<string, unknown>> | Image;
  /** The media type of `content`, such as `text/plain` or `application/json`. */
  readonly mimeType: string;
  /** Free-form annotations. */
  readonly metadata?: Readonly<Record<string, unknown>>;
}

/** Options of a {@link MemoryQueryEvent}. */
export interface MemoryQueryEventOptions extends BaseMessageOptions {
  /** The memory entries the query returned. */
  readonly content: readonly MemoryQueryItem[];
}

/** An agent queried its memory and added the results to its model context. */
export class MemoryQueryEvent extends BaseAgentEvent {
  /** The type discriminator. */
  readonly type = "MemoryQueryEvent" as const;
  /** The memory entries the query returned. */
  readonly content: readonly MemoryQueryItem[];

  constructor(options: MemoryQueryEventOptions) {
    super(options);
    this.content = requireList(options.content, "MemoryQueryEvent");
  }

  /** One line per entry. */
  toText(): string {
    return this.content
      .map((item) => {
        const c = item.content;
        if (typeof c === "string") return c;
        if ((c as { type?: unknown }).type === "image") return "<image>";
        return JSON.stringify(c);
      })
      .join("\n");
  }

  protected contentJSON(): Record<string, unknown> {
    return { content: this.content };
  }

  /** Rebuilds an event from its JSON form. */
  static fromJSON(json: MessageJSON): MemoryQueryEvent {
    const where = "MemoryQueryEvent JSON";
    const content = requireArray(json, "content", where).map((value, i) => {
      const item = value as Record<string, unknown> | null;
      if (
        typeof item !== "object" ||
        item === null ||
        typeof item.mimeType !== "string" ||
        !("content" in item)
      ) {
        throw new ValidationError(`${where}: content[${i}] needs 'content' and a string 'mimeType'`);
      }
      return item as unknown as MemoryQueryItem;
    });
    return new MemoryQueryEvent({ ...baseOptionsFromJSON(json), content });
  }
}

/** Options of a {@link UserInputRequestedEvent}. */
export interface UserInputRequestedEventOptions extends BaseMessageOptions {
  /** Pairs this request with the answer. */
  readonly requestId: string;
  /** An optional prompt. */
  readonly content?: string;
}

/** An agent is waiting for the user's input. */
export class UserInputRequestedEvent extends BaseAgentEvent {
  /** The type discriminator. */
  readonly type = "UserInputRequestedEvent" as const;
  /** Pairs this request with the answer. */
  readonly requestId: string;
  /** An optional prompt. */
  readonly content: string;

  constructor(options: UserInputRequestedEventOptions) {
    super(options);
    if (typeof options.requestId !== "string" || options.requestId === "") {
      throw new ValidationError("UserInputRequestedEvent needs a non-empty 'requestId'");
    }
    this.requestId = options.requestId;
    this.content = options.content ?? "";
  }

  /** The prompt, if any. */
  toText(): string {
    return this.content;
  }

  protected contentJSON(): Record<string, unknown> {
    return { requestId: this.requestId, content: this.content };
  }

  /** Rebuilds an event from its JSON form. */
  static fromJSON(json: MessageJSON): UserInputRequestedEvent {
    const where = "UserInputRequestedEvent JSON";
    return new UserInputRequestedEvent({
      ...baseOptionsFromJSON(json),
      requestId: requireString(json, "requestId", where),
      content: json.content === undefined ? "" : requireString(json, "content", where),
    });
  }
}

/** Options of a {@link SelectSpeakerEvent}. */
export interface SelectSpeakerEventOptions extends BaseMessageOptions {
  /** The names of the agents selected to speak next. */
  readonly content: readonly string[];
}

/** A group chat manager picked the next speaker(s). */
export class SelectSpeakerEvent extends BaseAgentEvent {
  /** The type discriminator. */
  readonly type = "SelectSpeakerEvent" as const;
  /** The names of the agents selected. */
  readonly content: readonly string[];

  constructor(options: SelectSpeakerEventOptions) {
    super(options);
    this.content = requireList(options.content, "SelectSpeakerEvent");
  }

  /** The names, comma-separated. */
  toText(): string {
    return this.content.join(", ");
  }

  protected contentJSON(): Record<string, unknown> {
    return { content: this.content };
  }

  /** Rebuilds an event from its JSON form. */
  static fromJSON(json: MessageJSON): SelectSpeakerEvent {
    const where = "SelectSpeakerEvent JSON";
    const content = requireArray(json, "content", where).map((name, i) => {
      if (typeof name !== "string") throw new ValidationError(`${where}: content[${i}] must be a string`);
      return name;
    });
    return new SelectSpeakerEvent({ ...baseOptionsFromJSON(json), content });
  }
}

/** A block of code extracted from a model's reply. */
export interface CodeBlockItem {
  readonly code: string;
  readonly language: string;
}

/** Options of a {@link CodeGenerationEvent}. */
export interface CodeGenerationEventOptions extends BaseMessageOptions {
  /** The model's reply the code came from. */
  readonly content: string;
  /** The code blocks found in it. */
  readonly codeBlocks: readonly CodeBlockItem[];
  /** 0 for the first attempt, then 1, 2, ... for retries after errors. */
  readonly retryAttempt?: number;
}

/** A model wrote code to be executed. */
export class CodeGenerationEvent extends BaseAgentEvent {
  /** The type discriminator. */
  readonly type = "CodeGenerationEvent" as const;
  /** The model's reply. */
  readonly content: string;
  /** The code blocks found in it. */
  readonly codeBlocks: readonly CodeBlockItem[];
  /** The attempt number. */
  readonly retryAttempt: number;

  constructor(options: CodeGenerationEventOptions) {
    super(options);
    this.content = requireText(options.content, "CodeGenerationEvent");
    this.codeBlocks = requireList(options.codeBlocks, "CodeGenerationEvent", "codeBlocks");
    this.retryAttempt = options.retryAttempt ?? 0;
  }

  /** The model's reply. */
  toText(): string {
    return this.content;
  }

  protected contentJSON(): Record<string, unknown> {
    return { content: this.content, codeBlocks: this.codeBlocks, retryAttempt: this.retryAttempt };
  }

  /** Rebuilds an event from its JSON form. */
  static fromJSON(json: MessageJSON): CodeGenerationEvent {
    const where = "CodeGenerationEvent JSON";
    const codeBlocks = requireArray(json, "codeBlocks", where).map((value, i) => {
      const b = value as Record<string, unknown> | null;
      if (typeof b?.code !== "string" || typeof b.language !== "string") {
        throw new ValidationError(`${where}: codeBlocks[${i}] needs string 'code' and 'language'`);
      }
      return { code: b.code, language: b.language };
    });
    return new CodeGenerationEvent({
      ...baseOptionsFromJSON(json),
      content: requireString(json, "content", where),
      codeBlocks,
      retryAttempt: requireNumber(json, "retryAttempt", where),
    });
  }
}

/** The outcome of running code. */
export interface CodeResultItem {
  readonly exitCode: number;
  readonly output: string;
}

/** Options of a {@link CodeExecutionEvent}. */
export interface CodeExecutionEventOptions extends BaseMessageOptions {
  /** The execution's exit code and output. */
  readonly result: CodeResultItem;
  /** The attempt number, as in {@link CodeGenerationEvent}. */
  readonly retryAttempt?: number;
}

/** Code ran; here is its exit code and output. */
export class CodeExecutionEvent extends BaseAgentEvent {
  /** The type discriminator. */
  readonly type = "CodeExecutionEvent" as const;
  /** The exit code and output. */
  readonly result: CodeResultItem;
  /** The attempt number. */
  readonly retryAttempt: number;

  constructor(options: CodeExecutionEventOptions) {
    super(options);
    if (typeof options.result?.exitCode !== "number" || typeof options.result.output !== "string") {
      throw new ValidationError(
        "CodeExecutionEvent needs 'result' with a numeric exitCode and a string output",
      );
    }
    this.result = options.result;
    this.retryAttempt = options.retryAttempt ?? 0;
  }

  /** The output. */
  toText(): string {
    return this.result.output;
  }

  protected contentJSON(): Record<string, unknown> {
    return { result: this.result, retryAttempt: this.retryAttempt };
  }

  /** Rebuilds an event from its JSON form. */
  static fromJSON(json: MessageJSON): CodeExecutionEvent {
    const where = "CodeExecutionEvent JSON";
    const result = json.result as Record<string, unknown> | null | undefined;
    if (typeof result?.exitCode !== "number" || typeof result.output !== "string") {
      throw new ValidationError(`${where}: 'result' needs a numeric exitCode and a string output`);
    }
    return new CodeExecutionEvent({
      ...baseOptionsFromJSON(json),
      result: { exitCode: result.exitCode, output: result.output },
      retryAttempt: requireNumber(json, "retryAttempt", where),
    });
  }
}

/** Every built-in event, for exhaustive `switch (event.type)`. */
export type BuiltinAgentEvent =
  | ToolCallRequestEvent
  | ToolCallExecutionEvent
  | ModelClientStreamingChunkEvent
  | ThoughtEvent
  | MemoryQueryEvent
  | UserInputRequestedEvent
  | SelectSpeakerEvent
  | CodeGenerationEvent
  | CodeExecutionEvent;

function requireList<T>(value: readonly T[] | undefined, where: string, field = "content"): readonly T[] {
  if (!Array.isArray(value)) throw new ValidationError(`${where} needs '${field}' as an array`);
  return value;
}

function requireText(value: unknown, where: string): string {
  if (typeof value !== "string") throw new ValidationError(`${where} needs a string 'content'`);
  return value;
}
