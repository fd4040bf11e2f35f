/**
 * The two roots of every AgentChat message: {@link BaseChatMessage} (what agents say to each other) and
 * {@link BaseAgentEvent} (what happens inside an agent while it works), with their shared fields, text
 * forms and JSON form.
 */

import type { RequestUsage, UserMessage } from "@autogen-ts/core";
import { randomUuid, ValidationError } from "@autogen-ts/core";

/** Options shared by every message and event constructor. */
export interface BaseMessageOptions {
  /** Who produced it: an agent name, or `"user"`. */
  readonly source: string;
  /** A unique id; a random UUID when omitted. */
  readonly id?: string;
  /** When it was made; now when omitted. */
  readonly createdAt?: Date;
  /** The model usage it took to produce it, where a model was involved. */
  readonly modelsUsage?: RequestUsage;
  /** Free-form string annotations (never read by the framework). */
  readonly metadata?: Readonly<Record<string, string>>;
}

/**
 * The JSON form of a message or event: its `type` discriminator, the shared fields, and the fields of its
 * class. `createdAt` is an ISO 8601 string.
 */
export interface MessageJSON {
  readonly type: string;
  readonly id: string;
  readonly source: string;
  readonly createdAt: string;
  readonly modelsUsage?: RequestUsage;
  readonly metadata: Readonly<Record<string, string>>;
  readonly [field: string]: unknown;
}

const EMPTY_METADATA: Readonly<Record<string, string>> = Object.freeze({});

// Message ids: a random prefix drawn once per process, then a counter. Unique like random UUIDs for all
// practical purposes, at a fraction of the cost (a run makes many messages).
// Ids are UUIDs, as in AutoGen, but minting one per message is measurable on the hot path: a random UUID's
// first 24 characters (its version and variant bits included) are drawn once per process, and a counter
// fills the last 12 hex digits. Unique within a process by the counter, across processes by the prefix.
const ID_PREFIX = randomUuid().slice(0, 24);
let idCounter = 0;

/** A new message id: a UUID, unique within and across processes. */
export function newMessageId(): string {
  return ID_PREFIX + (++idCounter).toString(16).padStart(12, "0");
}

/** Fields shared by chat messages and events. */
export abstract class BaseAgentMessage {
  /** The type discriminator, also the `type` of the JSON form (for example `"TextMessage"`). */
  abstract readonly type: string;
  /** `"chat"` for a {@link BaseChatMessage}, `"event"` for a {@link BaseAgentEvent}. */
  abstract readonly kind: "chat" | "event";
  // Fields are `declare`d and set in the constructor: cheaper than class-field definitions, and messages
  // are made on every step of a run.
  /** A unique id. */
  declare readonly id: string;
  /** Who produced it. */
  declare readonly source: string;
  // Kept as a number (cheaper to take than a Date); `createdAt` hands out a fresh Date, so no reader can
  // change a message's time by mutating it.
  readonly #createdAt: number;
  /** The model usage it took to produce it, if any. */
  declare readonly modelsUsage: RequestUsage | undefined;
  /** Free-form string annotations. */
  declare readonly metadata: Readonly<Record<string, string>>;

  constructor(options: BaseMessageOptions) {
    if (typeof options?.source !== "string") {
      throw new ValidationError(`${new.target.name} needs a string 'source'`);
    }
    this.id = options.id ?? newMessageId();
    this.source = options.source;
    this.#createdAt = options.createdAt === undefined ? Date.now() : options.createdAt.getTime();
    this.modelsUsage = options.modelsUsage;
    this.metadata = options.metadata ?? EMPTY_METADATA;
  }

  /** When it was made. */
  get createdAt(): Date {
    return new Date(this.#createdAt);
  }

  /** A human-readable rendering, for consoles and logs. */
  abstract toText(): string;

  /** The class-specific fields of the JSON form (JSON-safe values only). */
  protected abstract contentJSON(): Record<string, unknown>;

  /** The JSON form; {@link messageFromJSON} turns it back into an equal instance. */
  toJSON(): MessageJSON {
    const json: Record<string, unknown> = {
      type: this.type,
      id: this.id,
      source: this.source,
      createdAt: this.createdAt.toISOString(),
      metadata: this.metadata,
      ...this.contentJSON(),
    };
    if (this.modelsUsage !== undefined) json.modelsUsage = this.modelsUsage;
    return json as MessageJSON;
  }
}

/**
 * A message agents exchange: it goes into other agents' model contexts, terminations look at it, and it is
 * what a team's transcript is made of. Subclass it (and register the subclass with a
 * {@link MessageRegistry}) to add your own message types.
 */
export abstract class BaseChatMessage extends BaseAgentMessage {
  /** Always `"chat"`. */
  readonly kind = "chat" as const;

  /** The text a model reads when this message goes into its context. */
  abstract toModelText(): string;

  /** The message as a model reads it: a user message from {@link source}. */
  toModelMessage(): UserMessage {
    return { type: "UserMessage", content: this.toModelText(), source: this.source };
  }
}

/** Something that happened inside an agent (a tool call, a streamed chunk, a memory query). */
export abstract class BaseAgentEvent extends BaseAgentMessage {
  /** Always `"event"`. */
  readonly kind = "event" as const;
}

/**
 * True for a message that only passes through a run's stream and is never kept: a streamed chunk of a
 * model's reply (`ModelClientStreamingChunkEvent`). Results, transcripts, checkpoints and termination
 * conditions leave these out.
 */
export function isTransient(message: { readonly type: string }): boolean {
  return message.type === "ModelClientStreamingChunkEvent";
}

/** True for a chat message (of any class, from any copy of this package). */
export function isChatMessage(value: unknown): value is BaseChatMessage {
  return (
    typeof value === "object" &&
    value !== null &&
    (value as { kind?: unknown }).kind === "chat" &&
    typeof (value as { toModelMessage?: unknown }).toModelMessage === "function"
  );
}

/** True for an agent event (of any class, from any copy of this package). */
export function isAgentEvent(value: unknown): value is BaseAgentEvent {
  return (
    typeof value === "object" &&
    value !== null &&
    (value as { kind?: unknown }).kind === "event" &&
    typeof (value as { toText?: unknown }).toText === "function"
  );
}

/** Reads the shared fields of a JSON form back into constructor options, checking their types. */
export function baseOptionsFromJSON(json: MessageJSON): BaseMessageOptions {
  const where = `${String(json.type)} JSON`;
  const id = requireString(json, "id", where);
  const source = requireString(json, "source", where);
  const createdAtText = requireString(json, "createdAt", where);
  const createdAt = new Date(createdAtText);
  if (Number.isNaN(createdAt.getTime())) {
    throw new ValidationError(`${where}: 'createdAt' is not a date: ${JSON.stringify(createdAtText)}`);
  }
  const options: {
    source: string;
    id: string;
    createdAt: Date;
    modelsUsage?: RequestUsage;
    metadata?: Readonly<Record<string, string>>;
  } = { id, source, createdAt };
  if (json.modelsUsage !== undefined && json.modelsUsage !== null) {
    const usage = json.modelsUsage as unknown as Record<string, unknown>;
    if (
      typeof usage !== "object" ||
      typeof usage.promptTokens !== "number" ||
      typeof usage.completionTokens !== "number"
    ) {
      throw new ValidationError(`${where}: 'modelsUsage' needs numeric promptTokens and completionTokens`);
    }
    options.modelsUsage = json.modelsUsage;
  }
  if (json.metadata !== undefined) {
    const metadata = json.metadata as unknown;
    if (typeof metadata !== "object" || metadata === null || Array.isArray(metadata)) {
      throw new ValidationError(`${where}: 'metadata' must be an object of strings`);
    }
    for (const [key, value] of Object.entries(metadata)) {
      if (typeof value !== "string") {
        throw new ValidationError(`${where}: metadata '${key}' must be a string`);
      }
    }
    options.metadata = metadata as Record<string, string>;
  }
  return options;
}

/** Reads a required string field of a JSON form. */
export function requireString(json: Readonly<Record<string, unknown>>, key: string, where: string): string {
  const value = json[key];
  if (typeof value !== "string") {
    throw new ValidationError(`${where}: '${key}' must be a string, got ${describe(value)}`);
  }
  return value;
}

/** Reads a required array field of a JSON form. */
export function requireArray(
  json: Readonly<Record<string, unknown>>,
  key: string,
  where: string,
): readonly unknown[] {
  const value = json[key];
  if (!Array.isArray(value)) {
    throw new ValidationError(`${where}: '${key}' must be an array, got ${describe(value)}`);
  }
  return value;
}

/** Reads a required number field of a JSON form. */
export function requireNumber(json: Readonly<Record<string, unknown>>, key: string, where: string): number {
  const value = json[key];
  if (typeof value !== "number" || Number.isNaN(value)) {
    throw new ValidationError(`${where}: '${key}' must be a number, got ${describe(value)}`);
  }
  return value;
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value;
}
